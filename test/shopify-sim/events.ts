import { snapshotOrder } from "./control";
import type { FulfillmentOrderRecord, FulfillmentRecord, OrderRecord, ShopRecord, Store } from "./store";
import { fulfillmentOrderRef, fulfillmentPayload, orderPayload, shopPayload } from "./webhook-payloads";

/**
 * Which webhook topics a change in the simulated shop fires, with its payload. Called by
 * the rules in fulfillment.ts and the control API, whoever made the change (the app's own
 * mutations fire them too, as on Shopify). webhooks.ts decides what is delivered (the
 * app's subscriptions and scopes) and how.
 */

export function fulfillmentChanged(
  store: Store,
  shop: ShopRecord,
  fulfillment: FulfillmentRecord,
  topic: "fulfillments/create" | "fulfillments/update",
): void {
  const order = shop.orders.get(fulfillment.orderId)!;
  store.emit(shop, topic, () => fulfillmentPayload(snapshotOrder(shop, order), fulfillment.id));
  // The order's fulfillment status changed with it.
  if (topic === "fulfillments/create" || fulfillment.status === "CANCELLED") orderChanged(store, shop, order, "orders/updated");
}

export function orderChanged(
  store: Store,
  shop: ShopRecord,
  order: OrderRecord,
  topic: "orders/create" | "orders/updated" | "orders/cancelled",
): void {
  store.emit(shop, topic, () => orderPayload(snapshotOrder(shop, order), shop.currencyCode));
}

export type FulfillmentOrderTopic =
  | "fulfillment_orders/cancelled"
  | "fulfillment_orders/moved"
  | "fulfillment_orders/placed_on_hold"
  | "fulfillment_orders/hold_released"
  | "fulfillment_orders/rescheduled"
  | "fulfillment_orders/scheduled_fulfillment_order_ready";

/** fulfillment_orders/*: shapes from Shopify's webhook reference (gids, lower-case statuses). */
export function fulfillmentOrderChanged(
  store: Store,
  shop: ShopRecord,
  topic: FulfillmentOrderTopic,
  fulfillmentOrder: FulfillmentOrderRecord,
  extra: { moved?: FulfillmentOrderRecord; sourceLocationId?: string } = {},
): void {
  store.emit(shop, topic, () => {
    const ref = fulfillmentOrderRef(fulfillmentOrder);
    switch (topic) {
      case "fulfillment_orders/cancelled":
        return { fulfillment_order: ref, replacement_fulfillment_order: null };
      case "fulfillment_orders/moved": {
        const moved = extra.moved ?? fulfillmentOrder;
        return {
          original_fulfillment_order: { ...ref, assigned_location_id: fulfillmentOrder.locationId },
          moved_fulfillment_order: { ...fulfillmentOrderRef(moved), assigned_location_id: moved.locationId },
          destination_location_id: moved.locationId,
          fulfillment_order_line_items_requested: null,
          source_location: { id: extra.sourceLocationId ?? fulfillmentOrder.locationId },
        };
      }
      case "fulfillment_orders/placed_on_hold":
        return {
          fulfillment_order: {
            ...ref,
            fulfillment_holds: [{ reason: "other", reason_notes: "Held in Shopify admin" }],
          },
          remaining_fulfillment_order: null,
          held_fulfillment_order_line_items: null,
        };
      case "fulfillment_orders/rescheduled":
        return { fulfillment_order: { ...ref, fulfill_at: fulfillmentOrder.fulfillAt } };
      case "fulfillment_orders/hold_released":
      case "fulfillment_orders/scheduled_fulfillment_order_ready":
        return { fulfillment_order: ref };
    }
  });
}

export function appUninstalled(store: Store, shop: ShopRecord): void {
  store.emit(shop, "app/uninstalled", () => shopPayload(shop));
}

export function scopesUpdated(store: Store, shop: ShopRecord, previous: string[], current: string[]): void {
  if (previous.join(",") === current.join(",")) return;
  store.emit(shop, "app/scopes_update", () => ({
    id: legacyId(shop.appInstallationId),
    previous: [...previous],
    current: [...current],
    updated_at: store.nowIso(),
  }));
}

function legacyId(gid: string): number {
  return Number(/([0-9]+)$/.exec(gid)![1]);
}

/** shop/update: the merchant changed the shop's settings (here, its time zone). */
export function shopChanged(store: Store, shop: ShopRecord): void {
  store.emit(shop, "shop/update", () => shopPayload(shop));
}
