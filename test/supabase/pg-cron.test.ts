/**
 * The periodic work — the outbox sweep and the hourly reconcile — is scheduled by exactly
 * one scheduler: pg_cron where the database has it (Debian's postgresql-15-cron here, as on
 * Supabase), the worker otherwise. Migration 20261201000901 is a no-op without pg_cron.
 */
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "~/db/migrate.server";
import { installQueueSchema } from "~/worker/queue-schema.server";
import { DATABASE_SCHEDULES, schedulesInDatabase, sweepOutbox } from "~/worker/schedules.server";
import { waitUntil } from "../helpers/wait-until";
import { createTestDatabase, testPool, type TestDatabase } from "../support/database";
import { startPostgres, type RunningPostgres } from "../support/postgres";

const SCHEDULES = "20261201000901";
const SHOP = "cron-shop.myshopify.com";

async function jobKeys(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ key: string }>("select key from graphile_worker.jobs order by key");
  return rows.map((r) => r.key);
}

/** A pending shipment whose job is gone (the sweep's case). */
async function orphanedPendingShipment(pool: pg.Pool): Promise<number> {
  await pool.query("insert into shops (shop) values ($1) on conflict do nothing", [SHOP]);
  const { rows } = await pool.query<{ id: string }>(
    `insert into shipments (shop, order_id, order_name, status, shipped_at, sync_state, pending_operation, tracking_numbers)
     values ($1, 'gid://shopify/Order/77' || (random() * 100000)::int, '#7701', 'shipped', now(), 'pending',
             'create_fulfillment', array['T-1'])
     returning id`,
    [SHOP],
  );
  const id = Number(rows[0]!.id);
  await pool.query("delete from graphile_worker._private_jobs where key = $1", [`sync-shipment:${id}`]);
  return id;
}

describe("without pg_cron (this cluster does not preload it)", () => {
  it("the migration changed nothing but the sweep function, and the worker is the scheduler", async () => {
    const pool = testPool();
    expect((await pool.query("select to_regclass('cron.job') as t")).rows[0].t).toBeNull();
    expect(await schedulesInDatabase(pool)).toBe(false);

    const id = await orphanedPendingShipment(pool);
    const { startSyncWorker } = await import("~/worker/runner.server");
    const worker = await startSyncWorker({ pool, loadSession: async () => null, concurrency: 1 });
    try {
      // The worker sweeps at start and registered its crontab.
      const crontabs = await pool.query("select identifier from graphile_worker._private_known_crontabs");
      expect(crontabs.rows.map((r) => r.identifier)).toContain("reconcile_shops");
      expect(await jobKeys(pool)).toContain(`sync-shipment:${id}`);
    } finally {
      await worker.stop();
    }
  });
});

describe("upgrade from the previous schema, with data", () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase({ template: "template1" });
    dir = await mkdtemp(path.join(tmpdir(), "schedules-upgrade-"));
    const source = path.resolve("supabase/migrations");
    for (const file of await readdir(source)) {
      if (file.endsWith(".sql") && file.split("_")[0]! < SCHEDULES) await copyFile(path.join(source, file), path.join(dir, file));
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  it("keeps every shipment and job, and the new sweep re-queues what the old one would", async () => {
    await applyMigrations(db.url, { dir });
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on("error", () => undefined);
    try {
      await installQueueSchema(pool);
      const orphan = await orphanedPendingShipment(pool);
      const before = await pool.query("select count(*)::int as n from shipments");

      const { applied } = await applyMigrations(db.url);
      expect(applied.some((f) => f.startsWith(SCHEDULES))).toBe(true);

      expect((await pool.query("select count(*)::int as n from shipments")).rows[0].n).toBe(before.rows[0].n);
      expect(await sweepOutbox(pool)).toBe(1);
      expect(await jobKeys(pool)).toContain(`sync-shipment:${orphan}`);
      expect(await sweepOutbox(pool)).toBe(0);
      // Not callable through Supabase's API roles.
      const grants = await pool.query(
        "select has_function_privilege('anon', 'public.sweep_outbox()', 'execute') as anon, has_function_privilege('authenticated', 'public.sweep_outbox()', 'execute') as auth",
      );
      expect(grants.rows[0]).toEqual({ anon: false, auth: false });
    } finally {
      await pool.end();
    }
  });
});

