import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t, type Message } from "~/i18n/messages";
import { startSimulator, type Simulator } from "../shopify-sim";
import { setTestAppEnv, TEST_APP } from "../helpers/app-env";
import { renderPage, textOf, type PageRoute } from "../helpers/render-page";
import { documentRequest, routeArgs } from "../helpers/requests";
import { importOrder } from "../reconcile/fixtures";
import { testPool } from "../support/database";
import type * as AppRoute from "~/routes/app";
import type * as ShipmentRoute from "~/routes/app.shipments.$id";

// A shop in New York installs the app: token exchange against the simulator, the app's
// afterAuth reads Shop.ianaTimezone and stores it, and the shipment page (its real loaders
// and components, server-rendered) shows every time in New York time, labelled EST or EDT
// as each date falls.
const NY_SHOP = "brooklyn-ceramics.myshopify.com";
const TOKYO_SHOP = "arita-kiln.myshopify.com";

let sim: Simulator;
let appRoute: typeof AppRoute;
let shipmentRoute: typeof ShipmentRoute;

beforeAll(async () => {
  sim = await startSimulator({
    apiKey: TEST_APP.apiKey,
    apiSecret: TEST_APP.apiSecret,
    seed: 17,
  });
  setTestAppEnv({ SHOPIFY_ADMIN_API_ORIGIN: sim.origin });
  appRoute = await import("~/routes/app");
  shipmentRoute = await import("~/routes/app.shipments.$id");
  // Installed in Shopify, unknown to the app: no shops row, no session.
  sim.control.createShop({
    shop: NY_SHOP,
    scopes: [...TEST_APP.scopes],
    ianaTimezone: "America/New_York",
  });
  sim.control.createShop({ shop: TOKYO_SHOP, scopes: [...TEST_APP.scopes] });
});

afterAll(async () => {
  const { closeDatabase } = await import("~/db.server");
  await closeDatabase();
  await sim.close();
});

/** The admin loads the app for the shop: App Bridge's session token, signed by "Shopify". */
function openApp(shop: string, path: string, locale: "ja" | "en") {
  const { sessionToken } = sim.control.sessionToken({ shop });
  return documentRequest(path, {
    shop,
    token: sessionToken,
    params: { locale },
  });
}

const storedZone = async (shop: string) =>
  (
    await testPool().query<{ iana_timezone: string | null }>(
      `select iana_timezone from shops where shop = $1`,
      [shop],
    )
  ).rows[0]?.iana_timezone;

const zoneReads = (shop: string) =>
  sim.control
    .requestLog({ shop })
    .filter((entry) => entry.operationName === "ShopTimeZone");

/** A shipment synced in summer (EDT) whose calls to Shopify span the change to winter (EST). */
async function syncedShipment(shop: string): Promise<number> {
  const { rows } = await testPool().query<{ id: string }>(
    `insert into shipments (shop, order_id, order_name, vendor, tracking_numbers, carrier, status, shipped_at,
                            shopify_fulfillment_id, synced_at)
     values ($1, 'gid://shopify/Order/7001', '#7001', 'Brooklyn Clay', '{1Z999AA10123456784}', 'UPS', 'shipped',
             '2026-07-15T12:00:00Z', 'gid://shopify/Fulfillment/88001', '2026-07-15T12:00:05Z')
     returning id`,
    [shop],
  );
  const id = Number(rows[0]!.id);
  await testPool().query(
    `insert into sync_attempts (shop, shipment_id, operation, started_at, finished_at, outcome, http_status, fulfillment_id)
     values ($1, $2, 'create_fulfillment', '2026-07-15T12:00:02Z', '2026-07-15T12:00:05Z', 'succeeded', 200,
             'gid://shopify/Fulfillment/88001'),
            ($1, $2, 'update_tracking', '2026-12-01T15:30:09Z', '2026-12-01T15:30:10Z', 'succeeded', 200,
             'gid://shopify/Fulfillment/88001')`,
    [shop, id],
  );
  return id;
}

const shipmentPage = (id: number): PageRoute[] => [
  { id: "routes/app", path: "/app", module: appRoute },
  {
    id: "routes/app.shipments.$id",
    path: "shipments/:id",
    module: shipmentRoute,
  },
];

