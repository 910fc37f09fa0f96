import { describe, expect, it } from "vitest";
import {
  orderFromGraphqlNode,
  orderFromWebhookPayload,
  shippableLines,
} from "~/orders/order-snapshot";

const line = (over: Record<string, unknown> = {}) => ({
  id: 4878176722762,
  admin_graphql_api_id: "gid://shopify/LineItem/4878176722762",
  title: "Aviator sunglasses",
  name: "Aviator sunglasses - Gold",
  quantity: 2,
  current_quantity: 2,
  sku: "SKU2006-001",
  vendor: "Acme",
  requires_shipping: true,
  price: "89.99",
  ...over,
});

const payload = (over: Record<string, unknown> = {}) => ({
  id: 8209829119461,
  admin_graphql_api_id: "gid://shopify/Order/8209829119461",
  name: "#9999",
  email: "jon@example.com",
  created_at: "2021-12-31T19:00:00-05:00",
  updated_at: "2021-12-31T19:00:00-05:00",
  cancelled_at: null,
  closed_at: null,
  customer: { id: 1, email: "jon@example.com" },
  line_items: [line()],
  ...over,
});

describe("orderFromWebhookPayload", () => {
  it("reads Shopify's orders/* shape: gids, name, dates in UTC, lines with their current quantity", () => {
    expect(orderFromWebhookPayload(payload())).toEqual({
      orderId: "gid://shopify/Order/8209829119461",
      name: "#9999",
      createdAt: "2022-01-01T00:00:00.000Z",
      updatedAt: "2022-01-01T00:00:00.000Z",
      cancelledAt: null,
      closedAt: null,
      lines: [
        {
          lineItemId: "gid://shopify/LineItem/4878176722762",
          title: "Aviator sunglasses - Gold",
          sku: "SKU2006-001",
          vendor: "Acme",
          quantity: 2,
          requiresShipping: true,
        },
      ],
    });
  });

  it("builds gids from numeric ids when admin_graphql_api_id is absent, and blanks become null", () => {
    const order = orderFromWebhookPayload(
      payload({
        id: 5123456789012,
        admin_graphql_api_id: undefined,
        line_items: [
          line({
            id: 13123456789012,
            admin_graphql_api_id: undefined,
            sku: " ",
            vendor: "",
          }),
        ],
      }),
    )!;
    expect(order.orderId).toBe("gid://shopify/Order/5123456789012");
    expect(order.lines[0]).toMatchObject({
      lineItemId: "gid://shopify/LineItem/13123456789012",
      sku: null,
      vendor: null,
    });
  });

  it("never guesses an id JSON.parse could not hold exactly (above 2^53)", () => {
    // Shopify's sample order id 820982911946154508 parses as …500: only admin_graphql_api_id is exact.
    const { id } = JSON.parse('{"id": 820982911946154508}') as { id: number };
    expect(
      orderFromWebhookPayload(payload({ id, admin_graphql_api_id: undefined })),
    ).toBeNull();
  });

  it("takes the current quantity (order edits) and keeps removed and non-shipping lines out of shippableLines", () => {
    const order = orderFromWebhookPayload(
      payload({
        line_items: [
          line({ current_quantity: 1 }),
          line({
            id: 2,
            admin_graphql_api_id: "gid://shopify/LineItem/2",
            current_quantity: 0,
          }),
          line({
            id: 3,
            admin_graphql_api_id: "gid://shopify/LineItem/3",
            requires_shipping: false,
          }),
        ],
      }),
    )!;
    expect(order.lines.map((l) => l.quantity)).toEqual([1, 0, 2]);
    expect(shippableLines(order).map((l) => l.lineItemId)).toEqual([
      "gid://shopify/LineItem/4878176722762",
    ]);
  });

  it("returns null for something that is not an order", () => {
    expect(orderFromWebhookPayload({ id: 1 })).toBeNull();
    expect(
      orderFromWebhookPayload(
        payload({ line_items: [line({ quantity: -1 })] }),
      ),
    ).toBeNull();
    expect(
      orderFromWebhookPayload(
        payload({ admin_graphql_api_id: "gid://shopify/Product/1" }),
      ),
    ).toBeNull();
  });
});

describe("orderFromGraphqlNode", () => {
  it("reads the backfill's GraphQL order", () => {
    const order = orderFromGraphqlNode(
      {
        id: "gid://shopify/Order/1",
        name: "#1001",
        createdAt: "2026-11-01T00:00:00Z",
        updatedAt: "2026-11-02T00:00:00Z",
        cancelledAt: null,
        closedAt: "2026-11-03T00:00:00Z",
        lineItems: {
          nodes: [],
          pageInfo: { hasNextPage: false, endCursor: null },
        },
      },
      [
        {
          id: "gid://shopify/LineItem/9",
          name: "鉄瓶",
          sku: null,
          vendor: "南部",
          quantity: 3,
          currentQuantity: 2,
          requiresShipping: true,
        },
      ],
    );
    expect(order).toMatchObject({
      closedAt: "2026-11-03T00:00:00.000Z",
      lines: [
        {
          lineItemId: "gid://shopify/LineItem/9",
          title: "鉄瓶",
          quantity: 2,
          vendor: "南部",
        },
      ],
    });
  });
});
