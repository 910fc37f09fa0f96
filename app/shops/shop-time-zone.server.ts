import type { Queryable } from "~/db/queryable";
import { DEFAULT_TIME_ZONE, isTimeZone } from "~/i18n/format-time";
import {
  adminGraphql,
  type AdminApiSession,
} from "~/shopify/admin-graphql.server";
import { SHOP_TIME_ZONE_QUERY } from "~/shopify/documents";

/**
 * The shop's time zone, in which every page shows its times (~/i18n/format-time): stored
 * on `shops.iana_timezone`, read from Shopify (Shop.ianaTimezone, no scope, 1 point) each
 * time the app gets a token for the shop (the afterAuth hook: install, reinstall, a new
 * token exchange). Null until then (shops installed before the app read it): pages use
 * Asia/Tokyo.
 *
 * A shop installed before the app read zones gets its zone on the first page it opens
 * (`shopTimeZone`), not at its next token exchange: a shop whose token the worker keeps
 * fresh may not exchange one for months.
 *
 * When the merchant changes it in Shopify, shop/update (shopify.app.toml) has it read
 * again (`shopUpdated`).
 */

/** An IANA name (Area/Location, or one word such as UTC), as the column's check takes it. */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** Whether `zone` is a name worth storing: IANA-shaped, known to Intl, at most 64 characters. */
export function isStorableTimeZone(zone: unknown): zone is string {
  return (
    typeof zone === "string" &&
    zone.length <= 64 &&
    IANA_NAME.test(zone) &&
    isTimeZone(zone)
  );
}

/**
 * Reads the shop's zone from Shopify and stores it. Returns what was stored, or null when
 * Shopify did not answer with a usable zone: the stored one (if any) is kept, and
 * installing never fails for want of a time zone.
 */
export async function refreshShopTimeZone(
  db: Queryable,
  session: AdminApiSession,
): Promise<string | null> {
  let zone: unknown;
  try {
    const read = await adminGraphql(session, SHOP_TIME_ZONE_QUERY, {
      isMutation: false,
      timeoutMs: 3_000,
    });
    zone = read.data?.shop?.ianaTimezone;
  } catch (error) {
    console.warn(
      `shop time zone: Shopify did not answer for ${session.shop}; keeping the stored zone`,
      error instanceof Error ? error.message : error,
    );
    return null;
  }
  if (!isStorableTimeZone(zone)) {
    console.warn(
      `shop time zone: ${session.shop} answered an unusable zone ${JSON.stringify(zone)}`,
    );
    return null;
  }
  await db.query(`update shops set iana_timezone = $2 where shop = $1`, [
    session.shop,
    zone,
  ]);
  return zone;
}

/** What is stored, without asking Shopify (loaders and the sync use this). */
export async function storedShopTimeZone(
  db: Queryable,
  shop: string,
): Promise<string | null> {
  const result = await db.query<{ iana_timezone: string | null }>(
    `select iana_timezone from shops where shop = $1`,
    [shop],
  );
  return result.rows[0]?.iana_timezone ?? null;
}

/**
 * The zone a page shows its times in: the stored one, else read from Shopify once and
 * stored (an install older than this column), else DEFAULT_TIME_ZONE for this page only,
 * so the read is tried again on the next one.
 */
export async function shopTimeZone(
  db: Queryable,
  session: { shop: string; accessToken?: string },
): Promise<string> {
  const stored = await storedShopTimeZone(db, session.shop);
  if (stored) return stored;
  const read = session.accessToken
    ? await refreshShopTimeZone(db, {
        shop: session.shop,
        accessToken: session.accessToken,
      })
    : null;
  return read ?? DEFAULT_TIME_ZONE;
}

/**
 * shop/update: read the zone again with the shop's offline token. The payload's own zone
 * field is not relied on (Shopify's webhook reference is not at hand to confirm it): one
 * 1-point query says what Shopify holds now. Throws when Shopify cannot tell just then, so
 * the delivery fails and Shopify delivers it again.
 */
export async function shopUpdated(
  db: Queryable,
  shop: string,
  loadSession: (shop: string) => Promise<AdminApiSession | null>,
): Promise<{ kind: "stored"; zone: string } | { kind: "not_installed" }> {
  const session = await loadSession(shop);
  if (!session) return { kind: "not_installed" };
  const zone = await refreshShopTimeZone(db, session);
  if (!zone) throw new ShopTimeZoneUnreadError(shop);
  return { kind: "stored", zone };
}

export class ShopTimeZoneUnreadError extends Error {
  constructor(readonly shop: string) {
    super(`Shopify did not tell ${shop}'s time zone; the delivery is left for Shopify to retry`);
  }
}
