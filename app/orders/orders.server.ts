import { isTimestampKey } from "~/db/keyset";
import { decodeKeysetCursor, encodeKeysetCursor } from "~/db/keyset-cursor.server";
import type { ShipmentStatus, SyncState } from "~/fulfillment/shipment-state";
import { createShipments, renameOrder } from "~/fulfillment/shipment-store.server";
import type { Pool, PoolClient } from "pg";
import type { Queryable } from "~/db/queryable";
import { withTransaction } from "~/db/transaction.server";
import { shippableLines, type OrderSnapshot } from "./order-snapshot";

/**
 * Orders and their lines in the database, always scoped by shop. Written by the orders/*
 * webhooks and by the backfill (one upsert for both), read by the orders pages.
 */

export type UpsertOrderResult =
  | {
      kind: "stored";
      /** Lines inserted or updated. */
      lines: number;
      /** Lines removed from the order in Shopify and dropped here (none of our shipments had them). */
      removedLines: number;
      /** Lines removed in Shopify that a shipment still names: kept, the sync will report them. */
      keptRemovedLines: number;
    }
  | { kind: "unknown_shop" }
  | { kind: "stale" };

/**
 * Stores an order and its lines, in one transaction.
 *
 * - A shop the app does not know (never installed, or redacted) or that uninstalled the
 *   app stores nothing: `unknown_shop`.
 * - Deliveries arrive out of order: a snapshot older than the stored one (Shopify's
 *   updated_at) changes nothing (`stale`). Equal timestamps are applied (a redelivery is
 *   harmless: the upsert is idempotent).
 * - Lines are matched by Shopify's line item id. A line no longer on the order (current
 *   quantity 0) or not needing shipping is deleted unless a shipment names it, in which
 *   case it is kept and the shipment's next sync reports the problem.
 * - The order's name follows Shopify on its shipments too.
 */
export async function upsertOrder(
  pool: Pool,
  shop: string,
  order: OrderSnapshot,
): Promise<UpsertOrderResult> {
  return withTransaction(pool, (tx) => upsertOrderIn(tx, shop, order));
}

/** upsertOrder inside the caller's transaction (the backfill stores a page in one). */
export async function upsertOrderIn(
  tx: PoolClient,
  shop: string,
  order: OrderSnapshot,
): Promise<UpsertOrderResult> {
  const known = await tx.query(
    `select 1 from shops where shop = $1 and uninstalled_at is null for share`,
    [shop],
  );
  if ((known.rowCount ?? 0) === 0) return { kind: "unknown_shop" };

  const stored = await tx.query(
    `insert into orders (shop, order_id, order_name, shopify_created_at, shopify_updated_at,
                         cancelled_at, closed_at)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (shop, order_id) do update
       set order_name = excluded.order_name,
           shopify_created_at = coalesce(excluded.shopify_created_at, orders.shopify_created_at),
           shopify_updated_at = coalesce(excluded.shopify_updated_at, orders.shopify_updated_at),
           cancelled_at = excluded.cancelled_at,
           closed_at = excluded.closed_at
       where orders.shopify_updated_at is null
          or excluded.shopify_updated_at is null
          or excluded.shopify_updated_at >= orders.shopify_updated_at
     returning order_id`,
    [
      shop,
      order.orderId,
      order.name,
      order.createdAt,
      order.updatedAt,
      order.cancelledAt,
      order.closedAt,
    ],
  );
  if ((stored.rowCount ?? 0) === 0) return { kind: "stale" };

  const keep = shippableLines(order);
  if (keep.length > 0) {
    await tx.query(
      `insert into line_items (shop, order_id, order_name, line_item_id, sku, title, quantity, vendor)
       select $1, $2, $3, l.line_item_id, l.sku, l.title, l.quantity, l.vendor
         from unnest($4::text[], $5::text[], $6::text[], $7::int[], $8::text[])
              as l(line_item_id, sku, title, quantity, vendor)
       on conflict (shop, line_item_id) do update
         set order_name = excluded.order_name,
             sku = excluded.sku,
             title = excluded.title,
             quantity = excluded.quantity,
             vendor = excluded.vendor
         where line_items.order_id = excluded.order_id`,
      [
        shop,
        order.orderId,
        order.name,
        keep.map((l) => l.lineItemId),
        keep.map((l) => l.sku),
        keep.map((l) => l.title),
        keep.map((l) => l.quantity),
        keep.map((l) => l.vendor),
      ],
    );
  }

  // Lines stored before that Shopify no longer lists as shippable.
  const gone = await tx.query<{ id: string; referenced: boolean }>(
    `select li.id,
            exists (select 1 from shipment_line_items sli where sli.line_item_id = li.id) as referenced
       from line_items li
      where li.shop = $1 and li.order_id = $2 and not (li.line_item_id = any($3::text[]))`,
    [shop, order.orderId, keep.map((l) => l.lineItemId)],
  );
  const removable = gone.rows.filter((r) => !r.referenced).map((r) => r.id);
  if (removable.length > 0) {
    await tx.query(
      `delete from line_items where shop = $1 and id = any($2::bigint[])`,
      [shop, removable],
    );
  }

  await tx.query(
    `update line_items set order_name = $3
      where shop = $1 and order_id = $2 and order_name <> $3`,
    [shop, order.orderId, order.name],
  );
  await renameOrder(tx, shop, order.orderId, order.name);

  return {
    kind: "stored",
    lines: keep.length,
    removedLines: removable.length,
    keptRemovedLines: gone.rows.length - removable.length,
  };
}

