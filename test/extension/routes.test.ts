import { Session } from "@shopify/shopify-api";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import { inEveryLocale, type Message } from "~/i18n/messages";

import { demoShop } from "../demo/demo-data";
import {
  CHROME_USER_AGENT,
  fetchRequest,
  routeArgs,
  settle,
} from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import {
  DEMO_SHOP,
  demoShipmentId,
  shipmentRow,
  startSyncWorld,
  type SyncWorld,
} from "../helpers/sync-world";
import { testPool } from "../support/database";
import { parseTrackingForm } from "~/shipments/tracking-form";
import type * as OrderRoute from "~/routes/api.extension.orders.$orderId";
import type * as CommandRoute from "~/routes/api.extension.orders.$orderId.shipments.$shipmentId";
import type * as ShipmentPageRoute from "~/routes/app.shipments.$id";
import type * as Store from "~/fulfillment/shipment-store.server";

// The one owner of shipment state (~/fulfillment/shipment-store.server): both the
// app's shipment page and the extension routes must reach these very transitions
// (counted, not replaced).
const owner = vi.hoisted(() => ({ markShipped: 0, retry: 0 }));
vi.mock("~/fulfillment/shipment-store.server", async (importOriginal) => {
  const actual = await importOriginal<typeof Store>();
  return {
    ...actual,
    markShipped: (...args: Parameters<typeof actual.markShipped>) => {
      owner.markShipped += 1;
      return actual.markShipped(...args);
    },
    retry: (...args: Parameters<typeof actual.retry>) => {
      owner.retry += 1;
      return actual.retry(...args);
    },
  };
});

/**
 * The order-page extensions' backend (/api/extension/*) called as Shopify calls it: a
 * cross-origin fetch from the extension's sandbox with the session token in the
 * Authorization header, through the real authenticate.admin, against this file's
 * Postgres and the simulator.
 */
let world: SyncWorld;
let orderRoute: typeof OrderRoute;
let commandRoute: typeof CommandRoute;
let shipmentPage: typeof ShipmentPageRoute;
const SHOP_B = "other-shop.myshopify.com";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

