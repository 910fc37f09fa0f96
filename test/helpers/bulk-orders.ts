import type { Pool } from "pg";
import type { Simulator } from "../shopify-sim";

/**
 * Many orders at once, in the simulator and in the database alike: each order has
 * `vendorsPerOrder` lines (one per vendor) and one unshipped shipment per line.
 * Returns the shipment ids in creation order.
 */
export async function createBulkOrders(
  pool: Pool,
  sim: Simulator,
  shop: string,
  options: { orders: number; vendorsPerOrder: number; firstOrderNumber?: number; createdAt?: string },
): Promise<number[]> {
  const vendors = ["有田焼 窯元まるぶん", "今治タオル工房", "南部鉄器 及源", "美濃和紙 山田製紙所"];
  const ids: number[] = [];
  const base = options.firstOrderNumber ?? 50_000;
  for (let o = 0; o < options.orders; o++) {
    const number = base + o;
    const orderId = `gid://shopify/Order/${number}`;
    const lines = Array.from({ length: options.vendorsPerOrder }, (_, v) => ({
      id: `gid://shopify/LineItem/${number * 10 + v}`,
      sku: `SKU-${v}`,
      title: `商品 ${v + 1}`,
      quantity: 1 + (v % 3),
      vendor: vendors[v % vendors.length]!,
    }));
    sim.control.createOrder({ shop, id: orderId, name: `#${number}`, lines, createdAt: options.createdAt });
    for (const line of lines) {
      const result = await pool.query<{ shipment_id: string }>(
        `with li as (
           insert into line_items (shop, order_id, order_name, line_item_id, sku, title, quantity, vendor)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning id),
         s as (
           insert into shipments (shop, order_id, order_name, vendor)
           values ($1, $2, $3, $8) returning id)
         insert into shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
         select $1, $2, s.id, li.id, $7 from s, li
         returning shipment_id`,
        [shop, orderId, `#${number}`, line.id, line.sku, line.title, line.quantity, line.vendor],
      );
      ids.push(Number(result.rows[0]!.shipment_id));
    }
  }
  return ids;
}

/**
 * createBulkOrders for a test file that makes orders as it goes: each call numbers its
 * orders on from the last (two vendors, so two shipments, per order by default).
 */
export function newShipmentsOf(
  pool: Pool,
  sim: Simulator,
  shop: string,
  options: { firstOrderNumber: number; vendorsPerOrder?: number },
): (orders: number) => Promise<number[]> {
  let next = options.firstOrderNumber;
  return async (orders) => {
    const first = next;
    next += orders;
    return createBulkOrders(pool, sim, shop, { orders, vendorsPerOrder: options.vendorsPerOrder ?? 2, firstOrderNumber: first });
  };
}

/** A 12-digit Yamato-style tracking number unique per shipment. */
export function trackingFor(shipmentId: number): string {
  return String(400000000000 + shipmentId);
}

/**
 * Marks each shipment shipped through the app's own command (tracking from trackingFor,
 * Yamato, no customer notice), one by one as staff would: each queues its sync.
 */
export async function markAllShipped(shop: string, ids: readonly number[]): Promise<void> {
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  const { getPool } = await import("~/db.server");
  for (const id of ids) {
    await markShipped(getPool(), shop, id, {
      trackingNumbers: [trackingFor(id)],
      carrier: "Yamato (JA)",
      trackingUrl: null,
      notifyCustomer: false,
    });
  }
}
