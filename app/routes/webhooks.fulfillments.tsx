import type { ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "../db.server";
import { handleFulfillmentWebhook } from "../reconcile/webhooks.server";
import { authenticate } from "../shopify.server";
import { loadOfflineSession } from "../shopify/offline-session.server";
import { topicName } from "../webhooks/webhook-events.server";

// fulfillments/create and fulfillments/update (subscribed in shopify.app.toml; need
// read_fulfillments). A fulfillment cancelled in Shopify admin turns its shipment back to
// unshipped with a note; tracking edited there is taken over; a fulfillment made there
// for exactly one unshipped shipment's lines is adopted by it. Bad HMAC: 401 (thrown).
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, webhookId, payload } =
    await authenticate.webhook(request);

  const result = await handleFulfillmentWebhook(
    { pool: getPool(), loadSession: loadOfflineSession },
    {
      shop,
      topic: topicName(topic),
      webhookId,
      payload,
    },
  );

  return new Response(null, { status: result.status });
};
