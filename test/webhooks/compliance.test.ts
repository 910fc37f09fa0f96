import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStoredMessage, storedText } from "~/i18n/messages";
import { startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";
import {
  deliver,
  importOrder,
  legacy,
  shipAndSync,
} from "../reconcile/fixtures";
import { previewImport } from "~/imports/preview.server";
import type * as ComplianceRoute from "~/routes/webhooks.compliance";
import { routeArgs, settle } from "../helpers/requests";
import { webhookRequest } from "../helpers/webhook";

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
  it("answers 200 and records what is held for the orders, counted: no contact details, never the data", async () => {
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
        result: {
          contactDetailsStored: false,
          ordersHeld: 1,
          lineItems: 2,
          shipments: 0,
          importRows: 0,
        },
      },
    ]);
    const stored = JSON.stringify(await records(world.shop));
    expect(stored).not.toMatch(/hanako|191167|\+81/);
  });
});

describe("customers/redact", () => {
  it("answers 200 and records it; for orders the app never held, nothing changes", async () => {
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
      result: {
        contactDetailsStored: false,
        ordersHeld: 0,
        redacted: { importRows: 0 },
        keptUntilShopRedact: { lineItems: 0, shipments: 0 },
      },
    });
  });

  it("redacts the uploaded cells of the import rows naming the customer's orders, and only those", async () => {
    const { order: mine } = await importOrder(world, undefined, { name: "#5101" });
    const { order: theirs } = await importOrder(world, undefined, { name: "#5102" });
    const upload = (rows: string[][], shop = world.shop) =>
      previewImport(testPool(), shop, {
        fileName: "vendor.csv",
        bytes: new TextEncoder().encode(
          [["注文番号", "注文ID", "SKU", "追跡番号", "配送業者", "メモ"], ...rows]
            .map((r) => r.join(","))
            .join("\n"),
        ),
      });
    // Rows naming the customer's order: valid, by name without "#" and a bad SKU, by ID
    // with a bad tracking number; and a row of another order.
    const preview = await upload([
      ["#5101", "", "ARITA-1", "111122223333", "ヤマト運輸", "置き配"],
      ["５１０１", "", "NOPE-1", "111122224444", "ヤマト運輸", "置き配"],
      ["", String(legacy(mine.id)), "IMA-1", "=1+1", "ヤマト運輸", "置き配"],
      ["#5102", "", "ARITA-1", "999988887777", "佐川急便", "置き配"],
    ]);
    expect(preview).toMatchObject({ ok: true, rowCount: 4 });
    // Another shop's import naming an order with the same number stays as it is.
    await testPool().query(
      `insert into line_items (shop, order_id, order_name, line_item_id, title, quantity, vendor)
       values ($1, $2, '#5101', 'gid://shopify/LineItem/510101', '他店', 1, '他店')`,
      [OTHER, mine.id],
    );
    const otherPreview = await upload([["#5101", "", "X", "555566667777", "佐川急便", ""]], OTHER);
    expect(otherPreview.ok).toBe(true);
    const cellsOf = async () =>
      (
        await testPool().query<{ shop: string; row_number: number; mapped_cells: object; errors: { code: string }[]; redacted: boolean }>(
          `select shop, row_number, mapped_cells, errors, redacted_at is not null as redacted
             from import_rows where shop in ($1, $2) order by shop, import_id, row_number`,
          [world.shop, OTHER],
        )
      ).rows;
    const before = await cellsOf();

    const dataRequest = {
      shop_id: 954889,
      shop_domain: world.shop,
      customer: { id: 191167, email: "hanako@example.jp" },
      orders_requested: [legacy(mine.id)],
      data_request: { id: 10001 },
    };
    expect(await send("customers/data_request", world.shop, dataRequest)).toBe(200);
    expect((await records(world.shop)).at(-1)!.result).toEqual({
      contactDetailsStored: false,
      ordersHeld: 1,
      lineItems: 2,
      shipments: 0,
      importRows: 3,
    });

    const redact = {
      shop_id: 954889,
      shop_domain: world.shop,
      customer: { id: 191167, email: "hanako@example.jp" },
      orders_to_redact: [legacy(mine.id)],
    };
    expect(await send("customers/redact", world.shop, redact)).toBe(200);
    expect((await records(world.shop)).at(-1)!.result).toEqual({
      contactDetailsStored: false,
      ordersHeld: 1,
      redacted: { importRows: 3 },
      keptUntilShopRedact: { lineItems: 2, shipments: 0 },
    });
    const after = await cellsOf();
    const isMine = (r: (typeof after)[number]) => r.shop === world.shop && r.row_number <= 4;
    const mineAfter = after.filter(isMine);
    for (const row of mineAfter) {
      expect(row.mapped_cells).toEqual({});
      expect(row.redacted).toBe(true);
      expect(JSON.stringify(row)).not.toMatch(/5101|NOPE|1111|=1\+1/);
    }
    expect(mineAfter.map((r) => r.errors.map((e) => e.code))).toEqual([[], ["sku_not_found"], ["formula"]]);
    expect(storedText("en", readStoredMessage(mineAfter[1]!.errors[0]))).toContain("data redaction request");
    // The other order's row and the other shop's rows are untouched.
    expect(after.filter((r) => !isMine(r))).toEqual(before.filter((r) => !isMine(r)));
    expect(after.filter((r) => !isMine(r))).toHaveLength(2);
    // The other order's row still names it.
    const theirsHeld = { ...dataRequest, orders_requested: [legacy(theirs.id)], data_request: { id: 10002 } };
    expect(await send("customers/data_request", world.shop, theirsHeld)).toBe(200);
    expect((await records(world.shop)).at(-1)!.result).toMatchObject({ importRows: 1 });

    // Another request for the same order: nothing left to redact.
    expect(
      await send("customers/redact", world.shop, { ...redact, customer: { id: 191168 } }),
    ).toBe(200);
    expect((await records(world.shop)).at(-1)!.result).toMatchObject({ redacted: { importRows: 0 } });
  });

  it.each([
    ["customers/redact", { orders_to_redact: "all" }, /orders_to_redact/],
    ["customers/redact", {}, /orders_to_redact/],
    ["customers/redact", { orders_to_redact: [1e30] }, /orders_to_redact/],
    ["customers/data_request", { orders_requested: [{ id: 1 }] }, /orders_requested/],
    ["customers/data_request", { orders_requested: [1], data_request: { id: "x" } }, /data_request/],
  ])("%s without a readable list of orders (%j) is refused with 400 and changes nothing", async (topic, fields, reason) => {
    const before = await rowsOf(world.shop);
    const recorded = (await records(world.shop)).length;
    const answer = await settle(() =>
      route.action(
        routeArgs(
          webhookRequest({
            path: "/webhooks/compliance",
            topic,
            shop: world.shop,
            payload: { shop_id: 954889, shop_domain: world.shop, ...fields },
          }),
        ),
      ),
    );
    const response = answer.thrown ?? answer.value!;
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(reason);
    expect(await rowsOf(world.shop)).toEqual(before);
    expect(await records(world.shop)).toHaveLength(recorded);
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
