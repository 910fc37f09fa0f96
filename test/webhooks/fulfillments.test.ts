import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  shipmentRow,
  startSyncWorld,
  type SyncWorld,
} from "../helpers/sync-world";
import { testPool } from "../support/database";
import {
  cancelInShopifyAdmin,
  deliver,
  editTrackingInShopifyAdmin,
  fulfillmentPayload,
  importOrder,
  shipAndSync,
} from "../reconcile/fixtures";
import type * as FulfillmentsRoute from "~/routes/webhooks.fulfillments";

// fulfillments/create and fulfillments/update through the real route and webhook
// authentication, on shipments synced to the simulator by the app's own sync.
let world: SyncWorld;
let route: typeof FulfillmentsRoute;

beforeAll(async () => {
  world = await startSyncWorld();
  route = await import("~/routes/webhooks.fulfillments");
});

afterAll(async () => {
  await world.close();
});

const send = (
  topic: string,
  payload: unknown,
  extra: { secret?: string; webhookId?: string } = {},
) =>
  deliver(route.action, {
    path: "/webhooks/fulfillments",
    topic,
    shop: world.shop,
    payload,
    ...extra,
  });

const order = (id: string) =>
  world.sim.control.getOrder({ shop: world.shop, orderId: id });

async function notesOf(shipmentId: number) {
  const { rows } = await testPool().query(
    `select kind, source, details from shipment_notes where shipment_id = $1 order by id`,
    [shipmentId],
  );
  return rows;
}

