import { describe, expect, it } from "vitest";
import {
  fulfillmentOrderIdsOf,
  fulfillmentOrderTopic,
  readCompliancePayload,
} from "~/webhooks/payloads";
import { topicName } from "~/webhooks/webhook-events.server";

const fo = (n: number, status = "open") => ({
  id: `gid://shopify/FulfillmentOrder/${n}`,
  status,
});

describe("fulfillment_orders/* payloads (Shopify's samples)", () => {
  it("reads scheduled_fulfillment_order_ready (a scheduled FO became due)", () => {
    expect(
      fulfillmentOrderIdsOf(
        "fulfillment_orders/scheduled_fulfillment_order_ready",
        { fulfillment_order: fo(7, "open") },
      ),
    ).toEqual([fo(7).id]);
    expect(
      fulfillmentOrderTopic(
        "FULFILLMENT_ORDERS_SCHEDULED_FULFILLMENT_ORDER_READY",
      ),
    ).toBe("fulfillment_orders/scheduled_fulfillment_order_ready");
  });

  it("names the FO now holding the work first", () => {
    expect(
      fulfillmentOrderIdsOf("fulfillment_orders/cancelled", {
        fulfillment_order: fo(1, "cancelled"),
        replacement_fulfillment_order: fo(2),
      }),
    ).toEqual([fo(2).id, fo(1).id]);
    expect(
      fulfillmentOrderIdsOf("fulfillment_orders/moved", {
        original_fulfillment_order: {
          ...fo(1, "closed"),
          assigned_location_id: "gid://shopify/Location/0",
        },
        moved_fulfillment_order: {
          ...fo(2),
          assigned_location_id: "gid://shopify/Location/1",
        },
        destination_location_id: "gid://shopify/Location/1",
        fulfillment_order_line_items_requested: [
          { id: "gid://shopify/FulfillmentOrderLineItem/1", quantity: 1 },
        ],
        source_location: { id: "gid://shopify/Location/0" },
      }),
    ).toEqual([fo(2).id, fo(1).id]);
    expect(
      fulfillmentOrderIdsOf("fulfillment_orders/split", {
        split_line_items: [],
        fulfillment_order: fo(1),
        remaining_fulfillment_order: fo(2),
        replacement_fulfillment_order: fo(3),
      }),
    ).toEqual([fo(1).id, fo(2).id, fo(3).id]);
    expect(
      fulfillmentOrderIdsOf("fulfillment_orders/merged", {
        merge_intents: [
          {
            fulfillment_order_id: 1,
            fulfillment_order_line_items: [{ id: 1, quantity: 1 }],
          },
        ],
        fulfillment_order_merges: { fulfillment_order: fo(1) },
      }),
    ).toEqual([fo(1).id]);
    expect(
      fulfillmentOrderIdsOf("fulfillment_orders/merged", {
        fulfillment_order_merges: [{ fulfillment_order: fo(4) }],
      }),
    ).toEqual([fo(4).id]);
    expect(
      fulfillmentOrderIdsOf("fulfillment_orders/placed_on_hold", {
        fulfillment_order: { ...fo(1, "on_hold"), fulfillment_holds: [] },
        remaining_fulfillment_order: fo(2),
      }),
    ).toEqual([fo(1).id, fo(2).id]);
    expect(
      fulfillmentOrderIdsOf("fulfillment_orders/hold_released", {
        fulfillment_order: fo(1),
      }),
    ).toEqual([fo(1).id]);
  });

  it("refuses other shapes", () => {
    expect(
      fulfillmentOrderIdsOf("fulfillment_orders/hold_released", {
        fulfillment_order: { id: 1 },
      }),
    ).toBeNull();
    expect(fulfillmentOrderIdsOf("fulfillment_orders/moved", {})).toBeNull();
  });

  it("maps the library's topic names", () => {
    expect(fulfillmentOrderTopic("FULFILLMENT_ORDERS_HOLD_RELEASED")).toBe(
      "fulfillment_orders/hold_released",
    );
    expect(fulfillmentOrderTopic("ORDERS_CREATE")).toBeNull();
    expect(topicName("FULFILLMENT_ORDERS_PLACED_ON_HOLD")).toBe(
      "fulfillment_orders/placed_on_hold",
    );
    expect(topicName("ORDERS_CANCELLED")).toBe("orders/cancelled");
    expect(topicName("CUSTOMERS_DATA_REQUEST")).toBe("customers/data_request");
  });
});

describe("compliance payloads", () => {
  it("reads order ids and the request id, never the customer", () => {
    expect(
      readCompliancePayload({
        shop_id: 954889,
        shop_domain: "x.myshopify.com",
        customer: {
          id: 191167,
          email: "john@example.com",
          phone: "555-625-1199",
        },
        orders_requested: [299938, 280263],
        data_request: { id: 9999 },
      }),
    ).toEqual({
      orderIds: ["gid://shopify/Order/299938", "gid://shopify/Order/280263"],
      requestId: "9999",
    });
    expect(readCompliancePayload({ orders_to_redact: [1] })).toEqual({
      orderIds: ["gid://shopify/Order/1"],
      requestId: null,
    });
    expect(readCompliancePayload("nonsense")).toEqual({
      orderIds: [],
      requestId: null,
    });
  });
});
