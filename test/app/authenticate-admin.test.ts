import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  startAdminApiStub,
  type AdminApiStub,
} from "../helpers/admin-api-stub";
import { TEST_APP, setTestAppEnv } from "../helpers/app-env";
import {
  CHROME_USER_AGENT,
  documentRequest,
  fetchRequest,
  settle,
} from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { testPool } from "../support/database";
import type * as ShopifyServer from "~/shopify.server";
import { storedToken } from "../helpers/stored-tokens";

// The REAL app/shopify.server.ts, against this file's Postgres database and a local
// stand-in for the Admin API (reached through SHOPIFY_ADMIN_API_ORIGIN).
type App = typeof ShopifyServer;
let app: App;
let stub: AdminApiStub;
let closeDatabase: () => Promise<void>;

const SHOP = "acme-tools.myshopify.com";
const NEW_SHOP = "fresh-install.myshopify.com";

beforeAll(async () => {
  stub = await startAdminApiStub(() => ({
    status: 404,
    json: { errors: "Not Found" },
  }));
  setTestAppEnv({ SHOPIFY_ADMIN_API_ORIGIN: stub.origin });
  app = await import("~/shopify.server");
  ({ closeDatabase } = await import("~/db.server"));
});

afterAll(async () => {
  await closeDatabase();
  await stub.close();
});

beforeEach(async () => {
  stub.requests.length = 0;
  await testPool().query("delete from shopify_sessions");
  await testPool().query("delete from shops");
});

async function storeOfflineSession(shop: string, accessToken = "shpat_stored") {
  await app.sessionStorage.storeSession(
    new Session({
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      accessToken,
      scope: TEST_APP.scopes.join(","),
    }),
  );
}

describe("authenticate.admin with a session token (fetch request)", () => {
  it("returns the admin context of the token's shop, using the stored offline session", async () => {
    await storeOfflineSession(SHOP);

    const context = await app.authenticate.admin(
      fetchRequest("/app", signSessionToken({ shop: SHOP })),
    );

    expect(context.session.shop).toBe(SHOP);
    expect(context.session.id).toBe(`offline_${SHOP}`);
    expect(context.session.accessToken).toBe("shpat_stored");
    expect(context.sessionToken?.dest).toBe(`https://${SHOP}`);
    // A stored session means no token exchange.
    expect(stub.requests).toHaveLength(0);
  });

  it("sends admin.graphql to the configured origin with the shop and the stored token", async () => {
    await storeOfflineSession(SHOP, "shpat_graphql");
    stub.respond = () => ({ json: { data: { shop: { name: "Acme Tools" } } } });

    const { admin } = await app.authenticate.admin(
      fetchRequest("/app", signSessionToken({ shop: SHOP })),
    );
    const response = await admin.graphql(`#graphql
      query { shop { name } }`);

    expect(await response.json()).toMatchObject({
      data: { shop: { name: "Acme Tools" } },
    });
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]).toMatchObject({
      method: "POST",
      path: `/admin/api/${app.ADMIN_API_VERSION}/graphql.json`,
    });
    expect(stub.requests[0].headers["x-forwarded-host"]).toBe(SHOP);
    expect(stub.requests[0].headers["x-shopify-access-token"]).toBe(
      "shpat_graphql",
    );
  });

  it.each([
    [
      "expired",
      () =>
        signSessionToken({
          shop: SHOP,
          issuedAt: Math.floor(Date.now() / 1000) - 600,
        }),
    ],
    [
      "signed with another secret",
      () => signSessionToken({ shop: SHOP, secret: "not-the-secret" }),
    ],
    [
      "issued for another app",
      () => signSessionToken({ shop: SHOP, claims: { aud: "other-app" } }),
    ],
    [
      "not yet valid",
      () =>
        signSessionToken({
          shop: SHOP,
          claims: { nbf: Math.floor(Date.now() / 1000) + 600 },
        }),
    ],
  ])(
    "refuses a token that is %s with 401 and the retry header",
    async (_, token) => {
      await storeOfflineSession(SHOP);

      const result = await settle(() =>
        app.authenticate.admin(fetchRequest("/app", token())),
      );

      expect(result.thrown?.status).toBe(401);
      // App Bridge retries once with a fresh token when it sees this header.
      expect(
        result.thrown?.headers.get("X-Shopify-Retry-Invalid-Session-Request"),
      ).toBe("1");
      expect(stub.requests).toHaveLength(0);
    },
  );

  it("answers a bot-like User-Agent with 410 before looking at the token", async () => {
    await storeOfflineSession(SHOP);
    const request = fetchRequest("/app", signSessionToken({ shop: SHOP }));
    request.headers.set("User-Agent", "curl/8.5.0");

    const result = await settle(() => app.authenticate.admin(request));

    expect(result.thrown?.status).toBe(410);
  });
});

