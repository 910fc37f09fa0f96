import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { t, type Message } from "~/i18n/messages";
import { demoShop } from "../demo/demo-data";
import { fetchRequest, routeArgs, settle } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import {
  DEMO_SHOP,
  attemptsOf,
  demoShipmentId,
  shipmentRow,
  startSyncWorld,
  type SyncWorld,
} from "../helpers/sync-world";
import { testPool } from "../support/database";
import type * as ShipmentRouteModule from "~/routes/app.shipments.$id";

// The seed's workflow end to end: route action → database → sync service → the app's
// Admin API client → the simulator, and back. Nothing is mocked.
let world: SyncWorld;
let route: typeof ShipmentRouteModule;

beforeAll(async () => {
  world = await startSyncWorld();
  route = await import("~/routes/app.shipments.$id");
});

afterAll(async () => {
  await world.close();
});

beforeEach(async () => {
  world.sim.control.clearFaults();
});

function form(fields: Record<string, string>): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  return body;
}

async function act(shipmentId: number, fields: Record<string, string>, shop = DEMO_SHOP) {
  const request = fetchRequest(`/app/shipments/${shipmentId}`, signSessionToken({ shop }), {
    method: "POST",
    body: form(fields),
  });
  const settled = await settle(() => route.action(routeArgs(request, { id: String(shipmentId) })));
  if (settled.thrown) return { status: settled.thrown.status, body: null };
  const result = settled.value as unknown as { data: unknown; init: ResponseInit | null };
  return { status: result.init?.status ?? 200, body: result.data as Record<string, unknown> };
}

async function load(shipmentId: number, shop = DEMO_SHOP) {
  const request = fetchRequest(`/app/shipments/${shipmentId}`, signSessionToken({ shop }));
  return settle(() => route.loader(routeArgs(request, { id: String(shipmentId) })));
}

/** After a revocation: a new token, stored as token exchange would store it. */
async function reinstallToken() {
  const { token } = world.sim.control.installToken({ shop: DEMO_SHOP });
  await testPool().query(`update shopify_sessions set access_token = $1 where id = $2`, [
    token,
    `offline_${DEMO_SHOP}`,
  ]);
}

function order(orderName: string) {
  const demoOrder = demoShop.orders.find((o) => o.name === orderName)!;
  return world.sim.control.getOrder({ shop: DEMO_SHOP, orderId: demoOrder.id });
}

const markShipped = (id: number, tracking: string, carrier = "ヤマト運輸") =>
  act(id, { intent: "mark_shipped", trackingNumbers: tracking, carrier, notifyCustomer: "false" });

describe("the seed flow on the demo data", () => {
  it("marks shipped → synced, corrects tracking in place, reverts → unshipped in Shopify and here", async () => {
    const id = await demoShipmentId("#1004");

    const shipped = await markShipped(id, "4512-3456-7890");
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ ok: true, toast: "shipments.toastShippedSynced", sync: { kind: "synced" } });

    let row = await shipmentRow(id);
    expect(row).toMatchObject({ status: "shipped", sync_state: "in_sync", carrier: "Yamato (JA)" });
    expect(row.tracking_numbers).toEqual(["451234567890"]);
    const fulfillmentId = row.shopify_fulfillment_id!;
    expect(fulfillmentId).toMatch(/^gid:\/\/shopify\/Fulfillment\/\d+$/);

    let inShopify = order("#1004");
    const live = inShopify.fulfillments.filter((f) => f.status === "SUCCESS");
    expect(live).toHaveLength(1);
    expect(live[0]!.id).toBe(fulfillmentId);
    expect(live[0]!.trackingInfo[0]).toMatchObject({ company: "Yamato (JA)", number: "451234567890" });
    expect(live[0]!.lines.map((l) => l.quantity).sort()).toEqual([3, 5]);
    expect(inShopify.fulfillmentOrders[0]!.lines.every((l) => l.remainingQuantity === 0)).toBe(true);

    // Tracking correction: the same fulfillment is updated, nothing is cancelled.
    const corrected = await markShipped(id, "4512-3456-7901");
    expect(corrected.body).toMatchObject({ ok: true, toast: "shipments.toastTrackingUpdated" });
    row = await shipmentRow(id);
    expect(row).toMatchObject({ sync_state: "in_sync", shopify_fulfillment_id: fulfillmentId });
    inShopify = order("#1004");
    expect(inShopify.fulfillments).toHaveLength(1);
    expect(inShopify.fulfillments[0]!.trackingInfo[0]!.number).toBe("451234567901");
    expect((await attemptsOf(id)).map((a) => a.operation)).toContain("update_tracking");

    // 「未発送に戻す」: Shopify's fulfillment is cancelled and its quantities re-open.
    const reverted = await act(id, { intent: "revert" });
    expect(reverted.body).toMatchObject({ ok: true, toast: "shipments.toastReverted" });
    row = await shipmentRow(id);
    expect(row).toMatchObject({ status: "unshipped", sync_state: "in_sync", shopify_fulfillment_id: null });
    inShopify = order("#1004");
    expect(inShopify.fulfillments[0]!.status).toBe("CANCELLED");
    // Shopify re-opens the units (on a new FO when the old one was fully fulfilled).
    const remaining = new Map<string, number>();
    for (const fo of inShopify.fulfillmentOrders) {
      for (const line of fo.lines) remaining.set(line.lineItemId, (remaining.get(line.lineItemId) ?? 0) + line.remainingQuantity);
    }
    expect([...remaining.values()].sort()).toEqual([3, 5]);

    // The loader shows the history of every call made.
    const loaded = await load(id);
    const operations = loaded.value!.attempts.map((a) => a.operation);
    expect(operations).toEqual(
      expect.arrayContaining(["read_fulfillment_orders", "create_fulfillment", "update_tracking", "cancel_fulfillment"]),
    );
  });

  it("sends no vendor data to Shopify", async () => {
    const id = await demoShipmentId("#1009");
    await markShipped(id, "3001-2345-6789", "佐川急便");
    const log = await testPool().query(
      `select request::text as request from sync_attempts where shipment_id = $1 and request is not null`,
      [id],
    );
    expect(log.rows.length).toBeGreaterThan(0);
    for (const { request } of log.rows) expect(request).not.toContain("波佐見焼");
  });
});

