import type { Queryable } from "~/db/queryable";
import type { AttemptOutcome } from "~/fulfillment/shipment-state";
import { loadShipment } from "~/fulfillment/shipment-store.server";

export type { Shipment, ShipmentLine } from "~/fulfillment/shipment-state";

export interface SyncAttemptRow {
  id: number;
  operation: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: AttemptOutcome | null;
  errorClass: string | null;
  httpStatus: number | null;
  message: string | null;
  shopifyRequestId: string | null;
  fulfillmentId: string | null;
  request: unknown;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Returns null when the shipment does not exist in this shop (another shop's id included). */
export const getShipment = loadShipment;

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

/**
 * What changes whenever the shipment page would show something new: its revision, sync
 * state, attempts counter and the number of finished calls. The page compares it with
 * the one it was rendered from (a one-row read, polled while a sync is pending).
 * Null when the shipment is not this shop's.
 */
export async function getShipmentSyncPulse(db: Queryable, shop: string, shipmentId: number): Promise<string | null> {
  const result = await db.query<{ pulse: string }>(
    `select concat_ws(':', s.revision, s.sync_state, s.sync_attempts,
              (select count(*) from sync_attempts a
                where a.shop = s.shop and a.shipment_id = s.id and a.outcome is not null)) as pulse
       from shipments s where s.shop = $1 and s.id = $2`,
    [shop, shipmentId],
  );
  return result.rows[0]?.pulse ?? null;
}
