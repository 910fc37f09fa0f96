import "@shopify/shopify-api/adapters/node";
import {
  ApiVersion,
  GraphqlQueryError,
  HttpResponseError,
  LogSeverity,
  RequestedTokenType,
  shopifyApi,
} from "@shopify/shopify-api";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redirectAdminApiFetch } from "../../app/shopify/admin-api-origin.server";
import { FULFILLMENT_CREATE, harness, SHOP, twoLineOrder } from "./fixtures";

/**
 * The simulator against the real client the app uses (@shopify/shopify-api 15), through
 * the app's own fetch rewrite: token exchange and GraphQL requests must round-trip, and
 * Shopify's failures must surface as the library's errors.
 */

const originalFetch = abstractFetch;
let origin = "";
beforeAll(() => {
  // The rewrite reads the origin at call time, so each test's simulator can differ.
  setAbstractFetchFunc(((input: RequestInfo | URL, init?: RequestInit) =>
    redirectAdminApiFetch(origin, originalFetch)(input, init)) as typeof fetch);
});
afterAll(() => setAbstractFetchFunc(originalFetch));

async function setup() {
  const h = await harness({ token: undefined }, { apiKey: "app-key", apiSecret: "app-secret", clock: Date.now });
  origin = h.sim.origin;
  const shopify = shopifyApi({
    apiKey: "app-key",
    apiSecretKey: "app-secret",
    apiVersion: ApiVersion.October26,
    hostName: "app.example.test",
    isEmbeddedApp: true,
    scopes: ["read_orders"],
    logger: { level: LogSeverity.Error, log: async () => {} },
  });
  const { sessionToken } = h.sim.control.sessionToken({ shop: SHOP });
  const { session } = await shopify.auth.tokenExchange({
    shop: SHOP,
    sessionToken,
    requestedTokenType: RequestedTokenType.OfflineAccessToken,
  });
  const client = new shopify.clients.Graphql({ session });
  return { ...h, shopify, session, client };
}

describe("with @shopify/shopify-api 15", () => {
  it("exchanges a session token and queries with the resulting session", async () => {
    const { client, session } = await setup();
    expect(session).toMatchObject({ shop: SHOP, isOnline: false, accessToken: expect.stringMatching(/^shpat_/) });
    const response = await client.request(`{ shop { myshopifyDomain } }`);
    expect(response.data).toEqual({ shop: { myshopifyDomain: SHOP } });
    expect(response.extensions).toMatchObject({ cost: { requestedQueryCost: 1, actualQueryCost: 1 } });
  });

  it("creates a fulfillment, and returns userErrors as data", async () => {
    const { client, sim } = await setup();
    const order = twoLineOrder(sim);
    const variables = { fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: order.fulfillmentOrders[0].id }] } };
    const first = await client.request(FULFILLMENT_CREATE, { variables });
    expect(first.data.fulfillmentCreate.userErrors).toEqual([]);
    const second = await client.request(FULFILLMENT_CREATE, { variables });
    expect(second.data.fulfillmentCreate.userErrors[0].message).toMatch(/unfulfillable status= closed/);
  });

  it("surfaces 401 as HttpResponseError and THROTTLED as GraphqlQueryError", async () => {
    const { client, sim } = await setup();
    sim.control.setBucket({ shop: SHOP, currentlyAvailable: 0 });
    // 53 points: the real-time bucket (100/s) cannot refill that between the two calls.
    const throttled = await client
      .request(`{ order(id: "gid://shopify/Order/1") { fulfillmentOrders(first: 50) { nodes { id } } } }`)
      .catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(GraphqlQueryError);
    expect((throttled as GraphqlQueryError).body?.errors).toMatchObject({
      graphQLErrors: [{ extensions: { code: "THROTTLED" } }],
    });
    sim.control.uninstallApp({ shop: SHOP });
    const unauthorized = await client.request(`{ shop { id } }`).catch((error: unknown) => error);
    expect(unauthorized).toBeInstanceOf(HttpResponseError);
    expect((unauthorized as HttpResponseError).response.code).toBe(401);
  });
});
