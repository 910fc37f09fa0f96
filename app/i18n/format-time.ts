import type { Locale } from "./locale";

/**
 * The one date and time formatter. Times are shown in the shop's time zone (Shopify's
 * Shop.ianaTimezone, stored on `shops.iana_timezone`) and say which it is: the label is
 * Intl's short name for that zone at that instant — 「JST」, "EST" / "EDT", or an offset
 * such as "GMT-5" where the language has no name for the zone — so staff in another zone
 * never read a shop time as theirs, and each date gets the label of its own side of a
 * daylight-saving change.
 *
 * Every caller passes the zone (pages: `useShopTimeZone()`, from the app layout's loader).
 * A shop whose zone is not known yet (installed before the app read it) gets
 * DEFAULT_TIME_ZONE, still labelled. One zone for the server's render and the browser's
 * keeps them alike (no hydration mismatch).
 */
export const DEFAULT_TIME_ZONE = "Asia/Tokyo";

export interface TimeZoneOption {
  /** IANA name (e.g. "America/New_York"); null/undefined or unknown → DEFAULT_TIME_ZONE. */
  timeZone: string | null | undefined;
}

const INTL_LOCALE: Record<Locale, string> = { ja: "ja-JP", en: "en-US" };
const intlLocale = (locale: Locale) => INTL_LOCALE[locale];

/** "2026/12/02 10:09 JST", "12/01/2026, 08:09 PM EST". */
export function formatDateTime(
  iso: string | null | undefined,
  locale: Locale,
  options: TimeZoneOption & { seconds?: boolean },
): string {
  return format(
    iso,
    locale,
    options.timeZone,
    options.seconds ? "dateTimeSeconds" : "dateTime",
  );
}

/** A date alone (no time, so no zone label), in the shop's time zone. */
export function formatDate(
  iso: string | null | undefined,
  locale: Locale,
  options: TimeZoneOption,
): string {
  return format(iso, locale, options.timeZone, "date");
}

/** Whether Intl knows `zone` as a time zone (what the app stores from Shopify). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const PARTS = {
  date: {},
  dateTime: { hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
  dateTimeSeconds: {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "short",
  },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** Formatters are costly to build and a page formats many times in one zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function format(
  iso: string | null | undefined,
  locale: Locale,
  zone: string | null | undefined,
  kind: keyof typeof PARTS,
): string {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return "—";
  return formatter(locale, safeZone(zone), kind).format(date);
}

function formatter(
  locale: Locale,
  zone: string,
  kind: keyof typeof PARTS,
): Intl.DateTimeFormat {
  const key = `${locale} ${zone} ${kind}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(intlLocale(locale), {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      ...PARTS[kind],
    });
    formatters.set(key, made);
  }
  return made;
}

const knownZones = new Set<string>();

/** An unknown zone name would make Intl throw and the page fail: fall back instead. */
function safeZone(zone: string | null | undefined): string {
  if (!zone) return DEFAULT_TIME_ZONE;
  if (knownZones.has(zone)) return zone;
  if (!isTimeZone(zone)) return DEFAULT_TIME_ZONE;
  knownZones.add(zone);
  return zone;
}
