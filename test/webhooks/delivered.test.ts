import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  shipmentRow,
  startSyncWorld,
  type SyncWorld,
} from "../helpers/sync-world";
import {
  startWebhookApp,
  webhookConfigFor,
  type WebhookApp,
} from "../helpers/webhook-app";
import { testPool } from "../support/database";
import { importOrder, shipAndSync } from "../reconcile/fixtures";

// Changes made in the simulator's "Shopify admin" reach the app the way they do in
// production: the simulator delivers the webhooks shopify.app.toml subscribes to, over
// HTTP, signed, duplicated and out of order (seeded), to the app's real webhook routes;
// nobody posts a webhook by hand here.
let world: SyncWorld;
let app: WebhookApp;

beforeAll(async () => {
  world = await startSyncWorld();
  app = await startWebhookApp();
  world.sim.webhooks.configure(
    webhookConfigFor(app, world.sim, {
      seed: 5,
      duplicateRate: 0.4,
      reorderWindowMs: 150,
      retryScheduleMs: [50, 100, 200, 400],
    }),
  );
});

afterAll(async () => {
  world.sim.webhooks.stop();
  await app?.close();
  await world?.close();
});

const control = () => world.sim.control;

async function notesOf(shipmentId: number) {
  const { rows } = await testPool().query<{ kind: string; source: string }>(
    `select kind, source from shipment_notes where shipment_id = $1 order by id`,
    [shipmentId],
  );
  return rows;
}

/** A shipment of one unit of a line, marked shipped; its sync not run yet. */
async function markShippedNotSynced(orderId: string, lineId: number) {
  const { createShipmentsFromOrder } = await import("~/orders/orders.server");
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  const { getPool } = await import("~/db.server");
  const created = await createShipmentsFromOrder(
    getPool(),
    world.shop,
    orderId,
    [{ vendor: null, lines: [{ lineId, quantity: 1 }] }],
  );
  if (!created.ok) throw new Error(created.reason);
  const shipmentId = created.shipmentIds[0]!;
  await markShipped(getPool(), world.shop, shipmentId, {
    trackingNumbers: ["444455556666"],
    carrier: "Yamato (JA)",
    trackingUrl: null,
    notifyCustomer: false,
  });
  return shipmentId;
}

async function shippedShipment(numbers: string[]) {
  const { order, lines } = await importOrder(world);
  const shipped = await shipAndSync(
    world,
    order.id,
    lines.map((l) => ({ lineId: l.id, quantity: 1 })),
    numbers,
  );
  // The app's own fulfillmentCreate fires fulfillments/create and orders/updated too.
  await world.sim.webhooks.idle();
  return { order, ...shipped };
}

