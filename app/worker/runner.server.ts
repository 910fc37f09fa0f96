import { EventEmitter } from "node:events";
import { assertSessionConnection } from "~/db/connection-mode.server";
import { schedulesInDatabase, sweepOutbox, WORKER_CRONTAB } from "./schedules.server";
import { parseCrontab, run, type Runner, type WorkerEvents } from "graphile-worker";
import { handlePoolErrors } from "~/db/pool-errors";
import { ordersTaskList } from "~/orders/backfill.server";
import { retryWalkTaskList } from "~/queue/retry-all-matching.server";
import { reconcileTaskList } from "~/reconcile/reconcile.server";
import type { Pool } from "pg";
import { beatUnderPoolId, releaseJobsOfDeadWorkers } from "./heartbeat.server";
import type { ShopPacer } from "~/shopify/pacer";
import { installQueueSchema, quietLogger } from "./queue-schema.server";
import { createSyncTask, SYNC_TASK, type SyncTaskOptions } from "./sync-task.server";

export { releaseJobsOfDeadWorkers } from "./heartbeat.server";

/**
 * The sync worker: graphile-worker on the app's pg pool, running `sync_shipment` jobs
 * that the shipments trigger queues (one per shipment). It runs inside the app server
 * by default and as `npm run worker` for scale; any number of processes on any number
 * of machines share one database.
 *
 * Beside graphile-worker's own loop it keeps three promises:
 * - paused shops' jobs are not taken (forbidden flags, read from `shops` on each fetch);
 * - a worker that dies mid-call does not hold its job for graphile-worker's 4-hour
 *   lock expiry: every process beats in worker_heartbeats under the id its jobs are
 *   locked with — graphile-worker 0.16+ locks with the worker POOL's id (`pool-…`),
 *   not a worker's — and live processes release the jobs of pool ids that stopped
 *   beating, so the shipment is retried within seconds, reconciling first because its
 *   call may have reached Shopify. A pool that beats is never unlocked, however long
 *   its job runs (a wait on the pace, a slow Shopify);
 * - a pending shipment never lacks a job (the outbox sweep re-queues any that do).
 */
export interface SyncWorkerOptions extends SyncTaskOptions {
  /** Jobs run at once in this process. */
  concurrency?: number;
  /** How often this process proves it is alive, and how stale a dead one is. */
  heartbeatMs?: number;
  deadAfterMs?: number;
  /** How often pending shipments without a job are re-queued. */
  sweepMs?: number;
}

export interface SyncWorker {
  runner: Runner;
  /** The id this process's jobs are locked with (`graphile_worker.jobs.locked_by`). */
  lockId(): string | null;
  pacer: ShopPacer;
  /** Stops taking jobs, waits for running ones, stops the timers. */
  stop(): Promise<void>;
}

export async function startSyncWorker(options: SyncWorkerOptions): Promise<SyncWorker> {
  const { pool } = options;
  // Before graphile-worker first sees the pool (its migrations included).
  handlePoolErrors(pool, "[worker] Postgres pool");
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const deadAfterMs = options.deadAfterMs ?? 30_000;

  // LISTEN/NOTIFY, graphile-worker's prepared statements and the run locks need a session
  // connection: refuse a transaction-mode pooler at start, naming the URL to use instead.
  await assertSessionConnection(pool, "The sync worker");
  await installQueueSchema(pool);
  warnIfPoolTooSmall(pool, options.concurrency ?? 5);

  const { task: syncTask, pacer, pausedFlags } = createSyncTask(options);
  await pausedFlags.refresh();
  pausedFlags.start((error) => console.error("[worker] reading paused shops failed", error));

  const readDeps = { pool, loadSession: options.loadSession, pacer, callTimeoutMs: options.callTimeoutMs ?? 20_000 };
  // Listeners go on our own emitter BEFORE run(): run() creates the pool and its
  // workers synchronously, and the first job can be locked before run() returns.
  const events: WorkerEvents = new EventEmitter();
  const heartbeat = beatUnderPoolId(pool, events, heartbeatMs);
  // pg_cron may hold the sweep and the reconcile (Supabase): then this process runs neither.
  const databaseSchedules = await schedulesInDatabase(pool);
  const runner = await run({
    pgPool: pool,
    events,
    concurrency: options.concurrency ?? 5,
    noHandleSignals: true,
    pollInterval: 1_000,
    logger: quietLogger(),
    taskList: {
      [SYNC_TASK]: syncTask,
      // Drift repair and order backfill (app/reconcile, app/orders) share the pacing.
      ...reconcileTaskList(readDeps),
      ...ordersTaskList(readDeps),
      // "Retry all matching", walked in bounded batches (app/queue).
      ...retryWalkTaskList(pool),
    },
    // Hourly: compare synced shipments with Shopify and repair drift (with a report).
    parsedCronItems: databaseSchedules ? [] : parseCrontab(WORKER_CRONTAB),
    forbiddenFlags: () => pausedFlags.get(),
  }).catch(async (error: unknown) => {
    pausedFlags.stop();
    await heartbeat.stop();
    throw error;
  });

  async function releaseDeadWorkers() {
    await releaseJobsOfDeadWorkers(pool, deadAfterMs).catch((error) =>
      console.error("[worker] releasing dead workers' jobs failed", error),
    );
  }

  async function sweep() {
    await sweepOutbox(pool).catch((error) => console.error("[worker] outbox sweep failed", error));
  }

  await heartbeat.beat();
  await releaseDeadWorkers();
  if (!databaseSchedules) await sweep();
  const timers = [
    setInterval(() => void releaseDeadWorkers(), Math.max(1_000, Math.floor(deadAfterMs / 3))),
    ...(databaseSchedules ? [] : [setInterval(() => void sweep(), options.sweepMs ?? 60_000)]),
  ];
  for (const timer of timers) timer.unref();

  return {
    runner,
    pacer,
    lockId: heartbeat.lockId,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      pausedFlags.stop();
      await runner.stop();
      await heartbeat.stop();
    },
  };
}

/** Queues every pending shipment that has no job (e.g. made pending before the queue existed). */
export const requeueOrphanedShipments = sweepOutbox;

/**
 * A running job holds its run lock's connection (an open transaction) and needs another
 * for its queries, and graphile-worker keeps one for LISTEN: with `concurrency + 1`
 * connections or fewer, every job can hold a lock while waiting for a query connection
 * that never frees. (Up to `2 × concurrency + 2` are used; fewer only make jobs queue.)
 */
export function warnIfPoolTooSmall(pool: Pool, concurrency: number): void {
  const max = (pool as { options?: { max?: number } }).options?.max ?? 10;
  if (max <= concurrency + 1) {
    console.warn(
      `[worker] the database pool allows ${max} connections: ${concurrency} concurrent jobs can deadlock ` +
        `waiting for one; lower the concurrency or raise the pool to ${2 * concurrency + 2}`,
    );
  }
}
