import { isTextKey, isTimestampKey } from "~/db/keyset";
import { decodeKeysetCursor, encodeKeysetCursor } from "~/db/keyset-cursor.server";
import type { Shipment, ShipmentStatus, SyncState } from "~/fulfillment/shipment-state";
import type { Queryable } from "~/db/queryable";
import { readStoredDetail } from "~/i18n/messages";

/**
 * The index table's query: one shop's shipments, filtered, sorted and paged by keyset.
 *
 * Keyset (not OFFSET) because a shop can have hundreds of thousands of shipments and
 * a deep OFFSET page reads and discards every row before it; the benchmark in
 * test/bench/index-loader.bench.ts measures both. Every sort ends with `id` so that
 * the cursor is unique and a page never repeats or skips a row.
 */
export type ShipmentSort = "newest" | "oldest" | "order_asc" | "order_desc";
export const SHIPMENT_SORTS: readonly ShipmentSort[] = [
  "newest",
  "oldest",
  "order_asc",
  "order_desc",
];

export interface ShipmentFilters {
  status?: ShipmentStatus;
  syncState?: SyncState;
  vendor?: string;
  /** An order name ("#1001" or "1001", prefix match) or an exact tracking number. */
  query?: string;
}

export interface ShipmentListOptions extends ShipmentFilters {
  sort?: ShipmentSort;
  /** Opaque cursor from a previous page; `direction` says which way to go from it. */
  cursor?: string | null;
  direction?: "next" | "previous";
  limit?: number;
}

/** A row of the index table: the shipment without its sync internals, with its items. */
export interface ShipmentListRow
  extends Pick<
    Shipment,
    | "id"
    | "orderId"
    | "orderName"
    | "vendor"
    | "trackingNumbers"
    | "carrier"
    | "trackingUrl"
    | "status"
    | "syncState"
    | "pendingOperation"
    | "syncAttempts"
    | "nextRetryAt"
    | "lastErrorClass"
    | "lastErrorMessage"
    | "lastErrorDetail"
    | "createdAt"
  > {
  /** "title × quantity" per line, in line order. */
  items: { title: string; sku: string | null; quantity: number }[];
}

export interface ShipmentListPage {
  rows: ShipmentListRow[];
  /** Cursor to the page after this one, or null on the last page. */
  nextCursor: string | null;
  /** Cursor to the page before this one, or null on the first page. */
  previousCursor: string | null;
}

interface SortSpec {
  column: "created_at" | "order_name";
  descending: boolean;
}

const SORT_SPECS: Record<ShipmentSort, SortSpec> = {
  newest: { column: "created_at", descending: true },
  oldest: { column: "created_at", descending: false },
  order_asc: { column: "order_name", descending: false },
  order_desc: { column: "order_name", descending: true },
};

interface Cursor {
  v: string; // the sort column's value (timestamps as ISO text)
  id: number;
}

export function encodeCursor(cursor: Cursor): string {
  return encodeKeysetCursor(cursor);
}

