import type { Pool } from "pg";
import type { Queryable } from "~/db/queryable";
import { withTransaction } from "~/db/transaction.server";
import type { CommandResult, TrackingDetails } from "~/fulfillment/shipment-state";
import * as store from "~/fulfillment/shipment-store.server";
import { shipmentFilterSql, type ShipmentFilters } from "./shipment-list.server";

/**
 * What operators ask for: each command is one transition of ~/fulfillment/shipment-store
 * in its own transaction. The transition leaves the shipment saying exactly what
 * Shopify still has to hear (pending with its operation) and bumps `revision`, so a
 * sync already in flight cannot overwrite a newer request. The calls to Shopify happen
 * in ~/sync/sync.server.
 */
export type { CommandResult, TrackingDetails };

/**
 * When the caller will try the sync itself right after the command (a route action),
 * the queued job waits this long as a safety net instead of racing it.
 */
export interface CommandOptions {
  inlineGraceSeconds?: number;
}

/** 「発送済みにする」, or a tracking correction when the shipment is already shipped. */
export async function markShipped(
  pool: Pool,
  shop: string,
  shipmentId: number,
  tracking: TrackingDetails,
  options: CommandOptions = {},
): Promise<CommandResult> {
  return withTransaction(pool, async (tx) => {
    await store.setInlineSyncGrace(tx, options.inlineGraceSeconds);
    return store.markShipped(tx, shop, shipmentId, tracking);
  });
}

/** 「未発送に戻す」. */
export async function revertShipment(
  pool: Pool,
  shop: string,
  shipmentId: number,
  options: CommandOptions = {},
): Promise<CommandResult> {
  return withTransaction(pool, async (tx) => {
    await store.setInlineSyncGrace(tx, options.inlineGraceSeconds);
    return store.revert(tx, shop, shipmentId);
  });
}

/**
 * Manual retry, for a bulk selection (`ids`) or every shipment matching the index
 * table's filter. Ids of other shops are ignored (the filter always includes the shop).
 * Returns the ids queued.
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
  const matching = await db.query<{ id: string }>(
    `select s.id from shipments s where ${where}${idClause} and s.sync_state <> 'in_sync'`,
    params,
  );
  return store.retry(db, shop, matching.rows.map((r) => Number(r.id)));
}

/** Manual retry of given shipments; with inlineGraceSeconds the caller syncs them itself first. */
export async function retrySync(
  pool: Pool,
  shop: string,
  shipmentIds: number[],
  options: CommandOptions = {},
): Promise<number[]> {
  return withTransaction(pool, async (tx) => {
    await store.setInlineSyncGrace(tx, options.inlineGraceSeconds);
    return store.retry(tx, shop, shipmentIds);
  });
}
