import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t, type Message } from "~/i18n/messages";
import { renderPage, textOf, type PageRoute } from "../helpers/render-page";
import { documentRequest } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import {
  DEMO_SHOP,
  shipmentRow,
  startSyncWorld,
  type SyncWorld,
} from "../helpers/sync-world";
import { importOrder } from "../reconcile/fixtures";
import { testPool } from "../support/database";
import type * as AppRoute from "~/routes/app";
import type * as ShipmentRoute from "~/routes/app.shipments.$id";

// The sync's own check (a shipment that asks for more units than remain unfulfilled in
// Shopify) is stored as the app's message, a key and its parameters, in
// shipments.last_error_detail: each page renders it in its own language, so the Japanese
// page shows the Japanese sentence only and the English page the English one (issue 17).
// Real all the way: Postgres, the simulator, the app's sync, its route modules.
let world: SyncWorld;
let appRoute: typeof AppRoute;
let shipmentRoute: typeof ShipmentRoute;

beforeAll(async () => {
  world = await startSyncWorld({ seed: 1717 });
  appRoute = await import("~/routes/app");
  shipmentRoute = await import("~/routes/app.shipments.$id");
});

afterAll(async () => {
  await world.close();
});

const TITLE = "有田焼 豆皿 (藍)";

/** The shipment page as Remix renders it: the app layout's loader, then the page's. */
function openShipment(id: number, locale: "ja" | "en") {
  const chain: PageRoute[] = [
    { id: "routes/app", path: "/app", module: appRoute },
    {
      id: "routes/app.shipments.$id",
      path: "shipments/:id",
      module: shipmentRoute,
    },
  ];
  return renderPage(
    documentRequest(`/app/shipments/${id}`, {
      shop: DEMO_SHOP,
      token: signSessionToken({ shop: DEMO_SHOP }),
      params: { locale },
    }),
    chain,
  );
}

/**
 * An order of 2 units, a shipment of both marked shipped here, and 1 unit fulfilled in
 * Shopify admin meanwhile: the sync's check finds 2 asked for, 1 remaining.
 */
async function overShippedShipment(): Promise<{ id: number; orderId: string }> {
  const { order, lines } = await importOrder(world, [
    { title: TITLE, sku: "ARITA-AI", quantity: 2, vendor: "有田焼 窯元" },
  ]);
  const { createShipmentsFromOrder } = await import("~/orders/orders.server");
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  const { getPool } = await import("~/db.server");
  const created = await createShipmentsFromOrder(
    getPool(),
    DEMO_SHOP,
    order.id,
    [{ vendor: "有田焼 窯元", lines: [{ lineId: lines[0]!.id, quantity: 2 }] }],
  );
  if (!created.ok) throw new Error(created.reason);
  const id = created.shipmentIds[0]!;
  world.sim.control.seedFulfillment({
    shop: DEMO_SHOP,
    orderId: order.id,
    lines: [{ lineItemId: lines[0]!.lineItemId, quantity: 1 }],
  });
  await markShipped(getPool(), DEMO_SHOP, id, {
    trackingNumbers: ["445566778899"],
    carrier: "ヤマト運輸",
    trackingUrl: null,
    notifyCustomer: false,
  });
  return { id, orderId: order.id };
}

