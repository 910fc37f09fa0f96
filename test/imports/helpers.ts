import iconv from "iconv-lite";
import type { Pool } from "pg";
import type { Simulator } from "../shopify-sim";

/**
 * Data and files for the import tests and benchmark. Plain functions over a pg pool (no
 * vitest), so test/bench/import.bench.ts uses them too.
 */

/** The vendors test/helpers/bulk-orders.ts uses, in the same order. */
export const BULK_VENDORS = [
  "有田焼 窯元まるぶん",
  "今治タオル工房",
  "南部鉄器 及源",
  "美濃和紙 山田製紙所",
];

/**
 * Many orders at once, shaped exactly as createBulkOrders (test/helpers/bulk-orders.ts)
 * makes them — order #n has lines `gid://shopify/LineItem/<n*10+v>` with SKU `SKU-v`,
 * quantity 1 + v % 3 and one vendor each — but written with set-based SQL, so 10,000
 * lines take a fraction of a second instead of 10,000 round trips. With `sim`, the same
 * orders are created in the simulator. `unshippedShipments(n)` says whether order n
 * gets one unshipped shipment per line (as the app makes them from an order).
 */
export async function seedBulkOrders(
  pool: Pool,
  shop: string,
  options: {
    orders: number;
    vendorsPerOrder: number;
    firstOrderNumber: number;
    sim?: Simulator;
    unshippedShipments?: (orderNumber: number) => boolean;
  },
): Promise<void> {
  const { orders, vendorsPerOrder, firstOrderNumber } = options;
  const last = firstOrderNumber + orders - 1;
  await pool.query(
    `insert into line_items (shop, order_id, order_name, line_item_id, sku, title, quantity, vendor)
     select $1, 'gid://shopify/Order/' || n, '#' || n, 'gid://shopify/LineItem/' || (n * 10 + v),
            'SKU-' || v, '商品 ' || (v + 1), 1 + v % 3, ($5::text[])[v % 4 + 1]
       from generate_series($2::bigint, $3::bigint) n, generate_series(0, $4 - 1) v`,
    [shop, firstOrderNumber, last, vendorsPerOrder, BULK_VENDORS],
  );
  const withShipments: number[] = [];
  for (let n = firstOrderNumber; n <= last; n++) {
    if (options.unshippedShipments?.(n) ?? true) withShipments.push(n);
  }
  if (withShipments.length > 0) {
    await pool.query(
      `with li as (
         select id, order_id, order_name, vendor, quantity
           from line_items
          where shop = $1 and order_id = any(select 'gid://shopify/Order/' || unnest($2::bigint[]))),
       s as (
         insert into shipments (shop, order_id, order_name, vendor)
         select $1, order_id, order_name, vendor from li
         returning id, order_id, vendor)
       insert into shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
       select $1, li.order_id, s.id, li.id, li.quantity
         from li join s on s.order_id = li.order_id and s.vendor = li.vendor`,
      [shop, withShipments],
    );
  }
  if (options.sim) {
    for (let n = firstOrderNumber; n <= last; n++) {
      options.sim.control.createOrder({
        shop,
        id: `gid://shopify/Order/${n}`,
        name: `#${n}`,
        lines: Array.from({ length: vendorsPerOrder }, (_, v) => ({
          id: `gid://shopify/LineItem/${n * 10 + v}`,
          sku: `SKU-${v}`,
          title: `商品 ${v + 1}`,
          quantity: 1 + (v % 3),
          vendor: BULK_VENDORS[v % BULK_VENDORS.length],
        })),
      });
    }
  }
}

/** A Yamato tracking number (11 digits + check digit, mod 7) unique per `seq`. */
export function yamatoNumber(seq: number): string {
  const base = String(40_000_000_000 + seq);
  return `${base}${Number(BigInt(base) % 7n)}`;
}

/** One row per line of the bulk orders: order name, SKU, tracking, carrier. */
export function bulkImportRows(
  firstOrderNumber: number,
  orders: number,
  vendorsPerOrder: number,
): string[][] {
  const rows: string[][] = [];
  const carriers = ["ヤマト運輸", "クロネコヤマト", "yamato", "ヤマト"];
  for (let o = 0; o < orders; o++) {
    const n = firstOrderNumber + o;
    for (let v = 0; v < vendorsPerOrder; v++) {
      const seq = n * 10 + v;
      rows.push([
        `#${n}`,
        `SKU-${v}`,
        "",
        yamatoNumber(seq),
        carriers[seq % carriers.length],
        "",
        "いいえ",
      ]);
    }
  }
  return rows;
}

export const BULK_HEADER = [
  "注文番号",
  "SKU",
  "数量",
  "追跡番号",
  "配送業者",
  "追跡URL",
  "顧客に通知",
];

/** CSV text → bytes as a spreadsheet would save it. Cells are quoted when they need it. */
export function csvFile(
  rows: readonly (readonly string[])[],
  options: { encoding?: "utf-8" | "utf-8-bom" | "cp932"; eol?: string } = {},
): Uint8Array {
  const eol = options.eol ?? "\r\n";
  const text =
    rows
      .map((cells) =>
        cells
          .map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
          .join(","),
      )
      .join(eol) + eol;
  switch (options.encoding ?? "utf-8") {
    case "cp932":
      return new Uint8Array(iconv.encode(text, "cp932"));
    case "utf-8-bom":
      return new TextEncoder().encode(`\uFEFF${text}`);
    default:
      return new TextEncoder().encode(text);
  }
}

/** Row counts of the tables an import may touch, to show what was (not) written. */
export async function tableCounts(pool: Pool) {
  const result = await pool.query<{
    imports: number;
    import_rows: number;
    shipments: number;
    shipped: number;
    shipment_line_items: number;
    jobs: number;
  }>(
    `select (select count(*)::int from imports) as imports,
            (select count(*)::int from import_rows) as import_rows,
            (select count(*)::int from shipments) as shipments,
            (select count(*)::int from shipments where status = 'shipped') as shipped,
            (select count(*)::int from shipment_line_items) as shipment_line_items,
            (select count(*)::int from graphile_worker.jobs) as jobs`,
  );
  return result.rows[0];
}
