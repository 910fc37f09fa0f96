/**
 * Shopify's webhook payloads, built from the simulator's state by the simulator's own
 * builders (test/shopify-sim/webhook-payloads.ts: the shapes Shopify's webhook reference
 * documents), and small helpers shared by the webhook, reconcile and isolation tests.
 */
import {
  fulfillmentPayload as simFulfillmentPayload,
  orderPayload as simOrderPayload,
  type OrderSnapshot as SimOrder,
} from "../shopify-sim";
import { adminGraphql } from "../shopify-sim/client";
import { DEMO_TOKEN, type SyncWorld } from "../helpers/sync-world";
import { routeArgs, settle } from "../helpers/requests";
import { webhookRequest } from "../helpers/webhook";

export const legacy = (gid: string) => Number(/([0-9]+)$/.exec(gid)![1]);

/** orders/create, orders/updated, orders/cancelled: the simulator's payload (webhook-payloads.ts). */
export function orderPayload(
  order: SimOrder,
  overrides: Record<string, unknown> = {},
) {
  return simOrderPayload(order, "JPY", overrides);
}

/** fulfillments/create and fulfillments/update: one fulfillment of the order. */
export const fulfillmentPayload = simFulfillmentPayload;

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
  const { syncNow } = await import("~/sync/sync-runner.server");
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
