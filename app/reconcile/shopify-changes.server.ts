import type { Pool, PoolClient } from "pg";
import type { Queryable } from "~/db/queryable";
import { withTransaction } from "~/db/transaction.server";
import { cancelAttempted } from "~/fulfillment/attempt-log.server";
import { message, t } from "~/i18n/messages";
import {
  adoptFromShopify,
  settleFromShopify,
  stopForCancelledOrder,
  takeOverTracking,
} from "~/fulfillment/shipment-store.server";
import { retrySync } from "~/shipments/shipment-commands.server";
import {
  decideRepair,
  isDead,
  type DriftRepair,
  type FulfillmentSnapshot,
  type LinkedShipment,
} from "./fulfillment-snapshot";
import { addShipmentNote, type NoteSource } from "./notes.server";

/**
 * Changes made in Shopify, applied to shipments. The webhooks (fulfillments/*,
 * orders/cancelled, fulfillment_orders/*) and the reconcile job call the same functions.
 *
 * Never racing the sync: every change locks the shipment row and applies only to the
 * state it read (sync_state, revision), and bumps `revision`, so a sync run in flight
 * for the same shipment records what Shopify answered but cannot overwrite the repair.
 * No function here calls Shopify.
 */

export type FulfillmentChangeOutcome =
  | {
      kind: "repaired";
      shipmentId: number;
      repair: Exclude<DriftRepair["kind"], "none">;
      /** take_tracking: the tracking numbers before and after. */
      before?: string[];
      after?: string[];
    }
  | { kind: "adopted"; shipmentId: number }
  | { kind: "noted"; shipmentIds: number[] }
  | { kind: "unchanged"; shipmentId?: number; reason: string };

interface ShipmentRow {
  id: string;
  order_id: string;
  status: LinkedShipment["status"];
  sync_state: LinkedShipment["syncState"];
  pending_operation: LinkedShipment["pendingOperation"];
  tracking_numbers: string[];
  carrier: string | null;
  tracking_url: string | null;
  revision: number;
  shopify_fulfillment_id: string | null;
}

/**
 * A fulfillment as Shopify reports it now (fulfillments/create or fulfillments/update,
 * or the reconcile job's read) applied to the shop's shipments:
 * - the shipment linked to it is repaired as `decideRepair` says (cancelled in Shopify
 *   admin → unshipped with a note; tracking edited there → taken over, with a note);
 * - a live fulfillment no shipment is linked to (made in Shopify admin) is adopted by
 *   the one unshipped shipment of the order with exactly its lines and units, or, when
 *   none matches exactly, noted on the unshipped shipments sharing its lines. Nothing is
 *   adopted while a create of the order may be in flight (it may be our own).
 */
export async function applyFulfillmentChange(
  pool: Pool,
  shop: string,
  fulfillment: FulfillmentSnapshot,
  source: NoteSource,
): Promise<FulfillmentChangeOutcome> {
  return withTransaction(pool, async (tx) => {
    const linked = await tx.query<ShipmentRow>(
      `select id, order_id, status, sync_state, pending_operation, tracking_numbers, carrier,
              tracking_url, revision, shopify_fulfillment_id
         from shipments where shop = $1 and shopify_fulfillment_id = $2 for update`,
      [shop, fulfillment.id],
    );
    const row = linked.rows[0];
    if (row) return repairLinked(tx, shop, row, fulfillment, source);
    if (isDead(fulfillment.status) || !fulfillment.orderId) {
      return {
        kind: "unchanged",
        reason: "no shipment is linked to this fulfillment",
      };
    }
    return adoptOrNote(
      tx,
      shop,
      { ...fulfillment, orderId: fulfillment.orderId },
      source,
    );
  });
}

/**
 * The reconcile job found no fulfillment in Shopify for a shipment that is linked to
 * one (deleted, or never what we thought): repaired as a cancellation.
 */
export async function applyMissingFulfillment(
  pool: Pool,
  shop: string,
  shipmentId: number,
  fulfillmentId: string,
  source: NoteSource,
): Promise<FulfillmentChangeOutcome> {
  return withTransaction(pool, async (tx) => {
    const linked = await tx.query<ShipmentRow>(
      `select id, order_id, status, sync_state, pending_operation, tracking_numbers, carrier,
              tracking_url, revision, shopify_fulfillment_id
         from shipments where shop = $1 and id = $2 and shopify_fulfillment_id = $3 for update`,
      [shop, shipmentId, fulfillmentId],
    );
    const row = linked.rows[0];
    if (!row)
      return { kind: "unchanged", reason: "the shipment changed meanwhile" };
    return repairLinked(tx, shop, row, null, source);
  });
}

