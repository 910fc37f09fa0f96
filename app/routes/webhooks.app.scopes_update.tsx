import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { getPool } from "../db.server";
import { updateGrantedScopes } from "../shops/shops.server";
import { applyGrantedScopes } from "../shops/sync-circuit.server";
import { receiveWebhook, webhookRefusal } from "../webhooks/receive.server";
import { WEBHOOK_ROUTE_TOPICS } from "../webhooks/topics";
import { handleDeliveryOnce } from "../webhooks/webhook-events.server";

// The part of Shopify's app/scopes_update payload we use: the scopes granted now.
const payloadSchema = z.object({ current: z.array(z.string()) });

// app/scopes_update (subscribed in shopify.app.toml): the merchant granted or revoked
// optional scopes. Every stored copy of the scopes follows (shops.granted_scopes and
// the sessions' scope). A signed payload without `current` does not match Shopify's
// documented shape: it gets 400 and changes nothing.
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(
    request,
    WEBHOOK_ROUTE_TOPICS.appScopesUpdate,
  );

  const parsed = payloadSchema.safeParse(delivery.payload);
  if (!parsed.success) {
    return webhookRefusal("app/scopes_update payload has no `current` scopes");
  }

  const { shop } = delivery;
  await handleDeliveryOnce(getPool(), delivery, async () => {
    await updateGrantedScopes(getPool(), shop, parsed.data.current);
    // Jobs paused for a missing scope resume once it is granted; shipments refused for
    // an order older than 60 days are queued again once read_all_orders is.
    await applyGrantedScopes(getPool(), shop, parsed.data.current);
    return { outcome: "applied", details: { current: parsed.data.current } };
  });

  return new Response();
};