describe("fulfillments/update", () => {
  it("a fulfillment cancelled in Shopify admin turns its shipment back to unshipped, with a note", async () => {
    const { order: created, lines } = await importOrder(world);
    const { shipmentId, fulfillmentId } = await shipAndSync(
      world,
      created.id,
      lines.map((l) => ({ lineId: l.id, quantity: 1 })),
      ["111122223333"],
    );

    await cancelInShopifyAdmin(world, fulfillmentId);
    const payload = fulfillmentPayload(order(created.id), fulfillmentId);
    expect(payload.status).toBe("cancelled");
    const webhookId = `cancel-${fulfillmentId}`;
    expect(await send("fulfillments/update", payload, { webhookId })).toBe(200);

    expect(await shipmentRow(shipmentId)).toMatchObject({
      status: "unshipped",
      sync_state: "in_sync",
      shopify_fulfillment_id: null,
      shipped_at: null,
    });
    expect(await notesOf(shipmentId)).toEqual([
      {
        kind: "fulfillment_cancelled_in_shopify",
        source: "webhook",
        details: expect.objectContaining({
          fulfillmentId,
          trackingNumbers: ["111122223333"],
          status: "CANCELLED",
        }),
      },
    ]);

    // Shopify delivers again (same webhook id), and a later update of the dead fulfillment: nothing more.
    expect(await send("fulfillments/update", payload, { webhookId })).toBe(200);
    expect(await send("fulfillments/update", payload)).toBe(200);
    expect(await notesOf(shipmentId)).toHaveLength(1);
  });

  it("tracking edited in Shopify admin is taken over, with a note", async () => {
    const { order: created, lines } = await importOrder(world);
    const { shipmentId, fulfillmentId } = await shipAndSync(
      world,
      created.id,
      [{ lineId: lines[0]!.id, quantity: 2 }],
      ["444455556666"],
    );

    await editTrackingInShopifyAdmin(world, fulfillmentId, {
      company: "Sagawa (JA)",
      number: "777788889999",
      url: "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=777788889999",
    });
    expect(
      await send(
        "fulfillments/update",
        fulfillmentPayload(order(created.id), fulfillmentId),
      ),
    ).toBe(200);

    const row = await shipmentRow(shipmentId);
    expect(row).toMatchObject({
      status: "shipped",
      sync_state: "in_sync",
      carrier: "Sagawa (JA)",
    });
    expect(row.tracking_numbers).toEqual(["777788889999"]);
    // Shopify's link is Shopify's: kept in the note, never stored as the merchant's URL.
    expect(row.tracking_url).toBeNull();
    expect(await notesOf(shipmentId)).toEqual([
      expect.objectContaining({
        kind: "tracking_changed_in_shopify",
        details: expect.objectContaining({
          before: ["444455556666"],
          after: ["777788889999"],
          urlsInShopify: [
            "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=777788889999",
          ],
        }),
      }),
    ]);
  });

  it("keeps a tracking correction of the operator's that is still to be sent", async () => {
    const { order: created, lines } = await importOrder(world);
    const { shipmentId, fulfillmentId } = await shipAndSync(
      world,
      created.id,
      [{ lineId: lines[0]!.id, quantity: 1 }],
      ["121212121212"],
    );
    const { markShipped } =
      await import("~/shipments/shipment-commands.server");
    const { getPool } = await import("~/db.server");
    await markShipped(getPool(), world.shop, shipmentId, {
      trackingNumbers: ["343434343434"],
      carrier: "Yamato (JA)",
      trackingUrl: null,
      notifyCustomer: false,
    });
    await editTrackingInShopifyAdmin(world, fulfillmentId, {
      number: "565656565656",
    });

    expect(
      await send(
        "fulfillments/update",
        fulfillmentPayload(order(created.id), fulfillmentId),
      ),
    ).toBe(200);

    const row = await shipmentRow(shipmentId);
    expect(row).toMatchObject({
      sync_state: "pending",
      pending_operation: "update_tracking",
    });
    expect(row.tracking_numbers).toEqual(["343434343434"]);
    expect(await notesOf(shipmentId)).toEqual([]);
  });

  it("settles an operator's pending revert when Shopify admin already cancelled the fulfillment", async () => {
    const { order: created, lines } = await importOrder(world);
    const { shipmentId, fulfillmentId } = await shipAndSync(
      world,
      created.id,
      [{ lineId: lines[1]!.id, quantity: 1 }],
      ["787878787878"],
    );
    const { revertShipment } =
      await import("~/shipments/shipment-commands.server");
    const { getPool } = await import("~/db.server");
    await revertShipment(getPool(), world.shop, shipmentId);
    expect(await shipmentRow(shipmentId)).toMatchObject({
      sync_state: "pending",
      pending_operation: "cancel_fulfillment",
    });

    await cancelInShopifyAdmin(world, fulfillmentId);
    expect(
      await send(
        "fulfillments/update",
        fulfillmentPayload(order(created.id), fulfillmentId),
      ),
    ).toBe(200);

    expect(await shipmentRow(shipmentId)).toMatchObject({
      status: "unshipped",
      sync_state: "in_sync",
      pending_operation: null,
      shopify_fulfillment_id: null,
    });
    expect(await notesOf(shipmentId)).toEqual([]);
  });

  it("refuses a forged signature with 401 and changes nothing", async () => {
    const { order: created, lines } = await importOrder(world);
    const { shipmentId, fulfillmentId } = await shipAndSync(
      world,
      created.id,
      [{ lineId: lines[0]!.id, quantity: 1 }],
      ["909090909090"],
    );
    await cancelInShopifyAdmin(world, fulfillmentId);
    const payload = fulfillmentPayload(order(created.id), fulfillmentId);

    expect(
      await send("fulfillments/update", payload, { secret: "forged-secret" }),
    ).toBe(401);
    expect(await shipmentRow(shipmentId)).toMatchObject({
      status: "shipped",
      shopify_fulfillment_id: fulfillmentId,
    });
  });
});

