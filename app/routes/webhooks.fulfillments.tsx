import type { ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "../db.server";
import { handleFulfillmentWebhook } from "../reconcile/webhooks.server";
import { loadOfflineSession } from "~/offline-session.server";
import { receiveWebhook, webhookRefusal } from "../webhooks/receive.server";
import { WEBHOOK_ROUTE_TOPICS } from "../webhooks/topics";

// fulfillments/create and fulfillments/update (subscribed in shopify.app.toml; need
// read_fulfillments). A fulfillment cancelled in Shopify admin turns its shipment back to
// unshipped with a note; tracking edited there is taken over; a fulfillment made there
// for exactly one unshipped shipment's lines is adopted by it. Refusals (413, 401, 400):
// see receiveWebhook.
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(
    request,
    WEBHOOK_ROUTE_TOPICS.fulfillments,
  );

  const result = await handleFulfillmentWebhook(
    { pool: getPool(), loadSession: loadOfflineSession },
    delivery,
  );

  return result.outcome === "invalid_payload"
    ? webhookRefusal(
        `not a fulfillment payload (id or admin_graphql_api_id, order_id): ${delivery.topic}`,
      )
    : new Response(null, { status: result.status });
};
