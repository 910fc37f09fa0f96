import { createHmac, randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_APP } from "../helpers/app-env";
import { routeArgs, settle } from "../helpers/requests";
import { startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";
import {
  fulfillmentPayload,
  importOrder,
  legacy,
  orderPayload,
  shipAndSync,
} from "../reconcile/fixtures";
import { webhookSubscriptions } from "../support/app-toml";
import { WEBHOOK_ROUTE_TOPICS } from "~/webhooks/topics";

/**
 * Shopify's HMAC covers the body only. Anyone who captured one signed delivery can send
 * the same bytes again with any X-Shopify-Topic, X-Shopify-Shop-Domain, event id, webhook
 * id and triggered-at. Here every topic's genuine delivery for shop A is sent once, then
 * its body is replayed to EVERY webhook route (from shopify.app.toml) under rewritten
 * topic and shop headers (shop A's and a victim shop B's, fresh ids, a fresh time): the
 * database — every row of every table, sessions and queued jobs included — must be
 * exactly as it was. Bodies never delivered before are refused by the destructive
 * routes when their shop fields do not back the headers.
 */
let world: SyncWorld;
const VICTIM = "victim-shop.myshopify.com";
type Action = (args: ReturnType<typeof routeArgs>) => Promise<Response>;
const routes = new Map<string, Action>();

interface Signed {
  body: string;
  topic: string;
}

function signedRequest(
  uri: string,
  { body, topic }: Signed,
  shop: string,
  overrides: Record<string, string | null> = {},
): Request {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    "X-Shopify-Hmac-Sha256": createHmac("sha256", TEST_APP.apiSecret)
      .update(body, "utf8")
      .digest("base64"),
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  return new Request(new URL(uri, TEST_APP.appUrl), {
    method: "POST",
    body,
    headers,
  });
}

async function send(
  uri: string,
  signed: Signed,
  shop: string,
  overrides?: Record<string, string | null>,
): Promise<{ status: number; text: string }> {
  const action = routes.get(uri)!;
  const settled = await settle(() =>
    action(routeArgs(signedRequest(uri, signed, shop, overrides))),
  );
  const response = settled.thrown ?? settled.value!;
  return { status: response.status, text: await response.text() };
}

/** Every row of every table in public (all shops), the sessions and the queue's jobs. */
async function snapshot(): Promise<Record<string, string[]>> {
  const tables = await testPool().query<{ table_name: string }>(
    `select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const result: Record<string, string[]> = {};
  for (const { table_name } of tables.rows) {
    const { rows } = await testPool().query<{ row: string }>(
      `select to_jsonb(t)::text as row from public."${table_name}" t order by 1`,
    );
    result[table_name] = rows.map((r) => r.row);
  }
  const jobs = await testPool().query<{ row: string }>(
    `select jsonb_build_object('key', key, 'run_at', run_at, 'attempts', attempts)::text as row
       from graphile_worker.jobs order by 1`,
  );
  result["graphile_worker.jobs"] = jobs.rows.map((r) => r.row);
  return result;
}

const subscriptions = webhookSubscriptions();
const uriOf = (topic: string) =>
  subscriptions.find((s) => s.topics.includes(topic))!.uri;
const allTopics = subscriptions.flatMap((s) => s.topics);

/** Shop A's genuine payload for each topic (Shopify's documented shapes). */
async function genuinePayloads(): Promise<Record<string, unknown>> {
  const { order, lines } = await importOrder(world, [
    { title: "南部鉄器 鉄瓶", sku: "IRON-1", quantity: 2, vendor: "岩鋳" },
  ]);
  await shipAndSync(
    world,
    order.id,
    [{ lineId: lines[0]!.id, quantity: 1 }],
    ["RPL000111"],
    "岩鋳",
  );
  const inShopify = world.sim.control
    .getShop({ shop: world.shop })
    .orders.find((o) => o.id === order.id)!;
  const [fo] = inShopify.fulfillmentOrders.map((f) => ({
    id: f.id,
    status: "open",
  }));
  const orderBody = orderPayload(inShopify);
  const fulfillmentBody = fulfillmentPayload(
    inShopify,
    inShopify.fulfillments[0]!.id,
  );
  const shopBody = {
    id: 954889,
    name: "北斗雑貨店",
    myshopify_domain: world.shop,
    domain: world.shop,
  };
  const payloads: Record<string, unknown> = {
    "app/uninstalled": shopBody,
    "shop/update": shopBody,
    "app/scopes_update": {
      id: 1,
      previous: [],
      current: TEST_APP.scopes,
      updated_at: new Date().toISOString(),
    },
    "orders/create": orderBody,
    "orders/updated": { ...orderBody, note: "updated" },
    "orders/cancelled": {
      ...orderBody,
      note: "cancelled copy",
      cancelled_at: null,
    },
    "fulfillments/create": fulfillmentBody,
    "fulfillments/update": { ...fulfillmentBody, note: "update" },
    "customers/data_request": {
      shop_id: 954889,
      shop_domain: world.shop,
      orders_requested: [legacy(order.id)],
      data_request: { id: 77 },
    },
    "customers/redact": {
      shop_id: 954889,
      shop_domain: world.shop,
      orders_to_redact: [legacy(order.id)],
    },
    "shop/redact": { shop_id: 954889, shop_domain: world.shop },
  };
  for (const topic of WEBHOOK_ROUTE_TOPICS.fulfillmentOrders) {
    payloads[topic] = fulfillmentOrderPayload(topic, fo!);
  }
  return payloads;
}

function fulfillmentOrderPayload(
  topic: string,
  fo: { id: string; status: string },
): unknown {
  switch (topic) {
    case "fulfillment_orders/cancelled":
      return { fulfillment_order: { ...fo, status: "cancelled" } };
    case "fulfillment_orders/moved":
      return {
        original_fulfillment_order: { ...fo, status: "closed" },
        moved_fulfillment_order: fo,
      };
    case "fulfillment_orders/split":
      return { fulfillment_order: fo, remaining_fulfillment_order: fo };
    case "fulfillment_orders/merged":
      return { fulfillment_order_merges: { fulfillment_order: fo } };
    default:
      return { fulfillment_order: fo };
  }
}

beforeAll(async () => {
  world = await startSyncWorld();
  for (const s of subscriptions) {
    const mod = (await import(
      /* @vite-ignore */ `~/${s.routeFile!.replace(/^app\//, "").replace(/\.tsx$/, "")}`
    )) as { action: Action };
    routes.set(s.uri, mod.action);
  }
  // The victim: installed, a session, data of its own.
  await testPool().query(`insert into shops (shop) values ($1)`, [VICTIM]);
  const { sessionStorage } = await import("~/shopify.server");
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${VICTIM}`,
      shop: VICTIM,
      state: "",
      isOnline: false,
      accessToken: "shpat_victim",
    }),
  );
  await testPool().query(
    `insert into shipments (shop, order_id, order_name, vendor) values ($1, 'gid://shopify/Order/4242', '#4242', '被害者')`,
    [VICTIM],
  );
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe("webhook header spoofing", () => {
  it("a replayed signed body with rewritten shop and topic headers deletes nothing and changes nothing, on every route", async () => {
    const payloads = await genuinePayloads();
    expect(Object.keys(payloads).sort()).toEqual([...allTopics].sort());

    // The genuine deliveries, once each (shop/redact is refused while A is installed,
    // app/uninstalled only ends A's sessions: both as Shopify sequences them).
    const bodies: Signed[] = [];
    const order = [...allTopics].sort(
      (x, y) =>
        Number(x === "app/uninstalled") - Number(y === "app/uninstalled"),
    );
    for (const topic of order) {
      const signed = { body: JSON.stringify(payloads[topic]), topic };
      const answer = await send(uriOf(topic), signed, world.shop);
      expect(answer.status, `${topic}: ${answer.text}`).toBe(200);
      bodies.push(signed);
    }

    const before = await snapshot();
    expect(before.shipments!.some((r) => r.includes(VICTIM))).toBe(true);
    const statuses = new Map<number, number>();
    let sent = 0;
    for (const original of bodies) {
      for (const s of subscriptions) {
        const topics = new Set([
          ...s.topics,
          "shop/redact",
          "app/uninstalled",
          "orders/cancelled",
        ]);
        for (const topic of topics) {
          for (const shop of [world.shop, VICTIM]) {
            const answer = await send(
              s.uri,
              { body: original.body, topic },
              shop,
            );
            sent++;
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            expect(
              [200, 400],
              `${original.topic} body → ${s.uri} as ${topic} for ${shop}: ${answer.status} ${answer.text}`,
            ).toContain(answer.status);
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(500);
    expect(await snapshot()).toEqual(before);
    // Both kinds of answer occurred: duplicates recognised (200) and headers refused (400).
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
  }, 600_000);

  it("a signed body never delivered is refused by the destructive routes when its shop does not back the headers", async () => {
    const before = await snapshot();
    const fresh = (payload: object, topic: string): Signed => ({
      body: JSON.stringify({ ...payload, nonce: randomUUID() }),
      topic,
    });
    const cases: [string, Signed, string][] = [
      [
        "/webhooks/compliance",
        fresh({ shop_id: 1, shop_domain: world.shop }, "shop/redact"),
        "shop/redact",
      ],
      [
        "/webhooks/compliance",
        fresh({ id: 1, name: "#1001", line_items: [] }, "orders/create"),
        "shop/redact",
      ],
      [
        "/webhooks/compliance",
        fresh(
          { shop_domain: world.shop, orders_to_redact: [1] },
          "customers/redact",
        ),
        "customers/redact",
      ],
      [
        "/webhooks/app/uninstalled",
        fresh({ id: 1, myshopify_domain: world.shop }, "app/uninstalled"),
        "app/uninstalled",
      ],
      [
        "/webhooks/app/uninstalled",
        fresh({ id: 1, name: "#1001" }, "orders/create"),
        "app/uninstalled",
      ],
      [
        "/webhooks/app/uninstalled",
        fresh({ id: 1, domain: world.shop }, "app/uninstalled"),
        "app/uninstalled",
      ],
    ];
    for (const [uri, signed, topic] of cases) {
      const answer = await send(uri, { ...signed, topic }, VICTIM);
      expect(answer.status, `${uri} ${signed.body}`).toBe(400);
      expect(answer.text).toMatch(/shop/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a topic the route does not handle, a stale or missing triggered-at, a missing event id", async () => {
    const before = await snapshot();
    const body = (extra: object) =>
      JSON.stringify({
        shop_id: 1,
        shop_domain: VICTIM,
        orders_to_redact: [],
        ...extra,
      });
    const cases: [Record<string, string | null>, string, RegExp][] = [
      [{}, "orders/create", /does not handle orders\/create/],
      [
        {
          "X-Shopify-Triggered-At": new Date(
            Date.now() - 49 * 3600_000,
          ).toISOString(),
        },
        "customers/redact",
        /more than 48 hours ago/,
      ],
      [
        { "X-Shopify-Triggered-At": "yesterday" },
        "customers/redact",
        /not a time/,
      ],
      [
        {
          "X-Shopify-Triggered-At": new Date(
            Date.now() + 3600_000,
          ).toISOString(),
        },
        "customers/redact",
        /in the future/,
      ],
      [{ "X-Shopify-Triggered-At": null }, "customers/redact", /missing/],
      [{ "X-Shopify-Event-Id": null }, "customers/redact", /Event-Id/],
    ];
    for (const [overrides, topic, message] of cases) {
      const answer = await send(
        "/webhooks/compliance",
        { body: body({ n: randomUUID() }), topic },
        VICTIM,
        overrides,
      );
      expect(answer.status, JSON.stringify(overrides)).toBe(400);
      expect(answer.text).toMatch(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("dedupes atomically: copies of one delivery sent together are applied once", async () => {
    const signed = {
      body: JSON.stringify({
        shop_id: 1,
        shop_domain: VICTIM,
        orders_requested: [4242],
        data_request: { id: 4242 },
      }),
      topic: "customers/data_request",
    };
    const overrides = {
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Webhook-Id": randomUUID(),
    };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        send("/webhooks/compliance", signed, VICTIM, overrides),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const recorded = await testPool().query(
      `select count(*)::int as n from compliance_requests where shop = $1 and shopify_request_id = '4242'`,
      [VICTIM],
    );
    expect(recorded.rows[0].n).toBe(1);
    const logged = await testPool().query(
      `select outcome from webhook_events where shop = $1 and topic = 'customers/data_request'`,
      [VICTIM],
    );
    expect(logged.rows).toEqual([{ outcome: "applied" }]);
  });
});
