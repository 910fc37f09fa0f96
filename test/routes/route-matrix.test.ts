import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRequest, routeArgs } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { webhookRequest } from "../helpers/webhook";
import { testPool } from "../support/database";
import {
  fulfillmentPayload,
  importOrder,
  legacy,
  orderPayload,
  shipAndSync,
} from "../reconcile/fixtures";
import { routePath, webhookSubscriptions } from "../support/app-toml";

/**
 * Tenant isolation, as a matrix: EVERY route module under app/routes (enumerated from
 * the directory, so a route added later is covered without touching this file) is
 * called — each loader and each action — authenticated as shop B (a signed session
 * token, or a webhook signed with the app secret for shop B), with ids and params that
 * belong to shop A: in the URL params, the query string and the form body. Afterwards
 * every row of shop A in every table with a `shop` column, shop A's queued jobs and
 * shop A's state in Shopify (the simulator) must be exactly as before, and no answer may
 * contain anything of shop A's.
 */
let world: SyncWorld;
const SHOP_B = "intruder-shop.myshopify.com";
const TOKEN_B = "shpat_intruder_offline_0001";
const ROUTES_DIR = path.resolve("app/routes");

interface ShopAFacts {
  markers: string[];
  ids: string[];
  orderIds: string[];
  fulfillmentIds: string[];
  fulfillmentOrderIds: string[];
  lineItemIds: string[];
}
let a: ShopAFacts;
let bIds: string[] = [];

