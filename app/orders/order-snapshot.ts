import type {
  OrderLineFieldsFragment,
  RecentOrdersQuery,
} from "~/shopify/generated/admin.generated";
import { gidFromNumericId } from "~/shopify/gid";
import { z } from "zod";

/**
 * An order as the app keeps it: the order's name and Shopify timestamps, and its lines
 * with their vendor. The same shape comes from an orders/* webhook (REST-style JSON) and
 * from the backfill's GraphQL read, so one upsert serves both.
 *
 * Pure: no I/O. Nothing about the customer is read or kept (no e-mail, address, name):
 * a vendor shipment needs the order's lines, nothing else.
 */
export interface OrderSnapshot {
  orderId: string; // gid://shopify/Order/<n>
  name: string; // "#1001"
  createdAt: string | null;
  updatedAt: string | null;
  cancelledAt: string | null;
  closedAt: string | null;
  lines: OrderLineSnapshot[];
}

export interface OrderLineSnapshot {
  lineItemId: string; // gid://shopify/LineItem/<n>
  /** The line's display name (product and variant), as staff see it in Shopify admin. */
  title: string;
  sku: string | null;
  vendor: string | null;
  /**
   * Units still on the order (Shopify's current quantity: after order edits and
   * removals). 0 means the line was removed; such a line cannot be shipped.
   */
  quantity: number;
  /** False for lines nothing is shipped for (digital goods, gift cards). */
  requiresShipping: boolean;
}

const ORDER_GID = /^gid:\/\/shopify\/Order\/[0-9]+$/;
const LINE_ITEM_GID = /^gid:\/\/shopify\/LineItem\/[0-9]+$/;

const numericId = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^[0-9]+$/),
]);

const optionalText = z.string().nullish();

/** The fields of Shopify's orders/create, orders/updated and orders/cancelled payloads the app reads. */
const webhookLineSchema = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().regex(LINE_ITEM_GID).optional(),
  title: z.string(),
  name: optionalText,
  sku: optionalText,
  vendor: optionalText,
  quantity: z.number().int().nonnegative(),
  current_quantity: z.number().int().nonnegative().nullish(),
  requires_shipping: z.boolean().nullish(),
});

export const orderWebhookPayloadSchema = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().regex(ORDER_GID).optional(),
  name: z.string().min(1).max(64),
  created_at: optionalText,
  updated_at: optionalText,
  cancelled_at: optionalText,
  closed_at: optionalText,
  line_items: z.array(webhookLineSchema),
});

export type OrderWebhookPayload = z.infer<typeof orderWebhookPayloadSchema>;

/** An orders/* webhook payload → the snapshot; null when it is not an order's shape. */
export function orderFromWebhookPayload(
  payload: unknown,
): OrderSnapshot | null {
  const parsed = orderWebhookPayloadSchema.safeParse(payload);
  if (!parsed.success) return null;
  const order = parsed.data;
  const orderId =
    order.admin_graphql_api_id ?? gidFromNumericId("Order", order.id);
  const lineIds = order.line_items.map(
    (line) =>
      line.admin_graphql_api_id ?? gidFromNumericId("LineItem", line.id),
  );
  if (!orderId || lineIds.some((id) => id === null)) return null;
  return {
    orderId,
    name: order.name,
    createdAt: isoOrNull(order.created_at),
    updatedAt: isoOrNull(order.updated_at),
    cancelledAt: isoOrNull(order.cancelled_at),
    closedAt: isoOrNull(order.closed_at),
    lines: order.line_items.map((line, index) => ({
      lineItemId: lineIds[index]!,
      title: displayTitle(line.name, line.title),
      sku: blankToNull(line.sku),
      vendor: blankToNull(line.vendor),
      quantity: line.current_quantity ?? line.quantity,
      requiresShipping: line.requires_shipping ?? true,
    })),
  };
}

/** One order as RECENT_ORDERS_QUERY returns it (lines possibly still to be paged). */
export type OrderNode = RecentOrdersQuery["orders"]["nodes"][number];

/** A line as RECENT_ORDERS_QUERY and ORDER_LINE_ITEMS_PAGE_QUERY return it. */
export type LineItemNode = OrderLineFieldsFragment;

/** A GraphQL order node (with all its lines) → the snapshot. */
export function orderFromGraphqlNode(
  node: OrderNode,
  lines: readonly LineItemNode[],
): OrderSnapshot {
  return {
    orderId: node.id,
    name: node.name,
    createdAt: isoOrNull(node.createdAt),
    updatedAt: isoOrNull(node.updatedAt),
    cancelledAt: isoOrNull(node.cancelledAt),
    closedAt: isoOrNull(node.closedAt),
    lines: lines.map((line) => ({
      lineItemId: line.id,
      title: displayTitle(line.name, null),
      sku: blankToNull(line.sku),
      vendor: blankToNull(line.vendor),
      quantity: line.currentQuantity,
      requiresShipping: line.requiresShipping,
    })),
  };
}

/** Lines a vendor can ship: still on the order and needing shipping. */
export function shippableLines(order: OrderSnapshot): OrderLineSnapshot[] {
  return order.lines.filter(
    (line) => line.quantity > 0 && line.requiresShipping,
  );
}

function displayTitle(
  name: string | null | undefined,
  title: string | null | undefined,
): string {
  const value = (name ?? "").trim() || (title ?? "").trim();
  return value.length > 0 ? value : "(untitled)";
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
