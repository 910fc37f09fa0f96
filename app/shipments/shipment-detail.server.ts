import type { Queryable } from "~/db/queryable";

/** A shipment with everything the detail page and the sync need, scoped to one shop. */
export interface ShipmentDetail {
  id: number;
  shop: string;
  orderId: string;
  orderName: string;
  vendor: string | null;
  trackingNumbers: string[];
  carrier: string | null;
  trackingUrl: string | null;
  notifyCustomer: boolean;
  status: "unshipped" | "shipped";
  shippedAt: string | null;
  syncState: "in_sync" | "pending" | "failed";
  pendingOperation: "create_fulfillment" | "cancel_fulfillment" | "update_tracking" | null;
  syncAttempts: number;
  nextRetryAt: string | null;
  lastErrorClass: string | null;
  lastErrorMessage: string | null;
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

export interface SyncAttemptRow {
  id: number;
  operation: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: "succeeded" | "failed" | "unknown" | "adopted" | null;
  errorClass: string | null;
  httpStatus: number | null;
  message: string | null;
  shopifyRequestId: string | null;
  fulfillmentId: string | null;
  request: unknown;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Returns null when the shipment does not exist in this shop (another shop's id included). */
export async function getShipment(
  db: Queryable,
  shop: string,
  id: number,
): Promise<ShipmentDetail | null> {
  const result = await db.query(
    `select s.*,
            coalesce((select json_agg(json_build_object(
                        'lineItemId', li.line_item_id, 'title', li.title, 'sku', li.sku,
                        'quantity', sli.quantity, 'orderedQuantity', li.quantity) order by li.id)
                        from shipment_line_items sli
                        join line_items li on li.id = sli.line_item_id
                       where sli.shipment_id = s.id), '[]'::json) as lines
       from shipments s
      where s.shop = $1 and s.id = $2`,
    [shop, id],
  );
  const r = result.rows[0];
  if (!r) return null;
  return {
    id: Number(r.id),
    shop: r.shop as string,
    orderId: r.order_id as string,
    orderName: r.order_name as string,
    vendor: (r.vendor as string | null) ?? null,
    trackingNumbers: (r.tracking_numbers as string[]) ?? [],
    carrier: (r.carrier as string | null) ?? null,
    trackingUrl: (r.tracking_url as string | null) ?? null,
    notifyCustomer: Boolean(r.notify_customer),
    status: r.status as ShipmentDetail["status"],
    shippedAt: iso(r.shipped_at),
    syncState: r.sync_state as ShipmentDetail["syncState"],
    pendingOperation: (r.pending_operation as ShipmentDetail["pendingOperation"]) ?? null,
    syncAttempts: Number(r.sync_attempts),
    nextRetryAt: iso(r.next_retry_at),
    lastErrorClass: (r.last_error_class as string | null) ?? null,
    lastErrorMessage: (r.last_error_message as string | null) ?? null,
    shopifyFulfillmentId: (r.shopify_fulfillment_id as string | null) ?? null,
    syncedAt: iso(r.synced_at),
    revision: Number(r.revision),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    lines: r.lines as ShipmentLine[],
  };
}

/** The shipment's calls to Shopify, newest first. */
export async function listSyncAttempts(
  db: Queryable,
  shop: string,
  shipmentId: number,
  limit = 50,
): Promise<SyncAttemptRow[]> {
  const result = await db.query(
    `select id, operation, started_at, finished_at, outcome, error_class, http_status,
            message, shopify_request_id, fulfillment_id, request
       from sync_attempts
      where shop = $1 and shipment_id = $2
      order by started_at desc, id desc
      limit $3`,
    [shop, shipmentId, limit],
  );
  return result.rows.map((r) => ({
    id: Number(r.id),
    operation: r.operation as string,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
    outcome: (r.outcome as SyncAttemptRow["outcome"]) ?? null,
    errorClass: (r.error_class as string | null) ?? null,
    httpStatus: r.http_status == null ? null : Number(r.http_status),
    message: (r.message as string | null) ?? null,
    shopifyRequestId: (r.shopify_request_id as string | null) ?? null,
    fulfillmentId: (r.fulfillment_id as string | null) ?? null,
    request: r.request,
  }));
}