async function repairLinked(
  tx: PoolClient,
  shop: string,
  row: ShipmentRow,
  fulfillment: FulfillmentSnapshot | null,
  source: NoteSource,
): Promise<FulfillmentChangeOutcome> {
  const shipmentId = Number(row.id);
  const cancelledByApp =
    row.shopify_fulfillment_id !== null &&
    (await cancelAttempted(tx, shop, shipmentId, row.shopify_fulfillment_id));
  const repair = decideRepair(
    {
      status: row.status,
      syncState: row.sync_state,
      pendingOperation: row.pending_operation,
      trackingNumbers: row.tracking_numbers,
      carrier: row.carrier,
      trackingUrl: row.tracking_url,
    },
    fulfillment,
    cancelledByApp,
  );
  switch (repair.kind) {
    case "none":
      return {
        kind: "unchanged",
        shipmentId,
        reason: "Shopify agrees, or a newer change is pending",
      };
    case "cancel_settled":
    case "revert_to_unshipped": {
      await settleFromShopify(tx, {
        shop,
        id: shipmentId,
        revision: row.revision,
      });
      if (repair.kind === "revert_to_unshipped") {
        await addShipmentNote(tx, {
          shop,
          orderId: row.order_id,
          shipmentId,
          kind: fulfillment
            ? "fulfillment_cancelled_in_shopify"
            : "fulfillment_missing_in_shopify",
          source,
          details: {
            fulfillmentId: row.shopify_fulfillment_id,
            status: fulfillment?.status ?? null,
            trackingNumbers: row.tracking_numbers,
            carrier: row.carrier,
            droppedOperation: repair.droppedOperation,
          },
        });
      }
      return { kind: "repaired", shipmentId, repair: repair.kind };
    }
    case "take_tracking": {
      await takeOverTracking(
        tx,
        { shop, id: shipmentId, revision: row.revision },
        repair,
      );
      await addShipmentNote(tx, {
        shop,
        orderId: row.order_id,
        shipmentId,
        kind: "tracking_changed_in_shopify",
        source,
        details: {
          fulfillmentId: row.shopify_fulfillment_id,
          before: row.tracking_numbers,
          after: repair.trackingNumbers,
          carrierBefore: row.carrier,
          carrierAfter: repair.carrier,
          urlsInShopify: repair.urlsInShopify,
        },
      });
      return {
        kind: "repaired",
        shipmentId,
        repair: "take_tracking",
        before: row.tracking_numbers,
        after: repair.trackingNumbers,
      };
    }
  }
}

async function adoptOrNote(
  tx: PoolClient,
  shop: string,
  fulfillment: FulfillmentSnapshot & { orderId: string },
  source: NoteSource,
): Promise<FulfillmentChangeOutcome> {
  // Our own create may be in flight or its answer lost: the sync adopts its own
  // fulfillment (reconcile-first), so a webhook must not give it to another shipment.
  const ours = await tx.query(
    `select 1 from shipments s
      where s.shop = $1 and s.order_id = $2 and s.shopify_fulfillment_id is null
        and s.sync_state <> 'in_sync' and s.pending_operation in ('create_fulfillment', 'update_tracking')
     union all
     select 1 from sync_attempts a
      where a.shop = $1 and a.fulfillment_id = $3
     limit 1`,
    [shop, fulfillment.orderId, fulfillment.id],
  );
  if ((ours.rowCount ?? 0) > 0) {
    return {
      kind: "unchanged",
      reason: "a create of this order may be the app's own",
    };
  }

  const candidates = await tx.query<
    ShipmentRow & { lines: { lineItemId: string; quantity: number }[] }
  >(
    `select s.id, s.order_id, s.status, s.sync_state, s.pending_operation, s.tracking_numbers,
            s.carrier, s.tracking_url, s.revision, s.shopify_fulfillment_id,
            coalesce((select json_agg(json_build_object('lineItemId', li.line_item_id,
                                                        'quantity', sli.quantity))
                        from shipment_line_items sli join line_items li on li.id = sli.line_item_id
                       where sli.shipment_id = s.id), '[]'::json) as lines
       from shipments s
      where s.shop = $1 and s.order_id = $2 and s.status = 'unshipped'
        and s.sync_state = 'in_sync' and s.shopify_fulfillment_id is null
      order by s.id
      for update of s`,
    [shop, fulfillment.orderId],
  );
  const want = quantities(fulfillment.lines);
  const exact = candidates.rows.filter((c) =>
    sameQuantities(quantities(c.lines), want),
  );
  if (exact.length === 1) {
    const row = exact[0]!;
    const numbers = [
      ...new Set(
        fulfillment.tracking
          .map((t) => t.number?.trim() ?? "")
          .filter((n) => n !== ""),
      ),
    ];
    const carrier =
      fulfillment.tracking.find((t) => t.company)?.company ?? null;
    // Shopify's links are not the merchant's: the shipment keeps no URL (see decideRepair).
    await adoptFromShopify(
      tx,
      { shop, id: Number(row.id), revision: row.revision },
      {
        id: fulfillment.id,
        trackingNumbers: numbers,
        carrier,
        trackingUrl: null,
      },
    );
    await addShipmentNote(tx, {
      shop,
      orderId: row.order_id,
      shipmentId: Number(row.id),
      kind: "fulfilled_in_shopify",
      source,
      details: {
        fulfillmentId: fulfillment.id,
        trackingNumbers: numbers,
        carrier,
        urlsInShopify: fulfillment.tracking.flatMap((t) =>
          t.url ? [t.url] : [],
        ),
      },
    });
    return { kind: "adopted", shipmentId: Number(row.id) };
  }

  const lineIds = new Set(fulfillment.lines.map((l) => l.lineItemId));
  const overlapping = candidates.rows.filter((c) =>
    c.lines.some((l) => lineIds.has(l.lineItemId)),
  );
  const noted: number[] = [];
  for (const row of overlapping) {
    const already = await tx.query(
      `select 1 from shipment_notes
        where shop = $1 and shipment_id = $2 and kind = 'lines_fulfilled_in_shopify'
          and details->>'fulfillmentId' = $3`,
      [shop, Number(row.id), fulfillment.id],
    );
    if ((already.rowCount ?? 0) > 0) continue;
    await addShipmentNote(tx, {
      shop,
      orderId: row.order_id,
      shipmentId: Number(row.id),
      kind: "lines_fulfilled_in_shopify",
      source,
      details: { fulfillmentId: fulfillment.id, lines: fulfillment.lines },
    });
    noted.push(Number(row.id));
  }
  return noted.length > 0
    ? { kind: "noted", shipmentIds: noted }
    : { kind: "unchanged", reason: "no unshipped shipment has these lines" };
}

