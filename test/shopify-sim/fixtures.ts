import { onTestFinished } from "vitest";
import { adminGraphql, type AdminResponse } from "./client";
import type { CreateShopInput } from "./control";
import { startSimulator, type Simulator, type SimulatorOptions } from "./server";

/** Helpers shared by the simulator's own tests. */

export const SHOP = "test-shop.myshopify.com";
export const TOKEN = "shpat_test_token";

/** A clock that only moves when told to: bucket levels and expiries become exact. */
export function manualClock(start = Date.parse("2026-11-25T00:00:00Z")) {
  let now = start;
  return {
    clock: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export interface Harness {
  sim: Simulator;
  time: ReturnType<typeof manualClock>;
  /** One GraphQL call to the test shop with the test token (overridable). */
  gql: <T = any>(
    query: string,
    variables?: Record<string, unknown>,
    overrides?: { token?: string | null; shop?: string; apiVersion?: string; timeoutMs?: number },
  ) => Promise<AdminResponse<T>>;
}

/**
 * A simulator (closed after the test) with one shop holding a token and two
 * merchant-managed locations, Tokyo and Osaka, on a manual clock.
 */
export async function harness(
  shop: Partial<CreateShopInput> = {},
  options: SimulatorOptions = {},
): Promise<Harness> {
  const time = manualClock();
  const sim = await startSimulator({ seed: 42, clock: time.clock, ...options });
  // Per test, not a module-level afterEach: unit-lane files share this module.
  onTestFinished(() => sim.close());
  sim.control.createShop({
    shop: SHOP,
    token: TOKEN,
    locations: [
      { id: "gid://shopify/Location/1", name: "東京倉庫" },
      { id: "gid://shopify/Location/2", name: "大阪倉庫" },
    ],
    ...shop,
  });
  return {
    sim,
    time,
    gql: (query, variables, overrides = {}) =>
      adminGraphql({
        origin: sim.origin,
        shop: overrides.shop ?? SHOP,
        token: overrides.token === undefined ? TOKEN : overrides.token,
        query,
        variables,
        apiVersion: overrides.apiVersion,
        timeoutMs: overrides.timeoutMs,
      }),
  };
}

/**
 * An order with two lines at Tokyo (3 × mug, 1 × towel) in one OPEN FO, with explicit ids
 * so tests can name them.
 */
export function twoLineOrder(sim: Simulator, suffix = 1) {
  return sim.control.createOrder({
    shop: SHOP,
    id: `gid://shopify/Order/${suffix}00`,
    name: `#${1000 + suffix}`,
    lines: [
      { id: `gid://shopify/LineItem/${suffix}01`, sku: "MUG", title: "Mug", quantity: 3, vendor: "Arita" },
      { id: `gid://shopify/LineItem/${suffix}02`, sku: "TOWEL", title: "Towel", quantity: 1, vendor: "Imabari" },
    ],
    fulfillmentOrders: [
      {
        id: `gid://shopify/FulfillmentOrder/${suffix}10`,
        locationId: "gid://shopify/Location/1",
        lines: [
          { id: `gid://shopify/FulfillmentOrderLineItem/${suffix}11`, lineItemId: `gid://shopify/LineItem/${suffix}01`, quantity: 3 },
          { id: `gid://shopify/FulfillmentOrderLineItem/${suffix}12`, lineItemId: `gid://shopify/LineItem/${suffix}02`, quantity: 1 },
        ],
      },
    ],
  });
}

export const FULFILLMENT_CREATE = /* GraphQL */ `
  mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment { id status trackingInfo(first: 10) { company number url } }
      userErrors { field message }
    }
  }
`;

export const ORDER_STATE = /* GraphQL */ `
  query OrderState($id: ID!) {
    order(id: $id) {
      id
      displayFulfillmentStatus
      closed
      cancelledAt
      fulfillmentOrders(first: 10) {
        nodes {
          id
          status
          fulfillAt
          supportedActions { action }
          assignedLocation { name }
          lineItems(first: 20) { nodes { id remainingQuantity totalQuantity lineItem { id sku } } }
        }
      }
      fulfillments(first: 10) {
        id
        status
        trackingInfo(first: 5) { company number url }
        fulfillmentLineItems(first: 20) { nodes { id quantity lineItem { id } } }
      }
    }
  }
`;
