import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_LOCALE, type AppLocale } from "./locale";
import { t, type StringKey } from "./strings";

/**
 * The admin's language, as resolved once by the embedded parent route (routes/app):
 * Shopify sends `locale` only with the document request, so children read it there.
 */
export function useLocale(): AppLocale {
  const data = useRouteLoaderData<{ locale?: AppLocale }>("routes/app");
  return data?.locale ?? DEFAULT_LOCALE;
}

/** `const tr = useT(); tr("markShipped")` */
export function useT() {
  const locale = useLocale();
  return (key: StringKey, values?: Record<string, string | number>) => t(locale, key, values);
}
