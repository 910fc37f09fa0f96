import { describe, expect, it } from "vitest";
import { sessionTokenClaims, signSessionToken } from "./auth";
import { exchangeToken } from "./client";
import { FULFILLMENT_CREATE, harness, ORDER_STATE, SHOP, TOKEN, twoLineOrder } from "./fixtures";

const INVALID_TOKEN = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

describe("access tokens", () => {
  it("answers 401 with Shopify's body for a wrong, missing or revoked token", async () => {
    const { sim, gql } = await harness();
    for (const token of ["shpat_wrong", null]) {
      const response = await gql(`{ shop { id } }`, {}, { token });
      expect(response.status).toBe(401);
      expect(response.body).toEqual(INVALID_TOKEN);
    }
    expect((await gql(`{ shop { id } }`)).status).toBe(200);
    sim.control.uninstallApp({ shop: SHOP });
    const revoked = await gql(`{ shop { id } }`);
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual(INVALID_TOKEN);
  });

  it("rejects a token of another shop, and finds the shop from the token without X-Forwarded-Host", async () => {
    const { sim, gql } = await harness();
    sim.control.createShop({ shop: "other.myshopify.com", token: "other-token" });
    expect((await gql(`{ shop { id } }`, {}, { token: "other-token" })).status).toBe(401);
    const response = await fetch(sim.graphqlUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "other-token" },
      body: JSON.stringify({ query: "{ shop { myshopifyDomain } }" }),
    });
    expect((await response.json()).data.shop.myshopifyDomain).toBe("other.myshopify.com");
  });

  it("answers 402 for a frozen shop and 423 for a locked one", async () => {
    const { sim, gql } = await harness();
    sim.control.setShopAvailability({ shop: SHOP, frozen: true });
    const frozen = await gql(`{ shop { id } }`);
    expect(frozen.status).toBe(402);
    expect(frozen.body).toEqual({ errors: "Unavailable Shop" });
    sim.control.setShopAvailability({ shop: SHOP, frozen: false, locked: true });
    const locked = await gql(`{ shop { id } }`);
    expect(locked.status).toBe(423);
    expect(locked.body).toEqual({ errors: "Unavailable Shop" });
  });
});

