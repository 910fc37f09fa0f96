import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "~/i18n/messages";
import { fetchRequest, routeArgs, settle } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";
import { importOrder, legacy } from "./fixtures";
import type * as OrderRoute from "~/routes/app.orders.$id";

// Staff create shipments from an order's lines on /app/orders/:id: one per vendor by
// default, quantities editable, validated against what remains.
let world: SyncWorld;
let route: typeof OrderRoute;

beforeAll(async () => {
  world = await startSyncWorld();
  route = await import("~/routes/app.orders.$id");
});

afterAll(async () => {
  await world.close();
});

const LINES = [
  { title: "有田焼 豆皿", sku: "ARITA-1", quantity: 3, vendor: "有田焼 窯元" },
  { title: "有田焼 マグ", sku: "ARITA-2", quantity: 1, vendor: "有田焼 窯元" },
  { title: "今治タオル", sku: "IMA-1", quantity: 2, vendor: "今治タオル工房" },
];

async function load(orderId: string) {
  const token = signSessionToken({ shop: world.shop });
  const id = String(legacy(orderId));
  return settle(() =>
    route.loader(routeArgs(fetchRequest(`/app/orders/${id}`, token), { id })),
  );
}

async function submit(orderId: string, fields: Record<string, string>) {
  const token = signSessionToken({ shop: world.shop });
  const id = String(legacy(orderId));
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  const result = (await route.action(
    routeArgs(
      fetchRequest(`/app/orders/${id}`, token, { method: "POST", body }),
      { id },
    ),
  )) as unknown as {
    data: Record<string, any>;
    init: { status?: number } | null;
  };
  return { status: result.init?.status ?? 200, body: result.data };
}

async function shipmentsOf(orderId: string) {
  const { rows } = await testPool().query(
    `select s.vendor, s.status, s.sync_state,
            array_agg(li.sku || ' x' || sli.quantity order by li.sku) as lines
       from shipments s join shipment_line_items sli on sli.shipment_id = s.id
       join line_items li on li.id = sli.line_item_id
      where s.shop = $1 and s.order_id = $2 group by s.id order by s.id`,
    [world.shop, orderId],
  );
  return rows;
}

describe("/app/orders/:id", () => {
  it("shows the order's lines with what remains, and creates one shipment per vendor from the defaults", async () => {
    const { order, lines } = await importOrder(world, LINES);
    const loaded = await load(order.id);
    expect(
      loaded.value!.order.lines.map((l) => [l.sku, l.quantity, l.remaining]),
    ).toEqual([
      ["ARITA-1", 3, 3],
      ["ARITA-2", 1, 1],
      ["IMA-1", 2, 2],
    ]);

    // What the form submits untouched: every remaining unit.
    const result = await submit(
      order.id,
      Object.fromEntries(
        lines.map((l, i) => [`line_${l.id}`, String(LINES[i]!.quantity)]),
      ),
    );

    expect(result.status).toBe(200);
    expect(result.body.created).toHaveLength(2);
    expect(await shipmentsOf(order.id)).toEqual([
      {
        vendor: "有田焼 窯元",
        status: "unshipped",
        sync_state: "in_sync",
        lines: ["ARITA-1 x3", "ARITA-2 x1"],
      },
      {
        vendor: "今治タオル工房",
        status: "unshipped",
        sync_state: "in_sync",
        lines: ["IMA-1 x2"],
      },
    ]);
    expect(
      (await load(order.id)).value!.order.lines.every((l) => l.remaining === 0),
    ).toBe(true);
  });

  it("takes edited quantities (0 leaves a line out) and leaves the rest for later", async () => {
    const { order, lines } = await importOrder(world, LINES);
    const result = await submit(order.id, {
      [`line_${lines[0]!.id}`]: "２", // full-width digits are read too
      [`line_${lines[1]!.id}`]: "0",
      [`line_${lines[2]!.id}`]: "",
    });
    expect(result.status).toBe(200);
    expect(await shipmentsOf(order.id)).toEqual([
      expect.objectContaining({ vendor: "有田焼 窯元", lines: ["ARITA-1 x2"] }),
    ]);
    const again = await load(order.id);
    expect(again.value!.order.lines.map((l) => l.remaining)).toEqual([1, 1, 2]);
  });

  it("answers 400 with field errors for a quantity over what remains or not a number, creating nothing", async () => {
    const { order, lines } = await importOrder(world, LINES);
    const result = await submit(order.id, {
      [`line_${lines[0]!.id}`]: "4",
      [`line_${lines[2]!.id}`]: "-1",
    });
    expect(result.status).toBe(400);
    expect(Object.keys(result.body.fieldErrors).sort()).toEqual(
      [`line_${lines[0]!.id}`, `line_${lines[2]!.id}`].sort(),
    );
    expect(t("ja", result.body.fieldErrors[`line_${lines[0]!.id}`])).toMatch(/3/);
    expect(await shipmentsOf(order.id)).toEqual([]);

    const empty = await submit(order.id, { [`line_${lines[0]!.id}`]: "0" });
    expect(empty.status).toBe(400);
    expect(t("en", empty.body.error)).toMatch(/at least one/);
  });

  it("refuses a cancelled order with 409", async () => {
    const { order, lines } = await importOrder(world, LINES);
    await testPool().query(
      `update orders set cancelled_at = now() where shop = $1 and order_id = $2`,
      [world.shop, order.id],
    );
    const result = await submit(order.id, { [`line_${lines[0]!.id}`]: "1" });
    expect(result.status).toBe(409);
    expect(await shipmentsOf(order.id)).toEqual([]);
  });

  it("answers 404 for an order the shop does not have", async () => {
    const loaded = await load("gid://shopify/Order/424242");
    expect(loaded.thrown?.status).toBe(404);
    const result = await submit("gid://shopify/Order/424242", { line_1: "1" });
    expect(result.status).toBe(404);
  });
});
