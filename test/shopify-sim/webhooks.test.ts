import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { harness, SHOP } from "./fixtures";
import { loadAdminSchema } from "./schema";
import { SHOPIFY_RETRY_SCHEDULE_MS, topicScopesFromSchema, type WebhookConfig } from "./webhooks";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const SECRET = "app-secret";
const receivers: { close(): void }[] = [];
afterEach(() => {
  for (const r of receivers.splice(0)) r.close();
});

/** A stand-in app endpoint: records each POST and answers with `answer(n)` (n = request number). */
async function receiver(answer: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(answer(received.length)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receivers.push({ close: () => server.close() });
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const SUBSCRIPTIONS: WebhookConfig["subscriptions"] = [
  { topics: ["orders/create", "orders/updated", "orders/cancelled"], uri: "/webhooks/orders" },
  { topics: ["fulfillments/create", "fulfillments/update"], uri: "/webhooks/fulfillments" },
  {
    topics: ["fulfillment_orders/moved", "fulfillment_orders/scheduled_fulfillment_order_ready"],
    uri: "/webhooks/fulfillment_orders",
  },
  { topics: ["app/uninstalled"], uri: "/webhooks/app/uninstalled" },
  { topics: ["app/scopes_update"], uri: "/webhooks/app/scopes_update" },
];

function config(appUrl: string, extra: Partial<WebhookConfig> = {}): WebhookConfig {
  return { appUrl, secret: SECRET, apiVersion: "2026-10", subscriptions: SUBSCRIPTIONS, ...extra };
}

const SCOPES_WITH_FULFILLMENTS = [
  "read_orders",
  "read_merchant_managed_fulfillment_orders",
  "write_merchant_managed_fulfillment_orders",
  "read_fulfillments",
];

describe("webhook deliveries", () => {
  it("POSTs each subscribed topic signed with the app's secret, with Shopify's headers", async () => {
    const app = await receiver();
    const { sim } = await harness({ scopes: SCOPES_WITH_FULFILLMENTS });
    sim.webhooks.configure(config(app.origin));
    const order = sim.control.createOrder({ shop: SHOP, name: "#1001", lines: [{ title: "Mug", quantity: 1, vendor: "窯元" }] });
    await sim.webhooks.idle();

    expect(app.received).toHaveLength(1);
    const [delivery] = app.received;
    expect(delivery!.path).toBe("/webhooks/orders");
    const h = delivery!.headers;
    expect(h["content-type"]).toBe("application/json");
    expect(h["x-shopify-topic"]).toBe("orders/create");
    expect(h["x-shopify-shop-domain"]).toBe(SHOP);
    expect(h["x-shopify-api-version"]).toBe("2026-10");
    expect(h["x-shopify-webhook-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(h["x-shopify-event-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(h["x-shopify-triggered-at"]).toBe(order.createdAt);
    expect(h["x-shopify-hmac-sha256"]).toBe(createHmac("sha256", SECRET).update(delivery!.body, "utf8").digest("base64"));
    const payload = JSON.parse(delivery!.body);
    expect(payload).toMatchObject({
      id: Number(order.id.split("/").pop()),
      admin_graphql_api_id: order.id,
      name: "#1001",
      line_items: [{ admin_graphql_api_id: order.lineItems[0]!.id, vendor: "窯元", quantity: 1 }],
    });
  });

  it("fires fulfillments/*, orders/* and fulfillment_orders/* when the shop changes, whoever changes it", async () => {
    const app = await receiver();
    const { sim, time } = await harness({ scopes: SCOPES_WITH_FULFILLMENTS });
    const order = sim.control.createOrder({
      shop: SHOP,
      lines: [{ title: "Mug", quantity: 2 }],
      fulfillmentOrders: [
        { locationId: "gid://shopify/Location/1", lines: [{ lineIndex: 0, quantity: 1 }] },
        {
          locationId: "gid://shopify/Location/1",
          status: "SCHEDULED",
          fulfillAt: "2026-11-26T00:00:00Z",
          lines: [{ lineIndex: 0, quantity: 1 }],
        },
      ],
    });
    sim.webhooks.configure(config(app.origin));
    const lineItemId = order.lineItems[0]!.id;
    const seeded = sim.control.seedFulfillment({
      shop: SHOP,
      orderId: order.id,
      lines: [{ lineItemId, quantity: 1 }],
      trackingInfo: { company: "Yamato (JA)", number: "123456789012" },
    });
    const fulfillmentId = seeded.fulfillments[0]!.id;
    sim.control.updateFulfillmentTracking({ shop: SHOP, fulfillmentId, tracking: { company: "Yamato (JA)", number: "999988887777" } });
    sim.control.cancelFulfillment({ shop: SHOP, fulfillmentId });
    sim.control.advanceClock({ ms: 86_400_000 });
    const openFo = sim.control.getOrder({ shop: SHOP, orderId: order.id }).fulfillmentOrders.find((fo) => fo.status === "OPEN")!;
    sim.control.changeFulfillmentOrder({
      shop: SHOP,
      fulfillmentOrderId: openFo.id,
      action: "move",
      toLocationId: "gid://shopify/Location/2",
    });
    sim.control.setOrderState({ shop: SHOP, orderId: order.id, state: "cancelled" });
    time.advance(0);
    await sim.webhooks.idle();

    expect(app.received.map((r) => r.headers["x-shopify-topic"])).toEqual([
      "fulfillments/create",
      "orders/updated",
      "fulfillments/update",
      "fulfillments/update",
      "orders/updated",
      "fulfillment_orders/scheduled_fulfillment_order_ready",
      "fulfillment_orders/moved",
      "orders/cancelled",
      "orders/updated",
    ]);
    const bodies = app.received.map((r) => JSON.parse(r.body));
    expect(bodies[2]).toMatchObject({ status: "success", tracking_numbers: ["999988887777"], tracking_company: "Yamato (JA)" });
    expect(bodies[3]).toMatchObject({ status: "cancelled", admin_graphql_api_id: fulfillmentId });
    expect(bodies[5]).toEqual({ fulfillment_order: { id: expect.stringMatching(/^gid:\/\/shopify\/FulfillmentOrder\//), status: "open" } });
    expect(bodies[6]).toMatchObject({
      original_fulfillment_order: { id: openFo.id, status: "closed" },
      moved_fulfillment_order: { status: "open" },
    });
    expect(bodies[7]).toMatchObject({ cancelled_at: expect.any(String), admin_graphql_api_id: order.id });
  });

  it("delivers nothing the app lacks the scope for, and nothing but app/uninstalled once uninstalled", async () => {
    const app = await receiver();
    const { sim } = await harness(); // no read_fulfillments
    const order = sim.control.createOrder({ shop: SHOP, lines: [{ title: "Mug", quantity: 1 }] });
    sim.webhooks.configure(config(app.origin));
    sim.control.seedFulfillment({ shop: SHOP, orderId: order.id, lines: [{ lineItemId: order.lineItems[0]!.id, quantity: 1 }] });
    sim.control.uninstallApp({ shop: SHOP });
    sim.control.setOrderState({ shop: SHOP, orderId: order.id, state: "closed" });
    await sim.webhooks.idle();
    expect(app.received.map((r) => r.headers["x-shopify-topic"])).toEqual(["orders/updated", "app/uninstalled"]);
    expect(JSON.parse(app.received[1]!.body)).toMatchObject({ myshopify_domain: SHOP, domain: SHOP });
  });

  it("sends app/scopes_update with the previous and current scopes", async () => {
    const app = await receiver();
    const { sim } = await harness();
    sim.webhooks.configure(config(app.origin));
    sim.control.setScopes({ shop: SHOP, scopes: ["read_orders"] });
    sim.control.setScopes({ shop: SHOP, scopes: ["read_orders"] }); // no change, no webhook
    await sim.webhooks.idle();
    expect(app.received).toHaveLength(1);
    expect(JSON.parse(app.received[0]!.body)).toMatchObject({
      previous: ["read_merchant_managed_fulfillment_orders", "read_orders", "write_merchant_managed_fulfillment_orders"],
      current: ["read_orders"],
    });
  });

  it("retries what the app does not answer with 2xx: same body, webhook id, event id and triggered-at", async () => {
    const app = await receiver((n) => (n <= 2 ? 500 : 200));
    const { sim } = await harness();
    sim.webhooks.configure(config(app.origin, { retryScheduleMs: [5, 10, 20] }));
    sim.control.createOrder({ shop: SHOP, lines: [{ title: "Mug", quantity: 1 }] });
    await sim.webhooks.idle();
    expect(app.received).toHaveLength(3);
    for (const name of ["x-shopify-webhook-id", "x-shopify-event-id", "x-shopify-triggered-at", "x-shopify-hmac-sha256"]) {
      expect(new Set(app.received.map((r) => r.headers[name])).size).toBe(1);
    }
    expect(new Set(app.received.map((r) => r.body)).size).toBe(1);
    expect(sim.control.webhookDeliveries()).toEqual([
      expect.objectContaining({
        state: "delivered",
        attempts: [
          expect.objectContaining({ outcome: 500 }),
          expect.objectContaining({ outcome: 500 }),
          expect.objectContaining({ outcome: 200 }),
        ],
      }),
    ]);
  });

  it("gives up after the last retry; a dead endpoint counts as a failed attempt", async () => {
    const { sim } = await harness();
    const app = await receiver(() => 503);
    sim.webhooks.configure(config(app.origin, { retryScheduleMs: [1, 1] }));
    sim.control.createOrder({ shop: SHOP, lines: [{ title: "Mug", quantity: 1 }] });
    await sim.webhooks.idle();
    expect(app.received).toHaveLength(3);
    expect(sim.control.webhookDeliveries()[0]).toMatchObject({ state: "failed" });

    sim.webhooks.configure(config("http://127.0.0.1:9", { retryScheduleMs: [] }));
    sim.control.createOrder({ shop: SHOP, lines: [{ title: "Mug", quantity: 1 }] });
    await sim.webhooks.idle();
    expect(sim.control.webhookDeliveries()[1]).toMatchObject({
      state: "failed",
      attempts: [expect.objectContaining({ outcome: "connection_error" })],
    });
  });

  it("duplicates and reorders deliveries as configured, reproducibly for a seed", async () => {
    const run = async (seed: number) => {
      const app = await receiver();
      const { sim } = await harness();
      sim.webhooks.configure(config(app.origin, { seed, duplicateRate: 0.5, reorderWindowMs: 40 }));
      for (let i = 0; i < 12; i++) sim.control.createOrder({ shop: SHOP, name: `#${2000 + i}`, lines: [{ title: "Mug", quantity: 1 }] });
      await sim.webhooks.idle();
      return sim.control.webhookDeliveries().map((d) => ({ name: JSON.parse(d.body).name, duplicate: d.duplicate, eventId: d.eventId, webhookId: d.webhookId }));
    };
    const first = await run(7);
    const names = first.map((d) => d.name);
    // Every event arrives at least once; some twice, each copy with its own webhook id.
    expect(new Set(names).size).toBe(12);
    const duplicates = first.filter((d) => d.duplicate);
    expect(duplicates.length).toBeGreaterThan(0);
    for (const copy of duplicates) {
      const original = first.find((d) => !d.duplicate && d.eventId === copy.eventId)!;
      expect(original.webhookId).not.toBe(copy.webhookId);
    }
    expect(await run(7)).toEqual(first);
    expect((await run(8)).map((d) => d.duplicate)).not.toEqual(first.map((d) => d.duplicate));
  });

  it("arrival order differs from the order of the changes inside the reorder window", async () => {
    const app = await receiver();
    const { sim } = await harness();
    sim.webhooks.configure(config(app.origin, { seed: 3, reorderWindowMs: 60 }));
    for (let i = 0; i < 10; i++) sim.control.createOrder({ shop: SHOP, name: `#${3000 + i}`, lines: [{ title: "Mug", quantity: 1 }] });
    await sim.webhooks.idle();
    const arrived = app.received.map((r) => JSON.parse(r.body).name as string);
    expect([...arrived].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `#${3000 + i}`));
    expect(arrived).not.toEqual([...arrived].sort());
  });

  it("delivers nothing for changes made while paused (lost webhooks)", async () => {
    const app = await receiver();
    const { sim } = await harness();
    sim.webhooks.configure(config(app.origin));
    sim.webhooks.setPaused(true);
    sim.control.createOrder({ shop: SHOP, name: "#4001", lines: [{ title: "Mug", quantity: 1 }] });
    sim.webhooks.setPaused(false);
    sim.control.createOrder({ shop: SHOP, name: "#4002", lines: [{ title: "Mug", quantity: 1 }] });
    await sim.webhooks.idle();
    expect(app.received.map((r) => JSON.parse(r.body).name)).toEqual(["#4002"]);
  });

  it("refuses a subscription to a topic the schema does not have", async () => {
    const { sim } = await harness();
    expect(() =>
      sim.webhooks.configure(config("http://127.0.0.1:9", { subscriptions: [{ topics: ["orders/shipped"], uri: "/x" }] })),
    ).toThrow(/orders\/shipped is not a webhook topic/);
  });
});

describe("Shopify's webhook rules from the schema", () => {
  it("reads each topic's required scopes from WebhookSubscriptionTopic", () => {
    const scopes = topicScopesFromSchema(loadAdminSchema());
    expect(scopes.get("app/uninstalled")).toEqual([]);
    expect(scopes.get("fulfillments/update")).toContain("read_fulfillments");
    expect(scopes.get("orders/cancelled")).toContain("read_orders");
    expect(scopes.get("fulfillment_orders/scheduled_fulfillment_order_ready")).toEqual([
      "read_merchant_managed_fulfillment_orders",
      "read_assigned_fulfillment_orders",
      "read_third_party_fulfillment_orders",
      "read_marketplace_fulfillment_orders",
    ]);
  });

  it("spreads 8 retries over 4 hours", () => {
    expect(SHOPIFY_RETRY_SCHEDULE_MS).toHaveLength(8);
    const total = SHOPIFY_RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 4 * 3_600_000)).toBeLessThan(1_000);
  });
});

describe("tracking links Shopify builds", () => {
  it("gives each number of a known company its own link, keeps URLs sent, and none for unknown companies", async () => {
    const { sim } = await harness();
    const order = sim.control.createOrder({ shop: SHOP, lines: [{ title: "Mug", quantity: 3 }] });
    const lineItemId = order.lineItems[0]!.id;
    const seed = (trackingInfo: Record<string, unknown>) =>
      sim.control
        .seedFulfillment({ shop: SHOP, orderId: order.id, lines: [{ lineItemId, quantity: 1 }], trackingInfo })
        .fulfillments.at(-1)!.trackingInfo;
    expect(seed({ company: "Sagawa (JA)", numbers: ["111", "222"], urls: ["https://mine.example/111"] })).toEqual([
      { company: "Sagawa (JA)", number: "111", url: "https://mine.example/111" },
      { company: "Sagawa (JA)", number: "222", url: "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=222" },
    ]);
    expect(seed({ company: "Japan Post (EN)", number: "AB123456785JP" })).toEqual([
      {
        company: "Japan Post (EN)",
        number: "AB123456785JP",
        url: "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=AB123456785JP&locale=en",
      },
    ]);
    expect(seed({ company: "山田運送", number: "333" })).toEqual([{ company: "山田運送", number: "333", url: null }]);
  });
});
