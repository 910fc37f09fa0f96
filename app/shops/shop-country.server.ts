import type { Pool } from "pg";
import type { Queryable } from "~/db/queryable";
import {
  adminGraphql,
  type AdminApiSession,
} from "~/shopify/admin-graphql.server";
import { SHOP_COUNTRY_QUERY } from "~/shopify/documents";

/**
 * The shop's country for the carrier normaliser: stored on `shops.country_code`, read
 * from Shopify (Shop.shopAddress.countryCodeV2, 1 point) the first time it is needed and
 * after a reinstall. Null when it cannot be known now (no session, Shopify unavailable or
 * refusing): carrier names then fall back to the global list first.
 */
export async function shopCountryCode(
  pool: Pool,
  shop: string,
  loadSession: (shop: string) => Promise<AdminApiSession | null>,
): Promise<string | null> {
  const stored = await storedShopCountryCode(pool, shop);
  if (stored) return stored;
  const session = await loadSession(shop);
  if (!session) return null;
  try {
    const read = await adminGraphql(session, SHOP_COUNTRY_QUERY, {
      isMutation: false,
      timeoutMs: 3_000,
    });
    const code = read.data.shop.shopAddress.countryCodeV2;
    if (!code || !/^[A-Z]{2}$/.test(code)) return null;
    await pool.query(`update shops set country_code = $2 where shop = $1`, [
      shop,
      code,
    ]);
    return code;
  } catch {
    // A page, an import or a sync must not fail for want of the country.
    return null;
  }
}

/** What is stored, without asking Shopify (the sync worker uses this). */
export async function storedShopCountryCode(
  pool: Queryable,
  shop: string,
): Promise<string | null> {
  const result = await pool.query<{ country_code: string | null }>(
    `select country_code from shops where shop = $1`,
    [shop],
  );
  return result.rows[0]?.country_code ?? null;
}
