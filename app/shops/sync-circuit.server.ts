import type { Queryable } from "~/db/queryable";
import { retry } from "~/fulfillment/shipment-store.server";
import {
  grants,
  isMet,
  type ScopeRequirement,
} from "~/fulfillment/required-access";
import { READ_ALL_ORDERS } from "./declared-scopes";

/**
 * A circuit per shop. When Shopify refuses the shop's token (401) or a scope (403 /
 * ACCESS_DENIED), retrying its other shipments would only collect the same refusal —
 * and each would turn into a 同期エラー the merchant must clear by hand. Instead the
 * shop's sync is paused: its shipments stay pending (発送済み (未同期)), its queued jobs
 * are skipped by every worker (their flag 'shop:<domain>' is forbidden while paused),
 * and the app shows why. Other shops are untouched. When the shop is authorized again
 * (a fresh token, or the missing scopes granted), the pause is lifted and every
 * pending shipment of the shop is queued again.
 *
 * A scope pause waits for requirements (`missing_access`), each met by ANY ONE of its
 * alternatives (Shopify's requiredAccess lists alternatives), and asks the merchant for
 * one scope per requirement (`missing_scopes`): the one the app declares.
 */
export type PauseReason = "reauth_required" | "missing_scope";

export interface ShopSyncPause {
  reason: PauseReason;
  since: string;
  /** What the merchant is asked to grant: one scope per requirement. */
  missingScopes: string[];
  /** What the pause waits for: each requirement is met by any one of its scopes. */
  missingAccess: ScopeRequirement[];
}

export async function pauseShopSync(
  db: Queryable,
  shop: string,
  reason: PauseReason,
  access: {
    ask: readonly string[];
    requirements: readonly ScopeRequirement[];
  } = { ask: [], requirements: [] },
): Promise<void> {
  await db.query(
    `update shops
        set sync_paused_reason = $2,
            sync_paused_at = coalesce(sync_paused_at, now()),
            missing_scopes = case when $2 = 'missing_scope'
                                  then (select array(select distinct unnest(missing_scopes || $3::text[])))
                                  else missing_scopes end,
            missing_access = case when $2 = 'missing_scope'
                                  then (select coalesce(jsonb_agg(distinct r), '[]'::jsonb)
                                          from jsonb_array_elements(missing_access || $4::jsonb) r)
                                  else missing_access end
      where shop = $1`,
    [shop, reason, [...access.ask], JSON.stringify(access.requirements)],
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
    `update shops set sync_paused_reason = null, sync_paused_at = null, missing_scopes = '{}',
                      missing_access = '[]'
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
 * Resumes a scope pause once every requirement it waits for has one of its alternatives
 * granted (app/scopes_update, a new token). A token pause is left alone: only a new
 * token lifts it.
 */
export async function resumeIfScopesGranted(
  db: Queryable,
  shop: string,
  grantedScopes: readonly string[],
): Promise<number> {
  const pause = await getShopSyncPause(db, shop);
  if (!pause || pause.reason !== "missing_scope") return 0;
  if (!unmetRequirements(pause, grantedScopes).length)
    return resumeShopSync(db, shop);
  return 0;
}

/**
 * The shop's granted scopes changed (app/scopes_update, a new token): a scope pause whose
 * requirements are now met resumes, and once read_all_orders is granted the shipments
 * refused for an order older than 60 days are queued again. Returns how many were queued.
 */
export async function applyGrantedScopes(
  db: Queryable,
  shop: string,
  grantedScopes: readonly string[],
): Promise<number> {
  const resumed = await resumeIfScopesGranted(db, shop, grantedScopes);
  if (!grants(grantedScopes, READ_ALL_ORDERS)) return resumed;
  const tooOld = await db.query<{ id: string }>(
    `select id from shipments where shop = $1 and sync_state = 'failed' and last_error_class = 'order_too_old'`,
    [shop],
  );
  const queued = await retry(
    db,
    shop,
    tooOld.rows.map((row) => Number(row.id)),
  );
  return resumed + queued.length;
}

/** The pause's requirements none of whose alternatives is granted. */
export function unmetRequirements(
  pause: ShopSyncPause,
  grantedScopes: readonly string[],
): ScopeRequirement[] {
  return pause.missingAccess.filter(
    (requirement) => !isMet(grantedScopes, requirement),
  );
}

export async function getShopSyncPause(
  db: Queryable,
  shop: string,
): Promise<ShopSyncPause | null> {
  const result = await db.query<{
    reason: PauseReason;
    since: Date;
    missing_scopes: string[];
    missing_access: ScopeRequirement[];
  }>(
    `select sync_paused_reason as reason, sync_paused_at as since, missing_scopes, missing_access
       from shops where shop = $1 and sync_paused_reason is not null`,
    [shop],
  );
  const row = result.rows[0];
  return row
    ? {
        reason: row.reason,
        since: new Date(row.since).toISOString(),
        missingScopes: row.missing_scopes,
        missingAccess: row.missing_access,
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
