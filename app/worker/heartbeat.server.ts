import type { WorkerEvents } from "graphile-worker";
import { hostname } from "node:os";
import type { Pool } from "pg";

/**
 * Crash safety shared by every queue consumer (the worker, the Edge Function's drain).
 * graphile-worker 0.16+ locks a job with its worker POOL's id (`pool-…`, `otpool-…` for a
 * one-time pool), so that is what a consumer beats under in worker_heartbeats, from the
 * pool's creation on; a consumer that beats keeps its jobs however long they run, and one
 * that stopped beating (killed, frozen, a serverless function cut off at its wall-clock
 * limit) has its jobs released by the next consumer that looks.
 */
export interface PoolHeartbeat {
  /** The id this consumer's jobs are locked with, once graphile-worker created its pool. */
  lockId(): string | null;
  beat(): Promise<void>;
  /** Stops beating and removes the row (a clean exit leaves no stale heartbeat). */
  stop(): Promise<void>;
}

/**
 * Beats every `heartbeatMs` under the id of the pool created on `events`. Attach it BEFORE
 * run()/runOnce(): they create the pool synchronously, and the first job can be locked
 * before they return.
 */
export function beatUnderPoolId(pool: Pool, events: WorkerEvents, heartbeatMs: number): PoolHeartbeat {
  const processName = `${hostname()}:${process.pid}`;
  let poolId: string | null = null;
  async function beat() {
    if (!poolId) return;
    await pool
      .query(
        `insert into worker_heartbeats (worker_id, process, last_seen)
         values ($1, $2, now())
         on conflict (worker_id) do update set last_seen = now()`,
        [poolId, processName],
      )
      .catch((error) => console.error("[worker] heartbeat failed", error));
  }
  events.on("pool:create", ({ workerPool }) => {
    poolId = workerPool.id;
    void beat();
  });
  const timer = setInterval(() => void beat(), heartbeatMs);
  timer.unref();
  return {
    lockId: () => poolId,
    beat,
    async stop() {
      clearInterval(timer);
      if (poolId) await pool.query(`delete from worker_heartbeats where worker_id = $1`, [poolId]).catch(() => undefined);
    },
  };
}

/**
 * Releases the jobs of worker pools that stopped beating (killed, frozen, network
 * lost): a job locked for longer than `deadAfterMs` by a lock id with no heartbeat in
 * the last `deadAfterMs`. That also covers a process killed before its first beat. A
 * pool that beats keeps its jobs, however old their locks.
 */
export async function releaseJobsOfDeadWorkers(pool: Pool, deadAfterMs: number): Promise<string[]> {
  const dead = await pool.query<{ worker_id: string }>(
    `select distinct j.locked_by as worker_id
       from graphile_worker.jobs j
      where j.locked_by is not null
        and j.locked_at < now() - make_interval(secs => $1::double precision / 1000)
        and not exists (select 1 from worker_heartbeats h
                         where h.worker_id = j.locked_by
                           and h.last_seen > now() - make_interval(secs => $1::double precision / 1000))`,
    [deadAfterMs],
  );
  const ids = dead.rows.map((r) => r.worker_id);
  if (ids.length > 0) {
    await pool.query(`select graphile_worker.force_unlock_workers($1::text[])`, [ids]);
    await pool.query(`delete from worker_heartbeats where worker_id = any($1::text[])`, [ids]);
  }
  await pool.query(
    `delete from worker_heartbeats
      where last_seen < now() - make_interval(secs => $1::double precision / 1000) * 10`,
    [deadAfterMs],
  );
  return ids;
}
