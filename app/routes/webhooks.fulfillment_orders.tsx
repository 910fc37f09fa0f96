import type { ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "../db.server";
import { handleFulfillmentOrderWebhook } from "../reconcile/webhooks.server";
import { loadOfflineSession } from "~/offline-session.server";
import {
  fulfillmentOrderIdsOf,
  fulfillmentOrderTopic,
} from "../webhooks/payloads";
import { receiveWebhook, webhookRefusal } from "../webhooks/receive.server";
import { WEBHOOK_ROUTE_TOPICS } from "../webhooks/topics";

// fulfillment_orders/cancelled, moved, split, merged, placed_on_hold, hold_released and
// scheduled_fulfillment_order_ready (subscribed in shopify.app.toml). Nothing about fulfillment orders is stored: every
// sync re-reads them, so a moved or split FO is re-mapped at the next sync. Shipments
// whose sync gave up on an FO that changed are queued again. Refusals (413, 401, 400):
// see receiveWebhook; Shopify unreachable for the one read: 503, so Shopify delivers again.
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(
    request,
    WEBHOOK_ROUTE_TOPICS.fulfillmentOrders,
  );

  const foTopic = fulfillmentOrderTopic(delivery.topic);
  const ids = foTopic ? fulfillmentOrderIdsOf(foTopic, delivery.payload) : null;
  if (!foTopic || !ids) {
    return webhookRefusal(`not a fulfillment_orders payload: ${delivery.topic}`);
  }

  const result = await handleFulfillmentOrderWebhook(
    { pool: getPool(), loadSession: loadOfflineSession },
    foTopic,
    ids,
    { ...delivery, topic: foTopic },
  );

  return new Response(null, { status: result.status });
};
