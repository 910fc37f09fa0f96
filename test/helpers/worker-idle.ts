import type { Pool } from "pg";
import type { SyncWorker } from "~/worker/runner.server";

/**
 * What a "nothing happens" assertion waits for instead of a fixed time: the in-process
 * worker asked the queue for a job in a fetch that began after this call, found none it
 * may take, and runs no job of its own afterwards. Whatever was due by then (a paused
 * shop's jobs, say) it had its chance at and left alone.
 */
export function idleFetch(
  worker: SyncWorker,
  pool: Pool,
  timeoutMs = 30_000,
): Promise<void> {
  const events = worker.runner.events;
  type Slot = { worker: unknown };
  return new Promise<void>((resolve, reject) => {
    // Worker slots whose fetch began after this call, and has not answered yet.
    const fetching = new Set<unknown>();
    const onStart = ({ worker: slot }: Slot) => void fetching.add(slot);
    const onEmpty = ({ worker: slot }: Slot) => {
      if (!fetching.delete(slot)) return;
      void runningJobs(worker, pool).then((running) => {
        if (running === 0) finish();
      }, finish);
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `the worker did not come back empty-handed from a fetch within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    function finish(error?: unknown) {
      clearTimeout(timer);
      events.off("worker:getJob:start", onStart);
      events.off("worker:getJob:empty", onEmpty);
      if (error)
        reject(error instanceof Error ? error : new Error(String(error)));
      else resolve();
    }
    events.on("worker:getJob:start", onStart);
    events.on("worker:getJob:empty", onEmpty);
  });
}

async function runningJobs(worker: SyncWorker, pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from graphile_worker.jobs where locked_by = $1`,
    [worker.lockId()],
  );
  return rows[0]!.n;
}

/** Jobs of these shipments a worker could take now (due, not locked). */
export async function dueSyncJobs(
  pool: Pool,
  shipmentIds: number[],
): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from graphile_worker.jobs
      where key = any($1::text[]) and run_at <= now() and locked_at is null`,
    [shipmentIds.map((id) => `sync-shipment:${id}`)],
  );
  return rows[0]!.n;
}
