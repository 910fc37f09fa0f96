import type { ActionFunctionArgs } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { setTestAppEnv } from "../helpers/app-env";
import { routeArgs, settle } from "../helpers/requests";
import { webhookRequest } from "../helpers/webhook";
import { testPool } from "../support/database";

// The real webhook routes: authenticate.webhook checks the HMAC with the app secret,
// then the route changes the database.
type Action = (args: ActionFunctionArgs) => Promise<Response>;
let uninstalled: Action;
let scopesUpdate: Action;
let storeSession: (session: Session) => Promise<boolean>;
let closeDatabase: () => Promise<void>;

const SHOP = "hooked-shop.myshopify.com";

beforeAll(async () => {
  setTestAppEnv();
  ({ action: uninstalled } = await import("~/routes/webhooks.app.uninstalled"));
  ({ action: scopesUpdate } =
    await import("~/routes/webhooks.app.scopes_update"));
  const { sessionStorage } = await import("~/shopify.server");
  storeSession = (session) => sessionStorage.storeSession(session);
  ({ closeDatabase } = await import("~/db.server"));
});

afterAll(async () => {
  await closeDatabase();
});

beforeEach(async () => {
  await testPool().query("delete from shopify_sessions");
  await testPool().query("delete from shops");
  await testPool().query(
    `insert into shops (shop, granted_scopes) values ($1, '{read_orders,read_fulfillments}')`,
    [SHOP],
  );
  await storeSession(
    new Session({
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "",
      isOnline: false,
      accessToken: "shpat_1",
      scope: "read_orders,read_fulfillments",
    }),
  );
  await storeSession(
    new Session({
      id: `${SHOP}_42`,
      shop: SHOP,
      state: "",
      isOnline: true,
      accessToken: "shpua_1",
      scope: "read_orders,read_fulfillments",
      expires: new Date(Date.now() + 3_600_000),
    }),
  );
});

async function shopRow() {
  const { rows } = await testPool().query<{
    granted_scopes: string[];
    uninstalled_at: Date | null;
  }>("select granted_scopes, uninstalled_at from shops where shop = $1", [
    SHOP,
  ]);
  return rows[0];
}

async function sessionScopes() {
  const { rows } = await testPool().query<{ id: string; scope: string }>(
    "select id, scope from shopify_sessions where shop = $1 order by id",
    [SHOP],
  );
  return rows;
}

const uninstalledRequest = (
  overrides: { secret?: string; shop?: string } = {},
) =>
  webhookRequest({
    path: "/webhooks/app/uninstalled",
    topic: "app/uninstalled",
    shop: overrides.shop ?? SHOP,
    payload: {
      id: 1,
      name: "Hooked",
      myshopify_domain: overrides.shop ?? SHOP,
    },
    secret: overrides.secret,
  });

const scopesRequest = (payload: unknown, secret?: string) =>
  webhookRequest({
    path: "/webhooks/app/scopes_update",
    topic: "app/scopes_update",
    shop: SHOP,
    payload,
    secret,
  });

describe("webhooks/app/uninstalled", () => {
  it("deletes the shop's sessions and marks it uninstalled", async () => {
    const response = await uninstalled(routeArgs(uninstalledRequest()));

    expect(response.status).toBe(200);
    expect(await sessionScopes()).toEqual([]);
    expect((await shopRow()).uninstalled_at).toBeInstanceOf(Date);
  });

  it("tolerates a repeated delivery and keeps the first uninstalled_at", async () => {
    await uninstalled(routeArgs(uninstalledRequest()));
    const first = (await shopRow()).uninstalled_at;

    const again = await uninstalled(routeArgs(uninstalledRequest()));

    expect(again.status).toBe(200);
    expect((await shopRow()).uninstalled_at).toEqual(first);
  });

  it("answers 200 for a shop it never saw, creating nothing", async () => {
    const response = await uninstalled(
      routeArgs(uninstalledRequest({ shop: "never-seen.myshopify.com" })),
    );

    expect(response.status).toBe(200);
    const { rowCount } = await testPool().query(
      "select 1 from shops where shop = $1",
      ["never-seen.myshopify.com"],
    );
    expect(rowCount).toBe(0);
    expect(await sessionScopes()).toHaveLength(2);
  });

  it("refuses a wrong HMAC with 401 and changes nothing", async () => {
    const result = await settle(() =>
      uninstalled(routeArgs(uninstalledRequest({ secret: "forged-secret" }))),
    );

    expect(result.thrown?.status).toBe(401);
    expect(await sessionScopes()).toHaveLength(2);
    expect((await shopRow()).uninstalled_at).toBeNull();
  });

  it("refuses a delivery without Shopify's headers with 400", async () => {
    const request = uninstalledRequest();
    request.headers.delete("X-Shopify-Topic");

    const result = await settle(() => uninstalled(routeArgs(request)));

    expect(result.thrown?.status).toBe(400);
    expect(await sessionScopes()).toHaveLength(2);
  });
});

describe("webhooks/app/scopes_update", () => {
  const current = [
    "read_orders",
    "read_fulfillments",
    "read_third_party_fulfillment_orders",
    "write_third_party_fulfillment_orders",
  ];

  it("stores the granted scopes on the shop and on its sessions", async () => {
    const response = await scopesUpdate(
      routeArgs(
        scopesRequest({
          id: 7,
          previous: ["read_orders", "read_fulfillments"],
          current,
        }),
      ),
    );

    expect(response.status).toBe(200);
    expect((await shopRow()).granted_scopes).toEqual(current);
    expect(await sessionScopes()).toEqual([
      { id: `${SHOP}_42`, scope: current.join(",") },
      { id: `offline_${SHOP}`, scope: current.join(",") },
    ]);
  });

  it("stores a narrowed set when the merchant revokes a scope", async () => {
    await scopesUpdate(
      routeArgs(scopesRequest({ previous: current, current: ["read_orders"] })),
    );

    expect((await shopRow()).granted_scopes).toEqual(["read_orders"]);
    expect((await sessionScopes()).map((row) => row.scope)).toEqual([
      "read_orders",
      "read_orders",
    ]);
  });

  it("refuses a wrong HMAC with 401 and changes nothing", async () => {
    const result = await settle(() =>
      scopesUpdate(routeArgs(scopesRequest({ current }, "forged-secret"))),
    );

    expect(result.thrown?.status).toBe(401);
    expect((await shopRow()).granted_scopes).toEqual([
      "read_orders",
      "read_fulfillments",
    ]);
    expect((await sessionScopes()).map((row) => row.scope)).toEqual([
      "read_orders,read_fulfillments",
      "read_orders,read_fulfillments",
    ]);
  });

  it("answers 400 to a payload without `current`, changing nothing", async () => {
    const response = await scopesUpdate(
      routeArgs(scopesRequest({ previous: ["read_orders"] })),
    );

    expect(response.status).toBe(400);
    expect((await shopRow()).granted_scopes).toEqual([
      "read_orders",
      "read_fulfillments",
    ]);
  });

  it("refuses GET with 405", async () => {
    const result = await settle(() =>
      scopesUpdate(
        routeArgs(
          new Request(
            "https://vendor-shipments.test/webhooks/app/scopes_update",
          ),
        ),
      ),
    );

    expect(result.thrown?.status).toBe(405);
  });
});
