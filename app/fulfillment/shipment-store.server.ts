import type { Queryable } from "~/db/queryable";
import { readStoredDetail, type Message } from "~/i18n/messages";
import { DEFAULT_RETRY_WINDOW_MINUTES } from "./retry-policy";
import {
  retryOperation,
  revertTransition,
  shipTransition,
  type CommandResult,
  type Shipment,
  type ShipmentLine,
  type ShipmentStatus,
  type SyncOperation,
  type SyncState,
  type TrackingDetails,
} from "./shipment-state";

/**
 * Every write to `shipments`, one named transition each (the rules are in
 * ./shipment-state). Each takes a Queryable: the caller decides the transaction. The
 * outbox trigger queues a sync whenever a transition leaves the shipment pending.
 *
 * Commands (operators): markShipped (also corrects tracking), revert, retry, create.
 * Sync outcomes (the engine): recordSyncSuccess, linkFulfillment, recordSyncFailure,
 * recordShopPaused. Shopify-side changes (webhooks, reconcile): settleFromShopify,
 * takeOverTracking, adoptFromShopify, stopForCancelledOrder, renameOrder.
 */

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Returns null when the shipment does not exist in this shop (another shop's id included). */
export async function loadShipment(db: Queryable, shop: string, id: number): Promise<Shipment | null> {
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
    status: r.status as ShipmentStatus,
    shippedAt: iso(r.shipped_at),
    syncState: r.sync_state as SyncState,
    pendingOperation: (r.pending_operation as SyncOperation | null) ?? null,
    syncAttempts: Number(r.sync_attempts),
    nextRetryAt: iso(r.next_retry_at),
    syncFailingSince: iso(r.sync_failing_since),
    lastErrorClass: (r.last_error_class as string | null) ?? null,
    lastErrorMessage: (r.last_error_message as string | null) ?? null,
    lastErrorDetail: readStoredDetail(r.last_error_detail),
    shopifyFulfillmentId: (r.shopify_fulfillment_id as string | null) ?? null,
    syncedAt: iso(r.synced_at),
    revision: Number(r.revision),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    lines: r.lines as ShipmentLine[],
  };
}

/**
 * Inside a transaction: a sync job queued by this transaction waits this long, as a
 * safety net, because the caller (a route action) is about to sync inline.
 */
export async function setInlineSyncGrace(tx: Queryable, seconds: number | undefined): Promise<void> {
  if (seconds && seconds > 0) {
    await tx.query("select set_config('app.inline_sync_grace', $1, true)", [
      `${Math.round(seconds)} seconds`,
    ]);
  }
}

// ---------------------------------------------------------------------------
// Operator commands
// ---------------------------------------------------------------------------

interface LockedRow {
  id: string;
  status: ShipmentStatus;
  sync_state: SyncState;
  pending_operation: SyncOperation | null;
  shopify_fulfillment_id: string | null;
}

function stateOf(row: LockedRow) {
  return {
    status: row.status,
    syncState: row.sync_state,
    pendingOperation: row.pending_operation,
    shopifyFulfillmentId: row.shopify_fulfillment_id,
  };
}

/**
 * Mark shipped (or correct tracking: see `shipTransition`). Locks the rows it changes;
 * run it inside a transaction when the caller needs more than one statement atomic.
 * `onlyUnshipped` (CSV import claims) leaves shipped shipments alone. Returns, per id
 * changed, the operation now pending.
 */
