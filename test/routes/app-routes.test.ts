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

import { TEST_APP, setTestAppEnv } from "../helpers/app-env";
import {
  documentRequest,
  fetchRequest,
  routeArgs,
  settle,
} from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { testPool } from "../support/database";
import type * as LandingRouteModule from "~/routes/_index/route";
import type * as AppRouteModule from "~/routes/app";
import type * as IndexRouteModule from "~/routes/app._index";

// Route loaders called directly with real requests: authenticate.admin, Postgres and all.
type IndexRoute = typeof IndexRouteModule;
type AppRoute = typeof AppRouteModule;
type LandingRoute = typeof LandingRouteModule;
let indexRoute: IndexRoute;
let appRoute: AppRoute;
let landingRoute: LandingRoute;
let closeDatabase: () => Promise<void>;

const SHOP_A = "shop-a.myshopify.com";
const SHOP_B = "shop-b.myshopify.com";

beforeAll(async () => {
  setTestAppEnv({ APP_BRIDGE_URL: "http://127.0.0.1:9/test-app-bridge.js" });
  indexRoute = await import("~/routes/app._index");
  appRoute = await import("~/routes/app");
  landingRoute = await import("~/routes/_index/route");
  const { sessionStorage } = await import("~/shopify.server");
  ({ closeDatabase } = await import("~/db.server"));

  const pool = testPool();
  await pool.query("delete from shipments");
  await pool.query("delete from shopify_sessions");
  await pool.query("delete from shops");
  await pool.query(`insert into shops (shop) values ($1), ($2)`, [
    SHOP_A,
    SHOP_B,
  ]);
  for (const shop of [SHOP_A, SHOP_B]) {
    await sessionStorage.storeSession(
      new Session({
        id: `offline_${shop}`,
        shop,
        state: "",
        isOnline: false,
        accessToken: `shpat_${shop}`,
        scope: TEST_APP.scopes.join(","),
      }),
    );
  }
});

afterAll(async () => {
  await closeDatabase();
});

describe("app._index loader", () => {
  beforeEach(async () => {
    await testPool().query("delete from shipments");
  });

  async function insertShipment(
    shop: string,
    orderNumber: number,
    vendor: string | null,
    minutesAgo: number,
  ) {
    await testPool().query(
      `insert into shipments (shop, order_id, order_name, vendor, created_at)
       values ($1, $2, $3, $4, now() - make_interval(mins => $5))`,
      [
        shop,
        `gid://shopify/Order/${orderNumber}`,
        `#${orderNumber}`,
        vendor,
        minutesAgo,
      ],
    );
  }

  it("returns only the authenticated shop's shipments, newest first", async () => {
    await insertShipment(SHOP_A, 1001, "Kyoto Ceramics", 30);
    await insertShipment(SHOP_B, 2001, "Other Vendor", 20);
    await insertShipment(SHOP_A, 1002, null, 10);
    await insertShipment(SHOP_B, 2002, "Other Vendor", 5);

    const forA = await indexRoute.loader(
      routeArgs(fetchRequest("/app", signSessionToken({ shop: SHOP_A }))),
    );
    const forB = await indexRoute.loader(
      routeArgs(fetchRequest("/app", signSessionToken({ shop: SHOP_B }))),
    );

    expect(
      forA.shipments.map((s) => [s.orderName, s.vendor, s.status]),
    ).toEqual([
      ["#1002", null, "unshipped"],
      ["#1001", "Kyoto Ceramics", "unshipped"],
    ]);
    expect(forB.shipments.map((s) => s.orderName)).toEqual(["#2002", "#2001"]);
  });

  it("ignores a shop named in the query string: the token decides", async () => {
    await insertShipment(SHOP_B, 2001, "Other Vendor", 20);

    const result = await indexRoute.loader(
      routeArgs(
        fetchRequest(`/app?shop=${SHOP_B}`, signSessionToken({ shop: SHOP_A })),
      ),
    );

    expect(result.shipments).toEqual([]);
  });

  it("returns at most the newest 50", async () => {
    await testPool().query(
      `insert into shipments (shop, order_id, order_name, created_at)
       select $1, 'gid://shopify/Order/' || n, '#' || n, now() - make_interval(mins => n)
         from generate_series(1, 60) as n`,
      [SHOP_A],
    );

    const result = await indexRoute.loader(
      routeArgs(fetchRequest("/app", signSessionToken({ shop: SHOP_A }))),
    );

    expect(result.shipments).toHaveLength(50);
    expect(result.shipments[0].orderName).toBe("#1");
    expect(result.shipments[49].orderName).toBe("#50");
  });

  it("refuses a request without a valid token", async () => {
    const result = await settle(() =>
      indexRoute.loader(
        routeArgs(
          fetchRequest(
            "/app",
            signSessionToken({ shop: SHOP_A, secret: "wrong" }),
          ),
        ),
      ),
    );

    expect(result.thrown?.status).toBe(401);
  });
});

