import type { Pool } from "pg";
import type { Queryable } from "~/db/queryable";
import { withTransaction } from "~/db/transaction.server";
import { shipmentFilterSql, type ShipmentFilters } from "./shipment-list.server";

/**
 * What operators ask for, written to the database. Each command leaves the shipment in
 * a state that says exactly what Shopify still has to hear (sync_state = 'pending' with
 * its pending_operation) and bumps `revision`, so a sync already in flight cannot
 * overwrite a newer request. The calls to Shopify happen in ~/fulfillment/sync.server.
 */
export interface TrackingDetails {
  trackingNumbers: string[];
  /** Shopify's exact company name when known (see ~/fulfillment/carriers), else as typed. */
  carrier: string | null;
  trackingUrl: string | null;
  notifyCustomer: boolean;
}

/**
 * When the caller will try the sync itself right after the command (a route action),
 * the queued job waits this long as a safety net instead of racing it.
 */
export interface CommandOptions {
  inlineGraceSeconds?: number;
}

async function setInlineGrace(tx: Queryable, options: CommandOptions) {
  if (options.inlineGraceSeconds && options.inlineGraceSeconds > 0) {
    await tx.query("select set_config('app.inline_sync_grace', $1, true)", [
      `${Math.round(options.inlineGraceSeconds)} seconds`,
    ]);
  }
}

export type CommandResult =
  | { ok: true; pendingOperation: string | null }
  | { ok: false; reason: "not_found" | "already_unshipped" | "not_shipped" };

/**
 * 「発送済みにする」, or a tracking correction when the shipment is already shipped:
 * - unshipped → shipped, a fulfillment to create;
 * - shipped and known to Shopify → the tracking is updated on the existing fulfillment
 *   (no cancel, so the customer keeps one fulfillment);
 * - shipped with a create still pending → the pending create sends the new tracking.
 */
export async function markShipped(
  pool: Pool,
  shop: string,
  shipmentId: number,
  tracking: TrackingDetails,
  options: CommandOptions = {},
): Promise<CommandResult> {
  return withTransaction(pool, async (tx) => {
    await setInlineGrace(tx, options);
    const current = await tx.query<{
      status: string;
      shopify_fulfillment_id: string | null;
      pending_operation: string | null;
    }>(
      `select status, shopify_fulfillment_id, pending_operation
         from shipments where shop = $1 and id = $2 for update`,
      [shop, shipmentId],
    );
    const row = current.rows[0];
    if (!row) return { ok: false, reason: "not_found" } as const;

    let operation: "create_fulfillment" | "update_tracking";
    if (row.status === "unshipped") {
      // A revert still waiting to cancel the old fulfillment: re-shipping must not
      // stack a second fulfillment on top of it, so correct the old one instead.
      operation =
        row.pending_operation === "cancel_fulfillment" && row.shopify_fulfillment_id
          ? "update_tracking"
          : "create_fulfillment";
    } else if (row.shopify_fulfillment_id) {
      operation = "update_tracking";
    } else {
      operation = "create_fulfillment";
    }

    await tx.query(
      `update shipments
          set status = 'shipped',
              shipped_at = coalesce(shipped_at, now()),
              tracking_numbers = $3,
              carrier = $4,
              tracking_url = $5,
              notify_customer = $6,
              sync_state = 'pending',
              pending_operation = $7,
              sync_attempts = 0,
              next_retry_at = null,
              last_error_class = null,
              last_error_message = null,
              revision = revision + 1
        where shop = $1 and id = $2`,
      [
        shop,
        shipmentId,
        tracking.trackingNumbers,
        tracking.carrier,
        tracking.trackingUrl,
        tracking.notifyCustomer,
        operation,
      ],
    );
    return { ok: true, pendingOperation: operation } as const;
  });
}

/**
 * 「未発送に戻す」. When something may exist in Shopify — a known fulfillment, or a create
 * that was attempted and whose answer may have been lost — the revert becomes a pending
 * cancel (the sync finds the fulfillment first). Only a shipment no call ever left for
 * goes straight back to unshipped.
 */
export async function revertShipment(
  pool: Pool,
  shop: string,
  shipmentId: number,
  options: CommandOptions = {},
): Promise<CommandResult> {
  return withTransaction(pool, async (tx) => {
    await setInlineGrace(tx, options);
    const current = await tx.query<{
      status: string;
      shopify_fulfillment_id: string | null;
      shipped_at: Date | null;
      create_attempted: boolean;
    }>(
      `select s.status, s.shopify_fulfillment_id, s.shipped_at,
              exists (select 1 from sync_attempts a
                       where a.shipment_id = s.id and a.operation = 'create_fulfillment'
                         and a.started_at >= s.shipped_at
                         and a.outcome is distinct from 'failed') as create_attempted
         from shipments s where s.shop = $1 and s.id = $2 for update`,
      [shop, shipmentId],
    );
    const row = current.rows[0];
    if (!row) return { ok: false, reason: "not_found" } as const;
    if (row.status === "unshipped") return { ok: false, reason: "already_unshipped" } as const;

    const mayExistInShopify = Boolean(row.shopify_fulfillment_id) || row.create_attempted;
    await tx.query(
      `update shipments
          set status = 'unshipped',
              shipped_at = null,
              sync_state = $3::sync_state,
              pending_operation = $4::sync_operation,
              sync_attempts = 0,
              next_retry_at = null,
              last_error_class = null,
              last_error_message = null,
              synced_at = case when $3 = 'in_sync' then now() else synced_at end,
              revision = revision + 1
        where shop = $1 and id = $2`,
      [
        shop,
        shipmentId,
        mayExistInShopify ? "pending" : "in_sync",
        mayExistInShopify ? "cancel_fulfillment" : null,
      ],
    );
    return {
      ok: true,
      pendingOperation: mayExistInShopify ? "cancel_fulfillment" : null,
    } as const;
  });
}

/**
 * Manual retry, for one shipment, a bulk selection (`ids`) or every shipment matching
 * the index table's filter: failed or waiting shipments go back to pending now with a
 * fresh attempt budget. Shipments in sync are left alone; ids of other shops are
 * ignored (the filter always includes the shop). Returns the ids queued.
 */
export async function retryMatching(
  db: Queryable,
  shop: string,
  filters: ShipmentFilters,
  ids?: number[],
): Promise<number[]> {
  const { where, params } = shipmentFilterSql(shop, filters);
  let idClause = "";
  if (ids) {
    if (ids.length === 0) return [];
    params.push(ids);
    idClause = ` and s.id = any($${params.length}::bigint[])`;
  }
  const result = await db.query<{ id: string }>(
    `update shipments s
        set sync_state = 'pending',
            pending_operation = coalesce(s.pending_operation,
              case when s.status = 'shipped' then 'create_fulfillment'::sync_operation
                   else 'cancel_fulfillment'::sync_operation end),
            sync_attempts = 0,
            next_retry_at = null,
            revision = s.revision + 1
      where ${where}${idClause} and s.sync_state <> 'in_sync'
      returning s.id`,
    params,
  );
  return result.rows.map((r) => Number(r.id));
}

/** Manual retry of given shipments; with inlineGraceSeconds the caller syncs them itself first. */
export async function retrySync(
  pool: Pool,
  shop: string,
  shipmentIds: number[],
  options: CommandOptions = {},
): Promise<number[]> {
  return withTransaction(pool, async (tx) => {
    await setInlineGrace(tx, options);
    return retryMatching(tx, shop, {}, shipmentIds);
  });
}