beforeAll(async () => {
  world = await startSyncWorld();
  const pool = testPool();

  // Shop B: installed, with a token and data of its own.
  world.sim.control.createShop({
    shop: SHOP_B,
    token: TOKEN_B,
    scopes: [
      "read_orders",
      "read_merchant_managed_fulfillment_orders",
      "write_merchant_managed_fulfillment_orders",
      "read_fulfillments",
    ],
  });
  await pool.query(`insert into shops (shop, granted_scopes) values ($1, $2)`, [
    SHOP_B,
    [
      "read_orders",
      "read_merchant_managed_fulfillment_orders",
      "write_merchant_managed_fulfillment_orders",
      "read_fulfillments",
    ],
  ]);
  const { sessionStorage } = await import("~/shopify.server");
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${SHOP_B}`,
      shop: SHOP_B,
      state: "",
      isOnline: false,
      accessToken: TOKEN_B,
      scope:
        "read_orders,read_fulfillments,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders",
    }),
  );
  const bOrder = world.sim.control.createOrder({
    shop: SHOP_B,
    name: "#B-2001",
    lines: [
      {
        title: "侵入者の商品",
        sku: "B-ONLY",
        quantity: 2,
        vendor: "侵入者ベンダー",
      },
    ],
  });
  const { upsertOrder, createShipmentsFromOrder } =
    await import("~/orders/orders.server");
  const { orderFromWebhookPayload } = await import("~/orders/order-snapshot");
  const { getPool } = await import("~/db.server");
  await upsertOrder(
    getPool(),
    SHOP_B,
    orderFromWebhookPayload(orderPayload(bOrder))!,
  );
  const bLine = await pool.query(`select id from line_items where shop = $1`, [
    SHOP_B,
  ]);
  const bShipment = await createShipmentsFromOrder(
    getPool(),
    SHOP_B,
    bOrder.id,
    [
      {
        vendor: "侵入者ベンダー",
        lines: [{ lineId: Number(bLine.rows[0].id), quantity: 1 }],
      },
    ],
  );
  if (!bShipment.ok) throw new Error("B's shipment");
  // A failed shipment of B's, so B's fulfillment_orders webhooks go as far as reading Shopify.
  await pool.query(
    `update shipments set status = 'shipped', shipped_at = now(), sync_state = 'failed',
            pending_operation = 'create_fulfillment', last_error_class = 'invalid', last_error_message = 'held'
      where id = $1`,
    [bShipment.shipmentIds[0]],
  );
  bIds = [String(legacy(bOrder.id)), String(bShipment.shipmentIds[0])];

  // Shop A (the demo shop): a synced shipment, an order row, a note, runs, logs, an import.
  const { order, lines } = await importOrder(world, [
    {
      title: "A店だけの商品",
      sku: "A-ONLY-SKU",
      quantity: 2,
      vendor: "A店だけのベンダー",
    },
  ]);
  const synced = await shipAndSync(
    world,
    order.id,
    [{ lineId: lines[0]!.id, quantity: 1 }],
    ["AAAA11112222"],
    "A店だけのベンダー",
  );
  await pool.query(
    `insert into shipment_notes (shop, order_id, shipment_id, kind, source) values ($1, $2, $3, 'tracking_changed_in_shopify', 'webhook')`,
    [world.shop, order.id, synced.shipmentId],
  );
  await pool.query(
    `insert into reconcile_runs (shop, trigger) values ($1, 'manual')`,
    [world.shop],
  );
  await pool.query(
    `insert into order_backfill_runs (shop, since, status, finished_at) values ($1, now() - interval '1 day', 'completed', now())`,
    [world.shop],
  );
  await pool.query(
    `insert into webhook_events (shop, topic, webhook_id, outcome) values ($1, 'orders/create', 'a-delivery', 'applied')`,
    [world.shop],
  );
  await pool.query(
    `insert into compliance_requests (shop, topic, webhook_id) values ($1, 'customers/redact', 'a-redact')`,
    [world.shop],
  );
  await seedImportOfShopA(world.shop);

  const inShopify = world.sim.control.getShop({ shop: world.shop });
  const facts = await pool.query<{
    order_id: string;
    line_item_id: string;
    vendor: string | null;
    title: string;
  }>(
    `select order_id, line_item_id, vendor, title from line_items where shop = $1`,
    [world.shop],
  );
  const tracking = await pool.query<{ n: string }>(
    `select distinct unnest(tracking_numbers) as n from shipments where shop = $1`,
    [world.shop],
  );
  a = {
    // Strings only shop A has: its order and line gids, vendors, titles, tracking numbers.
    markers: [
      ...new Set([
        ...facts.rows.flatMap((r) => [
          r.order_id,
          r.line_item_id,
          r.title,
          r.vendor ?? "",
        ]),
        ...tracking.rows.map((r) => r.n),
      ]),
    ].filter((m) => m.length >= 4),
    ids: [],
    orderIds: [...new Set(facts.rows.map((r) => r.order_id))],
    fulfillmentIds: inShopify.orders.flatMap((o) =>
      o.fulfillments.map((f) => f.id),
    ),
    fulfillmentOrderIds: inShopify.orders.flatMap((o) =>
      o.fulfillmentOrders.map((f) => f.id),
    ),
    lineItemIds: facts.rows.map((r) => r.line_item_id),
  };
  // One id of shop A from every table that has both `shop` and `id`, and A's order numbers.
  const idTables = await pool.query<{ table_name: string }>(
    `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'id'
        and table_name in (select table_name from information_schema.columns
                            where table_schema = 'public' and column_name = 'shop')`,
  );
  const ids = new Set<string>([
    String(synced.shipmentId),
    String(lines[0]!.id),
    String(legacy(order.id)),
  ]);
  for (const { table_name } of idTables.rows) {
    const { rows } = await pool.query(
      `select max(id)::text as id from public."${table_name}" where shop = $1`,
      [world.shop],
    );
    if (rows[0].id) ids.add(rows[0].id);
  }
  a.ids = [...ids];
});

afterAll(async () => {
  await world.close();
});

/** An import of shop A's when the imports feature's tables exist (another team's migration). */
async function seedImportOfShopA(shop: string) {
  const exists = await testPool().query(
    `select to_regclass('public.imports') is not null as ok`,
  );
  if (!exists.rows[0].ok) return;
  try {
    await testPool().query(
      `insert into imports (shop, file_name, file_bytes, file_sha256, encoding, columns, row_count, valid_count)
       values ($1, 'a-only.csv', 10, repeat('a', 64), 'utf-8', '[]', 1, 0)`,
      [shop],
    );
  } catch {
    // The imports schema changed shape: the matrix still covers its routes, with ids of other tables.
  }
}

/** Every row of shop A, in every table with a shop column, plus its queued jobs. */
async function snapshotShopA(): Promise<Record<string, string[]>> {
  const tables = await testPool().query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'shop' and t.table_type = 'BASE TABLE'
      order by 1`,
  );
  const snapshot: Record<string, string[]> = {};
  for (const { table_name } of tables.rows) {
    const { rows } = await testPool().query<{ row: string }>(
      `select to_jsonb(t)::text as row from public."${table_name}" t where shop = $1 order by 1`,
      [world.shop],
    );
    snapshot[table_name] = rows.map((r) => r.row);
  }
  const jobs = await testPool().query<{ row: string }>(
    `select jsonb_build_object('key', key, 'run_at', run_at, 'attempts', attempts)::text as row
       from graphile_worker.jobs where key in (select 'sync-shipment:' || id from shipments where shop = $1)
      order by 1`,
    [world.shop],
  );
  snapshot["graphile_worker.jobs"] = jobs.rows.map((r) => r.row);
  return snapshot;
}

