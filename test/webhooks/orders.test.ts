import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";
import { deliver, orderPayload } from "../reconcile/fixtures";
import type * as OrdersRoute from "~/routes/webhooks.orders";

// orders/create, orders/updated and orders/cancelled through the real route: signed with
// the app secret, authenticated by the library, then the database.
let world: SyncWorld;
let route: typeof OrdersRoute;

beforeAll(async () => {
  world = await startSyncWorld();
  route = await import("~/routes/webhooks.orders");
});

afterAll(async () => {
  await world.close();
});

const send = (
  topic: string,
  payload: unknown,
  extra: { secret?: string; shop?: string; webhookId?: string } = {},
) =>
  deliver(route.action, {
    path: "/webhooks/orders",
    topic,
    shop: extra.shop ?? world.shop,
    payload,
    secret: extra.secret,
    webhookId: extra.webhookId,
  });

async function linesOf(orderId: string) {
  const { rows } = await testPool().query(
    `select line_item_id, order_name, title, sku, vendor, quantity from line_items
      where shop = $1 and order_id = $2 order by line_item_id`,
    [world.shop, orderId],
  );
  return rows;
}

function newOrder(
  lines = [
    {
      title: "有田焼 豆皿",
      sku: "ARITA-1",
      quantity: 2,
      vendor: "有田焼 窯元",
    },
    {
      title: "今治タオル",
      sku: "IMA-1",
      quantity: 1,
      vendor: "今治タオル工房",
    },
  ],
) {
  return world.sim.control.createOrder({ shop: world.shop, lines });
}

describe("orders/create", () => {
  it("stores the order's lines with their vendor, and no customer data", async () => {
    const order = newOrder();
    const status = await send("orders/create", orderPayload(order));

    expect(status).toBe(200);
    expect(await linesOf(order.id)).toEqual(
      order.lineItems
        .map((l) => ({
          line_item_id: l.id,
          order_name: order.name,
          title: l.title,
          sku: l.sku,
          vendor: l.vendor,
          quantity: l.quantity,
        }))
        .sort((a, b) => a.line_item_id.localeCompare(b.line_item_id)),
    );
    const { rows } = await testPool().query(
      `select * from orders where shop = $1 and order_id = $2`,
      [world.shop, order.id],
    );
    expect(rows[0]).toMatchObject({
      order_name: order.name,
      cancelled_at: null,
    });
    // Nothing of the customer anywhere (e-mail, name, phone were in the payload).
    const stored = await Promise.all(
      ["orders", "line_items", "webhook_events"].map((table) =>
        testPool().query(`select * from ${table} where shop = $1`, [
          world.shop,
        ]),
      ),
    );
    const everything = JSON.stringify(stored.map((r) => r.rows));
    expect(everything).not.toMatch(/hanako@example\.jp|佐藤|\+81-3/);
  });

  it("answers a redelivery 200 and stores it once", async () => {
    const order = newOrder();
    const webhookId = `redelivered-${order.id}`;
    expect(
      await send("orders/create", orderPayload(order), { webhookId }),
    ).toBe(200);
    expect(
      await send("orders/create", orderPayload(order), { webhookId }),
    ).toBe(200);

    const { rows } = await testPool().query(
      `select outcome from webhook_events where shop = $1 and webhook_id = $2`,
      [world.shop, webhookId],
    );
    expect(rows).toEqual([{ outcome: "applied" }]);
    expect(await linesOf(order.id)).toHaveLength(2);
  });

  it("refuses a forged signature with 401 and stores nothing", async () => {
    const order = newOrder();
    expect(
      await send("orders/create", orderPayload(order), {
        secret: "forged-secret",
      }),
    ).toBe(401);
    expect(await linesOf(order.id)).toEqual([]);
  });

  it("answers 200 for a shop the app does not know, storing nothing", async () => {
    const order = newOrder();
    expect(
      await send("orders/create", orderPayload(order), {
        shop: "stranger.myshopify.com",
      }),
    ).toBe(200);
    const { rowCount } = await testPool().query(
      `select 1 from line_items where order_id = $1`,
      [order.id],
    );
    expect(rowCount).toBe(0);
  });

  it("answers 400 to a payload that is not an order", async () => {
    expect(await send("orders/create", { id: 1, line_items: "nope" })).toBe(
      400,
    );
  });
});

