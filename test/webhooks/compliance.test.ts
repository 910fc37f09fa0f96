import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";
import {
  deliver,
  importOrder,
  legacy,
  shipAndSync,
} from "../reconcile/fixtures";
import type * as ComplianceRoute from "~/routes/webhooks.compliance";

// The mandatory compliance topics through the real route: signed with the app secret,
// authenticated by the library (a forged signature gets 401), then recorded and acted on.
let world: SyncWorld;
let route: typeof ComplianceRoute;
const OTHER = "other-shop.myshopify.com";

beforeAll(async () => {
  world = await startSyncWorld();
  route = await import("~/routes/webhooks.compliance");
  // Another shop with data of its own, which no delivery for the demo shop may touch.
  const pool = testPool();
  await pool.query(`insert into shops (shop) values ($1)`, [OTHER]);
  const { sessionStorage } = await import("~/shopify.server");
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${OTHER}`,
      shop: OTHER,
      state: "",
      isOnline: false,
      accessToken: "shpat_other",
    }),
  );
  await pool.query(
    `insert into line_items (shop, order_id, order_name, line_item_id, title, quantity, vendor)
     values ($1, 'gid://shopify/Order/77', '#77', 'gid://shopify/LineItem/7701', '他店の商品', 1, '他店')`,
    [OTHER],
  );
  await pool.query(
    `insert into shipments (shop, order_id, order_name, vendor) values ($1, 'gid://shopify/Order/77', '#77', '他店')`,
    [OTHER],
  );
  await pool.query(
    `insert into orders (shop, order_id, order_name) values ($1, 'gid://shopify/Order/77', '#77')`,
    [OTHER],
  );
});

afterAll(async () => {
  await world.close();
});

const send = (topic: string, shop: string, payload: unknown, secret?: string) =>
  deliver(route.action, {
    path: "/webhooks/compliance",
    topic,
    shop,
    payload,
    secret,
  });

/** Rows per table of `shop` in every public table with a shop column. */
async function rowsOf(shop: string): Promise<Record<string, number>> {
  const tables = await testPool().query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'shop' and t.table_type = 'BASE TABLE'
      order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const { rows } = await testPool().query(
      `select count(*)::int as n from public."${table_name}" where shop = $1`,
      [shop],
    );
    counts[table_name] = rows[0].n;
  }
  return counts;
}

async function records(shop: string) {
  const { rows } = await testPool().query(
    `select topic, shopify_request_id, order_ids, result from compliance_requests where shop = $1 order by id`,
    [shop],
  );
  return rows;
}

describe("customers/data_request", () => {
  it("answers 200 and records the request: the app holds no customer data, only order ids", async () => {
    const { order } = await importOrder(world);
    const payload = {
      shop_id: 954889,
      shop_domain: world.shop,
      customer: {
        id: 191167,
        email: "hanako@example.jp",
        phone: "+81-3-1234-5678",
      },
      orders_requested: [legacy(order.id), 299938],
      data_request: { id: 9999 },
    };
    expect(await send("customers/data_request", world.shop, payload)).toBe(200);

    expect(await records(world.shop)).toEqual([
      {
        topic: "customers/data_request",
        shopify_request_id: "9999",
        order_ids: [order.id, "gid://shopify/Order/299938"],
        result: { customerDataStored: false, ordersHeld: 1 },
      },
    ]);
    const stored = JSON.stringify(await records(world.shop));
    expect(stored).not.toMatch(/hanako|191167|\+81/);
  });
});

describe("customers/redact", () => {
  it("answers 200 and records it; nothing customer-specific is stored, so nothing is deleted", async () => {
    const before = await rowsOf(world.shop);
    const payload = {
      shop_id: 954889,
      shop_domain: world.shop,
      customer: {
        id: 191167,
        email: "hanako@example.jp",
        phone: "+81-3-1234-5678",
      },
      orders_to_redact: [299938, 280263],
    };
    expect(await send("customers/redact", world.shop, payload)).toBe(200);

    const after = await rowsOf(world.shop);
    // Only the compliance record and the delivery log gain a row.
    expect({ ...after, compliance_requests: 0, webhook_events: 0 }).toEqual({
      ...before,
      compliance_requests: 0,
      webhook_events: 0,
    });
    expect((await records(world.shop)).at(-1)).toMatchObject({
      topic: "customers/redact",
      result: { customerDataStored: false, deleted: 0, ordersHeld: 0 },
    });
  });
});

describe("every compliance topic", () => {
  it.each(["customers/data_request", "customers/redact", "shop/redact"])(
    "%s refuses a forged signature with 401 and changes nothing",
    async (topic) => {
      const before = await rowsOf(world.shop);
      expect(
        await send(
          topic,
          world.shop,
          { shop_id: 1, shop_domain: world.shop },
          "forged-secret",
        ),
      ).toBe(401);
      expect(await rowsOf(world.shop)).toEqual(before);
    },
  );
});

describe("shop/redact", () => {
  it("deletes every row of the shop in every table, keeps other shops' and the compliance record", async () => {
    // Give the demo shop data in every kind of table first.
    const { order, lines } = await importOrder(world);
    const { shipmentId } = await shipAndSync(
      world,
      order.id,
      [{ lineId: lines[0]!.id, quantity: 1 }],
      ["5555"],
    );
    await testPool().query(
      `insert into shipment_notes (shop, order_id, shipment_id, kind, source)
       values ($1, $2, $3, 'tracking_changed_in_shopify', 'webhook')`,
      [world.shop, order.id, shipmentId],
    );
    await testPool().query(
      `insert into reconcile_runs (shop, trigger) values ($1, 'manual')`,
      [world.shop],
    );
    await testPool().query(
      `insert into order_backfill_runs (shop, since) values ($1, now())`,
      [world.shop],
    );
    await testPool().query(
      `insert into webhook_events (shop, topic, webhook_id, outcome) values ($1, 'orders/create', 'w-1', 'applied')`,
      [world.shop],
    );
    const before = await rowsOf(world.shop);
    for (const table of [
      "shops",
      "shopify_sessions",
      "line_items",
      "shipments",
      "shipment_line_items",
      "sync_attempts",
      "orders",
      "shipment_notes",
      "reconcile_runs",
      "order_backfill_runs",
      "webhook_events",
    ]) {
      expect(before[table], table).toBeGreaterThan(0);
    }
    const otherBefore = await rowsOf(OTHER);
    const keys = (
      await testPool().query(
        `select 'sync-shipment:' || id as key from shipments where shop = $1`,
        [world.shop],
      )
    ).rows.map((r) => r.key as string);

    // While the shop is installed, shop/redact deletes nothing and says so.
    expect(
      await send("shop/redact", world.shop, {
        shop_id: 954889,
        shop_domain: world.shop,
        note: "while installed",
      }),
    ).toBe(200);
    expect({ ...(await rowsOf(world.shop)), compliance_requests: 0, webhook_events: 0 }).toEqual({
      ...before,
      compliance_requests: 0,
      webhook_events: 0,
    });
    expect((await records(world.shop)).at(-1)).toMatchObject({
      topic: "shop/redact",
      result: { deleted: {}, refused: expect.stringContaining("installed") },
    });
    // app/uninstalled comes first in Shopify's sequence: sessions go, data stays.
    await testPool().query(
      `update shops set uninstalled_at = now() where shop = $1`,
      [world.shop],
    );

    expect(
      await send("shop/redact", world.shop, {
        shop_id: 954889,
        shop_domain: world.shop,
      }),
    ).toBe(200);

    const after = await rowsOf(world.shop);
    expect(
      Object.entries(after).filter(
        ([table, n]) => n > 0 && table !== "compliance_requests",
      ),
    ).toEqual([]);
    expect(await rowsOf(OTHER)).toEqual(otherBefore);
    expect((await records(world.shop)).at(-1)).toMatchObject({
      topic: "shop/redact",
      result: {
        deleted: expect.objectContaining({
          shops: 1,
          shipments: before.shipments,
          line_items: before.line_items,
        }),
      },
    });
    const jobsAfter = await testPool().query(
      `select key from graphile_worker.jobs where key = any($1::text[])`,
      [keys],
    );
    expect(jobsAfter.rows).toEqual([]);

    // Shopify may deliver it again: still 200, nothing left to delete.
    expect(
      await send("shop/redact", world.shop, {
        shop_id: 954889,
        shop_domain: world.shop,
      }),
    ).toBe(200);
    expect((await records(world.shop)).at(-1)).toMatchObject({
      topic: "shop/redact",
      result: { deleted: {} },
    });
  });
});