// ---------------------------------------------------------------------------------------
// The route modules

interface RouteModule {
  file: string;
  params: string[];
  loader?: (args: ReturnType<typeof routeArgs>) => Promise<unknown>;
  action?: (args: ReturnType<typeof routeArgs>) => Promise<unknown>;
}

function routeFiles(): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(ROUTES_DIR)) {
    const full = path.join(ROUTES_DIR, entry);
    if (statSync(full).isDirectory()) {
      for (const candidate of ["route.tsx", "route.ts", "route.jsx"]) {
        try {
          statSync(path.join(full, candidate));
          files.push(path.join(entry, candidate));
          break;
        } catch {
          // not this one
        }
      }
    } else if (/\.(tsx?|jsx?)$/.test(entry) && !/\.test\./.test(entry)) {
      files.push(entry);
    }
  }
  return files.sort();
}

function paramsOf(file: string): string[] {
  const name = file.split(path.sep)[0]!.replace(/\.(tsx?|jsx?)$/, "");
  return name
    .split(".")
    .filter((segment) => segment.startsWith("$"))
    .map((segment) =>
      segment === "$" ? "*" : segment.slice(1).replace(/\[.*$/, ""),
    );
}

async function loadRoutes(): Promise<RouteModule[]> {
  const modules: RouteModule[] = [];
  for (const file of routeFiles()) {
    const mod = (await import(
      /* @vite-ignore */ path.join(ROUTES_DIR, file)
    )) as Partial<RouteModule>;
    modules.push({
      file,
      params: paramsOf(file),
      loader: mod.loader,
      action: mod.action,
    });
  }
  return modules;
}

/** What an answer shows: a returned value, a returned or thrown Response, an error. */
async function observe(
  run: () => Promise<unknown>,
): Promise<{ status: number; text: string }> {
  try {
    const value = await run();
    if (value instanceof Response)
      return { status: value.status, text: await responseText(value) };
    const init = (value as { init?: { status?: number } } | null)?.init;
    return { status: init?.status ?? 200, text: JSON.stringify(value) ?? "" };
  } catch (error) {
    if (error instanceof Response)
      return { status: error.status, text: await responseText(error) };
    return {
      status: 500,
      text:
        error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error),
    };
  }
}

async function responseText(response: Response): Promise<string> {
  const location = response.headers.get("Location") ?? "";
  try {
    return `${location} ${await response.clone().text()}`;
  } catch {
    return location;
  }
}

function formVariants(
  ids: readonly string[],
): Record<string, string | string[]>[] {
  const lineFields = Object.fromEntries(ids.map((id) => [`line_${id}`, "1"]));
  return [
    {
      intent: "mark_shipped",
      trackingNumbers: "999900001111",
      carrier: "ヤマト運輸",
      notifyCustomer: "false",
    },
    { intent: "revert" },
    { intent: "retry" },
    { intent: "retry", ids: [...ids] },
    { intent: "retry", scope: "all_matching" },
    { intent: "start_backfill" },
    { intent: "continue_backfill" },
    { intent: "reconcile" },
    { intent: "commit" },
    { intent: "retry_failed" },
    { ...lineFields },
    {
      id: ids[0] ?? "",
      shipmentId: ids[0] ?? "",
      importId: ids[0] ?? "",
      orderId: ids[0] ?? "",
      shop: world.shop,
    },
  ];
}

function formData(fields: Record<string, string | string[]>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
  }
  return form;
}

function leaksIn(text: string): string[] {
  return a.markers.filter((marker) => text.includes(marker));
}

// ---------------------------------------------------------------------------------------

