import { z } from "zod";
import type { Queryable } from "~/db/queryable";
import { message, type Message } from "~/i18n/messages";

/**
 * What the queue panel shows for one shop: how many shipments wait, run, wait for a
 * retry or failed, the pace of the last minutes and an ETA from it — read from the
 * shipments and the audit log, so it is the same truth whichever worker did the work.
 */
export interface QueueProgress {
  waiting: number;
  running: number;
  scheduledRetry: number;
  failed: number;
  /** Syncs completed per minute over the last two minutes. */
  perMinute: number;
  /** Seconds until the queue is empty at that pace; null when idle or no pace yet. */
  etaSeconds: number | null;
  /** The next few shipments in the queue, for the panel's list. */
  upcoming: {
    id: number;
    orderName: string;
    vendor: string | null;
    state: "running" | "waiting" | "retry";
    nextRetryAt: string | null;
    lastErrorClass: string | null;
    attempts: number;
  }[];
}

export async function getQueueProgress(db: Queryable, shop: string): Promise<QueueProgress> {
  const counts = await db.query<{
    waiting: number;
    running: number;
    scheduled_retry: number;
    failed: number;
    done_recently: number;
  }>(
    `with in_flight as (
       select distinct shipment_id from sync_attempts where shop = $1 and outcome is null
     )
     select
       count(*) filter (where s.sync_state = 'pending' and f.shipment_id is null
                          and (s.next_retry_at is null or s.next_retry_at <= now()))::int as waiting,
       count(*) filter (where s.sync_state = 'pending' and f.shipment_id is not null)::int as running,
       count(*) filter (where s.sync_state = 'pending' and f.shipment_id is null
                          and s.next_retry_at > now())::int as scheduled_retry,
       count(*) filter (where s.sync_state = 'failed')::int as failed,
       (select count(distinct a.shipment_id)::int from sync_attempts a
         where a.shop = $1 and a.outcome in ('succeeded', 'adopted')
           and a.operation in ('create_fulfillment', 'cancel_fulfillment', 'update_tracking')
           and a.finished_at > now() - interval '2 minutes') as done_recently
       from shipments s
       left join in_flight f on f.shipment_id = s.id
      where s.shop = $1 and s.sync_state <> 'in_sync'`,
    [shop],
  );
  const c = counts.rows[0]!;
  const perMinute = c.done_recently / 2;
  const remaining = c.waiting + c.running + c.scheduled_retry;
  const upcoming = await db.query(
    `select s.id, s.order_name, s.vendor, s.next_retry_at, s.last_error_class, s.sync_attempts,
            exists (select 1 from sync_attempts a where a.shipment_id = s.id and a.outcome is null) as running
       from shipments s
      where s.shop = $1 and s.sync_state = 'pending'
      order by coalesce(s.next_retry_at, s.updated_at), s.id
      limit 10`,
    [shop],
  );
  return {
    waiting: c.waiting,
    running: c.running,
    scheduledRetry: c.scheduled_retry,
    failed: c.failed,
    perMinute,
    etaSeconds: remaining > 0 && perMinute > 0 ? Math.ceil((remaining / perMinute) * 60) : null,
    upcoming: upcoming.rows.map((r) => ({
      id: Number(r.id),
      orderName: r.order_name as string,
      vendor: (r.vendor as string | null) ?? null,
      state: r.running
        ? "running"
        : r.next_retry_at && new Date(r.next_retry_at as string).getTime() > Date.now()
          ? "retry"
          : "waiting",
      nextRetryAt: r.next_retry_at ? new Date(r.next_retry_at as string).toISOString() : null,
      lastErrorClass: (r.last_error_class as string | null) ?? null,
      attempts: Number(r.sync_attempts),
    })),
  };
}

/**
 * Records a bulk retry of a selection (queued in the request, at most 1000 ids) so its
 * progress can be followed. "All matching" is walked by the queue instead
 * (retry-all-matching.server.ts).
 */
export async function createSyncBatch(db: Queryable, shop: string, shipmentIds: number[]): Promise<number | null> {
  if (shipmentIds.length === 0) return null;
  const result = await db.query<{ id: string }>(
    `insert into sync_batches (shop, shipment_ids, scope, total, batches_done, walked_at)
     values ($1, $2, 'selection', cardinality($2::bigint[]), 1, now()) returning id`,
    [shop, shipmentIds],
  );
  return Number(result.rows[0]!.id);
}

export interface BatchProgress {
  id: number;
  /** Shipments the bulk run covers (for "all matching": counted as its walk began). */
  total: number;
  /** Shipments queued so far, and in how many batches ("all matching" is walked in batches). */
  queued: number;
  batches: number;
  /** Still walking the matching set. */
  walking: boolean;
  synced: number;
  failed: number;
  pending: number;
  done: boolean;
}

/** A bulk run's progress; null for an unknown batch or another shop's. */
export async function getBatchProgress(db: Queryable, shop: string, batchId: number): Promise<BatchProgress | null> {
  const result = await db.query<Omit<BatchProgress, "id" | "done">>(
    `select coalesce(b.total, cardinality(b.shipment_ids))::int as total,
            cardinality(b.shipment_ids)::int as queued,
            b.batches_done as batches,
            b.walked_at is null as walking,
            count(s.id) filter (where s.sync_state = 'in_sync')::int as synced,
            count(s.id) filter (where s.sync_state = 'failed')::int as failed,
            count(s.id) filter (where s.sync_state = 'pending')::int as pending
       from sync_batches b
       left join shipments s on s.shop = b.shop and s.id = any(b.shipment_ids)
      where b.shop = $1 and b.id = $2
      group by b.id`,
    [shop, batchId],
  );
  const row = result.rows[0];
  if (!row) return null;
  return { id: batchId, ...row, done: !row.walking && row.pending === 0 };
}

// A batch id is a bigint; beyond JavaScript's safe integers it cannot be one the app made.
const batchParam = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/)
  .transform(Number)
  .refine(Number.isSafeInteger);

/** The queue panel's `?batch=` parameter: absent, a batch id, or why it cannot be one. */
export function parseBatchParam(
  raw: string | null,
): { ok: true; batchId: number | null } | { ok: false; error: Message } {
  if (raw === null) return { ok: true, batchId: null };
  const parsed = batchParam.safeParse(raw);
  if (parsed.success) return { ok: true, batchId: parsed.data };
  return {
    ok: false,
    error: message("queue.errors.badBatch", { value: raw.slice(0, 40) }),
  };
}

/** A well-formed batch id that is not one of this shop's bulk retries. */
export const BATCH_NOT_FOUND: Message = message("queue.errors.batchNotFound");
