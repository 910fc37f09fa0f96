import type { ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "../db.server";
import { loadOfflineSession } from "../offline-session.server";
import { shopUpdated, ShopTimeZoneUnreadError } from "../shops/shop-time-zone.server";
import { receiveWebhook } from "../webhooks/receive.server";
import { WEBHOOK_ROUTE_TOPICS } from "../webhooks/topics";
import { handleDeliveryOnce } from "../webhooks/webhook-events.server";

// shop/update (subscribed in shopify.app.toml): the merchant changed the shop's settings,
// perhaps its time zone. It is read again from Shopify; when Shopify cannot tell just
// then, 503 leaves the delivery for Shopify's retry (nothing is recorded as handled).
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(request, WEBHOOK_ROUTE_TOPICS.shopUpdate);
  try {
    await handleDeliveryOnce(getPool(), delivery, async () => {
      const result = await shopUpdated(getPool(), delivery.shop, loadOfflineSession);
      return result.kind === "stored"
        ? { outcome: "applied", details: { ianaTimezone: result.zone } }
        : { outcome: "ignored_unknown_shop" };
    });
  } catch (error) {
    if (error instanceof ShopTimeZoneUnreadError) return new Response(error.message, { status: 503 });
    throw error;
  }
  return new Response();
};