export async function markShippedMany(
  db: Queryable,
  shop: string,
  claims: readonly ({ id: number } & TrackingDetails)[],
  options: { onlyUnshipped?: boolean } = {},
): Promise<Map<number, SyncOperation>> {
  const done = new Map<number, SyncOperation>();
  if (claims.length === 0) return done;
  const current = await db.query<LockedRow>(
    `select id, status, sync_state, pending_operation, shopify_fulfillment_id
       from shipments where shop = $1 and id = any($2::bigint[])
      order by id for update`,
    [shop, claims.map((c) => c.id)],
  );
  const byId = new Map(current.rows.map((r) => [Number(r.id), r]));
  const updates: Record<string, unknown>[] = [];
  for (const claim of claims) {
    const row = byId.get(claim.id);
    if (!row || (options.onlyUnshipped && row.status !== "unshipped")) continue;
    const { operation } = shipTransition(stateOf(row));
    done.set(claim.id, operation);
    updates.push({
      id: claim.id,
      tracking_numbers: claim.trackingNumbers,
      carrier: claim.carrier,
      tracking_url: claim.trackingUrl,
      notify_customer: claim.notifyCustomer,
      operation,
    });
  }
  if (updates.length === 0) return done;
  await db.query(
    `update shipments s
        set status = 'shipped',
            shipped_at = coalesce(s.shipped_at, now()),
            tracking_numbers = array(select jsonb_array_elements_text(c.tracking_numbers)),
            carrier = c.carrier,
            tracking_url = c.tracking_url,
            notify_customer = c.notify_customer,
            sync_state = 'pending',
            pending_operation = c.operation,
            sync_attempts = 0,
            next_retry_at = null,
            sync_failing_since = null,
            last_error_class = null,
            last_error_message = null,
            last_error_detail = null,
            revision = s.revision + 1
       from jsonb_to_recordset($2::jsonb) as c(id bigint, tracking_numbers jsonb, carrier text,
                                              tracking_url text, notify_customer boolean,
                                              operation sync_operation)
      where s.shop = $1 and s.id = c.id`,
    [shop, JSON.stringify(updates)],
  );
  return done;
}

/** 「発送済みにする」 for one shipment, or its tracking correction. */
export async function markShipped(
  db: Queryable,
  shop: string,
  shipmentId: number,
  tracking: TrackingDetails,
): Promise<CommandResult> {
  const done = await markShippedMany(db, shop, [{ id: shipmentId, ...tracking }]);
  const operation = done.get(shipmentId);
  return operation ? { ok: true, pendingOperation: operation } : { ok: false, reason: "not_found" };
}

/** 「未発送に戻す」 (see `revertTransition`). */
export async function revert(db: Queryable, shop: string, shipmentId: number): Promise<CommandResult> {
  const current = await db.query<LockedRow & { create_attempted: boolean }>(
    `select s.id, s.status, s.sync_state, s.pending_operation, s.shopify_fulfillment_id,
            exists (select 1 from sync_attempts a
                     where a.shipment_id = s.id and a.operation = 'create_fulfillment'
                       and a.started_at >= s.shipped_at
                       and a.outcome is distinct from 'failed') as create_attempted
       from shipments s where s.shop = $1 and s.id = $2 for update`,
    [shop, shipmentId],
  );
  const row = current.rows[0];
  if (!row) return { ok: false, reason: "not_found" };
  const decision = revertTransition({ ...stateOf(row), createAttempted: row.create_attempted });
  if (!decision.ok) return decision;
  const state: SyncState = decision.operation ? "pending" : "in_sync";
  await db.query(
    `update shipments
        set status = 'unshipped',
            shipped_at = null,
            sync_state = $3::sync_state,
            pending_operation = $4::sync_operation,
            sync_attempts = 0,
            next_retry_at = null,
            sync_failing_since = null,
            last_error_class = null,
            last_error_message = null,
            last_error_detail = null,
            synced_at = case when $3 = 'in_sync' then now() else synced_at end,
            revision = revision + 1
      where shop = $1 and id = $2`,
    [shop, shipmentId, state, decision.operation],
  );
  return { ok: true, pendingOperation: decision.operation };
}

/**
 * Manual retry (see `retryOperation`) of the given shipments of this shop: ids of other
 * shops and shipments in sync are left alone. Returns the ids queued.
 */
export async function retry(db: Queryable, shop: string, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const current = await db.query<LockedRow>(
    `select id, status, sync_state, pending_operation, shopify_fulfillment_id
       from shipments where shop = $1 and id = any($2::bigint[]) and sync_state <> 'in_sync'
      order by id for update`,
    [shop, ids],
  );
  const rows: Record<string, unknown>[] = [];
  for (const row of current.rows) {
    const operation = retryOperation(stateOf(row));
    if (!operation) continue;
    rows.push({ id: Number(row.id), operation, status: row.status, sync_state: row.sync_state, was: row.pending_operation });
  }
  if (rows.length === 0) return [];
  // Conditional on the state read: outside a transaction (a pool) the row lock ends with
  // the select, and a sync may have settled the shipment since.
  const updated = await db.query<{ id: string }>(
    `update shipments s
        set sync_state = 'pending',
            pending_operation = u.operation,
            sync_attempts = 0,
            next_retry_at = null,
            sync_failing_since = null,
            revision = s.revision + 1
       from jsonb_to_recordset($2::jsonb) as u(id bigint, operation sync_operation, status shipment_status,
                                              sync_state sync_state, was sync_operation)
      where s.shop = $1 and s.id = u.id and s.status = u.status and s.sync_state = u.sync_state
        and s.pending_operation is not distinct from u.was
      returning s.id`,
    [shop, JSON.stringify(rows)],
  );
  const done = new Set(updated.rows.map((r) => Number(r.id)));
  return rows.map((r) => r.id as number).filter((id) => done.has(id));
}

