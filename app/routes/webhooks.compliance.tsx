import type { ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "../db.server";
import { handleComplianceWebhook } from "../webhooks/compliance.server";
import { receiveWebhook, webhookRefusal } from "../webhooks/receive.server";
import { WEBHOOK_ROUTE_TOPICS } from "../webhooks/topics";

// The mandatory compliance topics (shopify.app.toml compliance_topics): recorded and
// acted on (app/webhooks/compliance.server.ts); shop/redact deletes the shop's data once
// the shop is uninstalled. receiveWebhook answers an invalid HMAC with 401, as the App
// Store requires, and refuses a payload whose shop_domain is not the shop header (400).
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(
    request,
    WEBHOOK_ROUTE_TOPICS.compliance,
  );

  const result = await handleComplianceWebhook(getPool(), delivery);

  // A refusal says why (a customers/* payload without a readable list of orders).
  return result.status >= 400
    ? webhookRefusal(String(result.result.error), result.status)
    : new Response(null, { status: result.status });
};