describe("app loader", () => {
  it("hands the browser the API key, the App Bridge stand-in and Japanese Polaris strings", async () => {
    const data = await appRoute.loader(
      routeArgs(
        documentRequest("/app", {
          shop: SHOP_A,
          token: signSessionToken({ shop: SHOP_A }),
          params: { locale: "ja-JP" },
        }),
      ),
    );

    expect(data.apiKey).toBe(TEST_APP.apiKey);
    expect(data.appBridgeUrl).toBe("http://127.0.0.1:9/test-app-bridge.js");
    expect(data.locale).toBe("ja");
    expect(JSON.stringify(data.polarisTranslations)).toContain("読み込み中");
  });

  it("uses English Polaris strings for an English admin", async () => {
    const data = await appRoute.loader(
      routeArgs(
        documentRequest("/app", {
          shop: SHOP_A,
          token: signSessionToken({ shop: SHOP_A }),
          params: { locale: "en" },
        }),
      ),
    );

    expect(data.locale).toBe("en");
    expect(JSON.stringify(data.polarisTranslations)).toContain("Loading");
    expect(JSON.stringify(data.polarisTranslations)).not.toContain(
      "読み込み中",
    );
  });
});

describe("landing page", () => {
  it("sends Shopify's ?shop=… request to /app with the whole query", async () => {
    const query = `shop=${SHOP_A}&host=abc&embedded=1&locale=ja`;

    const result = await settle(() =>
      landingRoute.loader(
        routeArgs(new Request(`${TEST_APP.appUrl}/?${query}`)),
      ),
    );

    expect(result.thrown?.status).toBe(302);
    expect(result.thrown?.headers.get("Location")).toBe(`/app?${query}`);
  });

  it("shows the landing page otherwise", async () => {
    const result = await landingRoute.loader(
      routeArgs(new Request(`${TEST_APP.appUrl}/`)),
    );

    expect(result).toEqual({ showForm: true });
  });
});

describe("document headers", () => {
  it("drop the App Bridge CDN preload when a local stand-in is configured, keeping the CSP", async () => {
    const { addDocumentResponseHeaders } = await import("~/shopify.server");
    const headers = new Headers();

    addDocumentResponseHeaders(
      new Request(`${TEST_APP.appUrl}/app?shop=${SHOP_A}&host=abc&embedded=1`),
      headers,
    );

    expect(headers.get("Link")).toBeNull();
    expect(headers.get("Content-Security-Policy")).toContain(
      `https://${SHOP_A}`,
    );
  });

  it("keep the CDN preload when no stand-in is configured (production)", async () => {
    vi.resetModules();
    setTestAppEnv();
    const { addDocumentResponseHeaders } = await import("~/shopify.server");
    const headers = new Headers();

    addDocumentResponseHeaders(
      new Request(`${TEST_APP.appUrl}/app?shop=${SHOP_A}&host=abc&embedded=1`),
      headers,
    );

    expect(headers.get("Link")).toContain(
      "cdn.shopify.com/shopifycloud/app-bridge.js",
    );
  });
});
