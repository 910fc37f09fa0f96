import { z } from "zod";
import {
  isDeadFulfillmentStatus,
  trackingNumberComparisonKey,
} from "~/fulfillment/mapping";
import type {
  ShipmentStatus,
  SyncOperation,
  SyncState,
} from "~/fulfillment/shipment-state";
import type { FulfillmentsStateQuery } from "~/shopify/generated/admin.generated";
import { gidFromNumericId } from "~/shopify/gid";

/**
 * A fulfillment as Shopify holds it now, from a fulfillments/create or fulfillments/update
 * webhook (REST-style JSON) or from the reconcile job's GraphQL read; and the pure
 * decision of what a shipment linked to it must become.
 */
export type FulfillmentStatus =
  "SUCCESS" | "OPEN" | "PENDING" | "CANCELLED" | "ERROR" | "FAILURE";

export interface FulfillmentSnapshot {
  id: string; // gid://shopify/Fulfillment/<n>
  /** Null when read by id only (the reconcile job knows the order from the shipment). */
  orderId: string | null;
  status: FulfillmentStatus;
  tracking: {
    company: string | null;
    number: string | null;
    url: string | null;
  }[];
  /** Order lines and units; empty when not read. */
  lines: { lineItemId: string; quantity: number }[];
}

const FULFILLMENT_GID = /^gid:\/\/shopify\/Fulfillment\/[0-9]+$/;
const numericId = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^[0-9]+$/),
]);

/** The fields of Shopify's fulfillments/create and fulfillments/update payloads the app reads. */
export const fulfillmentWebhookPayloadSchema = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().regex(FULFILLMENT_GID).optional(),
  order_id: numericId,
  status: z.string(),
  tracking_company: z.string().nullish(),
  tracking_number: z.string().nullish(),
  tracking_numbers: z.array(z.string()).nullish(),
  tracking_url: z.string().nullish(),
  tracking_urls: z.array(z.string()).nullish(),
  line_items: z
    .array(
      z.object({
        id: numericId,
        admin_graphql_api_id: z.string().optional(),
        quantity: z.number().int().nonnegative(),
      }),
    )
    .default([]),
});

/** A fulfillments/* webhook payload → the snapshot; null when it is not a fulfillment's shape. */
export function fulfillmentFromWebhookPayload(
  payload: unknown,
): FulfillmentSnapshot | null {
  const parsed = fulfillmentWebhookPayloadSchema.safeParse(payload);
  if (!parsed.success) return null;
  const f = parsed.data;
  const id = f.admin_graphql_api_id ?? gidFromNumericId("Fulfillment", f.id);
  if (!id) return null;
  const lines = f.line_items.flatMap((line) => {
    const lineItemId =
      line.admin_graphql_api_id ?? gidFromNumericId("LineItem", line.id);
    return lineItemId ? [{ lineItemId, quantity: line.quantity }] : [];
  });
  const numbers =
    f.tracking_numbers ?? (f.tracking_number ? [f.tracking_number] : []);
  const urls = f.tracking_urls ?? (f.tracking_url ? [f.tracking_url] : []);
  return {
    id,
    // The payload has the order's numeric id only; an id too large to parse exactly is
    // left out (then only the fulfillment's own shipment is repaired, nothing adopted).
    orderId: gidFromNumericId("Order", f.order_id),
    status: normaliseStatus(f.status),
    tracking: numbers.map((number, index) => ({
      company: f.tracking_company ?? null,
      number,
      url: urls[index] ?? null,
    })),
    lines,
  };
}

/** A fulfillment in FULFILLMENTS_STATE_QUERY's answer. */
export type FulfillmentStateNode = NonNullable<
  FulfillmentsStateQuery["nodes"][number]
>;

/** A FULFILLMENTS_STATE_QUERY node → the snapshot. */
export function fulfillmentFromGraphqlNode(
  node: FulfillmentStateNode,
): FulfillmentSnapshot {
  return {
    id: node.id,
    orderId: null,
    status: normaliseStatus(node.status),
    tracking: node.trackingInfo.map((t) => ({
      company: t.company ?? null,
      number: t.number ?? null,
      url: t.url ?? null,
    })),
    lines: [],
  };
}

/** REST's lower-case statuses and GraphQL's enum, as one set (unknown values count as live). */
function normaliseStatus(raw: string): FulfillmentStatus {
  const upper = raw.trim().toUpperCase();
  if (upper === "CANCELED") return "CANCELLED";
  const known: FulfillmentStatus[] = [
    "SUCCESS",
    "OPEN",
    "PENDING",
    "CANCELLED",
    "ERROR",
    "FAILURE",
  ];
  return (known as string[]).includes(upper)
    ? (upper as FulfillmentStatus)
    : "SUCCESS";
}