describe("scopes", () => {
  it("denies order without read_orders: ACCESS_DENIED with requiredAccess, HTTP 200, data null", async () => {
    const { sim, gql } = await harness({ scopes: ["read_merchant_managed_fulfillment_orders"] });
    const order = twoLineOrder(sim);
    const response = await gql(`query($id: ID!) { order(id: $id) { id } }`, { id: order.id });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ order: null });
    expect(response.body.errors).toEqual([
      {
        // The Order type's requiredAccess in the 2026-10 schema, verbatim.
        message:
          "Access denied for order field. Required access: `read_orders` access scope, `read_marketplace_orders` access scope or `read_quick_sale` access scope.",
        locations: [{ line: 1, column: 19 }],
        path: ["order"],
        extensions: {
          code: "ACCESS_DENIED",
          documentation: "https://shopify.dev/api/usage/access-scopes",
          requiredAccess:
            "`read_orders` access scope, `read_marketplace_orders` access scope or `read_quick_sale` access scope.",
        },
      },
    ]);
    expect(response.body.extensions.cost.requestedQueryCost).toBe(1);
  });

  it("denies fulfillmentOrders without any fulfillment-order scope, leaving the rest of the data", async () => {
    const { sim, gql } = await harness({ scopes: ["read_orders"] });
    const order = twoLineOrder(sim);
    const response = await gql(`query($id: ID!) { shop { name } order(id: $id) { id fulfillmentOrders(first: 5) { nodes { id } } } }`, {
      id: order.id,
    });
    // The connection is non-null, so the error nulls its parent: partial data.
    expect(response.body.data).toEqual({ shop: { name: "test-shop" }, order: null });
    // FulfillmentOrderConnection needs nothing; its FulfillmentOrder nodes do.
    expect(response.body.errors[0]).toMatchObject({
      path: ["order", "fulfillmentOrders", "nodes"],
      extensions: {
        code: "ACCESS_DENIED",
        requiredAccess:
          "`read_assigned_fulfillment_orders` access scope, `read_merchant_managed_fulfillment_orders` access scope, `read_third_party_fulfillment_orders` access scope or `read_marketplace_fulfillment_orders` access scope.",
      },
    });
  });

  it("hides FOs at merchant-managed locations from an app holding only third-party scopes", async () => {
    const { sim, gql } = await harness({ scopes: ["read_orders", "write_third_party_fulfillment_orders"] });
    const order = twoLineOrder(sim);
    const read = await gql(ORDER_STATE, { id: order.id });
    expect(read.body.data.order.fulfillmentOrders.nodes).toEqual([]);
    const create = await gql(FULFILLMENT_CREATE, {
      fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: order.fulfillmentOrders[0].id }] },
    });
    expect(create.body.data.fulfillmentCreate.userErrors).toEqual([
      { field: ["fulfillment"], message: "Fulfillment order does not exist." },
    ]);
  });

  it("denies fulfillmentCreate without a write scope, and changes nothing", async () => {
    const { sim, gql } = await harness({ scopes: ["read_orders", "read_merchant_managed_fulfillment_orders"] });
    const order = twoLineOrder(sim);
    const response = await gql(FULFILLMENT_CREATE, {
      fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: order.fulfillmentOrders[0].id }] },
    });
    expect(response.body.data).toEqual({ fulfillmentCreate: null });
    expect(response.body.errors[0].extensions).toMatchObject({
      code: "ACCESS_DENIED",
      requiredAccess: expect.stringContaining("`write_merchant_managed_fulfillment_orders` access scope"),
    });
    expect(sim.control.getOrder({ shop: SHOP, orderId: order.id }).fulfillments).toEqual([]);
  });

  it("reports the granted scopes through currentAppInstallation, following setScopes", async () => {
    const { sim, gql } = await harness();
    const query = `{ currentAppInstallation { accessScopes { handle } } }`;
    const handles = async () =>
      (await gql(query)).body.data.currentAppInstallation.accessScopes.map((scope: { handle: string }) => scope.handle);
    expect(await handles()).toEqual([
      "read_merchant_managed_fulfillment_orders",
      "read_orders",
      "write_merchant_managed_fulfillment_orders",
    ]);
    sim.control.setScopes({ shop: SHOP, scopes: ["read_orders"] });
    expect(await handles()).toEqual(["read_orders"]);
  });

  it("hides orders older than 60 days without read_all_orders", async () => {
    const { sim, gql, time } = await harness();
    const order = twoLineOrder(sim);
    time.advance(61 * 86_400_000);
    // 61 days on is past 2027-01-01, when non-expiring tokens stop working: a fresh one.
    const { token } = sim.control.installToken({ shop: SHOP, expiring: true });
    expect((await gql(`query($id: ID!) { order(id: $id) { id } }`, { id: order.id }, { token })).body.data.order).toBeNull();
    sim.control.setScopes({ shop: SHOP, scopes: ["read_orders", "read_all_orders"] });
    expect((await gql(`query($id: ID!) { order(id: $id) { id } }`, { id: order.id }, { token })).body.data.order).toEqual({ id: order.id });
  });
});

