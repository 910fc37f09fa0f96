/**
 * The shipment and its state machine: the one place that says what each transition
 * does. Pure (no SQL, no framework): ./shipment-store.server applies these rules to the
 * database, and every feature (shipments, orders, imports, reconcile) and the sync
 * engine call the store's named transitions instead of writing `shipments` themselves.
 *
 * The state is two axes plus what Shopify still has to hear:
 * - `status`: what the operator says happened (unshipped / shipped);
 * - `syncState`: whether Shopify agrees (in_sync), is about to (pending, with its
 *   `pendingOperation`), or automatic sync gave up (failed, with its error);
 * - `revision`: bumped by every operator command and every Shopify-side repair, so a
 *   sync run that finds it changed records Shopify's fact but leaves the newer request.
 */
import type { Message } from "~/i18n/messages";

export type ShipmentStatus = "unshipped" | "shipped";
export type SyncState = "in_sync" | "pending" | "failed";
export type SyncOperation = "create_fulfillment" | "cancel_fulfillment" | "update_tracking";
/** What a call recorded in sync_attempts did (sync_attempts.operation). */
export const CALL_OPERATIONS = [
  "create_fulfillment",
  "update_tracking",
  "cancel_fulfillment",
  "read_fulfillment_orders",
  "reconcile",
] as const satisfies readonly (SyncOperation | "read_fulfillment_orders" | "reconcile")[];
export type CallOperation = (typeof CALL_OPERATIONS)[number];
export function isCallOperation(value: string): value is CallOperation {
  return (CALL_OPERATIONS as readonly string[]).includes(value);
}
/** A call recorded in sync_attempts: null while in flight (or its worker died). */
export type AttemptOutcome = "succeeded" | "failed" | "unknown" | "adopted";

export const SHIPMENT_STATUSES: readonly ShipmentStatus[] = ["unshipped", "shipped"];
export const SYNC_STATES: readonly SyncState[] = ["in_sync", "pending", "failed"];

/** A shipment with everything the detail page and the sync need, scoped to one shop. */
export interface Shipment {
  id: number;
  shop: string;
  orderId: string;
  orderName: string;
  vendor: string | null;
  trackingNumbers: string[];
  carrier: string | null;
  trackingUrl: string | null;
  notifyCustomer: boolean;
  status: ShipmentStatus;
  shippedAt: string | null;
  syncState: SyncState;
  pendingOperation: SyncOperation | null;
  syncAttempts: number;
  nextRetryAt: string | null;
  /** When the current run of failed attempts began (the retry budget runs from here). */
  syncFailingSince: string | null;
  lastErrorClass: string | null;
  /** Shopify's words for the last failure (not translated), or an English line for logs. */
  lastErrorMessage: string | null;
  /**
   * The app's own words for the last failure (a check before calling Shopify), as a
   * message each page renders in its language; shown instead of lastErrorMessage.
   */
  lastErrorDetail: Message | null;
  shopifyFulfillmentId: string | null;
  syncedAt: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
  lines: ShipmentLine[];
}

export interface ShipmentLine {
  lineItemId: string; // Shopify's gid://shopify/LineItem/<n>
  title: string;
  sku: string | null;
  quantity: number; // this shipment's quantity
  orderedQuantity: number; // the order line's quantity
}

export interface TrackingDetails {
  trackingNumbers: string[];
  /** Shopify's exact company name when known (see ./carriers), else as typed. */
  carrier: string | null;
  trackingUrl: string | null;
  notifyCustomer: boolean;
}

/** The part of a shipment a transition decides on. */
export type ShipmentState = Pick<
  Shipment,
  "status" | "syncState" | "pendingOperation" | "shopifyFulfillmentId"
>;

export type CommandResult =
  | { ok: true; pendingOperation: SyncOperation | null }
  | { ok: false; reason: "not_found" | "already_unshipped" | "not_shipped" };

/**
 * 「発送済みにする」 (mark shipped), or a tracking correction when already shipped. What
 * Shopify must hear:
 * - shipped and linked to a fulfillment → update its tracking (the customer keeps one
 *   fulfillment);
 * - a revert still waiting to cancel a linked fulfillment → re-ship by correcting that
 *   fulfillment instead of stacking a second one (the sync creates a new one if Shopify
 *   has cancelled it meanwhile);
 * - anything else → create.
 */
export function shipTransition(current: ShipmentState): {
  transition: "mark_shipped" | "correct_tracking" | "reship";
  operation: SyncOperation;
} {
  if (current.status === "shipped") {
    return {
      transition: "correct_tracking",
      operation: current.shopifyFulfillmentId ? "update_tracking" : "create_fulfillment",
    };
  }
  if (current.pendingOperation === "cancel_fulfillment" && current.shopifyFulfillmentId) {
    return { transition: "reship", operation: "update_tracking" };
  }
  return { transition: "mark_shipped", operation: "create_fulfillment" };
}

/**
 * 「未発送に戻す」. When something may exist in Shopify — a linked fulfillment, or a create
 * that was attempted and whose answer may have been lost — a cancel is pending (the
 * sync finds the fulfillment first). Only a shipment no call ever left for goes straight
 * back to unshipped, in sync.
 */
export function revertTransition(
  current: ShipmentState & { createAttempted: boolean },
): { ok: false; reason: "already_unshipped" } | { ok: true; operation: "cancel_fulfillment" | null } {
  if (current.status === "unshipped") return { ok: false, reason: "already_unshipped" };
  const mayExistInShopify = Boolean(current.shopifyFulfillmentId) || current.createAttempted;
  return { ok: true, operation: mayExistInShopify ? "cancel_fulfillment" : null };
}

/**
 * Manual retry: a failed or waiting shipment goes back to pending with a fresh attempt
 * budget; one in sync is left alone. A failed shipment keeps its operation (one without
 * is one that a Shopify change stopped: the status says what Shopify should hold).
 */
export function retryOperation(current: ShipmentState): SyncOperation | null {
  if (current.syncState === "in_sync") return null;
  return (
    current.pendingOperation ??
    (current.status === "shipped" ? "create_fulfillment" : "cancel_fulfillment")
  );
}

/** Same tracking numbers, in any order. */
export function sameTrackingNumbers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
}