beforeAll(async () => {
  world = await startSyncWorld();
  orderRoute = await import("~/routes/api.extension.orders.$orderId");
  commandRoute =
    await import("~/routes/api.extension.orders.$orderId.shipments.$shipmentId");
  shipmentPage = await import("~/routes/app.shipments.$id");
  // Shop B: installed with a token of its own, no data of shop A's.
  world.sim.control.createShop({
    shop: SHOP_B,
    token: "shpat_other_0001",
    scopes: demoShop.scopes,
  });
  await testPool().query(
    `insert into shops (shop, granted_scopes) values ($1, $2)`,
    [SHOP_B, demoShop.scopes],
  );
  const { sessionStorage } = await import("~/shopify.server");
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${SHOP_B}`,
      shop: SHOP_B,
      state: "",
      isOnline: false,
      accessToken: "shpat_other_0001",
      scope: demoShop.scopes.join(","),
    }),
  );
});

afterAll(async () => {
  await world.close();
});

beforeEach(() => {
  world.sim.control.clearFaults();
});

const numeric = (gid: string) => gid.split("/").pop()!;

async function orderOf(shipmentId: number) {
  const row = await shipmentRow(shipmentId);
  return numeric(row.order_id as string);
}

function extensionRequest(path: string, shop: string, init: RequestInit = {}) {
  const request = fetchRequest(path, signSessionToken({ shop }), init);
  request.headers.set("Origin", EXTENSION_ORIGIN);
  return request;
}

async function respond(run: () => Promise<Response>) {
  const settled = await settle(run);
  const response = settled.thrown ?? settled.value!;
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text ? JSON.parse(text) : null,
  };
}

const getOrder = (orderId: string, shop = DEMO_SHOP, query = "?locale=ja") =>
  respond(() =>
    orderRoute.loader(
      routeArgs(
        extensionRequest(`/api/extension/orders/${orderId}${query}`, shop),
        { orderId },
      ),
    ),
  );

const command = (
  orderId: string,
  shipmentId: string,
  body: unknown,
  shop = DEMO_SHOP,
  locale = "ja",
) =>
  respond(() =>
    commandRoute.action(
      routeArgs(
        extensionRequest(
          `/api/extension/orders/${orderId}/shipments/${shipmentId}?locale=${locale}`,
          shop,
          {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: typeof body === "string" ? body : JSON.stringify(body),
          },
        ),
        { orderId, shipmentId },
      ),
    ),
  );

describe("GET /api/extension/orders/:orderId", () => {
  it("lists the order's shipments with the app's status, items and links, with CORS for the extension", async () => {
    const id = await demoShipmentId("#1001");
    const orderId = await orderOf(id);
    const answer = await getOrder(orderId);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(answer.body.order).toEqual({ name: "#1001" });
    expect(answer.body.shipments.length).toBe(2);
    const first = answer.body.shipments.find(
      (s: { id: number }) => s.id === id,
    );
    const row = await shipmentRow(id);
    expect(row.sync_state).toBe("in_sync");
    expect(first).toMatchObject({
      status: row.status === "shipped" ? "shipped" : "unshipped",
      canRetry: false,
      guidance: null,
      appPath: `/app/shipments/${id}`,
    });
    expect(first.lines.length).toBeGreaterThan(0);
    expect(answer.body.createPath).toBe(`/app/orders/${orderId}`);
    expect(answer.body.carriers).toBeUndefined();
  });

  it("adds the app's carrier list for the action, in the admin's language", async () => {
    const orderId = await orderOf(await demoShipmentId("#1002"));
    const ja = await getOrder(
      orderId,
      DEMO_SHOP,
      "?locale=ja&include=carriers",
    );
    const en = await getOrder(
      orderId,
      DEMO_SHOP,
      "?locale=en&include=carriers",
    );
    expect(ja.body.carriers[0]).toMatchObject({
      value: "Yamato (JA)",
      label: "ヤマト運輸 (日本語)",
    });
    expect(en.body.carriers[0].value).toBe("Yamato (EN)");
  });

  it("gives a failed shipment the app's one-line guidance and a retry", async () => {
    const id = await demoShipmentId("#1003");
    await testPool().query(
      `update shipments set status = 'shipped', shipped_at = now(), sync_state = 'failed',
              pending_operation = 'create_fulfillment', last_error_class = 'throttled' where id = $1`,
      [id],
    );
    const answer = await getOrder(await orderOf(id));
    const failed = answer.body.shipments.find(
      (s: { id: number }) => s.id === id,
    );
    expect(failed).toMatchObject({
      status: "syncError",
      tone: "critical",
      canRetry: true,
      guidance: {
        ja: "Shopify API の利用上限に達しました",
        en: "Shopify API rate limit reached",
      },
    });
  });

  it("answers the CORS preflight without a token (the library's OPTIONS handling)", async () => {
    const request = new Request(
      "https://app.example.test/api/extension/orders/1",
      {
        method: "OPTIONS",
        headers: { Origin: EXTENSION_ORIGIN, "User-Agent": CHROME_USER_AGENT },
      },
    );
    const answer = await respond(() =>
      orderRoute.loader(routeArgs(request, { orderId: "1" })),
    );
    expect(answer.status).toBe(204);
    expect(answer.headers.get("Access-Control-Allow-Headers")).toContain(
      "Authorization",
    );
  });

  it("gives a token for another shop nothing of this shop's order", async () => {
    const orderId = await orderOf(await demoShipmentId("#1001"));
    const answer = await getOrder(orderId, SHOP_B);
    expect(answer.status).toBe(200);
    expect(answer.body.shipments).toEqual([]);
    expect(answer.body).toEqual({
      order: { name: null },
      shipments: [],
      createPath: "/app/orders",
    });
    expect(answer.text).not.toContain("#1001");
    expect(answer.text).not.toContain("有田焼");
  });

  it("refuses a request without a valid session token", async () => {
    const request = extensionRequest("/api/extension/orders/1", DEMO_SHOP);
    request.headers.set(
      "Authorization",
      `Bearer ${signSessionToken({ shop: DEMO_SHOP, secret: "not-the-app-secret" })}`,
    );
    const answer = await respond(() =>
      orderRoute.loader(routeArgs(request, { orderId: "1" })),
    );
    expect(answer.status).toBe(401);
  });

  it("answers a malformed order id with 400 and a specific message", async () => {
    const answer = await getOrder("gid:%2F%2Fshopify%2FOrder%2F1");
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({
      ja: "注文 ID が正しくありません (数字のみ)。",
      en: "The order ID is not valid (digits only).",
    });
  });
});

describe("POST /api/extension/orders/:orderId/shipments/:shipmentId", () => {
  it("marks shipped through the app's command and sync: Shopify gets the fulfillment", async () => {
    const id = await demoShipmentId("#1004");
    const before = owner.markShipped;
    const answer = await command(await orderOf(id), String(id), {
      intent: "mark_shipped",
      trackingNumbers: "4512-3456-7890",
      carrier: "ヤマト運輸",
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      message: {
        ja: "発送済みにし、Shopify と同期しました",
        en: "Marked as shipped and synced to Shopify",
      },
    });
    expect(owner.markShipped).toBe(before + 1);
    const row = await shipmentRow(id);
    expect(row).toMatchObject({
      status: "shipped",
      sync_state: "in_sync",
      carrier: "Yamato (JA)",
    });
    expect(row.tracking_numbers).toEqual(["451234567890"]);
    const order = world.sim.control.getOrder({
      shop: DEMO_SHOP,
      orderId: row.order_id as string,
    });
    expect(
      order.fulfillments.filter((f) => f.status === "SUCCESS").map((f) => f.id),
    ).toContain(row.shopify_fulfillment_id);
  });

  it("mark-shipped and retry go through the same state owner as the app's shipment page", async () => {
    const pageShipment = await demoShipmentId("#1008");
    const extensionShipment = await demoShipmentId("#1009");
    const start = { ...owner };

    const tokenA = signSessionToken({ shop: DEMO_SHOP });
    const form = new FormData();
    form.set("intent", "mark_shipped");
    form.set("trackingNumbers", "3001-2345-6789");
    form.set("carrier", "佐川急便");
    await settle(() =>
      shipmentPage.action(
        routeArgs(
          fetchRequest(`/app/shipments/${pageShipment}`, tokenA, {
            method: "POST",
            body: form,
          }),
          {
            id: String(pageShipment),
          },
        ),
      ),
    );
    expect(owner.markShipped).toBe(start.markShipped + 1);
    await command(await orderOf(extensionShipment), String(extensionShipment), {
      intent: "mark_shipped",
      trackingNumbers: "3001-2345-6790",
      carrier: "佐川急便",
    });
    expect(owner.markShipped).toBe(start.markShipped + 2);
    // Same command, same outcome.
    const [a, b] = [
      await shipmentRow(pageShipment),
      await shipmentRow(extensionShipment),
    ];
    expect([b.status, b.sync_state, b.carrier]).toEqual([
      a.status,
      a.sync_state,
      a.carrier,
    ]);

    // Retry: a failed sync is re-queued by the owner's retry transition and synced.
    await testPool().query(
      `update shipments set sync_state = 'failed', pending_operation = 'update_tracking',
              last_error_class = 'transient' where id = $1`,
      [extensionShipment],
    );
    const retried = await command(
      await orderOf(extensionShipment),
      String(extensionShipment),
      { intent: "retry" },
    );
    expect(retried.status).toBe(200);
    expect(owner.retry).toBe(start.retry + 1);
    expect(await shipmentRow(extensionShipment)).toMatchObject({
      sync_state: "in_sync",
      last_error_class: null,
    });
  });

  it("gives a token for another shop nothing: 404 and the shipment untouched", async () => {
    const id = await demoShipmentId("#1010");
    const before = await shipmentRow(id);
    const answer = await command(
      await orderOf(id),
      String(id),
      {
        intent: "mark_shipped",
        trackingNumbers: "1111",
        carrier: "ヤマト運輸",
      },
      SHOP_B,
    );
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      ok: false,
      error: {
        ja: "この出荷は見つかりません。",
        en: "This shipment was not found.",
      },
    });
    expect(await shipmentRow(id)).toEqual(before);
  });

  it("gives a request naming another order nothing: 404 and the shipment untouched", async () => {
    const id = await demoShipmentId("#1010");
    const otherOrder = await orderOf(await demoShipmentId("#1011"));
    const before = await shipmentRow(id);
    for (const intent of ["mark_shipped", "retry"]) {
      const answer = await command(otherOrder, String(id), {
        intent,
        trackingNumbers: "1111",
        carrier: "ヤマト運輸",
      });
      expect(answer.status).toBe(404);
    }
    expect(await shipmentRow(id)).toEqual(before);
  });

  const badInputs: [
    string,
    string,
    string | Record<string, unknown>,
    { ja: string; en: string },
  ][] = [
    [
      "a malformed order id",
      "abc",
      { intent: "retry" },
      {
        ja: "注文 ID が正しくありません (数字のみ)。",
        en: "The order ID is not valid (digits only).",
      },
    ],
    [
      "a malformed shipment id",
      "",
      { intent: "retry" },
      {
        ja: "出荷 ID が正しくありません (数字のみ)。",
        en: "The shipment ID is not valid (digits only).",
      },
    ],
    [
      "a body that is not JSON",
      "",
      "intent=retry",
      {
        ja: "リクエストの本文は JSON のオブジェクトで送ってください。",
        en: "Send the request body as a JSON object.",
      },
    ],
    [
      "a JSON array",
      "",
      "[1,2]",
      {
        ja: "リクエストの本文は JSON のオブジェクトで送ってください。",
        en: "Send the request body as a JSON object.",
      },
    ],
    [
      "an unknown intent",
      "",
      { intent: "revert" },
      {
        ja: "不明な操作です (mark_shipped または retry)。",
        en: "Unknown action (mark_shipped or retry).",
      },
    ],
    [
      "a number for the tracking numbers",
      "",
      { intent: "mark_shipped", trackingNumbers: 123 },
      {
        ja: "「trackingNumbers」は文字列で指定してください。",
        en: "“trackingNumbers” must be a string.",
      },
    ],
    [
      "a string for notifyCustomer",
      "",
      { intent: "mark_shipped", notifyCustomer: "yes" },
      {
        ja: "「notifyCustomer」はtrue か falseで指定してください。",
        en: "“notifyCustomer” must be a boolean.",
      },
    ],
    [
      "a body over 16 KB",
      "",
      { intent: "mark_shipped", trackingNumbers: "1".repeat(17_000) },
      {
        ja: "リクエストの本文が大きすぎます (16 KB まで)。",
        en: "The request body is too large (16 KB at most).",
      },
    ],
  ];
  it.each(badInputs)(
    "answers %s with 400 and a specific message, writing nothing",
    async (_name, orderOverride, body, error) => {
      const id = await demoShipmentId("#1011");
      const before = await shipmentRow(id);
      const orderId = orderOverride || (await orderOf(id));
      const shipmentId =
        _name === "a malformed shipment id" ? "12x" : String(id);
      const answer = await command(orderId, shipmentId, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ ok: false, error });
      expect(await shipmentRow(id)).toEqual(before);
    },
  );

  it("answers the tracking form's refusals with 400 and the app's own field errors", async () => {
    const id = await demoShipmentId("#1011");
    const before = await shipmentRow(id);
    const input = {
      trackingNumbers: " \n ",
      carrier: "",
      trackingUrl: "ftp://example.com/x",
    };
    const answer = await command(await orderOf(id), String(id), {
      intent: "mark_shipped",
      ...input,
    });
    const form = new FormData();
    for (const [k, v] of Object.entries(input)) form.set(k, v);
    const app = parseTrackingForm(form);
    expect(app.ok).toBe(false);
    expect(answer.status).toBe(400);
    // The app's own field errors, in both languages (the wire format's LocalizedText).
    const fieldErrors = (app as { fieldErrors: Record<string, Message> }).fieldErrors;
    expect(answer.body).toEqual({
      ok: false,
      fieldErrors: Object.fromEntries(
        Object.entries(fieldErrors).map(([field, message]) => [field, inEveryLocale(message)]),
      ),
    });
    expect(answer.body.fieldErrors.trackingNumbers).toEqual({
      ja: "追跡番号を入力してください。",
      en: "Enter a tracking number.",
    });
    expect(await shipmentRow(id)).toEqual(before);
  });
});