// ---------------------------------------------------------------------------
// Reading orders for the orders pages
// ---------------------------------------------------------------------------

export interface OrderListRow {
  orderId: string;
  /** The numeric part of the gid: the order's id in URLs. */
  legacyId: string;
  orderName: string;
  createdAt: string | null;
  cancelledAt: string | null;
  closedAt: string | null;
  lineCount: number;
  units: number;
  vendors: string[];
  shipmentCount: number;
  /** Units of the order's lines not yet in any shipment. */
  unassignedUnits: number;
}

export interface OrderListPage {
  rows: OrderListRow[];
  /** Pass as `after` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const PAGE_SIZE = 50;

/**
 * The shop's orders, newest first, with what is already in shipments. Orders come from
 * line_items (the seed and CSV imports have no `orders` row), joined with `orders` for
 * Shopify's dates and state when known. Keyset pages on (order number, order id).
 */
export async function listOrders(
  db: Queryable,
  shop: string,
  options: { search?: string; after?: string | null; limit?: number } = {},
): Promise<OrderListPage> {
  const limit = Math.min(Math.max(options.limit ?? PAGE_SIZE, 1), 200);
  const params: unknown[] = [shop];
  let where = "li.shop = $1";
  if (options.search?.trim()) {
    params.push(`%${escapeLike(options.search.trim())}%`);
    where += ` and (li.order_name ilike $${params.length} or li.vendor ilike $${params.length})`;
  }
  let having = "";
  const after = decodeOrdersCursor(options.after);
  if (after) {
    params.push(after.key, after.orderId);
    having = `having (max(coalesce(o.shopify_created_at, li.created_at)), li.order_id)
                   < ($${params.length - 1}::timestamptz, $${params.length}::text)`;
  }
  params.push(limit + 1);
  const result = await db.query<{
    order_id: string;
    order_name: string;
    sort_key: Date;
    created_at: Date | null;
    cancelled_at: Date | null;
    closed_at: Date | null;
    line_count: string;
    units: string;
    vendors: (string | null)[];
    shipment_count: string;
    assigned_units: string;
  }>(
    `select li.order_id,
            max(li.order_name) as order_name,
            max(coalesce(o.shopify_created_at, li.created_at)) as sort_key,
            max(o.shopify_created_at) as created_at,
            max(o.cancelled_at) as cancelled_at,
            max(o.closed_at) as closed_at,
            count(*) as line_count,
            sum(li.quantity) as units,
            array_agg(distinct li.vendor) as vendors,
            (select count(*) from shipments s where s.shop = li.shop and s.order_id = li.order_id)
              as shipment_count,
            (select coalesce(sum(sli.quantity), 0) from shipment_line_items sli
              where sli.shop = li.shop and sli.order_id = li.order_id) as assigned_units
       from line_items li
       left join orders o on o.shop = li.shop and o.order_id = li.order_id
      where ${where}
      group by li.shop, li.order_id
      ${having}
      order by sort_key desc, li.order_id desc
      limit $${params.length}`,
    params,
  );
  const rows = result.rows.slice(0, limit).map((r) => ({
    orderId: r.order_id,
    legacyId: legacyIdOf(r.order_id),
    orderName: r.order_name,
    createdAt: r.created_at ? new Date(r.created_at).toISOString() : null,
    cancelledAt: r.cancelled_at ? new Date(r.cancelled_at).toISOString() : null,
    closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
    lineCount: Number(r.line_count),
    units: Number(r.units),
    vendors: r.vendors.filter((v): v is string => v !== null).sort(),
    shipmentCount: Number(r.shipment_count),
    unassignedUnits: Math.max(0, Number(r.units) - Number(r.assigned_units)),
  }));
  const last = result.rows[limit - 1];
  return {
    rows,
    nextCursor:
      result.rows.length > limit && last
        ? encodeCursor(new Date(last.sort_key).toISOString(), last.order_id)
        : null,
  };
}

export interface OrderLineForShipments {
  /** line_items.id: what shipment_line_items references. */
  id: number;
  lineItemId: string;
  title: string;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  /** Units of this line already in shipments of this order. */
  assigned: number;
  /** quantity − assigned, never below 0. */
  remaining: number;
}

export interface OrderShipmentSummary {
  id: number;
  vendor: string | null;
  status: ShipmentStatus;
  syncState: SyncState;
  trackingNumbers: string[];
  lines: { lineItemId: string; quantity: number }[];
  notes: {
    kind: string;
    source: string;
    details: Record<string, unknown>;
    createdAt: string;
  }[];
}

export interface OrderDetail {
  orderId: string;
  legacyId: string;
  orderName: string;
  createdAt: string | null;
  cancelledAt: string | null;
  closedAt: string | null;
  lines: OrderLineForShipments[];
  shipments: OrderShipmentSummary[];
}

/** One order of the shop with its lines and shipments; null when the shop has no such order. */
export async function getOrderDetail(
  db: Queryable,
  shop: string,
  orderId: string,
): Promise<OrderDetail | null> {
  const lines = await db.query<{
    id: string;
    line_item_id: string;
    title: string;
    sku: string | null;
    vendor: string | null;
    quantity: number;
    order_name: string;
    assigned: string;
  }>(
    `select li.id, li.line_item_id, li.title, li.sku, li.vendor, li.quantity, li.order_name,
            coalesce((select sum(sli.quantity) from shipment_line_items sli
                       where sli.line_item_id = li.id and sli.shop = li.shop), 0) as assigned
       from line_items li
      where li.shop = $1 and li.order_id = $2
      order by li.id`,
    [shop, orderId],
  );
  if (lines.rows.length === 0) return null;
  const order = await db.query<{
    order_name: string;
    shopify_created_at: Date | null;
    cancelled_at: Date | null;
    closed_at: Date | null;
  }>(
    `select order_name, shopify_created_at, cancelled_at, closed_at
       from orders where shop = $1 and order_id = $2`,
    [shop, orderId],
  );
  const shipments = await db.query<{
    id: string;
    vendor: string | null;
    status: ShipmentStatus;
    sync_state: SyncState;
    tracking_numbers: string[];
    lines: { lineItemId: string; quantity: number }[];
    notes: {
      kind: string;
      source: string;
      details: Record<string, unknown>;
      createdAt: string;
    }[];
  }>(
    `select s.id, s.vendor, s.status, s.sync_state, s.tracking_numbers,
            coalesce((select json_agg(json_build_object('lineItemId', li.line_item_id,
                                                        'quantity', sli.quantity) order by li.id)
                        from shipment_line_items sli join line_items li on li.id = sli.line_item_id
                       where sli.shipment_id = s.id), '[]'::json) as lines,
            coalesce((select json_agg(json_build_object('kind', n.kind, 'source', n.source,
                                                        'details', n.details,
                                                        'createdAt', n.created_at)
                                      order by n.created_at desc, n.id desc)
                        from shipment_notes n where n.shipment_id = s.id and n.shop = s.shop),
                     '[]'::json) as notes
       from shipments s
      where s.shop = $1 and s.order_id = $2
      order by s.id`,
    [shop, orderId],
  );
  const o = order.rows[0];
  return {
    orderId,
    legacyId: legacyIdOf(orderId),
    orderName: o?.order_name ?? lines.rows[0]!.order_name,
    createdAt: o?.shopify_created_at
      ? new Date(o.shopify_created_at).toISOString()
      : null,
    cancelledAt: o?.cancelled_at
      ? new Date(o.cancelled_at).toISOString()
      : null,
    closedAt: o?.closed_at ? new Date(o.closed_at).toISOString() : null,
    lines: lines.rows.map((r) => {
      const assigned = Number(r.assigned);
      return {
        id: Number(r.id),
        lineItemId: r.line_item_id,
        title: r.title,
        sku: r.sku,
        vendor: r.vendor,
        quantity: r.quantity,
        assigned,
        remaining: Math.max(0, r.quantity - assigned),
      };
    }),
    shipments: shipments.rows.map((r) => ({
      id: Number(r.id),
      vendor: r.vendor,
      status: r.status,
      syncState: r.sync_state,
      trackingNumbers: r.tracking_numbers,
      lines: r.lines,
      notes: r.notes.map((n) => ({
        ...n,
        createdAt: new Date(n.createdAt).toISOString(),
      })),
    })),
  };
}

// ---------------------------------------------------------------------------
// Creating shipments from an order's lines
// ---------------------------------------------------------------------------

export interface NewShipment {
  vendor: string | null;
  /** line_items.id → units; lines with 0 are left out by the caller. */
  lines: { lineId: number; quantity: number }[];
}

export type CreateShipmentsResult =
  | { ok: true; shipmentIds: number[] }
  | { ok: false; reason: "not_found" | "order_cancelled" }
  | { ok: false; reason: "over_remaining"; lineIds: number[] };

/**
 * Creates unshipped shipments for an order, in one transaction. The order's lines are
 * locked, and every quantity is checked against what remains unassigned now (another
 * staff member may have created shipments meanwhile): nothing is written unless all
 * fit. Lines of another shop or order are refused as not found.
 */
export async function createShipmentsFromOrder(
  pool: Pool,
  shop: string,
  orderId: string,
  shipments: readonly NewShipment[],
): Promise<CreateShipmentsResult> {
  return withTransaction(pool, async (tx) => {
    const lines = await tx.query<{
      id: string;
      quantity: number;
      order_name: string;
    }>(
      `select id, quantity, order_name from line_items
        where shop = $1 and order_id = $2 order by id for update`,
      [shop, orderId],
    );
    if (lines.rows.length === 0)
      return { ok: false, reason: "not_found" } as const;
    const cancelled = await tx.query(
      `select 1 from orders where shop = $1 and order_id = $2 and cancelled_at is not null`,
      [shop, orderId],
    );
    if ((cancelled.rowCount ?? 0) > 0)
      return { ok: false, reason: "order_cancelled" } as const;

    const assigned = await tx.query<{ line_item_id: string; assigned: string }>(
      `select line_item_id, sum(quantity) as assigned from shipment_line_items
        where shop = $1 and order_id = $2 group by line_item_id`,
      [shop, orderId],
    );
    const remaining = new Map<number, number>();
    for (const row of lines.rows) remaining.set(Number(row.id), row.quantity);
    for (const row of assigned.rows) {
      const id = Number(row.line_item_id);
      remaining.set(id, (remaining.get(id) ?? 0) - Number(row.assigned));
    }
    const wanted = new Map<number, number>();
    for (const shipment of shipments) {
      for (const line of shipment.lines) {
        if (!remaining.has(line.lineId))
          return { ok: false, reason: "not_found" } as const;
        wanted.set(line.lineId, (wanted.get(line.lineId) ?? 0) + line.quantity);
      }
    }
    const over = [...wanted]
      .filter(([id, qty]) => qty > (remaining.get(id) ?? 0))
      .map(([id]) => id);
    if (over.length > 0)
      return { ok: false, reason: "over_remaining", lineIds: over } as const;

    const orderName = lines.rows[0]!.order_name;
    const ids = await createShipments(
      tx,
      shop,
      shipments
        .filter((shipment) => shipment.lines.length > 0)
        .map((shipment) => ({
          orderId,
          orderName,
          vendor: shipment.vendor,
          lines: shipment.lines.map((l) => ({ lineItemRowId: l.lineId, quantity: l.quantity })),
        })),
    );
    return { ok: true, shipmentIds: ids } as const;
  });
}

/** `gid://shopify/Order/123` → "123". */
export function legacyIdOf(gid: string): string {
  return /([0-9]+)$/.exec(gid)?.[1] ?? gid;
}

/** A URL's order id ("123") → the gid, or null when it is not a plain number. */
export function orderGidFromParam(raw: string | undefined): string | null {
  if (!raw || !/^[0-9]{1,20}$/.test(raw)) return null;
  return `gid://shopify/Order/${raw}`;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function encodeCursor(key: string, orderId: string): string {
  return encodeKeysetCursor([key, orderId]);
}

/** The orders list's `after` cursor, or null for anything this module did not write. */
export function decodeOrdersCursor(
  raw: string | null | undefined,
): { key: string; orderId: string } | null {
  // Anything else is not a cursor of this list (the page's loader refuses it with 400).
  return decodeKeysetCursor(raw, (value) =>
    Array.isArray(value) &&
    typeof value[0] === "string" &&
    isTimestampKey(value[0]) &&
    typeof value[1] === "string" &&
    /^gid:\/\/shopify\/Order\/[0-9]+$/.test(value[1])
      ? { key: value[0], orderId: value[1] }
      : null,
  );
}
