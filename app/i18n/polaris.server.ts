import type { AppProviderProps } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import ja from "@shopify/polaris/locales/ja.json";

import type { Locale } from "./locale";

/**
 * Polaris' own strings (pagination, filters, "Loading…") in the admin's language.
 * Loaded on the server and handed to the browser in the loader data, as Shopify's
 * template does, so the client bundle carries no translation files.
 */
export function polarisTranslations(
  locale: Locale,
): AppProviderProps["i18n"] {
  return POLARIS[locale];
}

const POLARIS: Record<Locale, AppProviderProps["i18n"]> = { ja, en };
