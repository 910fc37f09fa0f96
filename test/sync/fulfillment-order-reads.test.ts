import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP, DEMO_TOKEN, shipmentRow, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";

// How a create reads the order's fulfillment orders: lines first (the cheap read), the
// full read (supported actions, locations) only when the shipment spans several FOs or
// cannot be mapped — so every mapping rule still holds with the cheaper read.
const TOKYO = "gid://shopify/Location/74102345601";
const OSAKA = "gid://shopify/Location/74102345602";

let world: SyncWorld;
let nextOrder = 880_000;

beforeAll(async () => {
  world = await startSyncWorld({ seed: 41 });
  world.sim.control.setPlan({ shop: DEMO_SHOP, plan: "plus" });
});

afterAll(async () => {
  await world.close();
});

interface FoSpec {
  locationId: string;
  status?: "OPEN" | "ON_HOLD";
  lines: { lineIndex: number; quantity: number }[];
}

/** An order in Shopify and here, and one shipment of the given lines marked shipped. */
async function shippedShipment(fulfillmentOrders: FoSpec[], shipLines: number[]): Promise<{ id: number; orderId: string }> {
  const number = nextOrder++;
  const orderId = `gid://shopify/Order/${number}`;
  const lines = [0, 1].map((v) => ({
    id: `gid://shopify/LineItem/${number * 10 + v}`,
    sku: `SKU-${v}`,
    title: `商品 ${v + 1}`,
    quantity: 2,
    vendor: "今治タオル工房",
  }));
  world.sim.control.createOrder({ shop: DEMO_SHOP, id: orderId, name: `#${number}`, lines, fulfillmentOrders });
  const pool = testPool();
  const shipment = await pool.query<{ id: string }>(
    `insert into shipments (shop, order_id, order_name, vendor) values ($1, $2, $3, '今治タオル工房') returning id`,
    [DEMO_SHOP, orderId, `#${number}`],
  );
  const id = Number(shipment.rows[0]!.id);
  for (const [index, line] of lines.entries()) {
    const item = await pool.query<{ id: string }>(
      `insert into line_items (shop, order_id, order_name, line_item_id, sku, title, quantity, vendor)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      [DEMO_SHOP, orderId, `#${number}`, line.id, line.sku, line.title, line.quantity, line.vendor],
    );
    if (shipLines.includes(index)) {
      await pool.query(
        `insert into shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity) values ($1, $2, $3, $4, 2)`,
        [DEMO_SHOP, orderId, id, item.rows[0]!.id],
      );
    }
  }
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  await markShipped(pool, DEMO_SHOP, id, {
    trackingNumbers: [String(400000000000 + number)],
    carrier: "Yamato (JA)",
    trackingUrl: null,
    notifyCustomer: false,
  });
  return { id, orderId };
}

/** Syncs one shipment and returns its outcome with the Admin API operations it sent. */
async function sync(id: number) {
  const { syncShipment } = await import("~/sync/sync.server");
  const { syncDependencies } = await import("~/sync/sync-deps.server");
  const deps = syncDependencies({
    pool: testPool(),
    loadSession: async (shop) => ({ shop, accessToken: DEMO_TOKEN }),
    callTimeoutMs: 10_000,
  });
  const before = world.sim.control.requestLog({ shop: DEMO_SHOP }).length;
  const outcome = await syncShipment(deps, DEMO_SHOP, id);
  const operations = world.sim.control
    .requestLog({ shop: DEMO_SHOP })
    .slice(before)
    .map((r) => r.operationName);
  return { outcome, operations };
}

describe("reading fulfillment orders for a create", () => {
  it("one FO: the lines read is all it takes", async () => {
    const { id, orderId } = await shippedShipment([{ locationId: TOKYO, lines: [{ lineIndex: 0, quantity: 2 }, { lineIndex: 1, quantity: 2 }] }], [0]);
    const { outcome, operations } = await sync(id);
    expect(outcome).toMatchObject({ kind: "synced" });
    expect(operations).toEqual(["OrderFulfillmentOrderLines", "FulfillmentCreate"]);
    const order = world.sim.control.getOrder({ shop: DEMO_SHOP, orderId });
    expect(order.fulfillments).toHaveLength(1);
    expect((await shipmentRow(id)).sync_state).toBe("in_sync");
  });

  it("several FOs, the shipment on one of them: no full read", async () => {
    const { id } = await shippedShipment(
      [
        { locationId: TOKYO, lines: [{ lineIndex: 0, quantity: 2 }] },
        { locationId: OSAKA, lines: [{ lineIndex: 1, quantity: 2 }] },
      ],
      [1],
    );
    const { outcome, operations } = await sync(id);
    expect(outcome).toMatchObject({ kind: "synced" });
    expect(operations).toEqual(["OrderFulfillmentOrderLines", "FulfillmentCreate"]);
  });

  it("a shipment over FOs at two locations is refused as before, after a full read, and nothing is sent", async () => {
    const { id, orderId } = await shippedShipment(
      [
        { locationId: TOKYO, lines: [{ lineIndex: 0, quantity: 2 }] },
        { locationId: OSAKA, lines: [{ lineIndex: 1, quantity: 2 }] },
      ],
      [0, 1],
    );
    const { outcome, operations } = await sync(id);
    expect(outcome).toMatchObject({ kind: "failed", error: { errorClass: "invalid" } });
    expect(operations).toEqual(["OrderFulfillmentOrderLines", "OrderFulfillmentOrders"]);
    const row = await shipmentRow(id);
    expect(row.last_error_message).toContain("東京倉庫");
    expect(row.last_error_message).toContain("大阪倉庫");
    expect(world.sim.control.getOrder({ shop: DEMO_SHOP, orderId }).fulfillments).toHaveLength(0);
  });

  it("a shipment over two FOs at one location becomes one fulfillment, after a full read", async () => {
    const { id, orderId } = await shippedShipment(
      [
        { locationId: TOKYO, lines: [{ lineIndex: 0, quantity: 2 }] },
        { locationId: TOKYO, lines: [{ lineIndex: 1, quantity: 2 }] },
      ],
      [0, 1],
    );
    const { outcome, operations } = await sync(id);
    expect(outcome).toMatchObject({ kind: "synced" });
    expect(operations).toEqual(["OrderFulfillmentOrderLines", "OrderFulfillmentOrders", "FulfillmentCreate"]);
    const order = world.sim.control.getOrder({ shop: DEMO_SHOP, orderId });
    expect(order.fulfillments).toHaveLength(1);
    expect(order.fulfillments[0]!.lines.map((l) => l.quantity)).toEqual([2, 2]);
  });

  it("a held FO is reported with its location from the full read, and nothing is sent", async () => {
    const { id, orderId } = await shippedShipment(
      [{ locationId: OSAKA, status: "ON_HOLD", lines: [{ lineIndex: 0, quantity: 2 }, { lineIndex: 1, quantity: 2 }] }],
      [0],
    );
    const { outcome, operations } = await sync(id);
    expect(outcome).toMatchObject({ kind: "failed", error: { errorClass: "invalid" } });
    expect(operations).toEqual(["OrderFulfillmentOrderLines", "OrderFulfillmentOrders"]);
    expect((await shipmentRow(id)).last_error_message).toContain("大阪倉庫");
    expect(world.sim.control.getOrder({ shop: DEMO_SHOP, orderId }).fulfillments).toHaveLength(0);
  });
});
