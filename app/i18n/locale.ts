/**
 * The admin's language, as the app supports it: Japanese or English. The app's one
 * locale type: catalogues (./catalogues), `t()` (./messages) and pages all use it.
 *
 * Shopify adds `locale` (e.g. `ja`, `ja-JP`, `en`, `fr`) to the URL it loads the app
 * with. Any Japanese variant gives `ja`, any other language `en`; without the
 * parameter (client-side data requests, direct visits) the app speaks Japanese, the
 * language of the merchants it is built for.
 */
export type Locale = "ja" | "en";

export const LOCALES: readonly Locale[] = ["ja", "en"];

export const DEFAULT_LOCALE: Locale = "ja";

export function isLocale(value: unknown): value is Locale {
  return value === "ja" || value === "en";
}

export function resolveLocale(
  source: Request | URL | string | null | undefined,
): Locale {
  const value =
    source instanceof Request
      ? new URL(source.url).searchParams.get("locale")
      : source instanceof URL
        ? source.searchParams.get("locale")
        : source;
  if (!value || !value.trim()) return DEFAULT_LOCALE;
  return /^ja(?:[-_]|$)/i.test(value.trim()) ? "ja" : "en";
}
