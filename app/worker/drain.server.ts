import { EventEmitter } from "node:events";
import { runOnce, type Task, type TaskList, type WorkerEvents, type WorkerPool } from "graphile-worker";
import type { Pool } from "pg";
import { assertSessionConnection } from "~/db/connection-mode.server";
import { handlePoolErrors } from "~/db/pool-errors";
import { retryWalkTaskList } from "~/queue/retry-all-matching.server";
import { beatUnderPoolId, releaseJobsOfDeadWorkers } from "./heartbeat.server";
import { quietLogger } from "./queue-schema.server";
import { createSyncTask, SYNC_TASK, type SyncRunEvent, type SyncTaskOptions } from "./sync-task.server";

/**
 * The queue drained for a bounded time, without a long-lived process: what the Edge
 * Function supabase/functions/drain-sync-queue runs on each call (pg_cron or the host's
 * cron calls it every minute). The jobs are the worker's own — the same `sync_shipment`
 * task (sync-task.server.ts), paused shops' flags, heartbeats and dead-consumer release
 * (heartbeat.server.ts) — run through graphile-worker's runOnce: every due job is taken
 * until none is left or the time is up. At the deadline no new job is taken; the running
 * ones finish (each sync run is bounded by its call timeouts), so a drain ends within
 * `untilMs` plus one run.
 *
 * Besides syncs it runs "retry all matching" walks (bounded batches that only queue
 * syncs). The hourly reconcile and order backfills are left to a worker process: they
 * run as long as a shop has orders, which no time box bounds.
 */
export interface DrainOptions extends SyncTaskOptions {
  /** Take no job after this time (epoch ms). */
  untilMs: number;
  /**
   * Take no job after this many were started (running ones finish): bounds the CPU a call
   * spends, for hosts that limit it per request (Supabase Edge Functions: 2 s).
   */
  maxJobs?: number;
  /** Jobs run at once (the pool needs 2 × concurrency + 2 connections). */
  concurrency?: number;
  heartbeatMs?: number;
  /** A consumer silent this long has its jobs released (a drain cut off by its host). */
  deadAfterMs?: number;
  /** Where the pool's connection string comes from, for the transaction-pooler refusal. */
  connectionSetting?: string;
}

export interface DrainReport {
  /** Every sync run, in the order they finished. */
  runs: SyncRunEvent[];
  /** Runs per outcome (`synced`, `failed`, `busy`, `nothing_to_do`). */
  outcomes: Record<string, number>;
  /** `empty`: no due job was left; `deadline`: the time was up first; `limit`: maxJobs were started. */
  stoppedBy: "empty" | "deadline" | "limit";
  elapsedMs: number;
  /** Sync jobs due now and not taken when the drain stopped (the next call's work). */
  dueLeft: number;
  /** Lock ids of consumers that had stopped beating, whose jobs were released. */
  releasedDeadConsumers: string[];
}

/** Pools already checked for a transaction-mode pooler (an Edge Function's isolate is reused). */
const sessionChecked = new WeakSet<Pool>();

export async function drainSyncQueue(options: DrainOptions): Promise<DrainReport> {
  const startedAt = Date.now();
  const { pool } = options;
  handlePoolErrors(pool, "[drain] Postgres pool");
  if (!sessionChecked.has(pool)) {
    // The run locks, the token refresh lock and graphile-worker's prepared statements need a
    // session connection, as the worker's do: refuse a transaction-mode pooler, naming the fix.
    await assertSessionConnection(pool, "The queue drain", options.connectionSetting);
    sessionChecked.add(pool);
  }
  const releasedDeadConsumers = await releaseJobsOfDeadWorkers(pool, options.deadAfterMs ?? 30_000);

  const runs: SyncRunEvent[] = [];
  const { task, pausedFlags } = createSyncTask({
    ...options,
    onRun: (event) => {
      runs.push(event);
      options.onRun?.(event);
    },
  });
  await pausedFlags.refresh();
  pausedFlags.start((error) => console.error("[drain] reading paused shops failed", error));

  const events: WorkerEvents = new EventEmitter();
  const heartbeat = beatUnderPoolId(pool, events, options.heartbeatMs ?? 5_000);
  let workerPool: WorkerPool | null = null;
  let timeUp = false;
  let started = 0;
  let limitHit = false;
  const shutDown = () => {
    if (workerPool?._active && !workerPool._shuttingDown)
      void Promise.resolve(workerPool.gracefulShutdown("the drain's time is up")).catch(() => undefined);
  };
  events.on("pool:create", ({ workerPool: created }) => {
    workerPool = created;
    if (timeUp) shutDown();
  });
  const deadline = setTimeout(() => {
    timeUp = true;
    shutDown();
  }, Math.max(0, options.untilMs - Date.now()));

  try {
    if (!timeUp) {
      await runOnce({
        pgPool: pool,
        events,
        concurrency: options.concurrency ?? 3,
        noHandleSignals: true,
        logger: quietLogger(),
        taskList: counted({ [SYNC_TASK]: task, ...retryWalkTaskList(pool) }, () => {
          started += 1;
          if (options.maxJobs !== undefined && started >= options.maxJobs && !limitHit) {
            limitHit = true;
            shutDown(); // this job and the running ones finish; no other is taken
          }
        }),
        forbiddenFlags: () => pausedFlags.get(),
      });
    }
  } finally {
    clearTimeout(deadline);
    pausedFlags.stop();
    await heartbeat.stop();
  }

  const outcomes: Record<string, number> = {};
  for (const run of runs) outcomes[run.outcome] = (outcomes[run.outcome] ?? 0) + 1;
  return {
    runs,
    outcomes,
    stoppedBy: limitHit ? "limit" : timeUp ? "deadline" : "empty",
    elapsedMs: Date.now() - startedAt,
    dueLeft: await dueSyncJobs(pool, await pausedFlags.refresh()),
    releasedDeadConsumers,
  };
}

/** The same tasks, each calling `onStart` before it runs. */
function counted(tasks: TaskList, onStart: () => void): TaskList {
  return Object.fromEntries(
    Object.entries(tasks).map(([name, task]) => [
      name,
      ((payload, helpers) => {
        onStart();
        return task!(payload, helpers);
      }) satisfies Task,
    ]),
  );
}

/** Due, unlocked sync jobs of shops that are not paused (a paused shop's jobs wait for its fix). */
async function dueSyncJobs(pool: Pool, forbiddenFlags: string[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from graphile_worker.jobs
      where task_identifier = $1 and run_at <= now() and locked_at is null
        and attempts < max_attempts and (flags ?| $2::text[]) is not true`,
    [SYNC_TASK, forbiddenFlags],
  );
  return rows[0]!.n;
}
