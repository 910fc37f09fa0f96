import { useMemo } from "react";
import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_LOCALE, type Locale } from "./locale";
import { translator, type Translate } from "./messages";

/**
 * The admin's language, as resolved once by the embedded parent route (routes/app):
 * Shopify sends `locale` only with the document request, so children read it there.
 */
export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale?: Locale }>("routes/app");
  return data?.locale ?? DEFAULT_LOCALE;
}

/** `const tr = useT(); tr("shipments.markShipped"); tr(actionData.error)` */
export function useT(): Translate {
  const locale = useLocale();
  return useMemo(() => translator(locale), [locale]);
}