describe("webhooks delivered by the simulator to the app's routes", () => {
  it("a fulfillment cancelled in Shopify admin turns its shipment back to unshipped", async () => {
    const { shipmentId, fulfillmentId } = await shippedShipment([
      "111122223333",
    ]);
    expect(await shipmentRow(shipmentId)).toMatchObject({
      status: "shipped",
      sync_state: "in_sync",
    });

    control().cancelFulfillment({ shop: world.shop, fulfillmentId });
    await world.sim.webhooks.idle();

    expect(await shipmentRow(shipmentId)).toMatchObject({
      status: "unshipped",
      sync_state: "in_sync",
      shopify_fulfillment_id: null,
    });
    expect(await notesOf(shipmentId)).toEqual([
      { kind: "fulfillment_cancelled_in_shopify", source: "webhook" },
    ]);
    const cancelled = control()
      .webhookDeliveries({ topic: "fulfillments/update" })
      .filter((d) => JSON.parse(d.body).admin_graphql_api_id === fulfillmentId);
    expect(cancelled.every((d) => d.state === "delivered")).toBe(true);
  });

  it("tracking edited several times in Shopify admin: deliveries arrive out of order, the shipment ends with the last edit", async () => {
    const { shipmentId, fulfillmentId } = await shippedShipment([
      "222233334444",
    ]);
    const edits = [
      "300000000001",
      "300000000002",
      "300000000003",
      "300000000004",
    ];
    for (const number of edits) {
      control().updateFulfillmentTracking({
        shop: world.shop,
        fulfillmentId,
        tracking: { company: "Sagawa (JA)", number },
      });
    }
    await world.sim.webhooks.idle();

    const arrived = app.answers
      .slice(-20)
      .filter((a) => a.topic === "fulfillments/update");
    expect(arrived.every((a) => a.status === 200)).toBe(true);
    // The order the edits' deliveries were made in (first attempts) is not the edits' order.
    const deliveries = control()
      .webhookDeliveries({ topic: "fulfillments/update" })
      .filter((d) => JSON.parse(d.body).admin_graphql_api_id === fulfillmentId);
    const byArrival = [...deliveries]
      .sort((a, b) => a.attempts[0]!.at.localeCompare(b.attempts[0]!.at))
      .map((d) => JSON.parse(d.body).tracking_number as string);
    expect(byArrival.at(-1)).not.toBe(edits.at(-1));

    expect(await shipmentRow(shipmentId)).toMatchObject({
      status: "shipped",
      sync_state: "in_sync",
      tracking_numbers: [edits.at(-1)],
      carrier: "Sagawa (JA)",
    });
    expect(
      (await notesOf(shipmentId)).every(
        (n) => n.kind === "tracking_changed_in_shopify",
      ),
    ).toBe(true);
  });

  it("Shopify's own tracking link is never sent back as the merchant's; each number keeps its own link", async () => {
    const { shipmentId, fulfillmentId, order } = await shippedShipment([
      "777700001111",
    ]);
    // Edited in Shopify admin: Sagawa, no URL typed; Shopify builds the link.
    control().updateFulfillmentTracking({
      shop: world.shop,
      fulfillmentId,
      tracking: { company: "Sagawa (JA)", number: "777700002222" },
    });
    await world.sim.webhooks.idle();
    expect(await shipmentRow(shipmentId)).toMatchObject({
      tracking_numbers: ["777700002222"],
      tracking_url: null,
    });

    // The merchant then adds a second number in the app: the correction carries no URL,
    // so Shopify builds one link per number for its company.
    const { markShipped } =
      await import("~/shipments/shipment-commands.server");
    const { syncNow } = await import("~/sync/sync-runner.server");
    const { getPool } = await import("~/db.server");
    await markShipped(getPool(), world.shop, shipmentId, {
      trackingNumbers: ["777700002222", "777700003333"],
      carrier: "Sagawa (JA)",
      trackingUrl: null,
      notifyCustomer: false,
    });
    expect((await syncNow(world.shop, shipmentId)).kind).toBe("synced");
    const { rows } = await testPool().query<{ request: any }>(
      `select request from sync_attempts where shipment_id = $1 and operation = 'update_tracking'
        order by id desc limit 1`,
      [shipmentId],
    );
    expect(rows[0]!.request.trackingInfoInput).not.toHaveProperty("urls");
    const fulfillment = control()
      .getOrder({ shop: world.shop, orderId: order.id })
      .fulfillments.find((f) => f.id === fulfillmentId)!;
    expect(fulfillment.trackingInfo.map((t) => t.url)).toEqual([
      "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=777700002222",
      "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=777700003333",
    ]);
    await world.sim.webhooks.idle();
  });

  it("an order cancelled in Shopify admin stops its shipments' pending syncs", async () => {
    const { order, lines } = await importOrder(world);
    const shipmentId = await markShippedNotSynced(order.id, lines[0]!.id);
    expect(await shipmentRow(shipmentId)).toMatchObject({
      sync_state: "pending",
    });

    control().setOrderState({
      shop: world.shop,
      orderId: order.id,
      state: "cancelled",
    });
    await world.sim.webhooks.idle();

    expect(await shipmentRow(shipmentId)).toMatchObject({
      sync_state: "failed",
      last_error_class: "invalid",
    });
    const { rows } = await testPool().query(
      `select cancelled_at from orders where shop = $1 and order_id = $2`,
      [world.shop, order.id],
    );
    expect(rows[0]?.cancelled_at).not.toBeNull();
  });

  it("a fulfillment order moved in Shopify admin is announced; the next shipment maps onto the moved FO", async () => {
    const { order, lines } = await importOrder(world);
    const [, destination] = control().getShop({ shop: world.shop }).locations;
    control().changeFulfillmentOrder({
      shop: world.shop,
      fulfillmentOrderId: order.fulfillmentOrders[0]!.id,
      action: "move",
      toLocationId: destination!.id,
    });
    await world.sim.webhooks.idle();
    const { rows } = await testPool().query(
      `select outcome from webhook_events where shop = $1 and topic = 'fulfillment_orders/moved'`,
      [world.shop],
    );
    expect(rows.length).toBeGreaterThan(0);

    const { fulfillmentId } = await shipAndSync(
      world,
      order.id,
      lines.map((l) => ({ lineId: l.id, quantity: 1 })),
      ["555566667777"],
    );
    const fulfillment = control()
      .getOrder({ shop: world.shop, orderId: order.id })
      .fulfillments.find((f) => f.id === fulfillmentId)!;
    expect(fulfillment.locationId).toBe(destination!.id);
  });

  it("a scheduled fulfillment order that becomes due re-queues the shipment it refused, which then syncs", async () => {
    // Due a moment ago; Shopify opens due FOs on its own schedule (here: on the tick
    // below). The simulator's clock stays the real one, so X-Shopify-Triggered-At is now.
    const fulfillAt = new Date(Date.now() - 1_000).toISOString();
    const { order, lines } = await importOrder(
      world,
      [{ title: "越前漆器 椀", quantity: 1, vendor: "越前漆器" }],
      {
        fulfillmentOrders: [
          {
            locationId: control().getShop({ shop: world.shop }).locations[0]!
              .id,
            status: "SCHEDULED",
            fulfillAt,
            lines: [{ lineIndex: 0, quantity: 1 }],
          },
        ],
      },
    );
    const shipmentId = await markShippedNotSynced(order.id, lines[0]!.id);
    const { syncNow } = await import("~/sync/sync-runner.server");
    const refused = await syncNow(world.shop, shipmentId);
    expect(refused.kind).not.toBe("synced");
    expect(await shipmentRow(shipmentId)).toMatchObject({
      sync_state: "failed",
      last_error_class: "invalid",
    });

    // Shopify opens the due FO and sends scheduled_fulfillment_order_ready.
    control().releaseDueFulfillmentOrders({ shop: world.shop });
    await world.sim.webhooks.idle();
    const { rows } = await testPool().query(
      `select outcome, details from webhook_events
        where shop = $1 and topic = 'fulfillment_orders/scheduled_fulfillment_order_ready'`,
      [world.shop],
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        outcome: "retried",
        details: expect.objectContaining({ retried: [shipmentId] }),
      }),
    );
    expect(await shipmentRow(shipmentId)).toMatchObject({
      sync_state: "pending",
      pending_operation: "create_fulfillment",
    });
    expect((await syncNow(world.shop, shipmentId)).kind).toBe("synced");
  });

  it("a delivery the app answers 503 (Shopify unreadable just then) is retried until it is taken", async () => {
    const { shipmentId, fulfillmentId } = await shippedShipment([
      "666677778888",
    ]);
    // The app's read of the fulfillment fails twice, as during a Shopify outage.
    control().injectFault({
      shop: world.shop,
      operation: "nodes",
      action: { type: "httpError", status: 503 },
      times: 2,
    });
    control().cancelFulfillment({ shop: world.shop, fulfillmentId });
    await world.sim.webhooks.idle();

    // The original and the simulator's duplicate of it: a copy arriving while the other
    // holds the delivery's claim is answered 200 at once; the one that got 503 is
    // retried by Shopify until it is taken.
    const copies = control()
      .webhookDeliveries({ topic: "fulfillments/update" })
      .filter((d) => JSON.parse(d.body).admin_graphql_api_id === fulfillmentId);
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.flatMap((d) => d.attempts.map((a) => a.outcome))).toContain(
      503,
    );
    for (const delivery of copies) {
      expect(delivery.state).toBe("delivered");
      expect(delivery.attempts.at(-1)!.outcome).toBe(200);
    }
    expect(await shipmentRow(shipmentId)).toMatchObject({
      status: "unshipped",
    });
  });

  it("the merchant changes the shop's time zone in Shopify: shop/update has the app read it again, through one refused read", async () => {
    const storedZone = async () =>
      (await testPool().query<{ iana_timezone: string | null }>(`select iana_timezone from shops where shop = $1`, [world.shop]))
        .rows[0]?.iana_timezone;
    const before = await storedZone();
    // The app's first read of the zone meets an outage: the delivery is answered 503 and
    // Shopify delivers it again.
    control().injectFault({
      shop: world.shop,
      operation: "shop",
      action: { type: "httpError", status: 503 },
      times: 1,
    });
    control().setShopTimeZone({ shop: world.shop, ianaTimezone: "Europe/Berlin" });
    await world.sim.webhooks.idle();

    expect(before).not.toBe("Europe/Berlin");
    expect(await storedZone()).toBe("Europe/Berlin");
    const copies = control().webhookDeliveries({ shop: world.shop, topic: "shop/update" });
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.flatMap((d) => d.attempts.map((a) => a.outcome))).toContain(503);
    for (const delivery of copies) expect(delivery.attempts.at(-1)!.outcome).toBe(200);
    // Read from Shopify, not taken from the payload: the reads the app made, with its token.
    expect(
      control()
        .requestLog({ shop: world.shop })
        .filter((r) => r.operationName === "ShopTimeZone")
        .map((r) => r.outcome),
    ).toEqual(expect.arrayContaining([503, 200]));
  });

  it("deliveries were duplicated; every event reached the app", async () => {
    await world.sim.webhooks.idle();
    const deliveries = control().webhookDeliveries({ shop: world.shop });
    expect(deliveries.some((d) => d.duplicate)).toBe(true);
    expect(
      deliveries
        .filter((d) => d.state !== "delivered")
        .map((d) => [d.topic, d.state, d.attempts]),
    ).toEqual([]);
    // A duplicate carries its event's id under a webhook id of its own.
    for (const copy of deliveries.filter((d) => d.duplicate)) {
      const original = deliveries.find(
        (d) => !d.duplicate && d.eventId === copy.eventId,
      )!;
      expect(original.webhookId).not.toBe(copy.webhookId);
      expect(original.body).toBe(copy.body);
    }
  });
});
