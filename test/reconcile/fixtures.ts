/**
 * Shopify's webhook payloads, built from the simulator's state in the shapes Shopify's
 * webhook reference documents (REST-style JSON: numeric ids plus admin_graphql_api_id,
 * with the customer and money fields the app must ignore), and small helpers shared by
 * the webhook, reconcile and isolation tests.
 */
import type { OrderSnapshot as SimOrder } from "../shopify-sim";
import { adminGraphql } from "../shopify-sim/client";
import { DEMO_TOKEN, type SyncWorld } from "../helpers/sync-world";
import { routeArgs, settle } from "../helpers/requests";
import { webhookRequest } from "../helpers/webhook";

export const legacy = (gid: string) => Number(/([0-9]+)$/.exec(gid)![1]);

const money = (amount: string) => ({
  shop_money: { amount, currency_code: "JPY" },
  presentment_money: { amount, currency_code: "JPY" },
});

/** orders/create, orders/updated, orders/cancelled: the order as Shopify serialises it. */
export function orderPayload(
  order: SimOrder,
  overrides: Record<string, unknown> = {},
) {
  return {
    id: legacy(order.id),
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
    currency: "JPY",
    email: "hanako@example.jp",
    financial_status: "paid",
    fulfillment_status: null,
    name: order.name,
    number: legacy(order.id) % 10_000,
    order_number: Number(order.name.replace(/\D/g, "")) || 1001,
    phone: "+81-3-1234-5678",
    processed_at: order.createdAt,
    tags: "",
    test: false,
    total_price: "12000",
    total_price_set: money("12000"),
    updated_at: overrides.updated_at ?? order.createdAt,
    billing_address: {
      first_name: "花子",
      last_name: "佐藤",
      address1: "千代田区1-1",
      city: "東京",
      zip: "100-0001",
      country_code: "JP",
    },
    shipping_address: {
      first_name: "花子",
      last_name: "佐藤",
      address1: "千代田区1-1",
      city: "東京",
      zip: "100-0001",
      country_code: "JP",
    },
    customer: {
      id: 1153106273147,
      email: "hanako@example.jp",
      first_name: "花子",
      last_name: "佐藤",
      admin_graphql_api_id: "gid://shopify/Customer/1153106273147",
    },
    fulfillments: [],
    line_items: order.lineItems.map((line) => ({
      id: legacy(line.id),
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
      price_set: money("3000"),
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
export function fulfillmentPayload(order: SimOrder, fulfillmentId: string) {
  const fulfillment = order.fulfillments.find((f) => f.id === fulfillmentId);
  if (!fulfillment)
    throw new Error(`no fulfillment ${fulfillmentId} on ${order.id}`);
  const numbers = fulfillment.trackingInfo
    .map((t) => t.number)
    .filter((n): n is string => Boolean(n));
  const urls = fulfillment.trackingInfo
    .map((t) => t.url)
    .filter((u): u is string => Boolean(u));
  return {
    id: legacy(fulfillment.id),
    order_id: legacy(order.id),
    status: fulfillment.status.toLowerCase(),
    created_at: fulfillment.createdAt,
    service: "manual",
    updated_at: new Date().toISOString(),
    tracking_company: fulfillment.trackingInfo[0]?.company ?? null,
    shipment_status: null,
    location_id: legacy(fulfillment.locationId),
    origin_address: null,
    email: "hanako@example.jp",
    destination: {
      first_name: "花子",
      last_name: "佐藤",
      address1: "千代田区1-1",
      city: "東京",
      country_code: "JP",
    },
    line_items: fulfillment.lines.map((line) => {
      const item = order.lineItems.find((l) => l.id === line.lineItemId)!;
      return {
        id: legacy(line.lineItemId),
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

/** Sends a signed delivery to a webhook route action; returns the status (thrown Responses included). */
export async function deliver(
  action: (args: ReturnType<typeof routeArgs>) => Promise<Response>,
  options: {
    path: string;
    topic: string;
    shop: string;
    payload: unknown;
    secret?: string;
    webhookId?: string;
  },
): Promise<number> {
  const settled = await settle(() =>
    action(routeArgs(webhookRequest(options))),
  );
  return settled.thrown ? settled.thrown.status : settled.value.status;
}

/** A call to the simulator's Admin API as the merchant's admin would make it (Shopify admin actions). */
export async function shopifyAdmin<T = any>(
  world: SyncWorld,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const response = await adminGraphql<{ data: T; errors?: unknown }>({
    origin: world.sim.origin,
    shop: world.shop,
    token: DEMO_TOKEN,
    query,
    variables,
  });
  if (response.body.errors)
    throw new Error(JSON.stringify(response.body.errors));
  return response.body.data;
}

/** Cancels a fulfillment "in Shopify admin". */
export async function cancelInShopifyAdmin(
  world: SyncWorld,
  fulfillmentId: string,
) {
  const data = await shopifyAdmin<{
    fulfillmentCancel: { userErrors: { message: string }[] };
  }>(
    world,
    `mutation Cancel($id: ID!) { fulfillmentCancel(id: $id) { fulfillment { id status } userErrors { field message } } }`,
    { id: fulfillmentId },
  );
  if (data.fulfillmentCancel.userErrors.length > 0)
    throw new Error(JSON.stringify(data.fulfillmentCancel.userErrors));
}

/** Edits a fulfillment's tracking "in Shopify admin". */
export async function editTrackingInShopifyAdmin(
  world: SyncWorld,
  fulfillmentId: string,
  tracking: { company?: string; number: string; url?: string },
) {
  const data = await shopifyAdmin<{
    fulfillmentTrackingInfoUpdate: { userErrors: { message: string }[] };
  }>(
    world,
    `mutation Track($id: ID!, $info: FulfillmentTrackingInput!) {
       fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $info) {
         fulfillment { id } userErrors { field message }
       }
     }`,
    { id: fulfillmentId, info: tracking },
  );
  if (data.fulfillmentTrackingInfoUpdate.userErrors.length > 0) {
    throw new Error(
      JSON.stringify(data.fulfillmentTrackingInfoUpdate.userErrors),
    );
  }
}

/** An order created in Shopify (the simulator) and received here as orders/create would store it. */
export async function importOrder(
  world: SyncWorld,
  lines: { title: string; sku?: string; quantity: number; vendor: string }[] = [
    {
      title: "有田焼 豆皿",
      sku: "ARITA-1",
      quantity: 2,
      vendor: "有田焼 窯元",
    },
    {
      title: "今治タオル",
      sku: "IMA-1",
      quantity: 1,
      vendor: "今治タオル工房",
    },
  ],
  extra: Partial<
    Parameters<SyncWorld["sim"]["control"]["createOrder"]>[0]
  > = {},
) {
  const order = world.sim.control.createOrder({
    shop: world.shop,
    lines,
    ...extra,
  });
  const { upsertOrder } = await import("~/orders/orders.server");
  const { orderFromWebhookPayload } = await import("~/orders/order-snapshot");
  const { getPool } = await import("~/db.server");
  await upsertOrder(
    getPool(),
    world.shop,
    orderFromWebhookPayload(orderPayload(order))!,
  );
  const { testPool } = await import("../support/database");
  const rows = await testPool().query<{
    id: string;
    line_item_id: string;
    vendor: string;
  }>(
    `select id, line_item_id, vendor from line_items where shop = $1 and order_id = $2 order by id`,
    [world.shop, order.id],
  );
  return {
    order,
    lines: rows.rows.map((r) => ({
      id: Number(r.id),
      lineItemId: r.line_item_id,
      vendor: r.vendor,
    })),
  };
}

/** Creates one shipment of the given lines, marks it shipped and syncs it to the simulator. */
export async function shipAndSync(
  world: SyncWorld,
  orderId: string,
  lines: { lineId: number; quantity: number }[],
  trackingNumbers: string[],
  vendor: string | null = null,
): Promise<{ shipmentId: number; fulfillmentId: string }> {
  const { createShipmentsFromOrder } = await import("~/orders/orders.server");
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  const { syncNow } = await import("~/fulfillment/sync-runner.server");
  const { getPool } = await import("~/db.server");
  const created = await createShipmentsFromOrder(
    getPool(),
    world.shop,
    orderId,
    [{ vendor, lines }],
  );
  if (!created.ok) throw new Error(`shipment not created: ${created.reason}`);
  const shipmentId = created.shipmentIds[0]!;
  await markShipped(getPool(), world.shop, shipmentId, {
    trackingNumbers,
    carrier: "Yamato (JA)",
    trackingUrl: null,
    notifyCustomer: false,
  });
  // Setup, not a throttling test: an earlier test may have emptied the shop's bucket.
  const { throttleStatus } = world.sim.control.getShop({ shop: world.shop });
  world.sim.control.setBucket({ shop: world.shop, currentlyAvailable: throttleStatus.maximumAvailable });
  const outcome = await syncNow(world.shop, shipmentId);
  if (outcome.kind !== "synced" || !outcome.fulfillmentId)
    throw new Error(`not synced: ${JSON.stringify(outcome)}`);
  return { shipmentId, fulfillmentId: outcome.fulfillmentId };
}
