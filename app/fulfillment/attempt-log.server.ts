import type { Queryable } from "~/db/queryable";
import type { FulfillmentTrackingInput } from "./carriers";
import type { AttemptOutcome, CallOperation, SyncOperation } from "./shipment-state";

/**
 * sync_attempts: every call a sync makes to Shopify, written BEFORE it is sent and
 * finished after, so a call whose answer was lost (or whose worker died) stays visible
 * as "outcome unknown" until a read settles it.
 */

export type { CallOperation };

export async function openAttempt(
  db: Queryable,
  shop: string,
  shipmentId: number,
  operation: CallOperation,
  request: unknown,
): Promise<string> {
  const attempt = await db.query<{ id: string }>(
    `insert into sync_attempts (shop, shipment_id, operation, request)
     values ($1, $2, $3, $4) returning id`,
    [shop, shipmentId, operation, request],
  );
  return attempt.rows[0]!.id;
}

export async function finishAttempt(
  db: Queryable,
  attemptId: string,
  result: {
    outcome: Exclude<AttemptOutcome, "adopted">;
    httpStatus: number | null;
    requestId: string | null;
    errorClass: string | null;
    message: string | null;
    fulfillmentId?: string | null;
  },
): Promise<void> {
  await db.query(
    `update sync_attempts
        set finished_at = now(), outcome = $2, http_status = $3, shopify_request_id = $4,
            error_class = $5, message = $6, fulfillment_id = coalesce($7, fulfillment_id)
      where id = $1`,
    [
      attemptId,
      result.outcome,
      result.httpStatus,
      result.requestId,
      result.errorClass,
      result.message?.slice(0, 2000) ?? null,
      result.fulfillmentId ?? null,
    ],
  );
}

/**
 * Called holding the shipment's lock: any call still without an outcome belongs to a run
 * that died (a killed worker); it may or may not have reached Shopify.
 */
export async function markOrphanedAttemptsUnknown(db: Queryable, shop: string, shipmentId: number): Promise<void> {
  // A read changes nothing in Shopify: it simply failed. A mutation may have happened.
  await db.query(
    `update sync_attempts
        set outcome = case when operation in ('read_fulfillment_orders', 'reconcile') then 'failed' else 'unknown' end,
            finished_at = now(),
            error_class = case when operation in ('read_fulfillment_orders', 'reconcile')
                               then 'transient' else 'outcome_unknown' end::sync_error_class,
            message = 'no answer recorded: the run stopped during the call (worker killed or restarted)'
      where shop = $1 and shipment_id = $2 and outcome is null`,
    [shop, shipmentId],
  );
}

/** Create attempts since `since` that may have reached Shopify, with the tracking each sent. */
export async function unknownCreatesSince(
  db: Queryable,
  shop: string,
  shipmentId: number,
  since: string,
): Promise<string[][]> {
  const result = await db.query<{ request: { trackingInfo?: FulfillmentTrackingInput } | null }>(
    `select request from sync_attempts
      where shop = $1 and shipment_id = $2 and operation = 'create_fulfillment'
        and started_at >= $3 and (outcome is null or outcome = 'unknown')`,
    [shop, shipmentId, since],
  );
  return result.rows.map((r) => r.request?.trackingInfo?.numbers ?? []);
}

/**
 * How long the youngest create since `since` that got no answer at all (a dead run's,
 * a timeout, a cut connection) may still be in flight: a request already sent can be
 * applied by Shopify after its client gave up or died. Milliseconds until it is older
 * than `horizonMs`; 0 when there is none. (An HTTP answer means Shopify is done with it.)
 */
export async function unansweredCreateInFlightMs(
  db: Queryable,
  shop: string,
  shipmentId: number,
  since: string,
  horizonMs: number,
): Promise<number> {
  const result = await db.query<{ left_ms: number | null }>(
    `select extract(epoch from (max(started_at) + $4 * interval '1 millisecond' - now())) * 1000 as left_ms
       from sync_attempts
      where shop = $1 and shipment_id = $2 and operation = 'create_fulfillment'
        and started_at >= $3 and (outcome is null or outcome = 'unknown') and http_status is null`,
    [shop, shipmentId, since, horizonMs],
  );
  return Math.max(0, Math.ceil(Number(result.rows[0]?.left_ms ?? 0)));
}

/**
 * The fulfillment the latest create since `since` answered with (or adopted). A run
 * killed after recording the answer but before linking it to the shipment leaves it
 * here only: the next run links it instead of asking Shopify for units it has already
 * fulfilled (a refusal), or, for a revert, declaring done with a fulfillment live.
 */
export async function answeredCreateSince(
  db: Queryable,
  shop: string,
  shipmentId: number,
  since: string,
): Promise<string | null> {
  // The latest create only: an older one's fulfillment was linked, then cancelled or
  // overtaken, and a later create still unknown is reconciled by reading Shopify.
  const result = await db.query<{ outcome: string | null; fulfillment_id: string | null }>(
    `select outcome, fulfillment_id from sync_attempts
      where shop = $1 and shipment_id = $2 and operation = 'create_fulfillment' and started_at >= $3
      order by started_at desc, id desc
      limit 1`,
    [shop, shipmentId, since],
  );
  const latest = result.rows[0];
  return latest && (latest.outcome === "succeeded" || latest.outcome === "adopted") ? latest.fulfillment_id : null;
}

/**
 * Once Shopify has been read, attempts of `operation` whose outcome was unknown are
 * settled: 'adopted' when their fulfillment was found (creates), 'failed' when Shopify
 * shows they never happened, 'succeeded' when it shows they did (cancels, tracking).
 */
export async function settleUnknownAttempts(
  db: Queryable,
  shop: string,
  shipmentId: number,
  operation: SyncOperation,
  settled: { outcome: "adopted" | "failed" | "succeeded"; fulfillmentId: string | null; note: string },
): Promise<void> {
  await db.query(
    `update sync_attempts
        set outcome = $4,
            error_class = case when $4 = 'failed' then coalesce(error_class, 'outcome_unknown')
                               else error_class end,
            finished_at = coalesce(finished_at, now()),
            message = coalesce(message || ' — ', '') || $6,
            fulfillment_id = coalesce(fulfillment_id, $5)
      where shop = $1 and shipment_id = $2 and operation = $3
        and (outcome is null or outcome = 'unknown')`,
    [shop, shipmentId, operation, settled.outcome, settled.fulfillmentId, settled.note],
  );
}

/** Whether a cancel call of this shipment named this fulfillment (not known to have failed). */
export async function cancelAttempted(
  db: Queryable,
  shop: string,
  shipmentId: number,
  fulfillmentId: string,
): Promise<boolean> {
  const result = await db.query(
    `select 1 from sync_attempts
      where shop = $1 and shipment_id = $2 and operation = 'cancel_fulfillment'
        and request->>'fulfillmentId' = $3 and outcome is distinct from 'failed'
      limit 1`,
    [shop, shipmentId, fulfillmentId],
  );
  return (result.rowCount ?? 0) > 0;
}