describe("the shop's time zone", () => {
  it("is read from Shopify at install and stored with the shop", async () => {
    expect(await storedZone(NY_SHOP)).toBeUndefined();
    const data = await appRoute.loader(
      routeArgs(openApp(NY_SHOP, "/app", "en")),
    );
    expect(data.timeZone).toBe("America/New_York");
    expect(await storedZone(NY_SHOP)).toBe("America/New_York");
    // Read once, by the install (token exchange → afterAuth), with the token it got.
    expect(zoneReads(NY_SHOP)).toEqual([
      expect.objectContaining({ outcome: 200, requestedQueryCost: 1 }),
    ]);
    expect(
      sim.control.tokenGrants({ shop: NY_SHOP }).map((grant) => grant.grant),
    ).toEqual(["token_exchange"]);
  });

  it("shows the shipment page's times in New York time, labelled for each date (EDT in July, EST in December)", async () => {
    const id = await syncedShipment(NY_SHOP);
    for (const [locale, expected] of [
      [
        "en",
        [
          "07/15/2026, 08:00:05 AM EDT",
          "07/15/2026, 08:00:02 AM EDT",
          "12/01/2026, 10:30:09 AM EST",
        ],
      ],
      [
        "ja",
        [
          "2026/07/15 08:00:05 GMT-4",
          "2026/07/15 08:00:02 GMT-4",
          "2026/12/01 10:30:09 GMT-5",
        ],
      ],
    ] as const) {
      const view = await renderPage(
        openApp(NY_SHOP, `/app/shipments/${id}`, locale),
        shipmentPage(id),
      );
      expect(view.status).toBe(200);
      const text = textOf(view.html);
      for (const time of expected) expect(text).toContain(time);
      // Nothing in Tokyo time: 21:00 JST would be the summer sync read in Japan.
      expect(text).not.toMatch(/JST|GMT\+9/);
      expect(view.loaderData["routes/app"]).toMatchObject({
        timeZone: "America/New_York",
      });
    }
  });

  it("words a scheduled fulfillment order's date, in the sync's error, in the shop's time zone", async () => {
    const { order, lines } = await importOrder(
      { sim, shop: NY_SHOP, close: async () => undefined },
      [{ title: "Stoneware mug", quantity: 1, vendor: "Brooklyn Clay" }],
      {
        fulfillmentOrders: [
          {
            locationId: sim.control.getShop({ shop: NY_SHOP }).locations[0]!.id,
            status: "SCHEDULED",
            fulfillAt: "2027-01-15T14:00:00Z",
            lines: [{ lineIndex: 0, quantity: 1 }],
          },
        ],
      },
    );
    const { createShipmentsFromOrder } = await import("~/orders/orders.server");
    const { markShipped } =
      await import("~/shipments/shipment-commands.server");
    const { syncNow } = await import("~/sync/sync-runner.server");
    const { getPool } = await import("~/db.server");
    const created = await createShipmentsFromOrder(
      getPool(),
      NY_SHOP,
      order.id,
      [{ vendor: null, lines: [{ lineId: lines[0]!.id, quantity: 1 }] }],
    );
    if (!created.ok) throw new Error(created.reason);
    const shipmentId = created.shipmentIds[0]!;
    await markShipped(getPool(), NY_SHOP, shipmentId, {
      trackingNumbers: ["1Z999AA10123456784"],
      carrier: "UPS",
      trackingUrl: null,
      notifyCustomer: false,
    });
    expect((await syncNow(NY_SHOP, shipmentId)).kind).not.toBe("synced");
    const { rows } = await testPool().query<{ last_error_detail: Message }>(
      `select last_error_detail from shipments where id = $1`,
      [shipmentId],
    );
    // Stored as the app's message with the instant and the shop's zone; each page words
    // it in its language: 14:00 UTC is 9 in the morning in New York (23:00 JST would be
    // Tokyo's reading).
    const detail = rows[0]!.last_error_detail;
    expect(JSON.stringify(detail)).toContain(
      '{"dateTime":"2027-01-15T14:00:00Z","timeZone":"America/New_York"}',
    );
    expect(t("ja", detail)).toContain("2027/01/15 09:00 GMT-5");
    expect(t("en", detail)).toContain("01/15/2027, 09:00 AM EST");
  });

  it("reads the zone on the first page of a shop installed before the app read zones, and stores it", async () => {
    await appRoute.loader(routeArgs(openApp(TOKYO_SHOP, "/app", "ja")));
    // As an existing install's row is after the upgrade: no zone yet, a live session.
    await testPool().query(
      `update shops set iana_timezone = null where shop = $1`,
      [TOKYO_SHOP],
    );
    sim.control.setShopTimeZone({ shop: TOKYO_SHOP, ianaTimezone: "Europe/London" });
    const reads = zoneReads(TOKYO_SHOP).length;
    const data = await appRoute.loader(
      routeArgs(openApp(TOKYO_SHOP, "/app", "en")),
    );
    expect(data.timeZone).toBe("Europe/London");
    expect(await storedZone(TOKYO_SHOP)).toBe("Europe/London");
    expect(zoneReads(TOKYO_SHOP)).toHaveLength(reads + 1);
    // Stored now: the next page does not ask again.
    await appRoute.loader(routeArgs(openApp(TOKYO_SHOP, "/app", "en")));
    expect(zoneReads(TOKYO_SHOP)).toHaveLength(reads + 1);
    sim.control.setShopTimeZone({ shop: TOKYO_SHOP, ianaTimezone: "Asia/Tokyo" });
  });

  it("falls back to Asia/Tokyo, labelled, while Shopify cannot tell an old install's zone, and asks again on the next page", async () => {
    await testPool().query(
      `update shops set iana_timezone = null where shop = $1`,
      [TOKYO_SHOP],
    );
    sim.control.injectFault({
      id: "old-install-zone-down",
      shop: TOKYO_SHOP,
      operation: "shop",
      action: { type: "httpError", status: 503 },
      times: 1,
    });
    const id = await syncedShipment(TOKYO_SHOP);
    const view = await renderPage(
      openApp(TOKYO_SHOP, `/app/shipments/${id}`, "ja"),
      shipmentPage(id),
    );
    expect(
      sim.control
        .faultLog()
        .filter((entry) => entry.ruleId === "old-install-zone-down"),
    ).toHaveLength(1);
    expect(view.loaderData["routes/app"]).toMatchObject({
      timeZone: "Asia/Tokyo",
    });
    expect(await storedZone(TOKYO_SHOP)).toBeNull();
    const text = textOf(view.html);
    expect(text).toContain("2026/07/15 21:00:05 JST");
    expect(text).toContain("2026/12/02 00:30:09 JST");

    await appRoute.loader(routeArgs(openApp(TOKYO_SHOP, "/app", "ja")));
    expect(await storedZone(TOKYO_SHOP)).toBe("Asia/Tokyo");
  });

  it("keeps the stored zone when Shopify does not answer at a new token exchange", async () => {
    await testPool().query(`delete from shopify_sessions where shop = $1`, [
      NY_SHOP,
    ]);
    sim.control.injectFault({
      id: "zone-read-down",
      shop: NY_SHOP,
      operation: "shop",
      action: { type: "httpError", status: 503 },
      times: 1,
    });
    const data = await appRoute.loader(
      routeArgs(openApp(NY_SHOP, "/app", "en")),
    );
    expect(
      sim.control
        .faultLog()
        .filter((entry) => entry.ruleId === "zone-read-down"),
    ).toHaveLength(1);
    expect(data.timeZone).toBe("America/New_York");
    expect(await storedZone(NY_SHOP)).toBe("America/New_York");
  });

  it("reads the zone again at the next token exchange (the merchant moved the shop)", async () => {
    sim.control.setShopTimeZone({
      shop: NY_SHOP,
      ianaTimezone: "America/Los_Angeles",
    });
    // Without a new token exchange the stored zone stands (no shop/update subscription).
    expect(
      (await appRoute.loader(routeArgs(openApp(NY_SHOP, "/app", "en"))))
        .timeZone,
    ).toBe("America/New_York");
    await testPool().query(`delete from shopify_sessions where shop = $1`, [
      NY_SHOP,
    ]);
    expect(
      (await appRoute.loader(routeArgs(openApp(NY_SHOP, "/app", "en"))))
        .timeZone,
    ).toBe("America/Los_Angeles");
    expect(await storedZone(NY_SHOP)).toBe("America/Los_Angeles");
  });
});