describe("a lost answer after fulfillmentCreate", () => {
  it("is retried reconcile-first and leaves exactly one fulfillment in Shopify", async () => {
    const id = await demoShipmentId("#1011");
    world.sim.control.injectFault({
      shop: DEMO_SHOP,
      operation: "fulfillmentCreate",
      action: { type: "dropAfterCommit", mode: "destroy" },
      times: 1,
    });

    const first = await markShipped(id, "1234-5678-9012");
    expect(first.body).toMatchObject({ ok: true, toast: "shipments.toastShippedPending", sync: { kind: "failed", errorClass: "outcome_unknown" } });
    let row = await shipmentRow(id);
    expect(row).toMatchObject({ status: "shipped", sync_state: "pending", last_error_class: "outcome_unknown" });
    // Shopify did create it: the answer, not the fulfillment, was lost.
    expect(order("#1011").fulfillments).toHaveLength(1);

    const retried = await act(id, { intent: "retry" });
    expect(retried.body).toMatchObject({ ok: true, sync: { kind: "synced" } });
    row = await shipmentRow(id);
    const fulfillments = order("#1011").fulfillments;
    expect(fulfillments).toHaveLength(1);
    expect(row).toMatchObject({ sync_state: "in_sync", shopify_fulfillment_id: fulfillments[0]!.id });

    const attempts = await attemptsOf(id);
    expect(attempts.filter((a) => a.operation === "create_fulfillment")).toHaveLength(1);
    expect(attempts.find((a) => a.operation === "create_fulfillment")).toMatchObject({ outcome: "adopted" });
    expect(attempts.map((a) => a.operation)).toContain("reconcile");
  });
});