export interface NewShipment {
  orderId: string;
  orderName: string;
  vendor: string | null;
  /** line_items.id (the app's row id) and the units this shipment holds. */
  lines: readonly { lineItemRowId: number; quantity: number }[];
  /** Given: created shipped, its fulfillment to create. Absent: created unshipped. */
  shipped?: TrackingDetails;
}

/** Creates shipments with their lines; returns their ids in the order given. */
export async function createShipments(
  db: Queryable,
  shop: string,
  shipments: readonly NewShipment[],
): Promise<number[]> {
  if (shipments.length === 0) return [];
  // Ids first, so each shipment's lines can name it without relying on the order
  // RETURNING gives rows back in.
  const ids = await db.query<{ id: string }>(
    `select nextval(pg_get_serial_sequence('public.shipments', 'id')) as id from generate_series(1, $1)`,
    [shipments.length],
  );
  const rows: Record<string, unknown>[] = [];
  const lines: Record<string, unknown>[] = [];
  shipments.forEach((s, i) => {
    const id = Number(ids.rows[i]!.id);
    rows.push({
      id,
      order_id: s.orderId,
      order_name: s.orderName,
      vendor: s.vendor,
      shipped: Boolean(s.shipped),
      tracking_numbers: s.shipped?.trackingNumbers ?? [],
      carrier: s.shipped?.carrier ?? null,
      tracking_url: s.shipped?.trackingUrl ?? null,
      notify_customer: s.shipped?.notifyCustomer ?? false,
    });
    for (const line of s.lines) {
      lines.push({ shipment_id: id, order_id: s.orderId, line_item_id: line.lineItemRowId, quantity: line.quantity });
    }
  });
  await db.query(
    `insert into shipments (id, shop, order_id, order_name, vendor, tracking_numbers, carrier, tracking_url,
                            notify_customer, status, shipped_at, sync_state, pending_operation)
     overriding system value
     select c.id, $1, c.order_id, c.order_name, c.vendor,
            array(select jsonb_array_elements_text(c.tracking_numbers)),
            c.carrier, c.tracking_url, c.notify_customer,
            case when c.shipped then 'shipped' else 'unshipped' end::shipment_status,
            case when c.shipped then now() end,
            case when c.shipped then 'pending' else 'in_sync' end::sync_state,
            case when c.shipped then 'create_fulfillment' end::sync_operation
       from jsonb_to_recordset($2::jsonb) as c(id bigint, order_id text, order_name text, vendor text,
                                              shipped boolean, tracking_numbers jsonb, carrier text,
                                              tracking_url text, notify_customer boolean)`,
    [shop, JSON.stringify(rows)],
  );
  if (lines.length > 0) {
    await db.query(
      `insert into shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
       select $1, l.order_id, l.shipment_id, l.line_item_id, l.quantity
         from jsonb_to_recordset($2::jsonb) as l(shipment_id bigint, order_id text, line_item_id bigint,
                                                quantity int)`,
      [shop, JSON.stringify(lines)],
    );
  }
  return ids.rows.map((r) => Number(r.id));
}

// ---------------------------------------------------------------------------
// Sync outcomes (the sync engine, ./sync.server)
// ---------------------------------------------------------------------------

/** Which version of the shipment a sync run worked from. */
export interface RunRef {
  shop: string;
  id: number;
  revision: number;
}

/**
 * Shopify did what the run sent (or already held it). Applied only when no operator
 * change happened meanwhile (same revision): returns false otherwise, and the caller
 * keeps Shopify's fact with `linkFulfillment`. `followUp` leaves another operation
 * pending (adopted a fulfillment whose tracking must still be corrected).
 */
export async function recordSyncSuccess(
  db: Queryable,
  run: RunRef,
  fulfillmentId: string | null,
  followUp: SyncOperation | null = null,
): Promise<boolean> {
  const done = await db.query(
    `update shipments
        set shopify_fulfillment_id = $3,
            sync_state = (case when $5::text is null then 'in_sync' else 'pending' end)::sync_state,
            pending_operation = $5::sync_operation,
            synced_at = now(),
            sync_attempts = 0,
            next_retry_at = null,
            sync_failing_since = null,
            last_error_class = null,
            last_error_message = null,
            last_error_detail = null
      where shop = $1 and id = $2 and revision = $4`,
    [run.shop, run.id, fulfillmentId, run.revision, followUp],
  );
  return (done.rowCount ?? 0) > 0;
}

