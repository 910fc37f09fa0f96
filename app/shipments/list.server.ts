import type { Queryable } from "~/db/queryable";

/** One line of the first shipments page. */
export interface RecentShipment {
  id: number;
  orderName: string;
  vendor: string | null;
  status: "unshipped" | "shipped";
  createdAt: string;
}

/**
 * The newest shipments of one shop, newest first. Every query here is scoped by
 * `shop`: the caller passes the authenticated session's shop, never a value from the
 * request. (A stop-gap for the first page; the index table's keyset query in
 * shipment-list.server.ts replaces it.)
 */
export async function listRecentShipments(
  db: Queryable,
  shop: string,
  limit = 50,
): Promise<RecentShipment[]> {
  const { rows } = await db.query<{
    id: string;
    order_name: string;
    vendor: string | null;
    status: "unshipped" | "shipped";
    created_at: Date;
  }>(
    `select id, order_name, vendor, status, created_at
       from shipments
      where shop = $1
      order by created_at desc, id desc
      limit $2`,
    [shop, limit],
  );
  return rows.map((row) => ({
    // bigint arrives as a string from pg; shipment ids stay far below 2^53.
    id: Number(row.id),
    orderName: row.order_name,
    vendor: row.vendor,
    status: row.status,
    createdAt: row.created_at.toISOString(),
  }));
}
