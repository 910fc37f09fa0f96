import type { Queryable } from "~/db/queryable";

/**
 * A circuit per shop. When Shopify refuses the shop's token (401) or a scope (403 /
 * ACCESS_DENIED), retrying its other shipments would only collect the same refusal —
 * and each would turn into a 同期エラー the merchant must clear by hand. Instead the
 * shop's sync is paused: its shipments stay pending (発送済み (未同期)), its queued jobs
 * are skipped by every worker (their flag 'shop:<domain>' is forbidden while paused),
 * and the app shows why. Other shops are untouched. When the shop is authorized again
 * (a fresh token, or the missing scopes granted), the pause is lifted and every
 * pending shipment of the shop is queued again.
 */
export type PauseReason = "reauth_required" | "missing_scope";

export interface ShopSyncPause {
  reason: PauseReason;
  since: string;
  missingScopes: string[];
}

export async function pauseShopSync(
  db: Queryable,
  shop: string,
  reason: PauseReason,
  missingScopes: readonly string[] = [],
): Promise<void> {
  await db.query(
    `update shops
        set sync_paused_reason = $2,
            sync_paused_at = coalesce(sync_paused_at, now()),
            missing_scopes = case when $2 = 'missing_scope'
                                  then (select array(select distinct unnest(missing_scopes || $3::text[])))
                                  else missing_scopes end
      where shop = $1`,
    [shop, reason, [...missingScopes]],
  );
}

/**
 * Lifts the pause and queues the shop's pending shipments again. Returns how many
 * were queued (0 when the shop was not paused).
 */
export async function resumeShopSync(
  db: Queryable,
  shop: string,
): Promise<number> {
  const lifted = await db.query(
    `update shops set sync_paused_reason = null, sync_paused_at = null, missing_scopes = '{}'
      where shop = $1 and sync_paused_reason is not null`,
    [shop],
  );
  if ((lifted.rowCount ?? 0) === 0) return 0;
  const queued = await db.query(
    `select public.enqueue_shipment_sync(shop, id, null)
       from shipments where shop = $1 and sync_state = 'pending'`,
    [shop],
  );
  return queued.rowCount ?? 0;
}

/**
 * Resumes a scope pause once every scope it waits for has been granted (the
 * app/scopes_update webhook). A token pause is left alone: only a new token lifts it.
 */
export async function resumeIfScopesGranted(
  db: Queryable,
  shop: string,
  grantedScopes: readonly string[],
): Promise<number> {
  const pause = await getShopSyncPause(db, shop);
  if (!pause || pause.reason !== "missing_scope") return 0;
  const granted = new Set(grantedScopes);
  // write_X implies read_X, as Shopify grants it.
  const satisfied = (scope: string) =>
    granted.has(scope) ||
    (scope.startsWith("read_") && granted.has(`write_${scope.slice(5)}`));
  if (!pause.missingScopes.every(satisfied)) return 0;
  return resumeShopSync(db, shop);
}

export async function getShopSyncPause(
  db: Queryable,
  shop: string,
): Promise<ShopSyncPause | null> {
  const result = await db.query<{
    reason: PauseReason;
    since: Date;
    missing_scopes: string[];
  }>(
    `select sync_paused_reason as reason, sync_paused_at as since, missing_scopes
       from shops where shop = $1 and sync_paused_reason is not null`,
    [shop],
  );
  const row = result.rows[0];
  return row
    ? {
        reason: row.reason,
        since: new Date(row.since).toISOString(),
        missingScopes: row.missing_scopes,
      }
    : null;
}

/** The queue flags workers must not take: one per paused shop. */
export async function pausedShopFlags(db: Queryable): Promise<string[]> {
  const result = await db.query<{ flag: string }>(
    `select 'shop:' || shop as flag from shops where sync_paused_reason is not null`,
  );
  return result.rows.map((r) => r.flag);
}