/**
 * Shopify's fact (which fulfillment holds the shipment now) kept under a newer request.
 * A fulfillment made for a shipment the operator has since reverted (the revert came
 * before the create's call was recorded) is to be cancelled: the shipment becomes a
 * pending cancel instead of "unshipped, in sync" with a fulfillment in Shopify.
 */
export async function linkFulfillment(
  db: Queryable,
  shop: string,
  shipmentId: number,
  fulfillmentId: string | null,
): Promise<void> {
  await db.query(
    `update shipments
        set shopify_fulfillment_id = $3,
            sync_state = case when $3::text is not null and status = 'unshipped'
                              then 'pending'::sync_state else sync_state end,
            pending_operation = case when $3::text is not null and status = 'unshipped'
                                     then 'cancel_fulfillment'::sync_operation else pending_operation end
      where shop = $1 and id = $2`,
    [shop, shipmentId, fulfillmentId],
  );
}

/**
 * A failed attempt: pending again at `retryAt`, or failed (同期エラー) when `retryAt` is
 * null. A paced attempt (throttled) is not a failure: it starts no failure budget.
 * Ignored when the operator changed the shipment meanwhile.
 */
export async function recordSyncFailure(
  db: Queryable,
  run: RunRef,
  failure: {
    attempts: number;
    retryAt: Date | null;
    errorClass: string;
    /** Shopify's words, or the English text of `detail` (for logs). */
    message: string;
    /** The app's own words for the failure, as a message (SyncError.detail). */
    detail?: Message | null;
    /** Throttled: not a failure, starts no budget. */
    paced?: boolean;
    /** The run's clock: the budget starts here at the first failure. */
    now: Date;
  },
): Promise<void> {
  await db.query(
    `update shipments
        set sync_state = $4::sync_state,
            sync_attempts = $5,
            next_retry_at = $6,
            last_error_class = $7,
            last_error_message = $8,
            last_error_detail = $11::jsonb,
            sync_failing_since = case when $9 then sync_failing_since
                                      else coalesce(sync_failing_since, $10) end
      where shop = $1 and id = $2 and revision = $3`,
    [
      run.shop,
      run.id,
      run.revision,
      failure.retryAt ? "pending" : "failed",
      failure.attempts,
      failure.retryAt,
      failure.errorClass,
      failure.message.slice(0, 2000),
      failure.paced ?? false,
      failure.now,
      storedDetail(failure.detail),
    ],
  );
}

/**
 * The whole shop was refused (token or scope): the shipment stays pending without a
 * retry time; resuming the shop queues it again.
 */
export async function recordShopPaused(
  db: Queryable,
  run: RunRef,
  error: { errorClass: string; message: string; detail?: Message | null },
): Promise<void> {
  await db.query(
    `update shipments
        set sync_attempts = sync_attempts + 1, next_retry_at = null,
            last_error_class = $4, last_error_message = $5, last_error_detail = $6::jsonb
      where shop = $1 and id = $2 and revision = $3`,
    [run.shop, run.id, run.revision, error.errorClass, error.message.slice(0, 2000), storedDetail(error.detail)],
  );
}

/** The shop's retry settings (defaults when the shop row is missing). */
export async function loadRetrySettings(
  db: Queryable,
  shop: string,
): Promise<{ autoRetryEnabled: boolean; retryWindowMinutes: number }> {
  const settings = await db.query<{ auto_retry_enabled: boolean; sync_retry_window_minutes: number }>(
    `select auto_retry_enabled, sync_retry_window_minutes from shops where shop = $1`,
    [shop],
  );
  return {
    autoRetryEnabled: settings.rows[0]?.auto_retry_enabled ?? true,
    retryWindowMinutes: settings.rows[0]?.sync_retry_window_minutes ?? DEFAULT_RETRY_WINDOW_MINUTES,
  };
}

/** Fulfillment ids other shipments of the shop hold (never adopted twice). */
export async function fulfillmentIdsHeldByOthers(
  db: Queryable,
  shop: string,
  shipmentId: number,
): Promise<Set<string>> {
  const claimed = await db.query<{ id: string }>(
    `select shopify_fulfillment_id as id from shipments
      where shop = $1 and id <> $2 and shopify_fulfillment_id is not null`,
    [shop, shipmentId],
  );
  return new Set(claimed.rows.map((r) => r.id));
}