describe("tenant isolation: every route, called as shop B with shop A's ids", () => {
  it("reads and changes nothing of shop A's", async () => {
    const routes = await loadRoutes();
    const exercised = new Set<string>();
    const leaks: string[] = [];
    const statuses: string[] = [];
    const before = await snapshotShopA();
    const shopifyBefore = JSON.stringify(
      world.sim.control.getShop({ shop: world.shop }).orders,
    );
    const callsBefore = world.sim.control.requestLog({
      shop: world.shop,
    }).length;
    const token = () => signSessionToken({ shop: SHOP_B });
    const candidates = [...new Set([...a.ids, ...bIds, "1", "999999999"])];

    // Admin routes (loaders and actions), then webhooks (those that end the shop's install last).
    const adminRoutes = routes.filter((r) => !r.file.startsWith("webhooks."));
    for (const route of adminRoutes) {
      const base =
        routePath(route.file.replace(/\/route\.tsx?$/, ".tsx")).replace(
          /\/_index$/,
          "",
        ) || "/";
      const paramSets: Record<string, string>[] =
        route.params.length === 0
          ? [{}]
          : candidates.map((value) =>
              Object.fromEntries(
                route.params.map((p) => [
                  p,
                  p === "*" ? `login/${value}` : value,
                ]),
              ),
            );
      for (const params of paramSets) {
        const url = Object.entries(params).reduce(
          (u, [k, v]) =>
            k === "*" ? u.replace(/\/\$$/, `/${v}`) : u.replace(`$${k}`, v),
          base,
        );
        // Shop A's domain and ids in the query string too (never its strings: a page may echo its search box).
        const query = `?shop=${world.shop}&ids=${a.ids.join("&ids=")}&id=${a.ids[0]}&q=${a.ids[0]}&after=${a.ids[0]}`;
        if (route.loader) {
          exercised.add(`${route.file} loader`);
          for (const suffix of ["", query]) {
            const answer = await observe(() =>
              route.loader!(
                routeArgs(fetchRequest(`${url}${suffix}`, token()), params),
              ),
            );
            statuses.push(`${route.file} loader ${answer.status}`);
            for (const leak of leaksIn(answer.text))
              leaks.push(`${route.file} loader ${url}${suffix}: ${leak}`);
          }
        }
        if (route.action) {
          exercised.add(`${route.file} action`);
          for (const fields of formVariants(candidates)) {
            const request = fetchRequest(
              `${url}?index&shop=${world.shop}`,
              token(),
              { method: "POST", body: formData(fields) },
            );
            const answer = await observe(() =>
              route.action!(routeArgs(request, params)),
            );
            statuses.push(
              `${route.file} action ${answer.status}${answer.status >= 500 ? ` ${answer.text.slice(0, 80)}` : ""}`,
            );
            for (const leak of leaksIn(answer.text))
              leaks.push(
                `${route.file} action ${JSON.stringify(fields).slice(0, 60)}: ${leak}`,
              );
          }
        }
      }
    }

    const webhookStatuses: Record<string, number> = {};
    const subscriptions = webhookSubscriptions();
    const deliveries = subscriptions.flatMap((s) =>
      s.topics.map((topic) => ({ topic, file: s.routeFile!, uri: s.uri })),
    );
    const last = ["app/uninstalled", "shop/redact"];
    deliveries.sort(
      (x, y) => Number(last.includes(x.topic)) - Number(last.includes(y.topic)),
    );
    for (const delivery of deliveries) {
      const route = routes.find(
        (r) => `app/routes/${r.file}` === delivery.file,
      );
      expect(
        route?.action,
        `${delivery.file} handles ${delivery.topic}`,
      ).toBeDefined();
      exercised.add(`${route!.file} action`);
      for (const payload of webhookPayloads(delivery.topic)) {
        const request = webhookRequest({
          path: delivery.uri,
          topic: delivery.topic,
          shop: SHOP_B,
          payload,
        });
        const answer = await observe(() => route!.action!(routeArgs(request)));
        webhookStatuses[delivery.topic] = answer.status;
        for (const leak of leaksIn(answer.text))
          leaks.push(`${delivery.topic}: ${leak}`);
      }
    }

    // Shop B really was signed in (its own pages answered), so the refusals above are scoping.
    expect(statuses).toEqual(
      expect.arrayContaining([
        "app._index.tsx loader 200",
        "app.orders._index.tsx loader 200",
        "app.orders.$id.tsx loader 200",
      ]),
    );
    expect(statuses.filter((line) => / 5\d\d\b/.test(line))).toEqual([]);
    // Every route module with a loader or an action was called.
    const expected = routes.flatMap((r) => [
      ...(r.loader ? [`${r.file} loader`] : []),
      ...(r.action ? [`${r.file} action`] : []),
    ]);
    expect([...exercised].sort()).toEqual(expected.sort());
    for (const must of [
      "app._index.tsx loader",
      "app._index.tsx action",
      "app.shipments.$id.tsx loader",
      "app.shipments.$id.tsx action",
      "app.orders._index.tsx action",
      "app.orders.$id.tsx action",
      "webhooks.orders.tsx action",
      "webhooks.compliance.tsx action",
    ]) {
      expect(exercised.has(must), must).toBe(true);
    }
    // Shop B's deliveries were answered (none refused as unsigned: they were signed for B).
    expect(Object.values(webhookStatuses).filter((s) => s === 401)).toEqual([]);

    expect(leaks).toEqual([]);
    expect(await snapshotShopA()).toEqual(before);
    expect(
      JSON.stringify(world.sim.control.getShop({ shop: world.shop }).orders),
    ).toBe(shopifyBefore);
    expect(world.sim.control.requestLog({ shop: world.shop })).toHaveLength(
      callsBefore,
    );
  }, 240_000);

  it("has teeth: the same calls as shop A do see shop A's data", async () => {
    const tokenA = signSessionToken({ shop: world.shop });
    type Loadable = Pick<RouteModule, "loader">;
    const shipmentRoute =
      (await import("~/routes/app.shipments.$id")) as unknown as Loadable;
    const orderRoute =
      (await import("~/routes/app.orders.$id")) as unknown as Loadable;
    const shipment = await testPool().query(
      `select id from shipments where shop = $1 and 'AAAA11112222' = any(tracking_numbers)`,
      [world.shop],
    );
    const id = String(shipment.rows[0].id);
    const seen = await observe(() =>
      shipmentRoute.loader!(
        routeArgs(fetchRequest(`/app/shipments/${id}`, tokenA), { id }),
      ),
    );
    expect(leaksIn(seen.text)).toContain("AAAA11112222");
    const orderId = String(
      legacy(a.orderIds.find((o) => seen.text.includes(o))!),
    );
    const order = await observe(() =>
      orderRoute.loader!(
        routeArgs(fetchRequest(`/app/orders/${orderId}`, tokenA), {
          id: orderId,
        }),
      ),
    );
    expect(leaksIn(order.text)).toContain("A店だけのベンダー");
  });
});

