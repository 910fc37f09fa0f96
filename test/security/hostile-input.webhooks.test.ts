import { createHmac, randomUUID } from "node:crypto";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_APP } from "../helpers/app-env";
import { routeArgs } from "../helpers/requests";
import { startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { answerOf, databaseSnapshot, expectRefused, HOSTILE_COVERAGE, type HostileCase } from "./hostile";

/**
 * Hostile input on every webhook route (issue 15): deliveries signed with the app's
 * secret (so they get past the HMAC) but malformed, oversized, stale, for a topic the
 * route does not handle, naming another shop, or shaped unlike the topic's payload — and
 * forged ones. Each is refused with a 4xx that says why, and nothing in the database
 * changes: no row of any shop, no delivery logged, no job queued. (The replay of one
 * signed body under rewritten shop and topic headers is test/webhooks/spoofing.test.ts.)
 */
let world: SyncWorld;
const OTHER_SHOP = "someone-else.myshopify.com";

const ROUTES = {
  orders: { file: "webhooks.orders", path: "/webhooks/orders", topics: ["orders/create", "orders/updated", "orders/cancelled"] },
  fulfillments: { file: "webhooks.fulfillments", path: "/webhooks/fulfillments", topics: ["fulfillments/create", "fulfillments/update"] },
  fulfillmentOrders: { file: "webhooks.fulfillment_orders", path: "/webhooks/fulfillment_orders", topics: ["fulfillment_orders/moved", "fulfillment_orders/cancelled", "fulfillment_orders/split"] },
  compliance: { file: "webhooks.compliance", path: "/webhooks/compliance", topics: ["customers/data_request", "customers/redact", "shop/redact"] },
  uninstalled: { file: "webhooks.app.uninstalled", path: "/webhooks/app/uninstalled", topics: ["app/uninstalled"] },
  scopes: { file: "webhooks.app.scopes_update", path: "/webhooks/app/scopes_update", topics: ["app/scopes_update"] },
  shopUpdate: { file: "webhooks.shop.update", path: "/webhooks/shop/update", topics: ["shop/update"] },
} as const;
type RouteKey = keyof typeof ROUTES;
const actions = {} as Record<RouteKey, (args: ReturnType<typeof routeArgs>) => Promise<Response>>;

beforeAll(async () => {
  world = await startSyncWorld();
  for (const [key, route] of Object.entries(ROUTES)) {
    const mod = (await import(/* @vite-ignore */ path.resolve(`app/routes/${route.file}.tsx`))) as {
      action: (typeof actions)[RouteKey];
    };
    actions[key as RouteKey] = mod.action;
  }
});

afterAll(async () => {
  await world.close();
});

/** A delivery as Shopify sends it, its raw body signed; any header overridden (null: left out). */
function delivery(
  key: RouteKey,
  topic: string,
  body: string | Uint8Array,
  headers: Record<string, string | null> = {},
  secret: string = TEST_APP.apiSecret,
) {
  const hmac = createHmac("sha256", secret).update(body).digest("base64");
  const all: Record<string, string | null> = {
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    "X-Shopify-Hmac-Sha256": hmac,
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": world.shop,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Event-Id": randomUUID(),
    ...headers,
  };
  const request = new Request(new URL(ROUTES[key].path, TEST_APP.appUrl), {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers: Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null)),
  });
  return () => actions[key](routeArgs(request));
}

/** A payload of the topic's own shape, for the refusals that are not about the payload. */
function validPayload(topic: string): Record<string, unknown> {
  switch (topic) {
    case "app/uninstalled":
    case "shop/update":
      return { id: 1, myshopify_domain: world.shop, domain: world.shop };
    case "app/scopes_update":
      return { current: ["read_orders"], previous: [] };
    case "customers/data_request":
      return { shop_id: 1, shop_domain: world.shop, orders_requested: [1], data_request: { id: 1 } };
    case "customers/redact":
      return { shop_id: 1, shop_domain: world.shop, orders_to_redact: [1] };
    case "shop/redact":
      return { shop_id: 1, shop_domain: world.shop };
    default:
      return { id: 1, admin_graphql_api_id: "gid://shopify/Order/1", name: "#1", line_items: [] };
  }
}

const everyTopic = () =>
  (Object.keys(ROUTES) as RouteKey[]).flatMap((key) => ROUTES[key].topics.map((topic) => [key, topic] as const));

