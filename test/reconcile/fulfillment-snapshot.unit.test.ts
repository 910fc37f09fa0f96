import { describe, expect, it } from "vitest";
import {
  decideRepair,
  fulfillmentFromGraphqlNode,
  fulfillmentFromWebhookPayload,
  type FulfillmentSnapshot,
  type LinkedShipment,
} from "~/reconcile/fulfillment-snapshot";

const shipped: LinkedShipment = {
  status: "shipped",
  syncState: "in_sync",
  pendingOperation: null,
  trackingNumbers: ["4512-3456-7890"],
  carrier: "Yamato (JA)",
  trackingUrl: null,
};

const live = (
  numbers: string[],
  over: Partial<FulfillmentSnapshot> = {},
): FulfillmentSnapshot => ({
  id: "gid://shopify/Fulfillment/1",
  orderId: null,
  status: "SUCCESS",
  tracking: numbers.map((number) => ({
    company: "Sagawa (JA)",
    number,
    url: null,
  })),
  lines: [],
  ...over,
});

describe("fulfillmentFromWebhookPayload", () => {
  it("reads Shopify's fulfillments/* shape", () => {
    // As the library hands it over: JSON.parse of Shopify's sample body (its ids exceed 2^53).
    const sample = JSON.parse(`{
      "id": 123456, "order_id": 820982911946154508, "status": "cancelled",
      "tracking_company": "UPS", "tracking_number": "1z827wk74630",
      "tracking_numbers": ["1z827wk74630"], "tracking_url": "https://www.ups.com/x",
      "tracking_urls": ["https://www.ups.com/x"],
      "line_items": [{ "id": 487817672276298554, "admin_graphql_api_id": "gid://shopify/LineItem/487817672276298554", "quantity": 1 }],
      "name": "#9999.1", "admin_graphql_api_id": "gid://shopify/Fulfillment/123456"
    }`) as unknown;
    expect(fulfillmentFromWebhookPayload(sample)).toEqual({
      id: "gid://shopify/Fulfillment/123456",
      // The sample's order id is above 2^53: JSON.parse cannot hold it, so it is not guessed.
      orderId: null,
      status: "CANCELLED",
      tracking: [
        {
          company: "UPS",
          number: "1z827wk74630",
          url: "https://www.ups.com/x",
        },
      ],
      lines: [
        {
          lineItemId: "gid://shopify/LineItem/487817672276298554",
          quantity: 1,
        },
      ],
    });
  });

  it("takes the order's numeric id when it is exact", () => {
    expect(
      fulfillmentFromWebhookPayload({
        id: 1,
        order_id: 5123456789012,
        status: "success",
        line_items: [],
      })?.orderId,
    ).toBe("gid://shopify/Order/5123456789012");
  });

  it("returns null for another shape", () => {
    expect(fulfillmentFromWebhookPayload({ id: "x" })).toBeNull();
  });

  it("reads the GraphQL node", () => {
    expect(
      fulfillmentFromGraphqlNode({
        id: "gid://shopify/Fulfillment/2",
        status: "CANCELLED",
        updatedAt: "2026-11-02T00:00:00Z",
        trackingInfo: [{ company: "Yamato Transport", number: null }],
      }),
    ).toMatchObject({
      status: "CANCELLED",
      // Absent or null fields are null in the snapshot, as from a webhook.
      tracking: [{ company: "Yamato Transport", number: null, url: null }],
      lines: [],
    });
  });
});

describe("decideRepair", () => {
  it("cancelled, failed or gone in Shopify: a shipped shipment goes back to unshipped", () => {
    expect(decideRepair(shipped, live([], { status: "CANCELLED" }))).toEqual({
      kind: "revert_to_unshipped",
      droppedOperation: null,
    });
    expect(decideRepair(shipped, live([], { status: "ERROR" }))).toMatchObject({
      kind: "revert_to_unshipped",
    });
    expect(decideRepair(shipped, null)).toMatchObject({
      kind: "revert_to_unshipped",
    });
  });

  it("a pending tracking correction on a cancelled fulfillment is dropped (and said so)", () => {
    expect(
      decideRepair(
        {
          ...shipped,
          syncState: "pending",
          pendingOperation: "update_tracking",
        },
        live([], { status: "CANCELLED" }),
      ),
    ).toEqual({
      kind: "revert_to_unshipped",
      droppedOperation: "update_tracking",
    });
  });

  it("an operator's pending revert is settled when Shopify already cancelled it", () => {
    expect(
      decideRepair(
        {
          ...shipped,
          status: "unshipped",
          syncState: "failed",
          pendingOperation: "cancel_fulfillment",
        },
        null,
      ),
    ).toEqual({ kind: "cancel_settled" });
  });

  it("other tracking in Shopify is taken for a shipment in sync; the same numbers written differently are no drift", () => {
    expect(decideRepair(shipped, live(["451234567890"]))).toEqual({
      kind: "none",
    });
    expect(decideRepair(shipped, live(["999"]))).toEqual({
      kind: "take_tracking",
      trackingNumbers: ["999"],
      carrier: "Sagawa (JA)",
      trackingUrl: null,
      urlsInShopify: [],
    });
  });

  it("a shipment with its own change still to send keeps it", () => {
    expect(
      decideRepair(
        {
          ...shipped,
          syncState: "pending",
          pendingOperation: "update_tracking",
        },
        live(["999"]),
      ),
    ).toEqual({
      kind: "none",
    });
  });
});
