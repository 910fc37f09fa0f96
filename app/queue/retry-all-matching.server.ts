import type { Pool } from "pg";
import { z } from "zod";
import type { Queryable } from "~/db/queryable";
import { withTransaction } from "~/db/transaction.server";
import { retry } from "~/fulfillment/shipment-store.server";
import { shipmentFilterSql, type ShipmentFilters } from "~/shipments/shipment-list.server";

/**
 * 「条件に一致するすべてを再試行」 in bounded batches. The request only records the batch
 * (sync_batches, with its filter) and queues one `retry_matching_batch` job in the same
 * transaction, so it returns at once whatever the number of rows. The job walks the
 * matching shipments by id (keyset) `batchSize` at a time, one short transaction per
 * batch: each batch goes through the `retry` transition (the outbox trigger queues their
 * syncs) and is appended to the batch row with the walk's position. A job that dies mid-walk is retried by the
 * queue and resumes after the last committed batch; the progress bar follows
 * sync_batches throughout.
 */
export const RETRY_WALK_TASK = "retry_matching_batch";
export const DEFAULT_RETRY_BATCH_SIZE = 500;

const filtersSchema = z.object({
  status: z.enum(["unshipped", "shipped"]).optional(),
  syncState: z.enum(["in_sync", "pending", "failed"]).optional(),
  vendor: z.string().optional(),
  query: z.string().optional(),
});
const payloadSchema = z.object({ shop: z.string().min(1), batchId: z.number().int().positive() });

/** Records the batch and queues its walk; returns the batch id for the progress bar. */
export async function startRetryAllMatching(pool: Pool, shop: string, filters: ShipmentFilters): Promise<number> {
  return withTransaction(pool, async (tx) => {
    const batch = await tx.query<{ id: string }>(
      `insert into sync_batches (shop, scope, filters) values ($1, 'all_matching', $2) returning id`,
      [shop, JSON.stringify(filtersSchema.parse(filters))],
    );
    const batchId = Number(batch.rows[0]!.id);
    await tx.query(
      `select graphile_worker.add_job($1, json_build_object('shop', $2::text, 'batchId', $3::bigint),
                                      job_key => 'retry-batch:' || $3, max_attempts => 25)`,
      [RETRY_WALK_TASK, shop, batchId],
    );
    return batchId;
  });
}

export interface WalkStep {
  queued: number;
  walked: boolean;
}

/**
 * One batch of the walk, in one transaction: the next `batchSize` matching shipments
 * after the last id walked are retried and recorded. The batch row is locked for the
 * step, so two runs of the same job never walk the same ids.
 */
export async function walkRetryBatch(
  pool: Pool,
  shop: string,
  batchId: number,
  batchSize = DEFAULT_RETRY_BATCH_SIZE,
): Promise<WalkStep> {
  return withTransaction(pool, async (tx) => {
    const batch = await tx.query<{ filters: unknown; walked_to_id: string | null; walked_at: Date | null; total: number | null }>(
      `select filters, walked_to_id, walked_at, total from sync_batches
        where shop = $1 and id = $2 and scope = 'all_matching' for update`,
      [shop, batchId],
    );
    const row = batch.rows[0];
    if (!row || row.walked_at) return { queued: 0, walked: true };
    const filters = filtersSchema.parse(row.filters ?? {});
    const after = row.walked_to_id === null ? 0 : Number(row.walked_to_id);
    if (row.total === null) {
      // The bar's denominator: what matches as the walk starts.
      await tx.query(`update sync_batches set total = $3 where shop = $1 and id = $2`, [
        shop,
        batchId,
        await countRetryable(tx, shop, filters),
      ]);
    }

    const { where, params } = shipmentFilterSql(shop, filters);
    params.push(after, batchSize);
    const next = await tx.query<{ id: string }>(
      `select s.id from shipments s
        where ${where} and s.sync_state <> 'in_sync' and s.id > $${params.length - 1}
        order by s.id limit $${params.length}`,
      params,
    );
    const ids = next.rows.map((r) => Number(r.id));
    // The retry transition is the state owner's (app/fulfillment/shipment-store).
    const queued = await retry(tx, shop, ids);
    const walked = ids.length < batchSize;
    await tx.query(
      `update sync_batches
          set shipment_ids = shipment_ids || $3::bigint[],
              walked_to_id = coalesce($4, walked_to_id),
              batches_done = batches_done + case when $5 > 0 then 1 else 0 end,
              walked_at = case when $6 then now() end,
              total = case when $6 then cardinality(shipment_ids || $3::bigint[]) else total end
        where shop = $1 and id = $2`,
      [shop, batchId, queued, ids.length ? ids[ids.length - 1] : null, ids.length, walked],
    );
    return { queued: queued.length, walked };
  });
}

async function countRetryable(db: Queryable, shop: string, filters: ShipmentFilters): Promise<number> {
  const { where, params } = shipmentFilterSql(shop, filters);
  const result = await db.query<{ n: number }>(
    `select count(*)::int as n from shipments s where ${where} and s.sync_state <> 'in_sync'`,
    params,
  );
  return result.rows[0]!.n;
}

/** The walk as a graphile-worker task: batch after batch until the matching set is done. */
export function retryWalkTaskList(pool: Pool, batchSize = DEFAULT_RETRY_BATCH_SIZE) {
  return {
    [RETRY_WALK_TASK]: async (rawPayload: unknown) => {
      const { shop, batchId } = payloadSchema.parse(rawPayload);
      for (;;) {
        const step = await walkRetryBatch(pool, shop, batchId, batchSize);
        if (step.walked) return;
      }
    },
  };
}
