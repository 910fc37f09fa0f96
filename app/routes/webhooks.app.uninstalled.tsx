import type { ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "../db.server";
import { markUninstalled } from "../shops/shops.server";
import { receiveWebhook } from "../webhooks/receive.server";
import { WEBHOOK_ROUTE_TOPICS } from "../webhooks/topics";
import { handleDeliveryOnce } from "../webhooks/webhook-events.server";

// app/uninstalled (subscribed in shopify.app.toml). The payload is the shop: its
// myshopify_domain must be the shop header (receiveWebhook). Only the sessions go and
// the shop is marked uninstalled; its data stays until shop/redact, as Shopify
// sequences them. Repeats and a shop we never saw are fine.
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(
    request,
    WEBHOOK_ROUTE_TOPICS.appUninstalled,
  );

  await handleDeliveryOnce(getPool(), delivery, async () => {
    await markUninstalled(getPool(), delivery.shop);
    return { outcome: "applied" };
  });

  return new Response();
};
