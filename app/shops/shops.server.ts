import type { Queryable } from "~/db/queryable";
import { withTransaction } from "~/db/transaction.server";
import type { Pool } from "pg";

/**
 * The shops table's install lifecycle: written when the app gets a token for a shop,
 * when Shopify says the app was uninstalled, and when the merchant changes the
 * granted scopes. Each function is safe to repeat: webhooks arrive more than once
 * and out of order (an app/scopes_update may even arrive after app/uninstalled).
 */

/**
 * Records that the app holds a token for `shop` (called from the afterAuth hook).
 * A new shop gets a row; a shop that had uninstalled is installed again (new
 * installed_at, uninstalled_at cleared); a shop that is simply re-authenticating
 * keeps its original installed_at.
 */
export async function upsertInstalledShop(
  db: Queryable,
  shop: string,
  grantedScopes: readonly string[],
): Promise<void> {
  await db.query(
    `insert into shops (shop, granted_scopes, installed_at, uninstalled_at)
     values ($1, $2, now(), null)
     on conflict (shop) do update
       set granted_scopes = excluded.granted_scopes,
           installed_at = case when shops.uninstalled_at is null
                               then shops.installed_at else now() end,
           -- A reinstall reads the country again (the shop may have moved).
           country_code = case when shops.uninstalled_at is null
                               then shops.country_code end,
           uninstalled_at = null`,
    [shop, [...grantedScopes]],
  );
}

/**
 * app/uninstalled: the shop's tokens are revoked, so its sessions are deleted and the
 * shop is marked uninstalled, in one transaction. Its shipments stay (the shop may
 * reinstall; shop/redact deletes data for good). A repeat keeps the first
 * uninstalled_at; an unknown shop changes nothing.
 */
export async function markUninstalled(pool: Pool, shop: string): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(`delete from shopify_sessions where shop = $1`, [shop]);
    await client.query(
      `update shops set uninstalled_at = coalesce(uninstalled_at, now()) where shop = $1`,
      [shop],
    );
  });
}

/**
 * app/scopes_update: stores what the merchant has granted now, on the shop and on
 * every stored session of the shop (access scopes belong to the installation, so
 * offline and online tokens alike carry the new set), in one transaction.
 * An unknown shop changes nothing.
 */
export async function updateGrantedScopes(
  pool: Pool,
  shop: string,
  grantedScopes: readonly string[],
): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(`update shops set granted_scopes = $2 where shop = $1`, [
      shop,
      [...grantedScopes],
    ]);
    await client.query(
      `update shopify_sessions set scope = $2 where shop = $1`,
      [shop, grantedScopes.join(",")],
    );
  });
}

/** Splits a session's `scope` string ("read_orders,write_…") into scope names. */
export function parseScopes(scope: string | undefined | null): string[] {
  return (scope ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}
