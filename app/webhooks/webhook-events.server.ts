import type { Pool } from "pg";

/**
 * The log of webhook deliveries handled. Shopify redelivers a webhook it got no 200 for
 * (and occasionally one it did); anyone holding a signed body can send it again with
 * other headers. A delivery is applied once: it is claimed by inserting its row first —
 * one insert, so two copies arriving together cannot both pass — under three keys:
 * Shopify's event id (per topic), the webhook id (per shop) and the SHA-256 of the signed
 * body (across shops and topics: the only key a replay cannot rewrite). A body the app
 * has handled before is answered 200 and changes nothing, whatever its headers say.
 */
export interface WebhookDelivery {
  shop: string;
  topic: string;
  webhookId: string;
  /** X-Shopify-Event-Id. */
  eventId: string;
  /** Hex SHA-256 of the raw body, the bytes the HMAC covers. */
  bodySha256: string;
}

export interface HandledDelivery {
  /** In a word: 'applied', 'stale', 'ignored_unknown_shop', 'retried', … */
  outcome: string;
  resourceId?: string | null;
  details?: Record<string, unknown>;
}

/** The claim of a delivery whose handler never finished (its process died) may be taken over after this. */
const STALE_CLAIM_SECONDS = 60;

/**
 * Runs `handle` once per delivery and logs what it did. A delivery whose handler throws
 * is released (its claim deleted), so Shopify's redelivery tries it again. Returns the
 * logged outcome, or 'duplicate' for a delivery handled (or being handled) already.
 */
export async function handleDeliveryOnce(
  pool: Pool,
  delivery: WebhookDelivery,
  handle: () => Promise<HandledDelivery>,
): Promise<HandledDelivery> {
  const claim = await claimDelivery(pool, delivery);
  if (claim === null) return { outcome: "duplicate" };
  let handled: HandledDelivery;
  try {
    handled = await handle();
  } catch (error) {
    await pool.query(
      `delete from webhook_events where id = $1 and outcome = 'in_progress'`,
      [claim],
    );
    throw error;
  }
  await pool.query(
    `update webhook_events set outcome = $2, resource_id = $3, details = $4 where id = $1`,
    [
      claim,
      handled.outcome,
      handled.resourceId ?? null,
      handled.details ?? {},
    ],
  );
  return handled;
}

/** The claimed row's id, or null when another row already holds one of the delivery's keys. */
async function claimDelivery(
  pool: Pool,
  delivery: WebhookDelivery,
): Promise<string | null> {
  const values = [
    delivery.shop,
    delivery.topic,
    delivery.webhookId,
    delivery.eventId,
    delivery.bodySha256,
  ];
  const inserted = await pool.query<{ id: string }>(
    `insert into webhook_events (shop, topic, webhook_id, event_id, body_sha256, outcome)
     values ($1, $2, $3, $4, $5, 'in_progress')
     on conflict do nothing
     returning id`,
    values,
  );
  if (inserted.rows[0]) return inserted.rows[0].id;
  // A claim left behind by a handler that died mid-way is taken over by the redelivery,
  // but only by the same delivery (same body, same shop and topic).
  const takenOver = await pool.query<{ id: string }>(
    `update webhook_events set received_at = now()
      where body_sha256 = $3 and shop = $1 and topic = $2 and outcome = 'in_progress'
        and received_at < now() - make_interval(secs => ${STALE_CLAIM_SECONDS})
      returning id`,
    [delivery.shop, delivery.topic, delivery.bodySha256],
  );
  return takenOver.rows[0]?.id ?? null;
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
