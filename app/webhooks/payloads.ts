import { z } from "zod";

/**
 * The parts of Shopify's fulfillment_orders/* and compliance webhook payloads the app
 * reads (Shopify's webhook reference, 2026-07/2026-10 samples). Pure.
 *
 * fulfillment_orders/* payloads name fulfillment orders only (GraphQL gids), never the
 * order: the handler asks Shopify which order an FO belongs to.
 */
const FO_GID = /^gid:\/\/shopify\/FulfillmentOrder\/[0-9]+$/;
const foRef = z.object({
  id: z.string().regex(FO_GID),
  status: z.string().optional(),
});

export const FULFILLMENT_ORDER_TOPICS = [
  "fulfillment_orders/cancelled",
  "fulfillment_orders/moved",
  "fulfillment_orders/split",
  "fulfillment_orders/merged",
  "fulfillment_orders/placed_on_hold",
  "fulfillment_orders/hold_released",
  "fulfillment_orders/scheduled_fulfillment_order_ready",
] as const;

export type FulfillmentOrderTopic = (typeof FULFILLMENT_ORDER_TOPICS)[number];

const schemas: Record<
  FulfillmentOrderTopic,
  z.ZodType<{ ids: string[] }, z.ZodTypeDef, unknown>
> = {
  // { fulfillment_order: {id, status: "cancelled"}, replacement_fulfillment_order: {id, status} }
  "fulfillment_orders/cancelled": z
    .object({
      fulfillment_order: foRef,
      replacement_fulfillment_order: foRef.nullish(),
    })
    .transform((p) => ({
      ids: [p.replacement_fulfillment_order?.id, p.fulfillment_order.id].filter(
        isString,
      ),
    })),
  // { original_fulfillment_order, moved_fulfillment_order, destination_location_id, … }
  "fulfillment_orders/moved": z
    .object({
      original_fulfillment_order: foRef,
      moved_fulfillment_order: foRef.nullish(),
    })
    .transform((p) => ({
      ids: [
        p.moved_fulfillment_order?.id,
        p.original_fulfillment_order.id,
      ].filter(isString),
    })),
  // { split_line_items, fulfillment_order, remaining_fulfillment_order, replacement_fulfillment_order }
  "fulfillment_orders/split": z
    .object({
      fulfillment_order: foRef,
      remaining_fulfillment_order: foRef.nullish(),
      replacement_fulfillment_order: foRef.nullish(),
    })
    .transform((p) => ({
      ids: [
        p.fulfillment_order.id,
        p.remaining_fulfillment_order?.id,
        p.replacement_fulfillment_order?.id,
      ].filter(isString),
    })),
  // { merge_intents: [...], fulfillment_order_merges: { fulfillment_order } } (a list in some versions)
  "fulfillment_orders/merged": z
    .object({
      fulfillment_order_merges: z.union([
        z.object({ fulfillment_order: foRef }),
        z.array(z.object({ fulfillment_order: foRef })).min(1),
      ]),
    })
    .transform((p) => ({
      ids: (Array.isArray(p.fulfillment_order_merges)
        ? p.fulfillment_order_merges
        : [p.fulfillment_order_merges]
      ).map((m) => m.fulfillment_order.id),
    })),
  // { fulfillment_order: {id, status: "on_hold", fulfillment_holds}, remaining_fulfillment_order, … }
  "fulfillment_orders/placed_on_hold": z
    .object({
      fulfillment_order: foRef,
      remaining_fulfillment_order: foRef.nullish(),
    })
    .transform((p) => ({
      ids: [p.fulfillment_order.id, p.remaining_fulfillment_order?.id].filter(
        isString,
      ),
    })),
  // { fulfillment_order: {id, status: "open"} }
  "fulfillment_orders/hold_released": z
    .object({ fulfillment_order: foRef })
    .transform((p) => ({ ids: [p.fulfillment_order.id] })),
  // { fulfillment_order: {id, status: "open"} }: a scheduled FO became due (fulfill_at came).
  "fulfillment_orders/scheduled_fulfillment_order_ready": z
    .object({ fulfillment_order: foRef })
    .transform((p) => ({ ids: [p.fulfillment_order.id] })),
};

/**
 * The fulfillment orders a delivery is about, the one now holding the work first (the
 * replacement, the moved FO, the merged FO…); null for a payload of another shape.
 */
export function fulfillmentOrderIdsOf(
  topic: FulfillmentOrderTopic,
  payload: unknown,
): string[] | null {
  const parsed = schemas[topic].safeParse(payload);
  return parsed.success && parsed.data.ids.length > 0
    ? [...new Set(parsed.data.ids)]
    : null;
}

/** "FULFILLMENT_ORDERS_HOLD_RELEASED" (authenticate.webhook's topic) → "fulfillment_orders/hold_released". */
export function fulfillmentOrderTopic(
  topic: string,
): FulfillmentOrderTopic | null {
  const match = FULFILLMENT_ORDER_TOPICS.find(
    (t) =>
      t === topic ||
      t.replace("/", "_").toUpperCase() === topic.toUpperCase(),
  );
  return match ?? null;
}

// ---------------------------------------------------------------------------
// Compliance topics
// ---------------------------------------------------------------------------

const numericId = z.union([
  z.number().int().nonnegative().refine(Number.isSafeInteger),
  z.string().regex(/^[0-9]{1,20}$/),
]);

/**
 * customers/data_request: { shop_id, shop_domain, customer: {id, email, phone},
 * orders_requested: [ids], data_request: {id} }. customers/redact: the same without
 * data_request, with orders_to_redact. shop/redact: { shop_id, shop_domain }.
 * Read leniently: a compliance delivery is always recorded and answered 200.
 */
const compliancePayload = z
  .object({
    orders_requested: z.array(numericId).nullish(),
    orders_to_redact: z.array(numericId).nullish(),
    data_request: z.object({ id: numericId }).nullish(),
  })
  .passthrough();

/**
 * Null when a customers/* payload names its orders as Shopify documents them (a list of
 * order ids), else why not. Without a readable list the app cannot say what it holds
 * nor redact it, so the delivery is refused (400) rather than recorded as done.
 */
export function compliancePayloadProblem(
  topic: "customers/data_request" | "customers/redact" | "shop/redact",
  payload: unknown,
): string | null {
  const field =
    topic === "customers/data_request"
      ? "orders_requested"
      : topic === "customers/redact"
        ? "orders_to_redact"
        : null;
  if (!field) return null;
  const fields =
    payload && typeof payload === "object" && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : {};
  if (!z.array(numericId).safeParse(fields[field]).success)
    return `a ${topic} payload lists its orders in ${field} (order ids), and this one does not`;
  if (
    topic === "customers/data_request" &&
    fields.data_request != null &&
    !z.object({ id: numericId }).safeParse(fields.data_request).success
  )
    return "the payload's data_request has no readable id";
  return null;
}

export interface CompliancePayload {
  orderIds: string[];
  requestId: string | null;
}

export function readCompliancePayload(payload: unknown): CompliancePayload {
  const parsed = compliancePayload.safeParse(payload);
  if (!parsed.success) return { orderIds: [], requestId: null };
  const ids =
    parsed.data.orders_requested ?? parsed.data.orders_to_redact ?? [];
  return {
    orderIds: ids.map((id) => `gid://shopify/Order/${id}`),
    requestId: parsed.data.data_request
      ? String(parsed.data.data_request.id)
      : null,
  };
}

function isString(value: string | undefined | null): value is string {
  return typeof value === "string";
}