// ---------------------------------------------------------------------------
// Orders cancelled in Shopify
// ---------------------------------------------------------------------------

/**
 * The order was cancelled in Shopify: every pending sync of its shipments stops
 * (sync_state failed, class invalid, with a message saying why) and its queued job is
 * removed. Nothing is sent to Shopify — a create or cancel on a cancelled order would be
 * refused anyway. Each stopped shipment gets a note. Returns the ids stopped.
 */
export async function stopPendingSyncsForCancelledOrder(
  db: Queryable,
  shop: string,
  orderId: string,
  orderName: string,
  source: NoteSource,
): Promise<number[]> {
  const detail = message("fulfillment.problems.orderCancelledStopped", { order: orderName });
  const stopped = await stopForCancelledOrder(db, shop, orderId, t("en", detail), detail);
  const ids = stopped.map((r) => r.id);
  if (ids.length === 0) return [];
  // The queued jobs would find nothing pending; removing them keeps the queue clean.
  // (Checked first: a database without the queue's schema — the seed — has none.)
  const queue = await db.query<{ ok: boolean }>(
    `select to_regnamespace('graphile_worker') is not null as ok`,
  );
  if (queue.rows[0]?.ok) {
    await db.query(
      `select graphile_worker.remove_job('sync-shipment:' || id) from unnest($1::bigint[]) as id`,
      [ids],
    );
  }
  for (const row of stopped) {
    await addShipmentNote(db, {
      shop,
      orderId,
      shipmentId: row.id,
      kind: "order_cancelled_in_shopify",
      source,
      details: { stoppedOperation: row.pendingOperation },
    });
  }
  return ids;
}

// ---------------------------------------------------------------------------
// Fulfillment orders changed in Shopify
// ---------------------------------------------------------------------------

/**
 * A fulfillment order of the order changed in Shopify (hold released, moved, split,
 * merged, cancelled with a replacement). The app stores no fulfillment order ids: every
 * sync reads the order's fulfillment orders afresh, so a moved or split FO is re-mapped
 * at the next sync by itself. What is worth doing now: shipments of the order whose
 * sync gave up because an FO could not take a fulfillment (class `invalid`) are retried,
 * since the FO that blocked them may be gone. A cancelled order is left alone.
 * Returns the ids queued again.
 */
export async function retryAfterFulfillmentOrderChange(
  pool: Pool,
  shop: string,
  orderId: string,
): Promise<number[]> {
  const failed = await pool.query<{ id: string }>(
    `select s.id from shipments s
      where s.shop = $1 and s.order_id = $2 and s.sync_state = 'failed'
        and s.last_error_class = 'invalid'
        and s.pending_operation in ('create_fulfillment', 'update_tracking')
        and not exists (select 1 from orders o where o.shop = s.shop and o.order_id = s.order_id
                                                 and o.cancelled_at is not null)`,
    [shop, orderId],
  );
  if (failed.rows.length === 0) return [];
  return retrySync(
    pool,
    shop,
    failed.rows.map((r) => Number(r.id)),
  );
}

function quantities(
  lines: readonly { lineItemId: string; quantity: number }[],
): Map<string, number> {
  const map = new Map<string, number>();
  for (const l of lines)
    map.set(l.lineItemId, (map.get(l.lineItemId) ?? 0) + l.quantity);
  for (const [k, v] of map) if (v === 0) map.delete(k);
  return map;
}

function sameQuantities(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
): boolean {
  return (
    a.size > 0 && a.size === b.size && [...a].every(([k, v]) => b.get(k) === v)
  );
}
