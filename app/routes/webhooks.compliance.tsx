import type { ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "../db.server";
import { authenticate } from "../shopify.server";
import { handleComplianceWebhook } from "../webhooks/compliance.server";

// The mandatory compliance topics (shopify.app.toml compliance_topics):
// customers/data_request and customers/redact are recorded (the app stores no customer
// data: see app/webhooks/compliance.server.ts); shop/redact deletes all the shop's data.
// authenticate.webhook answers an invalid HMAC with 401, as the App Store requires.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, webhookId, payload } =
    await authenticate.webhook(request);

  const result = await handleComplianceWebhook(getPool(), {
    shop,
    topic,
    webhookId,
    payload,
  });

  return new Response(null, { status: result.status });
};