describe("every webhook route, deliveries it cannot use", () => {
  it("covers every webhook route module", () => {
    expect(Object.values(ROUTES).map((r) => `${r.file}.tsx`).sort()).toEqual(
      Object.entries(HOSTILE_COVERAGE).filter(([, area]) => area === "webhooks").map(([file]) => file).sort(),
    );
  });

  it("forged, not JSON, oversized, stale, unlogged, for another route's topic, naming another shop: 4xx with the reason, nothing changed", async () => {
    const cases: HostileCase[] = [];
    for (const [key, topic] of everyTopic()) {
      const body = JSON.stringify(validPayload(topic));
      const foreignTopic = key === "orders" ? "shop/redact" : "orders/create";
      cases.push(
        { name: `${topic}: forged signature`, call: delivery(key, topic, body, {}, "not-the-app-secret"), status: 401, statusText: true, message: /Unauthorized/ },
        { name: `${topic}: no signature`, call: delivery(key, topic, body, { "X-Shopify-Hmac-Sha256": null }), status: 400, statusText: true, message: /Bad Request/ },
        { name: `${topic}: signed, not JSON`, call: delivery(key, topic, "{not json"), status: 400, message: /^Webhook refused: the payload is not JSON$/ },
        { name: `${topic}: 3 MiB`, call: delivery(key, topic, `{"pad":"${"x".repeat(3 * 1024 * 1024)}"}`), status: 413, message: /リクエストの本文が大きすぎます（上限 2 MiB）/ },
        { name: `${topic}: triggered three days ago`, call: delivery(key, topic, body, { "X-Shopify-Triggered-At": new Date(Date.now() - 3 * 86_400_000).toISOString() }), status: 400, message: /more than 48 hours ago/ },
        { name: `${topic}: triggered at no time`, call: delivery(key, topic, body, { "X-Shopify-Triggered-At": "yesterday" }), status: 400, message: /X-Shopify-Triggered-At is not a time: yesterday/ },
        { name: `${topic}: no event id`, call: delivery(key, topic, body, { "X-Shopify-Event-Id": null }), status: 400, message: /X-Shopify-Event-Id is missing/ },
        { name: `${topic}: under ${foreignTopic}`, call: delivery(key, foreignTopic, body), status: 400, message: new RegExp(`this route does not handle ${foreignTopic}`) },
        { name: `${topic}: naming another shop`, call: delivery(key, topic, JSON.stringify({ ...validPayload(topic), shop_domain: OTHER_SHOP })), status: 400, message: new RegExp(`shop_domain \\(${OTHER_SHOP}\\) is not the shop header`) },
      );
    }
    for (const c of cases) await expectRefused(c);
  }, 120_000);

  it("payloads not of the topic's shape: 400 with the reason, nothing changed", async () => {
    const shapes: [RouteKey, string, unknown, RegExp][] = [];
    const notObjects: unknown[] = [{}, [], "order", null, 42];
    for (const topic of ROUTES.orders.topics) {
      for (const payload of [...notObjects, { id: "abc" }, { id: -1 }, { id: 1e30 }, { id: 1, name: "#1", line_items: "x" }, { admin_graphql_api_id: "gid://shopify/Product/1", name: "#1", line_items: [] }])
        shapes.push(["orders", topic, payload, /^Webhook refused: not an order payload/]);
      shapes.push(["orders", topic, { id: 1, name: "#1\u0000", line_items: [] }, /NUL character, which cannot be stored/]);
      shapes.push(["orders", topic, { id: 1, name: "#1", line_items: [{ id: 2, title: "豆皿", sku: "A\u0000", quantity: 1 }] }, /NUL character/]);
    }
    for (const topic of ROUTES.fulfillments.topics)
      for (const payload of [...notObjects, { id: "abc" }, { id: 1 }, { id: 1, order_id: "x" }])
        shapes.push(["fulfillments", topic, payload, /^Webhook refused: not a fulfillment payload/]);
    for (const topic of ROUTES.fulfillmentOrders.topics)
      for (const payload of [...notObjects, { fulfillment_order: null }, { fulfillment_order: { id: "x" } }])
        shapes.push(["fulfillmentOrders", topic, payload, /^Webhook refused: not a fulfillment_orders payload/]);
    for (const payload of [...notObjects, { current: "read_orders" }, { current: [1] }])
      shapes.push(["scopes", "app/scopes_update", payload, /^Webhook refused: app\/scopes_update payload has no `current` scopes$/]);
    for (const payload of [{}, { myshopify_domain: 1 }, { domain: world.shop }]) {
      shapes.push(["uninstalled", "app/uninstalled", payload, /^Webhook refused: .*myshopify_domain/]);
      shapes.push(["shopUpdate", "shop/update", payload, /^Webhook refused: .*myshopify_domain/]);
    }
    for (const [topic, field] of [["customers/data_request", "orders_requested"], ["customers/redact", "orders_to_redact"]] as const)
      for (const extra of [{}, { [field]: "all" }, { [field]: [-1] }, { [field]: [1.5] }, { [field]: ["1 or 1=1"] }, { [field]: [2 ** 60] }])
        shapes.push(["compliance", topic, { shop_id: 1, shop_domain: world.shop, ...extra }, new RegExp(`^Webhook refused: a ${topic} payload lists its orders in ${field}`)]);
    for (const payload of [{}, { shop_domain: 7 }])
      shapes.push(["compliance", "shop/redact", payload, /^Webhook refused: .*shop_domain/]);

    for (const [key, topic, payload, message] of shapes)
      await expectRefused({ name: `${topic} ${JSON.stringify(payload).slice(0, 60)}`, call: delivery(key, topic, JSON.stringify(payload)), status: 400, message });
  }, 120_000);

  it("any JSON under any topic: never a 5xx; a refusal says why and changes nothing (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...everyTopic()), fc.jsonValue({ maxDepth: 3 }), async ([key, topic], payload) => {
        const before = await databaseSnapshot();
        const answer = await answerOf(delivery(key, topic, JSON.stringify(payload)));
        expect(answer.status, `${topic} ${JSON.stringify(payload).slice(0, 80)}: ${answer.text.slice(0, 120)}`).toBeLessThan(500);
        if (answer.status >= 400) {
          expect(answer.text).toMatch(/^Webhook refused: ./);
          expect(await databaseSnapshot()).toEqual(before);
        }
      }),
      { numRuns: 120 },
    );
  }, 180_000);
});