describe("token exchange (POST /admin/oauth/access_token)", () => {
  it("exchanges a valid session token for an offline token that then works, and returns the same one again", async () => {
    const { sim, gql } = await harness({ token: undefined });
    const { sessionToken } = sim.control.sessionToken({ shop: SHOP });
    const exchanged = await exchangeToken({ origin: sim.origin, shop: SHOP, apiKey: sim.apiKey, apiSecret: sim.apiSecret, sessionToken });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body).toEqual({
      access_token: expect.stringMatching(/^shpat_[0-9a-f]{32}$/),
      scope: "read_merchant_managed_fulfillment_orders,read_orders,write_merchant_managed_fulfillment_orders",
    });
    const token = exchanged.body.access_token;
    expect((await gql(`{ shop { name } }`, {}, { token })).body.data).toEqual({ shop: { name: "test-shop" } });
    const again = await exchangeToken({ origin: sim.origin, shop: SHOP, apiKey: sim.apiKey, apiSecret: sim.apiSecret, sessionToken });
    expect(again.body.access_token).toBe(token);
  });

  it("issues online tokens with the associated user, and expiring offline tokens with a refresh token", async () => {
    const { sim } = await harness({ token: undefined });
    const { sessionToken } = sim.control.sessionToken({ shop: SHOP, userId: "42" });
    const base = { origin: sim.origin, shop: SHOP, apiKey: sim.apiKey, apiSecret: sim.apiSecret, sessionToken };
    const online = await exchangeToken({ ...base, online: true });
    expect(online.body).toMatchObject({
      access_token: expect.stringMatching(/^shpua_/),
      expires_in: 86399,
      associated_user_scope: expect.any(String),
      associated_user: { id: 42 },
    });
    const expiring = await exchangeToken({ ...base, expiring: true });
    expect(expiring.body).toMatchObject({
      access_token: expect.stringMatching(/^shpat_/),
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_/),
      refresh_token_expires_in: 7776000,
    });
  });

  it("refuses an invalid session token with 400 invalid_subject_token", async () => {
    const { sim, time } = await harness({ token: undefined });
    const now = time.clock();
    const base = { origin: sim.origin, shop: SHOP, apiKey: sim.apiKey, apiSecret: sim.apiSecret };
    const cases = {
      "wrong secret": signSessionToken(sessionTokenClaims(SHOP, sim.apiKey, now), "not-the-secret"),
      expired: signSessionToken(sessionTokenClaims(SHOP, sim.apiKey, now - 3_600_000), sim.apiSecret),
      "wrong audience": signSessionToken(sessionTokenClaims(SHOP, "another-app", now), sim.apiSecret),
      "another shop": signSessionToken(sessionTokenClaims("other.myshopify.com", sim.apiKey, now), sim.apiSecret),
      garbage: "not.a.jwt",
    };
    for (const [label, sessionToken] of Object.entries(cases)) {
      const response = await exchangeToken({ ...base, sessionToken });
      expect({ label, status: response.status, error: response.body.error }).toEqual({
        label,
        status: 400,
        error: "invalid_subject_token",
      });
    }
    expect(sim.control.getShop({ shop: SHOP }).tokens).toEqual([]);
  });

  it("refuses wrong client credentials and a shop that uninstalled the app", async () => {
    const { sim } = await harness({ token: undefined });
    const { sessionToken } = sim.control.sessionToken({ shop: SHOP });
    const badClient = await exchangeToken({ origin: sim.origin, shop: SHOP, apiKey: sim.apiKey, apiSecret: "nope", sessionToken });
    expect(badClient.status).toBe(401);
    expect(badClient.body.error).toBe("invalid_client");
    sim.control.uninstallApp({ shop: SHOP });
    const uninstalled = await exchangeToken({ origin: sim.origin, shop: SHOP, apiKey: sim.apiKey, apiSecret: sim.apiSecret, sessionToken });
    expect(uninstalled.status).toBe(400);
    expect(uninstalled.body.error).toBe("invalid_subject_token");
  });

  it("verifies session tokens against the configured app secret", async () => {
    const { sim } = await harness({ token: undefined }, { apiKey: "app-key", apiSecret: "app-secret" });
    const sessionToken = signSessionToken(sessionTokenClaims(SHOP, "app-key", Date.parse("2026-11-25T00:00:00Z")), "app-secret");
    const response = await exchangeToken({ origin: sim.origin, shop: SHOP, apiKey: "app-key", apiSecret: "app-secret", sessionToken });
    expect(response.status).toBe(200);
    expect(TOKEN).not.toBe(response.body.access_token);
  });
});
