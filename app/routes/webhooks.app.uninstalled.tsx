import type { ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "../db.server";
import { authenticate } from "../shopify.server";
import { markUninstalled } from "../shops/shops.server";

// app/uninstalled (subscribed in shopify.app.toml). authenticate.webhook answers a bad
// HMAC with 401 and a non-POST with 405 by throwing. Repeats and a shop we never saw
// are fine: markUninstalled is idempotent. The session may already be gone (an earlier
// delivery deleted it), so it is not required here.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);

  await markUninstalled(getPool(), shop);

  return new Response();
};
