import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoShop } from "../demo/demo-data";
import {
  shipmentRow,
  startSyncWorld,
  type SyncWorld,
} from "../helpers/sync-world";
import { testPool } from "../support/database";
import { deliver, importOrder } from "../reconcile/fixtures";
import type * as FulfillmentOrdersRoute from "~/routes/webhooks.fulfillment_orders";

// fulfillment_orders/* in the payload shapes of Shopify's webhook reference (GraphQL gids,
// no order id), through the real route and webhook authentication.
let world: SyncWorld;
let route: typeof FulfillmentOrdersRoute;
const [TOKYO, OSAKA] = demoShop.locations.map((l) => l.id) as [string, string];

beforeAll(async () => {
  world = await startSyncWorld();
  route = await import("~/routes/webhooks.fulfillment_orders");
});

afterAll(async () => {
  await world.close();
});

beforeEach(() => {
  world.sim.control.clearFaults();
});

const send = (
  topic: string,
  payload: unknown,
  extra: { secret?: string } = {},
) =>
  deliver(route.action, {
    path: "/webhooks/fulfillment_orders",
    topic,
    shop: world.shop,
    payload,
    ...extra,
  });

const fo = (id: string, status: string) => ({ id, status });

async function lastEvent() {
  const { rows } = await testPool().query(
    `select topic, outcome, resource_id, details from webhook_events where shop = $1 order by id desc limit 1`,
    [world.shop],
  );
  return rows[0];
}

/** A shipment of the order's first line, marked shipped; its sync attempted now. */
async function shipFirstLine(
  orderId: string,
  lineId: number,
  quantity: number,
) {
  const { createShipmentsFromOrder } = await import("~/orders/orders.server");
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  const { syncNow } = await import("~/sync/sync-runner.server");
  const { getPool } = await import("~/db.server");
  const made = await createShipmentsFromOrder(getPool(), world.shop, orderId, [
    { vendor: null, lines: [{ lineId, quantity }] },
  ]);
  if (!made.ok) throw new Error("not created");
  const id = made.shipmentIds[0]!;
  await markShipped(getPool(), world.shop, id, {
    trackingNumbers: ["246824682468"],
    carrier: "Yamato (JA)",
    trackingUrl: null,
    notifyCustomer: false,
  });
  return { id, outcome: await syncNow(world.shop, id) };
}

describe("fulfillment_orders/placed_on_hold and hold_released", () => {
  it("a hold needs nothing stored; its release re-queues the shipment the hold had stopped, which then syncs", async () => {
    const { order, lines } = await importOrder(world);
    const foId = order.fulfillmentOrders[0]!.id;
    world.sim.control.changeFulfillmentOrder({
      shop: world.shop,
      fulfillmentOrderId: foId,
      action: "hold",
    });
    const calls = world.sim.control.requestLog({ shop: world.shop }).length;

    expect(
      await send("fulfillment_orders/placed_on_hold", {
        fulfillment_order: {
          ...fo(foId, "on_hold"),
          fulfillment_holds: [
            {
              id: "gid://shopify/FulfillmentHold/1",
              reason: "other",
              reason_notes: "住所確認中",
            },
          ],
        },
        remaining_fulfillment_order: null,
        held_fulfillment_order_line_items: [
          { id: order.fulfillmentOrders[0]!.lines[0]!.id, quantity: 2 },
        ],
      }),
    ).toBe(200);
    expect(await lastEvent()).toMatchObject({
      topic: "fulfillment_orders/placed_on_hold",
      outcome: "nothing_to_store",
    });
    expect(world.sim.control.requestLog({ shop: world.shop })).toHaveLength(
      calls,
    );

    // The operator ships while the FO is held: the sync refuses to send and gives up.
    const shipped = await shipFirstLine(order.id, lines[0]!.id, 2);
    expect(shipped.outcome.kind).toBe("failed");
    expect(await shipmentRow(shipped.id)).toMatchObject({
      sync_state: "failed",
      last_error_class: "invalid",
    });

    world.sim.control.changeFulfillmentOrder({
      shop: world.shop,
      fulfillmentOrderId: foId,
      action: "releaseHold",
    });
    expect(
      await send("fulfillment_orders/hold_released", {
        fulfillment_order: fo(foId, "open"),
      }),
    ).toBe(200);
    expect(await lastEvent()).toMatchObject({
      outcome: "retried",
      details: expect.objectContaining({
        orderId: order.id,
        retried: [shipped.id],
      }),
    });
    expect(await shipmentRow(shipped.id)).toMatchObject({
      sync_state: "pending",
      pending_operation: "create_fulfillment",
    });

    const { syncNow } = await import("~/sync/sync-runner.server");
    expect((await syncNow(world.shop, shipped.id)).kind).toBe("synced");
    expect(await shipmentRow(shipped.id)).toMatchObject({
      sync_state: "in_sync",
      status: "shipped",
    });
  });

  it("answers 503 when Shopify cannot be read just now, so Shopify delivers again", async () => {
    const { order, lines } = await importOrder(world);
    const foId = order.fulfillmentOrders[0]!.id;
    world.sim.control.changeFulfillmentOrder({
      shop: world.shop,
      fulfillmentOrderId: foId,
      action: "hold",
    });
    await shipFirstLine(order.id, lines[0]!.id, 1);
    world.sim.control.changeFulfillmentOrder({
      shop: world.shop,
      fulfillmentOrderId: foId,
      action: "releaseHold",
    });
    world.sim.control.injectFault({
      shop: world.shop,
      operation: "fulfillmentOrder",
      action: { type: "httpError", status: 503 },
    });

    const payload = { fulfillment_order: fo(foId, "open") };
    expect(await send("fulfillment_orders/hold_released", payload)).toBe(503);

    world.sim.control.clearFaults();
    expect(await send("fulfillment_orders/hold_released", payload)).toBe(200);
    expect(await lastEvent()).toMatchObject({ outcome: "retried" });
  });
});

