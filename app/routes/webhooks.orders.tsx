import type { ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "../db.server";
import { handleOrderWebhook } from "../orders/order-webhooks.server";
import { receiveWebhook, webhookRefusal } from "../webhooks/receive.server";
import { WEBHOOK_ROUTE_TOPICS } from "../webhooks/topics";

// orders/create, orders/updated and orders/cancelled (subscribed in shopify.app.toml).
// receiveWebhook refuses an oversized body (413), a bad HMAC (401) and a delivery whose
// unsigned headers the body does not back (400). The order's lines are upserted (the
// newest delivery wins; repeats are harmless); a cancelled order stops its shipments'
// pending syncs without calling Shopify.
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(request, WEBHOOK_ROUTE_TOPICS.orders);

  const result = await handleOrderWebhook(getPool(), delivery);

  return result.reason
    ? webhookRefusal(result.reason, result.status)
    : new Response(null, { status: result.status });
};
