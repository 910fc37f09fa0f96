import type { Pool } from "pg";
import { toSyncError } from "~/fulfillment/errors";
import {
  adminGraphql,
  type AdminApiSession,
} from "~/shopify/admin-graphql.server";
import {
  FULFILLMENT_ORDER_ORDER_QUERY,
  FULFILLMENTS_STATE_QUERY,
} from "~/shopify/order-documents";
import type { FulfillmentOrderTopic } from "~/webhooks/payloads";
import {
  handleDeliveryOnce,
  type HandledDelivery,
  type WebhookDelivery,
} from "~/webhooks/webhook-events.server";
import {
  fulfillmentFromGraphqlNode,
  fulfillmentFromWebhookPayload,
  type FulfillmentSnapshot,
} from "./fulfillment-snapshot";
import {
  applyFulfillmentChange,
  retryAfterFulfillmentOrderChange,
} from "./shopify-changes.server";

/**
 * The webhook side of reconciling: fulfillments/create, fulfillments/update and
 * fulfillment_orders/*. Each returns the HTTP status for Shopify: 200 when handled or
 * deliberately ignored, 400 for a payload of the wrong shape, 503 when Shopify must be
 * read and could not be just now (Shopify then delivers the webhook again).
 */

interface Delivery extends WebhookDelivery {
  payload: unknown;
}

async function shopIsInstalled(pool: Pool, shop: string): Promise<boolean> {
  const known = await pool.query(
    `select 1 from shops where shop = $1 and uninstalled_at is null`,
    [shop],
  );
  return (known.rowCount ?? 0) > 0;
}

export interface WebhookReadDeps {
  pool: Pool;
  loadSession(shop: string): Promise<AdminApiSession | null>;
  /** Deadline for the one read (Shopify gives a webhook 5 seconds to answer). */
  callTimeoutMs?: number;
}
export type FulfillmentOrderWebhookDeps = WebhookReadDeps;

/**
 * fulfillments/create and fulfillments/update.
 *
 * Shopify delivers webhooks out of order and late (a retry re-sends the body of when the
 * change happened), so the payload's status and tracking are not trusted as current: the
 * fulfillment is read from Shopify (≈7 points) and that state is applied. The payload
 * still names the fulfillment, its order and its lines (which never change). Without a
 * session, or when Shopify refuses the read, the payload is applied as it is (the
 * reconcile job corrects what was stale); when Shopify is unavailable just now: 503, so
 * Shopify delivers again.
 */
export async function handleFulfillmentWebhook(
  deps: WebhookReadDeps,
  delivery: Delivery,
): Promise<{ status: number; outcome: string }> {
  const fromPayload = fulfillmentFromWebhookPayload(delivery.payload);
  if (!fromPayload) return { status: 400, outcome: "invalid_payload" };
  const { pool } = deps;
  return answerOrRetryLater(async () => {
    const handled = await handleDeliveryOnce(pool, delivery, async () => {
      if (!(await shopIsInstalled(pool, delivery.shop))) {
        return { outcome: "ignored_unknown_shop", resourceId: fromPayload.id };
      }
      const fulfillment = await currentFulfillment(
        deps,
        delivery.shop,
        fromPayload,
      );
      const outcome = await applyFulfillmentChange(
        pool,
        delivery.shop,
        fulfillment,
        "webhook",
      );
      return {
        outcome: outcome.kind,
        resourceId: fulfillment.id,
        details: { ...outcome, status: fulfillment.status },
      };
    });
    return { status: 200, outcome: handled.outcome };
  });
}

/**
 * 200 with the handler's outcome; 503 when Shopify could not be read just now (the
 * delivery is not logged, so Shopify's retry applies it); anything else propagates.
 */
async function answerOrRetryLater(
  handle: () => Promise<{ status: number; outcome: string }>,
): Promise<{ status: number; outcome: string }> {
  try {
    return await handle();
  } catch (caught) {
    const error = toSyncError(caught, { isMutation: false });
    if (error.retryable)
      return { status: 503, outcome: `retry_later: ${error.errorClass}` };
    throw caught;
  }
}