describe("each error class, from the simulator to the operator's guidance", () => {
  async function freshShipment(orderName: string, vendor?: string) {
    const id = await demoShipmentId(orderName, vendor);
    const row = await shipmentRow(id);
    if (row.status === "shipped") await act(id, { intent: "revert" });
    return id;
  }

  async function expectGuidance(id: number, errorClass: string, syncState: "pending" | "failed") {
    const row = await shipmentRow(id);
    expect(row).toMatchObject({ status: "shipped", sync_state: syncState, last_error_class: errorClass });
    const loaded = await load(id);
    expect(loaded.value!.shipment).toMatchObject({ lastErrorClass: errorClass, syncState });
  }

  async function expectShopPaused(id: number, errorClass: string) {
    // The whole shop is refused, not this shipment: it stays 発送済み (未同期) and the
    // shop's sync pauses until it is authorized again.
    const row = await shipmentRow(id);
    expect(row).toMatchObject({ status: "shipped", sync_state: "pending", last_error_class: errorClass });
    const loaded = await load(id);
    expect(loaded.value!.shipment).toMatchObject({ lastErrorClass: errorClass, syncState: "pending" });
    expect(loaded.value!.pause).toMatchObject({ reason: errorClass });
    return loaded.value!.pause!;
  }

  async function resumeShop() {
    const { resumeShopSync } = await import("~/shops/sync-circuit.server");
    await resumeShopSync(testPool(), DEMO_SHOP);
  }

  it("401 → reauth_required: the shop's sync pauses, nothing is marked failed", async () => {
    const id = await freshShipment("#1007", "有田焼 窯元まるぶん");
    world.sim.control.revokeTokens({ shop: DEMO_SHOP });
    try {
      const result = await markShipped(id, "111122223333");
      expect(result.body).toMatchObject({
        toast: "shipments.toastShippedPending",
        sync: { kind: "failed", errorClass: "reauth_required", retryAt: null },
      });
      await expectShopPaused(id, "reauth_required");
      const attempt = (await attemptsOf(id)).at(-1)!;
      expect(attempt).toMatchObject({ outcome: "failed", http_status: 401 });
    } finally {
      await reinstallToken();
      await resumeShop();
    }
  });

  it("ACCESS_DENIED → missing_scope, naming the scope", async () => {
    const id = await freshShipment("#1008", "今治タオル工房");
    world.sim.control.setScopes({ shop: DEMO_SHOP, scopes: ["read_orders", "read_merchant_managed_fulfillment_orders"] });
    try {
      const result = await markShipped(id, "222233334444");
      expect(result.body).toMatchObject({ sync: { kind: "failed", errorClass: "missing_scope" } });
      const pause = await expectShopPaused(id, "missing_scope");
      expect(pause.missingScopes).toContain("write_merchant_managed_fulfillment_orders");
      expect((await shipmentRow(id)).last_error_message).toContain("write_merchant_managed_fulfillment_orders");
    } finally {
      world.sim.control.setScopes({ shop: DEMO_SHOP, scopes: demoShop.scopes });
      await resumeShop();
    }
  });

  it("an order Shopify does not know → not_found", async () => {
    const pool = testPool();
    const inserted = await pool.query<{ id: string }>(
      `with li as (
         insert into line_items (shop, order_id, order_name, line_item_id, title, quantity, vendor)
         values ($1, 'gid://shopify/Order/999999', '#9999', 'gid://shopify/LineItem/999999', '幻の商品', 1, 'X')
         returning id, order_id),
       s as (
         insert into shipments (shop, order_id, order_name, vendor)
         values ($1, 'gid://shopify/Order/999999', '#9999', 'X') returning id, order_id)
       insert into shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
       select $1, s.order_id, s.id, li.id, 1 from s, li returning shipment_id as id`,
      [DEMO_SHOP],
    );
    const id = Number(inserted.rows[0]!.id);
    const result = await markShipped(id, "333344445555");
    expect(result.body).toMatchObject({ sync: { kind: "failed", errorClass: "not_found" } });
    await expectGuidance(id, "not_found", "failed");
  });

  it("a quantity above what remains → invalid, refused before calling fulfillmentCreate", async () => {
    const demoOrder = demoShop.orders.find((o) => o.name === "#1012")!;
    const pool = testPool();
    const created = await pool.query<{ id: string }>(
      `insert into shipments (shop, order_id, order_name, vendor) values ($1, $2, '#1012', '今治タオル工房')
       returning id`,
      [DEMO_SHOP, demoOrder.id],
    );
    const id = Number(created.rows[0]!.id);
    await pool.query(
      `insert into shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
       select shop, order_id, $1, id, quantity from line_items where shop = $2 and order_id = $3`,
      [id, DEMO_SHOP, demoOrder.id],
    );
    // Someone fulfilled the bath towel in Shopify admin already.
    world.sim.control.seedFulfillment({
      shop: DEMO_SHOP,
      orderId: demoOrder.id,
      lines: [{ lineItemId: demoOrder.lines[0]!.id, quantity: demoOrder.lines[0]!.quantity }],
    });
    const result = await markShipped(id, "444455556666");
    expect(result.body).toMatchObject({ sync: { kind: "failed", errorClass: "invalid" } });
    await expectGuidance(id, "invalid", "failed");
    expect((await shipmentRow(id)).last_error_message).toMatch(/今治タオル バスタオル|bath|remain/i);
    expect((await attemptsOf(id)).some((a) => a.operation === "create_fulfillment")).toBe(false);
  });

  it("an FO closed between the read and the write → invalid from Shopify's userErrors", async () => {
    const id = await freshShipment("#1010", "南部鉄器 及源");
    world.sim.control.injectFault({
      shop: DEMO_SHOP,
      action: { type: "fulfillmentOrderRace", change: "close" },
      times: 1,
    });
    const result = await markShipped(id, "555566667777");
    expect(result.body).toMatchObject({ sync: { kind: "failed", errorClass: "invalid" } });
    const attempt = (await attemptsOf(id)).find((a) => a.operation === "create_fulfillment")!;
    expect(attempt).toMatchObject({ outcome: "failed", error_class: "invalid" });
    expect(attempt.message).toMatch(/unfulfillable status/);
  });

  it("THROTTLED → throttled, retried automatically after the wait", async () => {
    const id = await freshShipment("#1003", "今治タオル工房");
    world.sim.control.injectFault({ shop: DEMO_SHOP, action: { type: "throttled" }, times: 1 });
    const result = await markShipped(id, "666677778888");
    expect(result.body).toMatchObject({ toast: "shipments.toastShippedPending", sync: { kind: "failed", errorClass: "throttled" } });
    const row = await shipmentRow(id);
    expect(row).toMatchObject({ sync_state: "pending", last_error_class: "throttled" });
    expect(row.next_retry_at!.getTime()).toBeGreaterThanOrEqual(Date.now() + 500);
  });

  it("503 → transient, retried automatically", async () => {
    const id = await freshShipment("#1005", "南部鉄器 及源");
    world.sim.control.injectFault({ shop: DEMO_SHOP, action: { type: "httpError", status: 503 }, times: 1 });
    const result = await markShipped(id, "777788889999");
    expect(result.body).toMatchObject({ sync: { kind: "failed", errorClass: "transient" } });
    await expectGuidance(id, "transient", "pending");
  });

  it("402 frozen shop → shop_unavailable, not retried by waiting seconds", async () => {
    const id = await freshShipment("#1001", "今治タオル工房");
    world.sim.control.setShopAvailability({ shop: DEMO_SHOP, frozen: true });
    try {
      const result = await markShipped(id, "888899990000");
      // Not "pending": nothing will happen until someone acts, and the toast says so.
      expect(result.body).toMatchObject({ toast: "shipments.toastSyncFailed", sync: { kind: "failed", errorClass: "shop_unavailable" } });
      await expectGuidance(id, "shop_unavailable", "failed");
    } finally {
      world.sim.control.setShopAvailability({ shop: DEMO_SHOP, frozen: false });
    }
  });
});