/** A cancelled, failed or errored fulfillment holds no items any more. */
export function isDead(status: FulfillmentStatus): boolean {
  return isDeadFulfillmentStatus(status);
}

// ---------------------------------------------------------------------------
// What a linked shipment must become
// ---------------------------------------------------------------------------

/** The part of a shipment the decision needs. */
export interface LinkedShipment {
  status: ShipmentStatus;
  syncState: SyncState;
  pendingOperation: SyncOperation | null;
  trackingNumbers: string[];
  carrier: string | null;
  trackingUrl: string | null;
}

export type DriftRepair =
  /** Shopify agrees, or the shipment has a newer request of its own still to send. */
  | { kind: "none" }
  /** Cancelled (or gone) in Shopify while the shipment is shipped: back to unshipped, with a note. */
  | {
      kind: "revert_to_unshipped";
      droppedOperation: LinkedShipment["pendingOperation"];
    }
  /** The operator's revert is already done in Shopify: the pending cancel is settled. */
  | { kind: "cancel_settled" }
  /**
   * Tracking edited in Shopify admin: take Shopify's numbers and carrier over. The
   * shipment's URL is cleared, never replaced by Shopify's: a URL on the shipment is one
   * the merchant typed and is sent back to Shopify as such, while Shopify's own links
   * (`urlsInShopify`, kept in the note) stay Shopify's to build.
   */
  | {
      kind: "take_tracking";
      trackingNumbers: string[];
      carrier: string | null;
      trackingUrl: null;
      urlsInShopify: string[];
    };

/**
 * Shopify's fulfillment (or its absence: `null`) against the shipment linked to it.
 *
 * Rules:
 * - Gone or dead in Shopify and the operator wants it cancelled → settled.
 * - Gone or dead because the app's own revert cancelled it, and the operator shipped
 *   again since (a sync pending) → nothing: that sync makes a new fulfillment.
 * - Gone or dead and the shipment is shipped → back to unshipped. Shopify admin's
 *   cancellation is an explicit act of the merchant; a pending tracking correction of
 *   the shipment cannot apply to a cancelled fulfillment and is dropped (the note keeps
 *   what it was, so staff can mark it shipped again).
 * - Live with other tracking numbers (compared as ./mapping compares them) and the
 *   shipment in sync → Shopify's tracking is taken. A shipment with its own change still
 *   to send keeps it: that change is newer than the last sync and will overwrite Shopify.
 */
export function decideRepair(
  shipment: LinkedShipment,
  fulfillment: FulfillmentSnapshot | null,
  /** The app's own revert cancelled this fulfillment (a cancel call of ours named it). */
  cancelledByApp = false,
): DriftRepair {
  if (!fulfillment || isDead(fulfillment.status)) {
    if (shipment.pendingOperation === "cancel_fulfillment")
      return { kind: "cancel_settled" };
    // Reverted, then shipped again while the revert's cancel was on its way: the
    // cancellation is the app's, and the pending re-ship makes a new fulfillment.
    if (
      cancelledByApp &&
      shipment.status === "shipped" &&
      shipment.syncState !== "in_sync"
    )
      return { kind: "none" };
    if (shipment.status === "shipped") {
      return {
        kind: "revert_to_unshipped",
        droppedOperation:
          shipment.syncState === "in_sync" ? null : shipment.pendingOperation,
      };
    }
    return { kind: "none" };
  }
  if (shipment.syncState !== "in_sync" || shipment.status !== "shipped")
    return { kind: "none" };
  const theirs = fulfillment.tracking.filter(
    (t) => t.number && t.number.trim() !== "",
  );
  const theirKeys = new Set(
    theirs.map((t) => trackingNumberComparisonKey(t.number!)),
  );
  const ourKeys = new Set(
    shipment.trackingNumbers.map(trackingNumberComparisonKey),
  );
  const sameNumbers =
    theirKeys.size === ourKeys.size &&
    [...ourKeys].every((k) => theirKeys.has(k));
  if (sameNumbers) return { kind: "none" };
  return {
    kind: "take_tracking",
    trackingNumbers: [...new Set(theirs.map((t) => t.number!.trim()))],
    carrier:
      fulfillment.tracking.find((t) => t.company)?.company ?? shipment.carrier,
    trackingUrl: null,
    urlsInShopify: theirs.flatMap((t) => (t.url ? [t.url] : [])),
  };
}