/** The payload's fulfillment with Shopify's current status and tracking. */
async function currentFulfillment(
  deps: WebhookReadDeps,
  shop: string,
  fromPayload: FulfillmentSnapshot,
): Promise<FulfillmentSnapshot> {
  const session = await deps.loadSession(shop);
  if (!session) return fromPayload;
  try {
    const read = await adminGraphql(session, FULFILLMENTS_STATE_QUERY, {
      variables: { ids: [fromPayload.id] },
      isMutation: false,
      timeoutMs: deps.callTimeoutMs ?? 3_000,
    });
    const node = read.data.nodes[0];
    if (!node) return fromPayload;
    const current = fulfillmentFromGraphqlNode(node);
    return {
      ...fromPayload,
      status: current.status,
      tracking: current.tracking,
    };
  } catch (caught) {
    const error = toSyncError(caught, { isMutation: false });
    if (error.retryable) throw error;
    return fromPayload;
  }
}

/**
 * fulfillment_orders/* (cancelled, moved, split, merged, placed_on_hold, hold_released,
 * scheduled_fulfillment_order_ready).
 *
 * The app stores no fulfillment order ids: each sync reads the order's fulfillment orders
 * afresh and maps the shipment onto them, so a moved, split, merged or replaced FO is
 * re-mapped at the next sync with nothing to store now. A hold needs nothing either: a
 * create on a held FO is not sent, and the shipment says the FO is on hold.
 *
 * What is done: when the change may unblock shipments (hold released, a scheduled FO
 * due, moved, split, merged, cancelled with a replacement) and the shop has shipments
 * whose sync gave up for an FO reason, the FO's order is read from Shopify (1 point) and those shipments
 * of that order are queued again.
 */
export async function handleFulfillmentOrderWebhook(
  deps: FulfillmentOrderWebhookDeps,
  topic: FulfillmentOrderTopic,
  fulfillmentOrderIds: readonly string[],
  delivery: Omit<Delivery, "payload">,
): Promise<{ status: number; outcome: string }> {
  return answerOrRetryLater(async () => {
    const handled = await handleDeliveryOnce(deps.pool, delivery, () =>
      applyFulfillmentOrderChange(
        deps,
        topic,
        fulfillmentOrderIds,
        delivery.shop,
      ),
    );
    return { status: 200, outcome: handled.outcome };
  });
}

async function applyFulfillmentOrderChange(
  deps: FulfillmentOrderWebhookDeps,
  topic: FulfillmentOrderTopic,
  fulfillmentOrderIds: readonly string[],
  shop: string,
): Promise<HandledDelivery> {
  const resourceId = fulfillmentOrderIds[0] ?? null;
  if (!(await shopIsInstalled(deps.pool, shop)))
    return { outcome: "ignored_unknown_shop", resourceId };
  if (topic === "fulfillment_orders/placed_on_hold") {
    return {
      outcome: "nothing_to_store",
      resourceId,
      details: { reason: "re-read at the next sync" },
    };
  }
  const waiting = await deps.pool.query(
    `select 1 from shipments where shop = $1 and sync_state = 'failed' and last_error_class = 'invalid'
        and pending_operation in ('create_fulfillment', 'update_tracking') limit 1`,
    [shop],
  );
  if ((waiting.rowCount ?? 0) === 0) {
    return {
      outcome: "nothing_to_store",
      resourceId,
      details: { reason: "re-mapped at the next sync" },
    };
  }
  if (!resourceId)
    return { outcome: "fulfillment_order_not_found", resourceId };
  const session = await deps.loadSession(shop);
  if (!session) return { outcome: "ignored_no_session", resourceId };
  try {
    const read = await adminGraphql(session, FULFILLMENT_ORDER_ORDER_QUERY, {
      variables: { id: resourceId },
      isMutation: false,
      timeoutMs: deps.callTimeoutMs ?? 3_000,
    });
    const fo = read.data.fulfillmentOrder;
    if (!fo) return { outcome: "fulfillment_order_not_found", resourceId };
    const retried = await retryAfterFulfillmentOrderChange(
      deps.pool,
      shop,
      fo.orderId,
    );
    return {
      outcome: retried.length > 0 ? "retried" : "nothing_to_retry",
      resourceId,
      details: { orderId: fo.orderId, status: fo.status, retried },
    };
  } catch (caught) {
    const error = toSyncError(caught, { isMutation: false });
    if (error.retryable) throw error;
    // Refused (token, scope, shop frozen): the shipments stay failed; staff retry them.
    return { outcome: `lookup_failed: ${error.errorClass}`, resourceId };
  }
}
