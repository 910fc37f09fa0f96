import { beforeAll, describe, expect, it } from "vitest";
import { testPool } from "../support/database";
import { listShipments, type ShipmentListOptions } from "~/shipments/shipment-list.server";

// The index table's query on a real Postgres: keyset pages that never skip or repeat,
// filters, search, and nothing of another shop.
const SHOP = "list-shop.myshopify.com";
const OTHER = "list-other.myshopify.com";

beforeAll(async () => {
  const pool = testPool();
  await pool.query(`insert into shops (shop) values ($1), ($2)`, [SHOP, OTHER]);
  // 120 shipments for SHOP (some share a created_at, to test the id tie-break), 30 for OTHER.
  await pool.query(
    `insert into shipments (shop, order_id, order_name, vendor, tracking_numbers, status, shipped_at,
                            sync_state, pending_operation, last_error_class, shopify_fulfillment_id, created_at)
     select $1, 'gid://shopify/Order/' || n, '#' || (1000 + n), case when n % 3 = 0 then 'A' else 'B' end,
            case when n % 2 = 0 then array['T' || lpad(n::text, 11, '0')] else '{}' end,
            case when n % 2 = 0 then 'shipped'::shipment_status else 'unshipped' end,
            case when n % 2 = 0 then now() end,
            case when n % 10 = 0 then 'failed'::sync_state else 'in_sync' end,
            case when n % 10 = 0 then 'create_fulfillment'::sync_operation end,
            case when n % 10 = 0 then 'transient'::sync_error_class end,
            case when n % 2 = 0 and n % 10 <> 0 then 'gid://shopify/Fulfillment/' || n end,
            timestamptz '2026-11-01' + make_interval(mins => n / 2)
       from generate_series(1, 120) n`,
    [SHOP],
  );
  await pool.query(
    `insert into shipments (shop, order_id, order_name, vendor, tracking_numbers)
     select $1, 'gid://shopify/Order/9' || n, '#' || (1000 + n), 'A', array['T' || lpad(n::text, 11, '0')]
       from generate_series(1, 30) n`,
    [OTHER],
  );
});

async function walk(options: ShipmentListOptions) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const page = await listShipments(testPool(), SHOP, { ...options, cursor, limit: 25 });
    seen.push(...page.rows.map((r) => r.orderName));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return seen;
}

describe("listShipments", () => {
  it("walks every row exactly once, newest first, with ties broken by id", async () => {
    const seen = await walk({ sort: "newest" });
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe("#1120");
  });

  it("goes back a page to exactly the rows it came from", async () => {
    const first = await listShipments(testPool(), SHOP, { sort: "order_asc", limit: 10 });
    const second = await listShipments(testPool(), SHOP, { sort: "order_asc", limit: 10, cursor: first.nextCursor });
    const back = await listShipments(testPool(), SHOP, {
      sort: "order_asc",
      limit: 10,
      cursor: second.previousCursor,
      direction: "previous",
    });
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.previousCursor).toBeNull();
  });

  it("filters by status, sync state and vendor together", async () => {
    const seen = await walk({ status: "shipped", syncState: "failed", vendor: "A" });
    // n even, n % 10 = 0, n % 3 = 0 → multiples of 30
    expect(seen.sort()).toEqual(["#1030", "#1060", "#1090", "#1120"]);
  });

  it("finds an order by name prefix and a shipment by exact tracking number", async () => {
    expect((await walk({ query: "#110" })).sort()).toEqual(
      ["#1100", "#1101", "#1102", "#1103", "#1104", "#1105", "#1106", "#1107", "#1108", "#1109"],
    );
    expect(await walk({ query: "T00000000042" })).toEqual(["#1042"]);
    expect(await walk({ query: "1042" })).toEqual(["#1042"]);
  });

  it("never returns another shop's rows, even for its tracking numbers", async () => {
    // T00000000005 exists in OTHER only (odd n has no tracking in SHOP).
    expect(await walk({ query: "T00000000005" })).toEqual([]);
    const all = await walk({});
    expect(all).toHaveLength(120);
  });

  it("treats a tampered cursor as the first page", async () => {
    const page = await listShipments(testPool(), SHOP, { cursor: "not-a-cursor", limit: 5 });
    expect(page.rows[0]!.orderName).toBe("#1120");
  });
});