describe("fulfillment_orders/moved", () => {
  it("stores nothing: the shipment is re-mapped onto the moved FO at its next sync", async () => {
    const { order, lines } = await importOrder(
      world,
      [{ title: "南部鉄器 鉄瓶", quantity: 1, vendor: "南部鉄器" }],
      {
        fulfillmentOrders: [
          { locationId: TOKYO, lines: [{ lineIndex: 0, quantity: 1 }] },
        ],
      },
    );
    const original = order.fulfillmentOrders[0]!.id;
    const moved = world.sim.control.changeFulfillmentOrder({
      shop: world.shop,
      fulfillmentOrderId: original,
      action: "move",
      toLocationId: OSAKA,
    });
    expect(moved.fulfillmentOrderId).not.toBe(original);

    expect(
      await send("fulfillment_orders/moved", {
        original_fulfillment_order: {
          ...fo(original, "closed"),
          assigned_location_id: TOKYO,
        },
        moved_fulfillment_order: {
          ...fo(moved.fulfillmentOrderId, "open"),
          assigned_location_id: OSAKA,
        },
        destination_location_id: OSAKA,
        fulfillment_order_line_items_requested: [
          { id: order.fulfillmentOrders[0]!.lines[0]!.id, quantity: 1 },
        ],
        source_location: { id: TOKYO },
      }),
    ).toBe(200);
    expect(await lastEvent()).toMatchObject({
      outcome: "nothing_to_store",
      resource_id: moved.fulfillmentOrderId,
    });

    const shipped = await shipFirstLine(order.id, lines[0]!.id, 1);
    expect(shipped.outcome.kind).toBe("synced");
    const inShopify = world.sim.control.getOrder({
      shop: world.shop,
      orderId: order.id,
    });
    expect(inShopify.fulfillments[0]!.lines[0]!.fulfillmentOrderId).toBe(
      moved.fulfillmentOrderId,
    );
  });
});

describe("fulfillment_orders/split, merged and cancelled", () => {
  const A = "gid://shopify/FulfillmentOrder/1";
  const B = "gid://shopify/FulfillmentOrder/2";
  const C = "gid://shopify/FulfillmentOrder/3";

  it.each([
    [
      "fulfillment_orders/split",
      {
        split_line_items: [
          { id: "gid://shopify/FulfillmentOrderLineItem/1", quantity: 1 },
        ],
        fulfillment_order: fo(A, "open"),
        remaining_fulfillment_order: fo(B, "open"),
        replacement_fulfillment_order: fo(C, "open"),
      },
    ],
    [
      "fulfillment_orders/merged",
      {
        merge_intents: [
          {
            fulfillment_order_id: 1,
            fulfillment_order_line_items: [{ id: 1, quantity: 1 }],
          },
          {
            fulfillment_order_id: 2,
            fulfillment_order_line_items: [{ id: 2, quantity: 1 }],
          },
        ],
        fulfillment_order_merges: { fulfillment_order: fo(A, "open") },
      },
    ],
    [
      "fulfillment_orders/cancelled",
      {
        fulfillment_order: fo(A, "cancelled"),
        replacement_fulfillment_order: fo(B, "open"),
      },
    ],
  ])(
    "%s: 200, nothing stored when no shipment waits on an FO",
    async (topic, payload) => {
      const waiting = await testPool().query(
        `select 1 from shipments where shop = $1 and sync_state = 'failed' and last_error_class = 'invalid'`,
        [world.shop],
      );
      expect(waiting.rowCount).toBe(0);
      const calls = world.sim.control.requestLog({ shop: world.shop }).length;
      expect(await send(topic, payload)).toBe(200);
      expect(await lastEvent()).toMatchObject({
        topic,
        outcome: "nothing_to_store",
      });
      expect(world.sim.control.requestLog({ shop: world.shop })).toHaveLength(
        calls,
      );
    },
  );

  it("answers 400 to a payload of another shape", async () => {
    expect(
      await send("fulfillment_orders/split", { fulfillment_order: { id: 5 } }),
    ).toBe(400);
  });
});

describe("every fulfillment_orders topic", () => {
  it.each([
    "fulfillment_orders/cancelled",
    "fulfillment_orders/moved",
    "fulfillment_orders/split",
    "fulfillment_orders/merged",
    "fulfillment_orders/placed_on_hold",
    "fulfillment_orders/hold_released",
  ])("%s refuses a forged signature with 401", async (topic) => {
    expect(
      await send(
        topic,
        { fulfillment_order: fo("gid://shopify/FulfillmentOrder/1", "open") },
        { secret: "forged" },
      ),
    ).toBe(401);
  });
});
