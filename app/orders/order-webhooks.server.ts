import type { Pool } from "pg";
import { stopPendingSyncsForCancelledOrder } from "~/reconcile/shopify-changes.server";
import {
  handleDeliveryOnce,
  type WebhookDelivery,
} from "~/webhooks/webhook-events.server";
import { orderFromWebhookPayload } from "./order-snapshot";
import { upsertOrder } from "./orders.server";

/**
 * orders/create, orders/updated and orders/cancelled: the order's lines are stored
 * (upserted, newest delivery wins), and a cancelled order stops the pending syncs of
 * its shipments (without calling Shopify). Answers with the HTTP status for Shopify:
 * 200 when handled or deliberately ignored, 400 (with the reason, nothing written) for a
 * payload that is not an order or whose text cannot be stored (a NUL character, which
 * Postgres refuses in text).
 */
export async function handleOrderWebhook(
  pool: Pool,
  delivery: WebhookDelivery & { payload: unknown },
): Promise<{ status: number; outcome: string; reason?: string }> {
  const order = orderFromWebhookPayload(delivery.payload);
  if (!order)
    return {
      status: 400,
      outcome: "invalid_payload",
      reason: `not an order payload (id or admin_graphql_api_id, name, line_items with their ids): ${delivery.topic}`,
    };
  const texts = [order.name, ...order.lines.flatMap((l) => [l.title, l.sku ?? "", l.vendor ?? ""])];
  if (texts.some((text) => text.includes("\u0000")))
    return {
      status: 400,
      outcome: "invalid_payload",
      reason: "the order's name or lines hold a NUL character, which cannot be stored",
    };
  const handled = await handleDeliveryOnce(pool, delivery, async () => {
    const stored = await upsertOrder(pool, delivery.shop, order);
    if (stored.kind === "unknown_shop") {
      return { outcome: "ignored_unknown_shop", resourceId: order.orderId };
    }
    // Cancellation is final: applied even when a newer update was stored first.
    const stopped = order.cancelledAt
      ? await stopPendingSyncsForCancelledOrder(
          pool,
          delivery.shop,
          order.orderId,
          order.name,
          "webhook",
        )
      : [];
    return {
      outcome: stored.kind === "stale" ? "stale" : "applied",
      resourceId: order.orderId,
      details: {
        ...(stored.kind === "stored"
          ? {
              lines: stored.lines,
              removedLines: stored.removedLines,
              keptRemovedLines: stored.keptRemovedLines,
            }
          : {}),
        ...(stopped.length > 0 ? { stoppedShipments: stopped } : {}),
      },
    };
  });
  return { status: 200, outcome: handled.outcome };
}
