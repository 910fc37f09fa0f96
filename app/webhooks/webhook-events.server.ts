import type { Pool } from "pg";

/**
 * The log of webhook deliveries handled, keyed by X-Shopify-Webhook-Id. Shopify
 * redelivers a webhook it got no 200 for (and occasionally one it did): a delivery
 * already logged is answered 200 without being applied again. The handlers are
 * idempotent anyway; the log saves the work and shows what each delivery did.
 */
export interface WebhookDelivery {
  shop: string;
  topic: string;
  webhookId: string;
}

export interface HandledDelivery {
  /** In a word: 'applied', 'stale', 'ignored_unknown_shop', 'retried', … */
  outcome: string;
  resourceId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Runs `handle` once per delivery and logs what it did. A delivery whose handler throws
 * is not logged, so Shopify's redelivery tries it again. Returns the logged outcome, or
 * 'duplicate' for a delivery handled before.
 */
export async function handleDeliveryOnce(
  pool: Pool,
  delivery: WebhookDelivery,
  handle: () => Promise<HandledDelivery>,
): Promise<HandledDelivery> {
  const seen = await pool.query(
    `select 1 from webhook_events where shop = $1 and webhook_id = $2`,
    [delivery.shop, delivery.webhookId],
  );
  if ((seen.rowCount ?? 0) > 0) return { outcome: "duplicate" };
  const handled = await handle();
  await pool.query(
    `insert into webhook_events (shop, topic, webhook_id, resource_id, outcome, details)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (shop, webhook_id) do nothing`,
    [
      delivery.shop,
      delivery.topic,
      delivery.webhookId,
      handled.resourceId ?? null,
      handled.outcome,
      handled.details ?? {},
    ],
  );
  return handled;
}

/** "ORDERS_CREATE" (authenticate.webhook's topic) → "orders/create", as Shopify names it. */
export function topicName(topic: string): string {
  const lower = topic.toLowerCase();
  for (const prefix of [
    "fulfillment_orders",
    "customers",
    "orders",
    "fulfillments",
    "shop",
    "app",
  ]) {
    if (lower.startsWith(`${prefix}_`))
      return `${prefix}/${lower.slice(prefix.length + 1)}`;
  }
  return lower;
}

/** Drops log entries older than `days` (the scheduled reconcile calls it). Returns how many. */
export async function pruneWebhookEvents(
  pool: Pool,
  days = 30,
): Promise<number> {
  const result = await pool.query(
    `delete from webhook_events where received_at < now() - make_interval(days => $1)`,
    [days],
  );
  return result.rowCount ?? 0;
}