/** Returns null for anything that is not a cursor this module made (a stale or edited URL). */
export function decodeCursor(
  raw: string | null | undefined,
  sort: ShipmentSort = "newest",
): Cursor | null {
  return decodeKeysetCursor(raw, (parsed) => {
    const cursor = parsed as Cursor | null;
    return cursor &&
      typeof cursor === "object" &&
      typeof cursor.v === "string" &&
      (SORT_SPECS[sort].column === "created_at"
        ? isTimestampKey(cursor.v)
        : isTextKey(cursor.v)) &&
      Number.isSafeInteger(cursor.id) &&
      cursor.id > 0
      ? { v: cursor.v, id: cursor.id }
      : null;
  });
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 250;

/** Builds the WHERE clause shared by the page query and "all matching this filter". */
export function shipmentFilterSql(
  shop: string,
  filters: ShipmentFilters,
  params: unknown[] = [],
): { where: string; params: unknown[] } {
  params.push(shop);
  const clauses = [`s.shop = $${params.length}`];
  if (filters.status) {
    params.push(filters.status);
    clauses.push(`s.status = $${params.length}::shipment_status`);
  }
  if (filters.syncState) {
    params.push(filters.syncState);
    clauses.push(`s.sync_state = $${params.length}::sync_state`);
  }
  if (filters.vendor) {
    params.push(filters.vendor);
    clauses.push(`s.vendor = $${params.length}`);
  }
  const query = filters.query?.trim();
  if (query) {
    const orderName = query.startsWith("#") ? query : `#${query}`;
    params.push(`${escapeLike(orderName)}%`);
    const orderParam = params.length;
    params.push([query]);
    // The matches are found first, by index, then checked against the shop: walking the
    // shop's rows newest-first and testing each (what a plain OR does) reads the whole
    // shop for a tracking number, since Postgres has no statistics to estimate it by.
    // The tracking branch leaves the shop out on purpose: the outer query checks it.
    clauses.push(
      `s.id in (select id from shipments where shop = $1 and order_name like $${orderParam}
                union
                select id from shipments where tracking_numbers @> $${params.length}::text[])`,
    );
  }
  return { where: clauses.join(" and "), params };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listShipments(
  db: Queryable,
  shop: string,
  options: ShipmentListOptions = {},
): Promise<ShipmentListPage> {
  const sort = SORT_SPECS[options.sort ?? "newest"];
  const limit = Math.min(Math.max(options.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const cursor = decodeCursor(options.cursor, options.sort ?? "newest");
  const backwards = cursor !== null && options.direction === "previous";
  // Going backwards reads the rows before the cursor in reverse order, then flips them.
  const descending = backwards ? !sort.descending : sort.descending;

  const { where, params } = shipmentFilterSql(shop, options);
  const clauses = [where];
  const valueType = sort.column === "created_at" ? "timestamptz" : "text";
  if (cursor) {
    params.push(cursor.v, cursor.id);
    const op = descending ? "<" : ">";
    clauses.push(
      `(s.${sort.column}, s.id) ${op} ($${params.length - 1}::${valueType}, $${params.length}::bigint)`,
    );
  }
  params.push(limit + 1);
  const dir = descending ? "desc" : "asc";
  // The page is chosen first; its items are built for those rows only, not for every
  // row the sort had to look at.
  const sql = `
    select p.*, coalesce(items.items, '[]'::json) as items
      from (
        select s.id, s.order_id, s.order_name, s.vendor, s.tracking_numbers, s.carrier,
               s.tracking_url, s.status, s.sync_state, s.pending_operation, s.sync_attempts,
               s.next_retry_at, s.last_error_class, s.last_error_message, s.last_error_detail, s.created_at,
               to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at_key
          from shipments s
         where ${clauses.join(" and ")}
         order by s.${sort.column} ${dir}, s.id ${dir}
         limit $${params.length}
      ) p
      left join lateral (
        select json_agg(json_build_object('title', li.title, 'sku', li.sku, 'quantity', sli.quantity)
                        order by li.id) as items
          from shipment_line_items sli
          join line_items li on li.id = sli.line_item_id
         where sli.shipment_id = p.id
      ) items on true
     order by p.${sort.column} ${dir}, p.id ${dir}`;
  const result = await db.query(sql, params);
  const hasMore = result.rows.length > limit;
  const pageRows = result.rows.slice(0, limit);
  if (backwards) pageRows.reverse();

  const rows = pageRows.map(toListRow);
  const keyOf = (r: (typeof pageRows)[number]): Cursor => ({
    v: sort.column === "created_at" ? (r.created_at_key as string) : (r.order_name as string),
    id: Number(r.id),
  });
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  let nextCursor: string | null = null;
  let previousCursor: string | null = null;
  if (backwards) {
    nextCursor = last ? encodeCursor(keyOf(last)) : null;
    previousCursor = hasMore && first ? encodeCursor(keyOf(first)) : null;
  } else {
    nextCursor = hasMore && last ? encodeCursor(keyOf(last)) : null;
    previousCursor = cursor && first ? encodeCursor(keyOf(first)) : null;
  }
  return { rows, nextCursor, previousCursor };
}

/** The shop's vendors, for the vendor filter. */
export async function listVendors(db: Queryable, shop: string): Promise<string[]> {
  const result = await db.query<{ vendor: string }>(
    `select distinct vendor from shipments where shop = $1 and vendor is not null order by vendor`,
    [shop],
  );
  return result.rows.map((r) => r.vendor);
}

// pg returns snake_case columns; the UI speaks camelCase.
function toListRow(r: Record<string, unknown>): ShipmentListRow {
  return {
    id: Number(r.id),
    orderId: r.order_id as string,
    orderName: r.order_name as string,
    vendor: (r.vendor as string | null) ?? null,
    trackingNumbers: (r.tracking_numbers as string[]) ?? [],
    carrier: (r.carrier as string | null) ?? null,
    trackingUrl: (r.tracking_url as string | null) ?? null,
    status: r.status as ShipmentListRow["status"],
    syncState: r.sync_state as ShipmentListRow["syncState"],
    pendingOperation: (r.pending_operation as ShipmentListRow["pendingOperation"]) ?? null,
    syncAttempts: Number(r.sync_attempts),
    nextRetryAt: r.next_retry_at ? new Date(r.next_retry_at as string).toISOString() : null,
    lastErrorClass: (r.last_error_class as string | null) ?? null,
    lastErrorMessage: (r.last_error_message as string | null) ?? null,
    lastErrorDetail: readStoredDetail(r.last_error_detail),
    createdAt: new Date(r.created_at as string).toISOString(),
    items: (r.items as ShipmentListRow["items"]) ?? [],
  };
}