/** Payloads for shop B naming shop A's orders, fulfillments and fulfillment orders. */
function webhookPayloads(topic: string): unknown[] {
  const orderId = a.orderIds.at(-1)!;
  const order = {
    id: legacy(orderId),
    admin_graphql_api_id: orderId,
    name: "#A-GONE",
    created_at: new Date().toISOString(),
    updated_at: new Date(Date.now() + 60_000).toISOString(),
    cancelled_at: new Date().toISOString(),
    closed_at: null,
    line_items: a.lineItemIds.slice(0, 2).map((id) => ({
      id: legacy(id),
      admin_graphql_api_id: id,
      title: "x",
      name: "x",
      quantity: 1,
      current_quantity: 0,
      sku: null,
      vendor: null,
      requires_shipping: true,
    })),
  };
  const fo = (id: string | undefined, status: string) => ({
    id: id ?? "gid://shopify/FulfillmentOrder/1",
    status,
  });
  const [fo1, fo2] = a.fulfillmentOrderIds;
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled":
      return [order];
    case "fulfillments/create":
    case "fulfillments/update": {
      const shop = world.sim.control.getShop({ shop: world.shop });
      const withFulfillment = shop.orders.find(
        (o) => o.fulfillments.length > 0,
      )!;
      return withFulfillment.fulfillments.slice(0, 3).map((f) => ({
        ...fulfillmentPayload(withFulfillment, f.id),
        status: "cancelled",
        tracking_numbers: ["B-OVERWRITE"],
      }));
    }
    case "fulfillment_orders/cancelled":
      return [
        {
          fulfillment_order: fo(fo1, "cancelled"),
          replacement_fulfillment_order: fo(fo2, "open"),
        },
      ];
    case "fulfillment_orders/moved":
      return [
        {
          original_fulfillment_order: fo(fo1, "closed"),
          moved_fulfillment_order: fo(fo2, "open"),
        },
      ];
    case "fulfillment_orders/split":
      return [
        {
          fulfillment_order: fo(fo1, "open"),
          remaining_fulfillment_order: fo(fo2, "open"),
        },
      ];
    case "fulfillment_orders/merged":
      return [
        { fulfillment_order_merges: { fulfillment_order: fo(fo1, "open") } },
      ];
    case "fulfillment_orders/placed_on_hold":
    case "fulfillment_orders/hold_released":
      return [{ fulfillment_order: fo(fo1, "open") }];
    case "customers/data_request":
      return [
        {
          shop_domain: SHOP_B,
          orders_requested: a.orderIds.map(legacy),
          data_request: { id: 1 },
        },
      ];
    case "customers/redact":
      return [
        { shop_domain: SHOP_B, orders_to_redact: a.orderIds.map(legacy) },
      ];
    case "shop/redact":
      return [{ shop_id: 1, shop_domain: SHOP_B }];
    case "app/scopes_update":
      return [{ previous: [], current: ["read_orders"] }];
    case "app/uninstalled":
      return [{ id: 1, myshopify_domain: SHOP_B }];
    default:
      return [{}];
  }
}