describe("a sync error the app words itself", () => {
  let id: number;
  let orderId: string;
  const expected: Message = {
    key: "fulfillment.problems.quantityExceedsRemaining",
    params: { item: TITLE, requested: 2, remaining: 1, fulfillable: 1 },
  };
  const ja = t("ja", expected);
  const en = t("en", expected);

  beforeAll(async () => {
    ({ id, orderId } = await overShippedShipment());
    const { syncNow } = await import("~/sync/sync-runner.server");
    const outcome = await syncNow(DEMO_SHOP, id);
    expect(outcome).toMatchObject({
      kind: "failed",
      error: { errorClass: "invalid", detail: expected },
    });
  });

  it("is stored as a key and parameters, with no sentence of either language in the detail", async () => {
    const row = await shipmentRow(id);
    expect(row).toMatchObject({
      status: "shipped",
      sync_state: "failed",
      last_error_class: "invalid",
    });
    expect(row.last_error_detail).toEqual(expected);
    const stored = JSON.stringify(row.last_error_detail);
    for (const words of [
      "未発送",
      "発送しようと",
      "remain unfulfilled",
      "This shipment",
    ])
      expect(stored).not.toContain(words);
    // The message column keeps a plain English line for logs, never both languages.
    expect(row.last_error_message).toBe(en);
    expect(row.last_error_message).not.toMatch(/[\u3040-\u30ff]/);
    // Refused before anything was sent: no fulfillmentCreate.
    expect(
      world.sim.control.getOrder({ shop: DEMO_SHOP, orderId }).fulfillments,
    ).toHaveLength(1);
  });

  it("shows the Japanese page the Japanese sentence only, and the English page the English one", async () => {
    const { status, html, loaderData } = await openShipment(id, "ja");
    expect(status).toBe(200);
    expect(loaderData["routes/app.shipments.$id"]).toMatchObject({
      shipment: { lastErrorClass: "invalid", lastErrorDetail: expected },
    });
    const jaText = textOf(html);
    expect(jaText).toContain(ja);
    expect(jaText).toContain(
      t("ja", "fulfillment.guidance.invalidCheckedTitle"),
    );
    expect(jaText).not.toContain(en);
    expect(jaText).not.toContain("remain unfulfilled");
    expect(jaText).not.toContain("Shopify の応答");

    const view = await openShipment(id, "en");
    expect(view.status).toBe(200);
    const enText = textOf(view.html);
    expect(enText).toContain(en);
    expect(enText).toContain(
      t("en", "fulfillment.guidance.invalidCheckedTitle"),
    );
    expect(enText).not.toContain(ja);
    expect(enText).not.toContain("未発送なのは");
    expect(enText).not.toContain("Shopify said");
  });

  it("gives the order-page extensions the sentence in both languages, each in its own field", async () => {
    const { loadOrderShipments } =
      await import("~/extension/order-shipments.server");
    const answer = await loadOrderShipments(
      DEMO_SHOP,
      orderId.split("/").pop(),
      {
        locale: "ja",
        includeCarriers: false,
      },
    );
    expect(answer.status).toBe(200);
    const body = answer.body as {
      shipments: { id: number; guidance: unknown }[];
    };
    expect(body.shipments.find((s) => s.id === id)?.guidance).toEqual({
      ja,
      en,
    });
  });

  it("is cleared with the message when the operator changes the shipment", async () => {
    const { markShipped } =
      await import("~/shipments/shipment-commands.server");
    const { getPool } = await import("~/db.server");
    await markShipped(getPool(), DEMO_SHOP, id, {
      trackingNumbers: ["445566778800"],
      carrier: "ヤマト運輸",
      trackingUrl: null,
      notifyCustomer: false,
    });
    const row = await shipmentRow(id);
    expect(row).toMatchObject({
      sync_state: "pending",
      last_error_message: null,
      last_error_detail: null,
    });
  });

  it("shows Shopify's own words as they came when there is no detail, and survives a detail it cannot read", async () => {
    await testPool().query(
      `update shipments set sync_state = 'failed', last_error_class = 'invalid',
              last_error_message = 'Invalid fulfillment order line item quantity requested.',
              last_error_detail = null
        where id = $1`,
      [id],
    );
    const shopify = textOf((await openShipment(id, "ja")).html);
    expect(shopify).toContain(
      "Shopify の応答: Invalid fulfillment order line item quantity requested.",
    );

    // A key no catalogue has (a later version's) with parameters of no known shape.
    await testPool().query(
      `update shipments set last_error_detail = '{"key": "fulfillment.problems.fromTheFuture", "params": [1, 2]}'
        where id = $1`,
      [id],
    );
    const view = await openShipment(id, "en");
    expect(view.status).toBe(200);
    expect(textOf(view.html)).toContain("fulfillment.problems.fromTheFuture");
  });
});

describe("an order cancelled in Shopify, in the app's words", () => {
  it("stops the sync with the app's sentence, Japanese on the Japanese page, English on the English one", async () => {
    const { id, orderId } = await overShippedShipment();
    world.sim.control.setOrderState({ shop: DEMO_SHOP, orderId, state: "cancelled" });
    const { syncNow } = await import("~/sync/sync-runner.server");
    const orderName = (await shipmentRow(id)).order_name as string;
    const expected: Message = {
      key: "fulfillment.problems.orderCancelled",
      params: { order: orderName },
    };
    expect(await syncNow(DEMO_SHOP, id)).toMatchObject({
      kind: "failed",
      error: { errorClass: "invalid", detail: expected },
    });
    const row = await testPool().query(
      `select last_error_detail, last_error_message from shipments where id = $1`,
      [id],
    );
    expect(row.rows[0]).toEqual({
      last_error_detail: expected,
      last_error_message: t("en", expected),
    });
    const ja = textOf((await openShipment(id, "ja")).html);
    expect(ja).toContain(t("ja", expected));
    expect(ja).not.toContain("was cancelled in Shopify");
    const en = textOf((await openShipment(id, "en")).html);
    expect(en).toContain(t("en", expected));
    expect(en).not.toContain(t("ja", expected));
  });
});