describe("the shipment route's actions", () => {
  it("refuse a request without a valid session token", async () => {
    const id = await demoShipmentId("#1002");
    const request = fetchRequest(`/app/shipments/${id}`, signSessionToken({ shop: DEMO_SHOP, secret: "wrong" }), {
      method: "POST",
      body: form({ intent: "revert" }),
    });
    const settled = await settle(() => route.action(routeArgs(request, { id: String(id) })));
    expect(settled.thrown?.status).toBe(401);
    expect((await shipmentRow(id)).status).toBe("shipped");
  });

  it("answer 404 for another shop's shipment and change nothing", async () => {
    const other = "other-shop.myshopify.com";
    await testPool().query(`insert into shops (shop) values ($1) on conflict do nothing`, [other]);
    const { sessionStorage } = await import("~/shopify.server");
    const { Session } = await import("@shopify/shopify-api");
    await sessionStorage.storeSession(
      new Session({ id: `offline_${other}`, shop: other, state: "", isOnline: false, accessToken: "shpat_other" }),
    );
    const id = await demoShipmentId("#1002");
    const before = await shipmentRow(id);

    const reverted = await act(id, { intent: "revert" }, other);
    expect(reverted.status).toBe(404);
    const loaded = await load(id, other);
    expect(loaded.thrown?.status).toBe(404);
    const shipped = await act(id, { intent: "mark_shipped", trackingNumbers: "1", carrier: "x" }, other);
    expect(shipped.status).toBe(404);
    // Nothing of the owner's shipment changed, not even its timestamps.
    expect(await shipmentRow(id)).toEqual(before);
  });

  it("return field errors with 400 and write nothing", async () => {
    const id = await demoShipmentId("#1007", "有田焼 窯元まるぶん");
    const before = await shipmentRow(id);
    const result = await act(id, {
      intent: "mark_shipped",
      trackingNumbers: "  ",
      carrier: "",
      trackingUrl: "javascript:alert(1)",
    });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ ok: false });
    // The field errors are messages the page renders in the admin's language.
    const fieldErrors = (result.body?.fieldErrors ?? {}) as Record<string, Message>;
    expect(Object.keys(fieldErrors).sort()).toEqual(["carrier", "trackingNumbers", "trackingUrl"]);
    expect(t("ja", fieldErrors.trackingNumbers!)).toBe("追跡番号を入力してください。");
    expect(t("en", fieldErrors.trackingNumbers!)).toBe("Enter a tracking number.");
    expect(t("en", fieldErrors.carrier!)).toBe("Choose a carrier.");
    expect(t("en", fieldErrors.trackingUrl!)).toContain("http");
    expect(await shipmentRow(id)).toEqual(before);
  });

  it("flag an unknown carrier without refusing it", async () => {
    const id = await demoShipmentId("#1008", "有田焼 窯元まるぶん");
    const result = await markShipped(id, "123412341234", "Yamatoo Transprot");
    expect(result.status).toBe(200);
    expect((result.body as { warnings: unknown[] }).warnings.length).toBeGreaterThan(0);
    expect((await shipmentRow(id)).carrier).toBe("Yamatoo Transprot");
  });
});
