/**
 * The one date and time formatter. Times are shown in the shop's time zone and say which
 * it is (「JST」, "GMT+9"): staff in another zone must not read a Tokyo time as theirs.
 * A fixed zone also keeps the server's render and the browser's alike (no hydration
 * mismatch).
 */
export const DEFAULT_TIME_ZONE = "Asia/Tokyo";

type Locale = "ja" | "en";

const intlLocale = (locale: Locale) => (locale === "ja" ? "ja-JP" : "en-US");

export function formatDateTime(
  iso: string | null | undefined,
  locale: Locale,
  options: { timeZone?: string | null; seconds?: boolean } = {},
): string {
  return format(iso, locale, options.timeZone, {
    hour: "2-digit",
    minute: "2-digit",
    ...(options.seconds ? { second: "2-digit" } : {}),
    timeZoneName: "short",
  });
}

/** A date alone (no time, so no zone label), in the shop's time zone. */
export function formatDate(
  iso: string | null | undefined,
  locale: Locale,
  options: { timeZone?: string | null } = {},
): string {
  return format(iso, locale, options.timeZone, {});
}

function format(
  iso: string | null | undefined,
  locale: Locale,
  zone: string | null | undefined,
  parts: Intl.DateTimeFormatOptions,
): string {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(intlLocale(locale), {
    timeZone: safeZone(zone),
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    ...parts,
  }).format(date);
}

/** An unknown zone name would make Intl throw and the page fail: fall back instead. */
function safeZone(zone: string | null | undefined): string {
  if (!zone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}
