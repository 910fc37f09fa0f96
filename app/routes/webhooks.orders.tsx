import type { ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "../db.server";
import { handleOrderWebhook } from "../orders/order-webhooks.server";
import { authenticate } from "../shopify.server";
import { topicName } from "../webhooks/webhook-events.server";

// orders/create, orders/updated and orders/cancelled (subscribed in shopify.app.toml).
// authenticate.webhook answers a bad HMAC with 401 and a non-POST with 405 by throwing.
// The order's lines are upserted (the newest delivery wins; repeats are harmless); a
// cancelled order stops its shipments' pending syncs without calling Shopify.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, webhookId, payload } =
    await authenticate.webhook(request);

  const result = await handleOrderWebhook(getPool(), {
    shop,
    topic: topicName(topic),
    webhookId,
    payload,
  });

  return new Response(null, { status: result.status });
};