describe("fulfillments/create", () => {
  it("the app's own fulfillment echoed back changes nothing", async () => {
    const { order: created, lines } = await importOrder(world);
    const { shipmentId, fulfillmentId } = await shipAndSync(
      world,
      created.id,
      [{ lineId: lines[0]!.id, quantity: 2 }],
      ["135713571357"],
    );
    const before = await shipmentRow(shipmentId);

    expect(
      await send(
        "fulfillments/create",
        fulfillmentPayload(order(created.id), fulfillmentId),
      ),
    ).toBe(200);

    expect(await shipmentRow(shipmentId)).toEqual(before);
  });

  it("a fulfillment made in Shopify admin for exactly one unshipped shipment's lines is adopted by it", async () => {
    const { order: created, lines } = await importOrder(world);
    const { createShipmentsFromOrder } = await import("~/orders/orders.server");
    const { getPool } = await import("~/db.server");
    const made = await createShipmentsFromOrder(
      getPool(),
      world.shop,
      created.id,
      [
        {
          vendor: lines[0]!.vendor,
          lines: [{ lineId: lines[0]!.id, quantity: 2 }],
        },
        {
          vendor: lines[1]!.vendor,
          lines: [{ lineId: lines[1]!.id, quantity: 1 }],
        },
      ],
    );
    if (!made.ok) throw new Error("not created");
    const [arita, imabari] = made.shipmentIds;

    // Staff fulfil the towel line in Shopify admin, bypassing the app.
    const after = world.sim.control.seedFulfillment({
      shop: world.shop,
      orderId: created.id,
      lines: [{ lineItemId: lines[1]!.lineItemId, quantity: 1 }],
      trackingInfo: { company: "Japan Post (JA)", number: "EJ123456789JP" },
    });
    const fulfillmentId = after.fulfillments.at(-1)!.id;
    expect(
      await send(
        "fulfillments/create",
        fulfillmentPayload(after, fulfillmentId),
      ),
    ).toBe(200);

    expect(await shipmentRow(imabari!)).toMatchObject({
      status: "shipped",
      sync_state: "in_sync",
      shopify_fulfillment_id: fulfillmentId,
      carrier: "Japan Post (JA)",
      tracking_numbers: ["EJ123456789JP"],
    });
    expect(await shipmentRow(arita!)).toMatchObject({
      status: "unshipped",
      shopify_fulfillment_id: null,
    });
    expect((await notesOf(imabari!)).map((n) => n.kind)).toEqual([
      "fulfilled_in_shopify",
    ]);
  });

  it("a fulfillment in Shopify admin that matches no shipment exactly is noted on the shipments it overlaps", async () => {
    const { order: created, lines } = await importOrder(world);
    const { createShipmentsFromOrder } = await import("~/orders/orders.server");
    const { getPool } = await import("~/db.server");
    const made = await createShipmentsFromOrder(
      getPool(),
      world.shop,
      created.id,
      [
        {
          vendor: lines[0]!.vendor,
          lines: [{ lineId: lines[0]!.id, quantity: 2 }],
        },
      ],
    );
    if (!made.ok) throw new Error("not created");
    const after = world.sim.control.seedFulfillment({
      shop: world.shop,
      orderId: created.id,
      lines: [{ lineItemId: lines[0]!.lineItemId, quantity: 1 }],
    });
    const payload = fulfillmentPayload(after, after.fulfillments.at(-1)!.id);

    expect(await send("fulfillments/create", payload)).toBe(200);
    expect(await send("fulfillments/update", payload)).toBe(200);

    expect(await shipmentRow(made.shipmentIds[0]!)).toMatchObject({
      status: "unshipped",
    });
    expect((await notesOf(made.shipmentIds[0]!)).map((n) => n.kind)).toEqual([
      "lines_fulfilled_in_shopify",
    ]);
  });

  it("answers 400 to a payload that is not a fulfillment", async () => {
    expect(await send("fulfillments/create", { id: "x" })).toBe(400);
  });
});

describe("every fulfillments topic", () => {
  it.each(["fulfillments/create", "fulfillments/update"])(
    "%s refuses a forged signature with 401",
    async (topic) => {
      const { order: created, lines } = await importOrder(world);
      const after = world.sim.control.seedFulfillment({
        shop: world.shop,
        orderId: created.id,
        lines: [{ lineItemId: lines[1]!.lineItemId, quantity: 1 }],
      });
      const payload = fulfillmentPayload(after, after.fulfillments.at(-1)!.id);
      expect(await send(topic, payload, { secret: "forged-secret" })).toBe(401);
      const { rowCount } = await testPool().query(
        `select 1 from webhook_events where resource_id = $1`,
        [payload.admin_graphql_api_id],
      );
      expect(rowCount).toBe(0);
    },
  );
});
