import { describe, expect, it } from "vitest";
import { adminGraphql, createControlClient } from "../shopify-sim";
import { harness, ORDER_STATE } from "../shopify-sim/fixtures";
import { demoShop } from "./demo-data";
import type { DemoShop } from "./demo-data.types";
import { loadDemoShop } from "./simulator-shop";

const FIXTURE: DemoShop = {
  shop: "fixture.myshopify.com",
  name: "Fixture",
  locale: "ja",
  scopes: ["read_orders", "read_merchant_managed_fulfillment_orders", "write_merchant_managed_fulfillment_orders"],
  locations: [
    { id: "gid://shopify/Location/11", name: "東京倉庫" },
    { id: "gid://shopify/Location/12", name: "大阪倉庫" },
  ],
  orders: [
    {
      id: "gid://shopify/Order/21",
      name: "#1001",
      createdAt: "2026-01-10T00:00:00Z",
      lines: [
        { id: "gid://shopify/LineItem/31", sku: "A", title: "A", quantity: 2, vendor: "V1" },
        { id: "gid://shopify/LineItem/32", sku: null, title: "B", quantity: 1, vendor: "V2" },
      ],
      fulfillmentOrders: [
        {
          id: "gid://shopify/FulfillmentOrder/41",
          locationId: "gid://shopify/Location/11",
          lines: [
            { id: "gid://shopify/FulfillmentOrderLineItem/51", lineItemId: "gid://shopify/LineItem/31", quantity: 2 },
            { id: "gid://shopify/FulfillmentOrderLineItem/52", lineItemId: "gid://shopify/LineItem/32", quantity: 1 },
          ],
        },
      ],
      shipments: [
        {
          vendor: "V1",
          lines: [{ lineItemId: "gid://shopify/LineItem/31", quantity: 2 }],
          shipped: {
            trackingNumbers: ["111", "222"],
            carrier: "Yamato (JA)",
            trackingUrl: "https://track.test/111",
            fulfillmentId: "gid://shopify/Fulfillment/61",
            shippedAt: "2026-01-11T00:00:00Z",
          },
        },
        { vendor: "V2", lines: [{ lineItemId: "gid://shopify/LineItem/32", quantity: 1 }] },
      ],
    },
    {
      id: "gid://shopify/Order/22",
      name: "#1002",
      createdAt: "2026-01-12T00:00:00Z",
      state: "cancelled",
      lines: [{ id: "gid://shopify/LineItem/33", sku: "C", title: "C", quantity: 1, vendor: "V1" }],
      fulfillmentOrders: [
        {
          id: "gid://shopify/FulfillmentOrder/42",
          locationId: "gid://shopify/Location/12",
          status: "ON_HOLD",
          lines: [{ id: "gid://shopify/FulfillmentOrderLineItem/53", lineItemId: "gid://shopify/LineItem/33", quantity: 1 }],
        },
      ],
      shipments: [{ vendor: "V1", lines: [{ lineItemId: "gid://shopify/LineItem/33", quantity: 1 }] }],
    },
  ],
};

describe("loadDemoShop", () => {
  it("loads orders, FOs and already-synced fulfillments under the demo's own ids (over HTTP)", async () => {
    const { sim } = await harness();
    const loaded = await loadDemoShop(createControlClient(sim.origin), FIXTURE, { token: "demo-token" });
    expect(loaded).toEqual({ shop: FIXTURE.shop, orders: 2, fulfillments: 1, token: "demo-token" });
    const order = (
      await adminGraphql({ origin: sim.origin, shop: FIXTURE.shop, token: "demo-token", query: ORDER_STATE, variables: { id: "gid://shopify/Order/21" } })
    ).body.data.order;
    expect(order.displayFulfillmentStatus).toBe("PARTIALLY_FULFILLED");
    expect(order.fulfillments).toEqual([
      {
        id: "gid://shopify/Fulfillment/61",
        status: "SUCCESS",
        trackingInfo: [
          { company: "Yamato (JA)", number: "111", url: "https://track.test/111" },
          { company: "Yamato (JA)", number: "222", url: "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=222" },
        ],
        fulfillmentLineItems: { nodes: [{ id: expect.any(String), quantity: 2, lineItem: { id: "gid://shopify/LineItem/31" } }] },
      },
    ]);
    expect(order.fulfillmentOrders.nodes[0].lineItems.nodes.map((line: any) => [line.id, line.remainingQuantity])).toEqual([
      ["gid://shopify/FulfillmentOrderLineItem/51", 0],
      ["gid://shopify/FulfillmentOrderLineItem/52", 1],
    ]);
    const cancelled = sim.control.getOrder({ shop: FIXTURE.shop, orderId: "gid://shopify/Order/22" });
    expect(cancelled.cancelledAt).not.toBeNull();
    expect(cancelled.fulfillmentOrders[0].status).toBe("CANCELLED");
  });

  it("loads the real demo shop consistently with its shipments", async () => {
    const { sim } = await harness();
    const loaded = await loadDemoShop(sim.control, demoShop, { token: "demo-token" });
    const shipped = demoShop.orders.flatMap((order) => order.shipments.filter((shipment) => shipment.shipped));
    expect(loaded.fulfillments).toBe(shipped.length);
    const snapshot = sim.control.getShop({ shop: demoShop.shop });
    expect(snapshot.orders.map((order) => order.id)).toEqual(demoShop.orders.map((order) => order.id));
    for (const order of demoShop.orders) {
      const stored = snapshot.orders.find((candidate) => candidate.id === order.id)!;
      expect(stored.fulfillments.map((fulfillment) => fulfillment.id)).toEqual(
        order.shipments.flatMap((shipment) => (shipment.shipped ? [shipment.shipped.fulfillmentId] : [])),
      );
      expect(stored.fulfillmentOrders.map((fo) => fo.id)).toEqual(order.fulfillmentOrders.map((fo) => fo.id));
    }
  });
});
