import type { OrderSnapshot } from "./control";
import type { FulfillmentOrderRecord, ShopRecord } from "./store";

/**
 * Webhook payloads as Shopify's webhook reference documents them: REST-style JSON with
 * numeric ids plus `admin_graphql_api_id` for orders, line items and fulfillments;
 * GraphQL gids for fulfillment_orders/*. They carry the customer and money fields a real
 * delivery has (placeholders), so an app that must not read them is tested with them
 * present. Built from the simulator's state at the moment of the change, as Shopify
 * serialises the resource when the event fires (a retry re-sends that same body).
 */

export const legacyNumber = (gid: string) => Number(/([0-9]+)$/.exec(gid)![1]);

const money = (amount: string, currency: string) => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount, currency_code: currency },
});

const ADDRESS = {
  first_name: "花子",
  last_name: "佐藤",
  address1: "千代田区1-1",
  city: "東京",
  zip: "100-0001",
  country_code: "JP",
};

/** orders/create, orders/updated, orders/cancelled: the order as Shopify serialises it. */
export function orderPayload(order: OrderSnapshot, currency = "JPY", overrides: Record<string, unknown> = {}) {
  const fulfilled = order.displayFulfillmentStatus;
  return {
    id: legacyNumber(order.id),
    admin_graphql_api_id: order.id,
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: order.cancelledAt ? "customer" : null,
    cancelled_at: order.cancelledAt,
    closed_at: order.closedAt,
    confirmed: true,
    contact_email: "hanako@example.jp",
    created_at: order.createdAt,
    currency,
    email: "hanako@example.jp",
    financial_status: "paid",
    fulfillment_status: fulfilled === "FULFILLED" ? "fulfilled" : fulfilled === "PARTIALLY_FULFILLED" ? "partial" : null,
    name: order.name,
    number: legacyNumber(order.id) % 10_000,
    order_number: Number(order.name.replace(/\D/g, "")) || 1001,
    phone: "+81-3-1234-5678",
    processed_at: order.createdAt,
    tags: "",
    test: false,
    total_price: "12000",
    total_price_set: money("12000", currency),
    updated_at: order.updatedAt,
    billing_address: ADDRESS,
    shipping_address: ADDRESS,
    customer: {
      id: 1153106273147,
      email: "hanako@example.jp",
      first_name: "花子",
      last_name: "佐藤",
      admin_graphql_api_id: "gid://shopify/Customer/1153106273147",
    },
    fulfillments: order.fulfillments.map((f) => fulfillmentPayload(order, f.id)),
    line_items: order.lineItems.map((line) => ({
      id: legacyNumber(line.id),
      admin_graphql_api_id: line.id,
      attributed_staffs: [],
      current_quantity: line.quantity,
      fulfillable_quantity: line.quantity,
      fulfillment_service: "manual",
      fulfillment_status: null,
      gift_card: false,
      grams: 500,
      name: line.title,
      price: "3000",
      price_set: money("3000", currency),
      product_exists: true,
      product_id: 7880321196742,
      properties: [],
      quantity: line.quantity,
      requires_shipping: true,
      sku: line.sku,
      taxable: true,
      title: line.title,
      total_discount: "0",
      variant_id: null,
      variant_title: null,
      vendor: line.vendor,
      tax_lines: [],
      duties: [],
      discount_allocations: [],
    })),
    shipping_lines: [],
    refunds: [],
    ...overrides,
  };
}

/** fulfillments/create and fulfillments/update: one fulfillment of the order. */
export function fulfillmentPayload(order: OrderSnapshot, fulfillmentId: string) {
  const fulfillment = order.fulfillments.find((f) => f.id === fulfillmentId);
  if (!fulfillment) throw new Error(`no fulfillment ${fulfillmentId} on ${order.id}`);
  const numbers = fulfillment.trackingInfo.map((t) => t.number).filter((n): n is string => Boolean(n));
  const urls = fulfillment.trackingInfo.map((t) => t.url).filter((u): u is string => Boolean(u));
  return {
    id: legacyNumber(fulfillment.id),
    order_id: legacyNumber(order.id),
    status: fulfillment.status.toLowerCase(),
    created_at: fulfillment.createdAt,
    service: "manual",
    updated_at: fulfillment.updatedAt,
    tracking_company: fulfillment.trackingInfo[0]?.company ?? null,
    shipment_status: null,
    location_id: legacyNumber(fulfillment.locationId),
    origin_address: null,
    email: "hanako@example.jp",
    destination: ADDRESS,
    line_items: fulfillment.lines.map((line) => {
      const item = order.lineItems.find((l) => l.id === line.lineItemId)!;
      return {
        id: legacyNumber(line.lineItemId),
        admin_graphql_api_id: line.lineItemId,
        variant_id: null,
        title: item.title,
        name: item.title,
        quantity: line.quantity,
        sku: item.sku,
        vendor: item.vendor,
        fulfillment_service: "manual",
        requires_shipping: true,
        fulfillable_quantity: 0,
        fulfillment_status: "fulfilled",
        price: "3000",
      };
    }),
    tracking_number: numbers[0] ?? null,
    tracking_numbers: numbers,
    tracking_url: urls[0] ?? null,
    tracking_urls: urls,
    receipt: {},
    name: fulfillment.name,
    admin_graphql_api_id: fulfillment.id,
  };
}

/** The `{id, status}` reference fulfillment_orders/* payloads use (lower-case status). */
export function fulfillmentOrderRef(fulfillmentOrder: FulfillmentOrderRecord) {
  return { id: fulfillmentOrder.id, status: fulfillmentOrder.status.toLowerCase() };
}

/** app/uninstalled: the shop resource. */
export function shopPayload(shop: ShopRecord) {
  return {
    id: legacyNumber(shop.id),
    name: shop.name,
    email: `owner@${shop.domain}`,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    currency: shop.currencyCode,
    iana_timezone: shop.ianaTimezone,
    plan_name: shop.plan,
    created_at: null,
    updated_at: null,
  };
}
