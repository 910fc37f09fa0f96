import { getVariableValues, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { requestedQueryCost, selectOperation } from "./cost";
import { FULFILLMENT_CREATE, harness, twoLineOrder } from "./fixtures";
import { loadAdminSchema } from "./schema";

const schema = loadAdminSchema();

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = selectOperation(document, null)!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  return requestedQueryCost({ schema, document, operation, variables: coerced.coerced });
}

describe("requested query cost (Shopify's rules)", () => {
  it("charges 1 per object and nothing for scalars", () => {
    // shop: 1 object; id, name, myshopifyDomain (scalars) and currencyCode (enum): 0.
    expect(cost("{ shop { id name myshopifyDomain currencyCode } }")).toBe(1);
  });

  it("charges a connection 2 + first × node, with nested connections multiplying", () => {
    // order                                   1
    // fulfillmentOrders(first: 10)            2 + 10 × FO
    //   FO node                               1
    //     lineItems(first: 50)                2 + 50 × line
    //       line node 1 + lineItem object 1   = 2      → lineItems = 102
    //   FO = 1 + 102 = 103                              → fulfillmentOrders = 2 + 1030 = 1032
    // total = 1 + 1032 = 1033 (over the 1000 single-query limit)
    const query = `query($id: ID!) {
      order(id: $id) {
        id name
        fulfillmentOrders(first: 10) {
          nodes { id status lineItems(first: 50) { nodes { id remainingQuantity lineItem { id sku } } } }
        }
      }
    }`;
    expect(cost(query, { id: "gid://shopify/Order/1" })).toBe(1033);
  });

  it("prices the app's usual FO read: objects, lists without first and edges/pageInfo", () => {
    // order 1
    // fulfillmentOrders(first: 5): 2 + 5 × FO
    //   FO: 1 + supportedActions (list, 1 object) 1 + assignedLocation 1 + location 1
    //       + lineItems(first: 20) edges { node } 2 + 20 × (node 1 + lineItem 1) = 42; pageInfo 0
    //   FO = 1 + 1 + 2 + 42 = 46 → 2 + 230 = 232
    // total 233
    const query = `{
      order(id: "gid://shopify/Order/1") {
        fulfillmentOrders(first: 5) {
          pageInfo { hasNextPage endCursor }
          edges { cursor node {
            id
            supportedActions { action }
            assignedLocation { name location { id } }
            lineItems(first: 20) { edges { node { id lineItem { id } } } pageInfo { hasNextPage } }
          } }
        }
      }
    }`;
    expect(cost(query)).toBe(233);
  });

  it("charges plain lists by their first argument, and nodes(ids:) by the number of ids", () => {
    // order 1 + fulfillments(first: 5) × (fulfillment 1 + trackingInfo(first: 3) 3 × 1) = 1 + 5 × 4 = 21
    expect(
      cost(`{ order(id: "gid://shopify/Order/1") { fulfillments(first: 5) { id trackingInfo(first: 3) { number } } } }`),
    ).toBe(21);
    // 3 ids × the costliest possible selection: Order (1 + fulfillmentOrders 2 + 2 × (1)) = 5 → 15
    expect(
      cost(
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { name fulfillmentOrders(first: 2) { nodes { id } } } ... on FulfillmentOrder { status } } }`,
        { ids: ["gid://shopify/Order/1", "gid://shopify/Order/2", "gid://shopify/FulfillmentOrder/3"] },
      ),
    ).toBe(15);
  });

  it("charges a mutation 10, objects in its payload free, connections in it not", () => {
    expect(cost(FULFILLMENT_CREATE, { fulfillment: { lineItemsByFulfillmentOrder: [] } })).toBe(10);
    // 10 + fulfillmentLineItems(first: 10): 2 + 10 × (1 + lineItem 1) = 32
    expect(
      cost(`mutation($id: ID!) { fulfillmentCancel(id: $id) {
        fulfillment { id fulfillmentLineItems(first: 10) { nodes { lineItem { id } } } }
        userErrors { message } } }`, { id: "gid://shopify/Fulfillment/1" }),
    ).toBe(32);
  });

  it("honours @skip and @include", () => {
    const query = `query($full: Boolean!) { shop { id } order(id: "gid://shopify/Order/1") @include(if: $full) { id } }`;
    expect(cost(query, { full: true })).toBe(2);
    expect(cost(query, { full: false })).toBe(1);
  });
});

describe("cost over HTTP", () => {
  it("reports requested and actual cost and refunds the difference to the bucket", async () => {
    const { sim, gql } = await harness();
    const order = twoLineOrder(sim);
    const response = await gql(
      `query($id: ID!) { order(id: $id) { id fulfillmentOrders(first: 5) { nodes { id lineItems(first: 20) { nodes { id lineItem { id } } } } } } }`,
      { id: order.id },
    );
    // requested: 1 + 2 + 5 × (1 + 2 + 20 × 2) = 218
    // actual:    order 1 + connection 2 + 1 FO + its connection 2 + 2 lines × (1 + 1) = 10
    expect(response.body.extensions.cost).toEqual({
      requestedQueryCost: 218,
      actualQueryCost: 10,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
    });
  });

  it("counts a null object as free in the actual cost", async () => {
    const { gql } = await harness();
    const response = await gql(`{ order(id: "gid://shopify/Order/999") { id fulfillmentOrders(first: 3) { nodes { id } } } }`);
    expect(response.body.data).toEqual({ order: null });
    expect(response.body.extensions.cost.requestedQueryCost).toBe(1 + 2 + 3);
    expect(response.body.extensions.cost.actualQueryCost).toBe(0);
  });

  it("refuses a query requesting more than 1000 points with MAX_COST_EXCEEDED, before running it", async () => {
    const { gql, sim } = await harness();
    const response = await gql(
      `{ order(id: "gid://shopify/Order/1") { fulfillmentOrders(first: 10) { nodes { lineItems(first: 50) { nodes { id lineItem { id } } } } } } }`,
    );
    expect(response.status).toBe(200);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual([
      {
        message: expect.stringMatching(/^Query cost is 1033, which exceeds the single query max cost limit \(1000\)\./),
        extensions: { code: "MAX_COST_EXCEEDED", cost: 1033, maxCost: 1000, documentation: expect.any(String) },
      },
    ]);
    expect(response.body.extensions.cost).toEqual({
      requestedQueryCost: 1033,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 },
    });
    expect(sim.control.requestLog()[0]).toMatchObject({ requestedQueryCost: 1033, actualQueryCost: null });
  });
});