// ---------------------------------------------------------------------------
// Changes made in Shopify (webhooks and the reconcile job, ~/reconcile)
// ---------------------------------------------------------------------------

/**
 * The linked fulfillment is cancelled or gone in Shopify: the shipment is unshipped and
 * in sync (a pending cancel settled, or the merchant's cancellation in Shopify admin
 * taken over). Conditional on the revision the caller read.
 */
export async function settleFromShopify(db: Queryable, run: RunRef): Promise<boolean> {
  const done = await db.query(
    `update shipments
        set status = 'unshipped', shipped_at = null, shopify_fulfillment_id = null,
            sync_state = 'in_sync', pending_operation = null, sync_attempts = 0,
            next_retry_at = null, sync_failing_since = null, last_error_class = null, last_error_message = null,
            last_error_detail = null, synced_at = now(), revision = revision + 1
      where shop = $1 and id = $2 and revision = $3`,
    [run.shop, run.id, run.revision],
  );
  return (done.rowCount ?? 0) > 0;
}

/** Tracking edited in Shopify admin, taken over by a shipment in sync. */
export async function takeOverTracking(
  db: Queryable,
  run: RunRef,
  tracking: { trackingNumbers: string[]; carrier: string | null; trackingUrl: string | null },
): Promise<boolean> {
  const done = await db.query(
    `update shipments
        set tracking_numbers = $4, carrier = $5, tracking_url = $6, synced_at = now(),
            revision = revision + 1
      where shop = $1 and id = $2 and revision = $3 and sync_state = 'in_sync'`,
    [run.shop, run.id, run.revision, tracking.trackingNumbers, tracking.carrier || null, httpUrlOrNull(tracking.trackingUrl)],
  );
  return (done.rowCount ?? 0) > 0;
}

/** A fulfillment made in Shopify admin, adopted by the unshipped shipment with its lines. */
export async function adoptFromShopify(
  db: Queryable,
  run: RunRef,
  fulfillment: { id: string; trackingNumbers: string[]; carrier: string | null; trackingUrl: string | null },
): Promise<boolean> {
  const done = await db.query(
    `update shipments
        set status = 'shipped', shipped_at = now(), tracking_numbers = $4, carrier = $5,
            tracking_url = $6, shopify_fulfillment_id = $7, synced_at = now(),
            revision = revision + 1
      where shop = $1 and id = $2 and revision = $3`,
    [
      run.shop,
      run.id,
      run.revision,
      fulfillment.trackingNumbers,
      fulfillment.carrier,
      httpUrlOrNull(fulfillment.trackingUrl),
      fulfillment.id,
    ],
  );
  return (done.rowCount ?? 0) > 0;
}

/**
 * The order was cancelled in Shopify: every pending sync of its shipments stops
 * (同期エラー, class invalid, `detail` says why in the UI's language, `message` in English
 * for logs). Returns what was stopped.
 */
export async function stopForCancelledOrder(
  db: Queryable,
  shop: string,
  orderId: string,
  message: string,
  detail: Message | null = null,
): Promise<{ id: number; pendingOperation: SyncOperation | null }[]> {
  const stopped = await db.query<{ id: string; pending_operation: SyncOperation | null }>(
    `update shipments
        set sync_state = 'failed', next_retry_at = null, last_error_class = 'invalid',
            last_error_message = $3, last_error_detail = $4, revision = revision + 1
      where shop = $1 and order_id = $2 and sync_state = 'pending'
      returning id, pending_operation`,
    [shop, orderId, message, detail],
  );
  return stopped.rows.map((r) => ({ id: Number(r.id), pendingOperation: r.pending_operation }));
}

/** The order's name changed in Shopify: its shipments show the new one. */
export async function renameOrder(db: Queryable, shop: string, orderId: string, orderName: string): Promise<void> {
  await db.query(
    `update shipments set order_name = $3
      where shop = $1 and order_id = $2 and order_name <> $3`,
    [shop, orderId, orderName],
  );
}

/** A message as shipments.last_error_detail holds it (jsonb), or null. */
function storedDetail(detail: Message | null | undefined): string | null {
  return detail ? JSON.stringify(detail) : null;
}

function httpUrlOrNull(url: string | null): string | null {
  return url && /^https?:\/\//.test(url) ? url : null;
}