describe("with pg_cron (a cluster that preloads it, as Supabase does)", () => {
  let server: RunningPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    server = await startPostgres({
      settings: { shared_preload_libraries: "pg_cron", "cron.database_name": "app" },
    });
    const admin = new pg.Client(server.adminUrl());
    await admin.connect();
    await admin.query("create database app");
    await admin.end();
    await applyMigrations(server.adminUrl("app"));
    pool = new pg.Pool({ connectionString: server.adminUrl("app"), max: 4 });
    pool.on("error", () => undefined);
    await installQueueSchema(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  it("the migration enabled pg_cron and scheduled the sweep every minute and the reconcile hourly", async () => {
    const { rows } = await pool.query<{ jobname: string; schedule: string; active: boolean }>(
      "select jobname, schedule, active from cron.job order by jobname",
    );
    expect(rows).toEqual([
      { jobname: "vendor-shipments:outbox-sweep", schedule: "* * * * *", active: true },
      { jobname: "vendor-shipments:reconcile-shops", schedule: "15 * * * *", active: true },
    ]);
    expect(rows.map((r) => r.jobname)).toEqual([...DATABASE_SCHEDULES]);
    expect(await schedulesInDatabase(pool)).toBe(true);
  });

  it("the reconcile schedule's command queues the reconcile job (once, by its key)", async () => {
    const { rows } = await pool.query<{ command: string }>(
      "select command from cron.job where jobname = 'vendor-shipments:reconcile-shops'",
    );
    await pool.query(rows[0]!.command);
    await pool.query(rows[0]!.command);
    const jobs = await pool.query(
      `select t.identifier, j.key from graphile_worker._private_jobs j
         join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'reconcile_shops'`,
    );
    expect(jobs.rows).toEqual([{ identifier: "reconcile_shops", key: "reconcile_shops" }]);
    await pool.query("delete from graphile_worker._private_jobs where key = 'reconcile_shops'");
  });

  it("a worker started there runs neither the sweep nor the crontab", async () => {
    await untilSafelyInsideAMinute();
    const id = await orphanedPendingShipment(pool);
    const { startSyncWorker } = await import("~/worker/runner.server");
    const worker = await startSyncWorker({ pool, loadSession: async () => null, concurrency: 1, sweepMs: 100, heartbeatMs: 300 });
    try {
      // A worker that sweeps does so before start returns (the first case above), then
      // every 100 ms: three of its 300-ms heartbeats later (600 ms or more), six sweeps
      // would have run.
      await heartbeats(pool, worker.lockId()!, 3);
      expect(await jobKeys(pool)).not.toContain(`sync-shipment:${id}`);
      const crontabs = await pool.query("select identifier from graphile_worker._private_known_crontabs");
      expect(crontabs.rows).toEqual([]);
    } finally {
      await worker.stop();
    }
  });

  it("pg_cron itself runs the sweep: an orphaned pending shipment gets its job at the next minute", async () => {
    const id = (await pool.query<{ id: string }>("select id from shipments where shop = $1 order by id desc limit 1", [SHOP]))
      .rows[0]!.id;
    await waitUntil("pg_cron to run the sweep", async () => (await jobKeys(pool)).includes(`sync-shipment:${id}`), 75_000, 500);
    const runs = await pool.query(
      `select d.status from cron.job_run_details d join cron.job j on j.jobid = d.jobid
        where j.jobname = 'vendor-shipments:outbox-sweep' order by d.runid desc limit 1`,
    );
    expect(runs.rows[0]?.status).toBe("succeeded");
  }, 90_000);
});

/** pg_cron ticks on the minute: keep a short observation window clear of a tick. */
async function untilSafelyInsideAMinute() {
  await waitUntil(
    "a moment clear of pg_cron's minute tick",
    async () => {
      const second = new Date().getSeconds();
      return second >= 3 && second <= 50;
    },
    60_000,
    500,
  );
}

/** Resolves once the worker's heartbeat row has been written `beats` more times. */
async function heartbeats(pool: pg.Pool, lockId: string, beats: number) {
  const lastSeen = async () =>
    (await pool.query<{ at: string }>("select last_seen::text as at from worker_heartbeats where worker_id = $1", [lockId]))
      .rows[0]?.at ?? null;
  let seen = await lastSeen();
  for (let beat = 0; beat < beats; beat++) {
    const before = seen;
    seen = await waitUntil(`the worker's heartbeat after ${before}`, async () => {
      const at = await lastSeen();
      return at !== before && at;
    }, 10_000);
  }
}
