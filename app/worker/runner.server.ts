import { EventEmitter } from "node:events";
import { assertSessionConnection } from "~/db/connection-mode.server";
import { schedulesInDatabase, sweepOutbox, WORKER_CRONTAB } from "./schedules.server";
import { hostname } from "node:os";
import { parseCrontab, run, type Runner, type Task, type WorkerEvents } from "graphile-worker";
import { handlePoolErrors } from "~/db/pool-errors";
import { ordersTaskList } from "~/orders/backfill.server";
import { retryWalkTaskList } from "~/queue/retry-all-matching.server";
import { reconcileTaskList } from "~/reconcile/reconcile.server";
import type { Pool } from "pg";
import { z } from "zod";
import { syncShipment, type FulfillmentOrderRead } from "~/fulfillment/sync.server";
import { OrderReadCache } from "./order-read-cache";
import type { AdminApiSession } from "~/shopify/admin-graphql.server";
import { pausedShopFlags } from "~/shops/sync-circuit.server";
import { ShopPacer } from "./pacer";
import { PausedShopFlags } from "./paused-flags";
import { installQueueSchema, quietLogger } from "./queue-schema.server";
import { syncDependencies } from "./sync-deps.server";

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
export interface SyncWorkerOptions {
  pool: Pool;
  loadSession: (shop: string) => Promise<AdminApiSession | null>;
  /** Jobs run at once in this process. */
  concurrency?: number;
  callTimeoutMs?: number;
  /** How often this process proves it is alive, and how stale a dead one is. */
  heartbeatMs?: number;
  deadAfterMs?: number;
  /** How often pending shipments without a job are re-queued. */
  sweepMs?: number;
  pacer?: ShopPacer;
  /** Jitter source for retry delays (tests pass () => 0 for immediate retries). */
  random?: () => number;
  retryBaseMs?: number;
  /** Called after each sync run (progress, tests). */
  onRun?: (event: { shop: string; shipmentId: number; outcome: string }) => void;
}

export interface SyncWorker {
  runner: Runner;
  /** The id this process's jobs are locked with (`graphile_worker.jobs.locked_by`). */
  lockId(): string | null;
  pacer: ShopPacer;
  /** Stops taking jobs, waits for running ones, stops the timers. */
  stop(): Promise<void>;
}

const BUSY_RECHECK_MS = 1_000;

const payloadSchema = z.object({ shop: z.string().min(1), shipmentId: z.number().int().positive() });

export async function startSyncWorker(options: SyncWorkerOptions): Promise<SyncWorker> {
  const { pool } = options;
  // Before graphile-worker first sees the pool (its migrations included).
  handlePoolErrors(pool, "[worker] Postgres pool");
  const pacer = options.pacer ?? new ShopPacer();
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const deadAfterMs = options.deadAfterMs ?? 30_000;
  const deps = syncDependencies({
    pool,
    loadSession: options.loadSession,
    callTimeoutMs: options.callTimeoutMs ?? 20_000,
    pacer,
    random: options.random,
    retryBaseMs: options.retryBaseMs,
    orderReads: new OrderReadCache<FulfillmentOrderRead>(),
  });

  // LISTEN/NOTIFY, graphile-worker's prepared statements and the run locks need a session
  // connection: refuse a transaction-mode pooler at start, naming the URL to use instead.
  await assertSessionConnection(pool, "The sync worker");
  await installQueueSchema(pool);
  warnIfPoolTooSmall(pool, options.concurrency ?? 5);

  const pausedFlags = new PausedShopFlags(() => pausedShopFlags(pool));
  const pauseShop = deps.pauseShop;
  deps.pauseShop = async (shop, error) => {
    await pauseShop?.(shop, error);
    pausedFlags.add(shop);
  };
  await pausedFlags.refresh();
  pausedFlags.start((error) => console.error("[worker] reading paused shops failed", error));

  const syncTask: Task = async (rawPayload, helpers) => {
    const { shop, shipmentId } = payloadSchema.parse(rawPayload);
    const outcome = await syncShipment(deps, shop, shipmentId);
    options.onRun?.({ shop, shipmentId, outcome: outcome.kind });
    if (outcome.kind === "busy") {
      // Another run (an action's inline sync, or the job this one replaced) holds the
      // shipment. Look again in a second rather than lose the request — and rather than
      // fail the job, whose backoff (e^attempts s) would leave it waiting far longer.
      await helpers.addJob("sync_shipment", { shop, shipmentId }, {
        jobKey: `sync-shipment:${shipmentId}`,
        runAt: new Date(Date.now() + BUSY_RECHECK_MS),
        flags: [`shop:${shop}`],
        maxAttempts: 25,
      });
      return;
    }
    // Failures are recorded on the shipment itself, and a retry is re-queued by the
    // trigger when next_retry_at is set: the job is done either way.
  };

  const readDeps = { pool, loadSession: options.loadSession, pacer, callTimeoutMs: 20_000 };
  const processName = `${hostname()}:${process.pid}`;
  // Listeners go on our own emitter BEFORE run(): run() creates the pool and its
  // workers synchronously, and the first job can be locked before run() returns.
  const events: WorkerEvents = new EventEmitter();
  let poolId: string | null = null;
  events.on("pool:create", ({ workerPool }) => {
    poolId = workerPool.id;
    void beat();
  });
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
      sync_shipment: syncTask,
      // Drift repair and order backfill (app/reconcile, app/orders) share the pacing.
      ...reconcileTaskList(readDeps),
      ...ordersTaskList(readDeps),
      // "Retry all matching", walked in bounded batches (app/queue).
      ...retryWalkTaskList(pool),
    },
    // Hourly: compare synced shipments with Shopify and repair drift (with a report).
    parsedCronItems: databaseSchedules ? [] : parseCrontab(WORKER_CRONTAB),
    forbiddenFlags: () => pausedFlags.get(),
  });

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

  async function releaseDeadWorkers() {
    await releaseJobsOfDeadWorkers(pool, deadAfterMs).catch((error) =>
      console.error("[worker] releasing dead workers' jobs failed", error),
    );
  }

  async function sweep() {
    await sweepOutbox(pool).catch((error) => console.error("[worker] outbox sweep failed", error));
  }

  await beat();
  await releaseDeadWorkers();
  if (!databaseSchedules) await sweep();
  const timers = [
    setInterval(() => void beat(), heartbeatMs),
    setInterval(() => void releaseDeadWorkers(), Math.max(1_000, Math.floor(deadAfterMs / 3))),
    ...(databaseSchedules ? [] : [setInterval(() => void sweep(), options.sweepMs ?? 60_000)]),
  ];
  for (const timer of timers) timer.unref();

  return {
    runner,
    pacer,
    lockId: () => poolId,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      pausedFlags.stop();
      await runner.stop();
      await pool.query(`delete from worker_heartbeats where worker_id = $1`, [poolId]).catch(() => undefined);
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
