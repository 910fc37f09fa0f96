import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_TIME_ZONE } from "./format-time";

/**
 * The shop's time zone (IANA), as the embedded parent route (routes/app) loaded it from
 * the shop's row: every time a page shows goes through format-time with it.
 * `formatDateTime(iso, locale, { timeZone: useShopTimeZone() })`.
 */
export function useShopTimeZone(): string {
  const data = useRouteLoaderData<{ timeZone?: string | null }>("routes/app");
  return data?.timeZone ?? DEFAULT_TIME_ZONE;
}