describe("orders/updated", () => {
  it("applies a newer update (quantity edited, a line removed) and ignores an older one arriving late", async () => {
    const order = newOrder();
    await send(
      "orders/create",
      orderPayload(order, { updated_at: "2026-11-20T10:00:00Z" }),
    );
    const [first, second] = order.lineItems;

    const edited = orderPayload(order, {
      updated_at: "2026-11-20T12:00:00Z",
      name: order.name,
    });
    edited.line_items[0]!.current_quantity = 1;
    edited.line_items[1]!.current_quantity = 0; // removed by an order edit
    expect(await send("orders/updated", edited)).toBe(200);
    expect(
      (await linesOf(order.id)).map((l) => [l.line_item_id, l.quantity]),
    ).toEqual([[first!.id, 1]]);

    const late = orderPayload(order, { updated_at: "2026-11-20T11:00:00Z" });
    expect(await send("orders/updated", late)).toBe(200);
    expect(
      (await linesOf(order.id)).map((l) => [l.line_item_id, l.quantity]),
    ).toEqual([[first!.id, 1]]);
    const { rows } = await testPool().query(
      `select outcome from webhook_events where shop = $1 and resource_id = $2 order by id`,
      [world.shop, order.id],
    );
    expect(rows.map((r) => r.outcome)).toEqual(["applied", "applied", "stale"]);
    expect(second).toBeDefined();
  });

  it("keeps a removed line that a shipment still names", async () => {
    const order = newOrder();
    await send(
      "orders/create",
      orderPayload(order, { updated_at: "2026-11-20T10:00:00Z" }),
    );
    const { createShipmentsFromOrder } = await import("~/orders/orders.server");
    const { getPool } = await import("~/db.server");
    const lines = await testPool().query<{ id: string; line_item_id: string }>(
      `select id, line_item_id from line_items where shop = $1 and order_id = $2 order by id`,
      [world.shop, order.id],
    );
    await createShipmentsFromOrder(getPool(), world.shop, order.id, [
      {
        vendor: "今治タオル工房",
        lines: [{ lineId: Number(lines.rows[1]!.id), quantity: 1 }],
      },
    ]);

    const edited = orderPayload(order, { updated_at: "2026-11-20T12:00:00Z" });
    edited.line_items[1]!.current_quantity = 0;
    expect(await send("orders/updated", edited)).toBe(200);
    expect((await linesOf(order.id)).map((l) => l.line_item_id)).toEqual(
      lines.rows.map((r) => r.line_item_id).sort(),
    );
  });
});

describe("orders/cancelled", () => {
  it("stops the pending syncs of the order's shipments without calling Shopify, with a note", async () => {
    const order = newOrder();
    await send("orders/create", orderPayload(order));
    const { createShipmentsFromOrder } = await import("~/orders/orders.server");
    const { markShipped } =
      await import("~/shipments/shipment-commands.server");
    const { getPool } = await import("~/db.server");
    const lines = await testPool().query<{ id: string; vendor: string }>(
      `select id, vendor from line_items where shop = $1 and order_id = $2 order by id`,
      [world.shop, order.id],
    );
    const created = await createShipmentsFromOrder(
      getPool(),
      world.shop,
      order.id,
      lines.rows.map((l) => ({
        vendor: l.vendor,
        lines: [{ lineId: Number(l.id), quantity: 1 }],
      })),
    );
    if (!created.ok) throw new Error("shipments not created");
    const [pending, untouched] = created.shipmentIds;
    // One shipment marked shipped: its create is pending (queued, not yet run).
    await markShipped(getPool(), world.shop, pending!, {
      trackingNumbers: ["123456789012"],
      carrier: "Yamato (JA)",
      trackingUrl: null,
      notifyCustomer: false,
    });
    const callsBefore = world.sim.control.requestLog({
      shop: world.shop,
    }).length;

    const cancelled = world.sim.control.setOrderState({
      shop: world.shop,
      orderId: order.id,
      state: "cancelled",
    });
    expect(
      await send(
        "orders/cancelled",
        orderPayload(cancelled, { updated_at: cancelled.cancelledAt }),
      ),
    ).toBe(200);

    const { rows } = await testPool().query(
      `select id, status, sync_state, pending_operation, last_error_class, last_error_message, last_error_detail
         from shipments where id = any($1::bigint[]) order by id`,
      [[pending, untouched]],
    );
    expect(rows[0]).toMatchObject({
      status: "shipped",
      sync_state: "failed",
      pending_operation: "create_fulfillment",
      last_error_class: "invalid",
    });
    expect(rows[0].last_error_message).toMatch(
      /cancelled in Shopify.*nothing was sent/,
    );
    // The app's own words, as a message each page renders in its language.
    expect(rows[0].last_error_detail).toEqual({
      key: "fulfillment.problems.orderCancelledStopped",
      params: { order: cancelled.name },
    });
    expect(rows[1]).toMatchObject({
      status: "unshipped",
      sync_state: "in_sync",
    });
    const jobs = await testPool().query(
      `select 1 from graphile_worker.jobs where key = $1`,
      [`sync-shipment:${pending}`],
    );
    expect(jobs.rowCount).toBe(0);
    const notes = await testPool().query(
      `select kind, source from shipment_notes where shipment_id = $1`,
      [pending],
    );
    expect(notes.rows).toEqual([
      { kind: "order_cancelled_in_shopify", source: "webhook" },
    ]);
    expect(world.sim.control.requestLog({ shop: world.shop })).toHaveLength(
      callsBefore,
    );
    const stored = await testPool().query(
      `select cancelled_at from orders where order_id = $1`,
      [order.id],
    );
    expect(stored.rows[0].cancelled_at).toBeInstanceOf(Date);
  });

  it("refuses a forged signature with 401", async () => {
    const order = newOrder();
    expect(
      await send("orders/cancelled", orderPayload(order), { secret: "forged" }),
    ).toBe(401);
  });
});

describe("every orders topic", () => {
  it.each(["orders/create", "orders/updated", "orders/cancelled"])(
    "%s refuses a forged signature with 401 and stores nothing",
    async (topic) => {
      const order = newOrder();
      expect(
        await send(topic, orderPayload(order), { secret: "forged-secret" }),
      ).toBe(401);
      expect(await linesOf(order.id)).toEqual([]);
    },
  );
});