describe("authenticate.admin on the document request (id_token in the URL)", () => {
  it("returns the admin context", async () => {
    await storeOfflineSession(SHOP);

    const context = await app.authenticate.admin(
      documentRequest("/app", {
        shop: SHOP,
        token: signSessionToken({ shop: SHOP }),
      }),
    );

    expect(context.session.shop).toBe(SHOP);
    expect(context.session.id).toBe(`offline_${SHOP}`);
  });

  it("sends an invalid id_token to the session-token bounce page instead of answering 401", async () => {
    await storeOfflineSession(SHOP);
    const token = signSessionToken({ shop: SHOP, secret: "not-the-secret" });

    const result = await settle(() =>
      app.authenticate.admin(documentRequest("/app", { shop: SHOP, token })),
    );

    expect(result.thrown?.status).toBe(302);
    const location = new URL(
      result.thrown?.headers.get("Location") ?? "",
      TEST_APP.appUrl,
    );
    expect(location.pathname).toBe("/auth/session-token");
    expect(location.searchParams.get("shop")).toBe(SHOP);
  });

  it("bounces an embedded request that has no id_token yet", async () => {
    const request = documentRequest("/app", { shop: SHOP });
    expect(request.headers.get("User-Agent")).toBe(CHROME_USER_AGENT);

    const result = await settle(() => app.authenticate.admin(request));

    expect(result.thrown?.status).toBe(302);
    expect(result.thrown?.headers.get("Location")).toMatch(
      /^\/auth\/session-token\?/,
    );
  });
});

describe("token exchange on first install (no stored session)", () => {
  it("exchanges the token at the configured origin, stores the session and records the shop", async () => {
    stub.respond = (request) =>
      request.path === "/admin/oauth/access_token"
        ? {
            json: {
              access_token: "shpat_exchanged",
              scope: "read_orders,read_fulfillments",
            },
          }
        : { status: 404, json: { errors: "Not Found" } };
    const token = signSessionToken({ shop: NEW_SHOP });

    const context = await app.authenticate.admin(fetchRequest("/app", token));

    expect(context.session.accessToken).toBe("shpat_exchanged");
    // The exchange, then afterAuth's read of the shop's time zone (this stub answers it
    // 404: the install still succeeds, with the zone unknown).
    expect(stub.requests.map((r) => r.path)).toEqual([
      "/admin/oauth/access_token",
      `/admin/api/${app.ADMIN_API_VERSION}/graphql.json`,
    ]);
    expect(stub.requests[1].body).toContain("ShopTimeZone");
    expect(stub.requests[1].headers["x-shopify-access-token"]).toBe("shpat_exchanged");
    expect(stub.requests[0].headers["x-forwarded-host"]).toBe(NEW_SHOP);
    expect(JSON.parse(stub.requests[0].body)).toMatchObject({
      client_id: TEST_APP.apiKey,
      subject_token: token,
      // expiringOfflineAccessTokens: Shopify issues a 60-minute token and a refresh token.
      expiring: "1",
    });

    const sessions = await testPool().query(
      "select id, access_token, scope from shopify_sessions where shop = $1",
      [NEW_SHOP],
    );
    expect(sessions.rows).toEqual([
      {
        id: `offline_${NEW_SHOP}`,
        access_token: expect.stringMatching(/^enc1:/),
        scope: "read_orders,read_fulfillments",
      },
    ]);
    expect(storedToken(`offline_${NEW_SHOP}`, "access_token", sessions.rows[0].access_token)).toBe("shpat_exchanged");
    const shops = await testPool().query(
      "select granted_scopes, uninstalled_at, iana_timezone from shops where shop = $1",
      [NEW_SHOP],
    );
    expect(shops.rows).toEqual([
      {
        granted_scopes: ["read_orders", "read_fulfillments"],
        uninstalled_at: null,
        iana_timezone: null,
      },
    ]);
  });

  it("reinstalls a shop that had uninstalled: uninstalled_at cleared, installed_at renewed", async () => {
    await testPool().query(
      `insert into shops (shop, granted_scopes, installed_at, uninstalled_at)
       values ($1, '{read_orders}', now() - interval '30 days', now() - interval '1 day')`,
      [NEW_SHOP],
    );
    stub.respond = () => ({
      json: { access_token: "shpat_again", scope: "read_orders" },
    });

    await app.authenticate.admin(
      fetchRequest("/app", signSessionToken({ shop: NEW_SHOP })),
    );

    const { rows } = await testPool().query(
      `select uninstalled_at, installed_at > now() - interval '1 minute' as renewed
         from shops where shop = $1`,
      [NEW_SHOP],
    );
    expect(rows).toEqual([{ uninstalled_at: null, renewed: true }]);
  });

  it("answers 500 and stores nothing when Shopify refuses the exchange", async () => {
    stub.respond = () => ({ status: 500, json: { errors: "boom" } });

    const result = await settle(() =>
      app.authenticate.admin(
        fetchRequest("/app", signSessionToken({ shop: NEW_SHOP })),
      ),
    );

    expect(result.thrown?.status).toBe(500);
    const { rowCount } = await testPool().query(
      "select 1 from shopify_sessions",
    );
    expect(rowCount).toBe(0);
  });
});
