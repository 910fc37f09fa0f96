/**
 * The Edge Function supabase/functions/drain-sync-queue, run by Deno from npm (`deno` in
 * devDependencies) exactly as written — its index.ts calls Deno.serve itself; the harness
 * test/supabase/deno-serve.ts only picks the port — against this file's Postgres and the
 * Shopify simulator, and called over HTTP:
 * - without the secret: 401, and nothing is synced;
 * - with it: every due sync job is synced in Shopify exactly once, a job not yet due is
 *   left, and the answer reports what it drained;
 * - it stops taking jobs at its time bound, or after the number of jobs asked, and the next
 *   call drains the rest;
 * - through a transaction-mode pooler it refuses, as the worker does;
 * - pg_cron's call (migration 20261202000900) is a request the function accepts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "~/db/migrate.server";
import { newShipmentsOf, trackingFor } from "../helpers/bulk-orders";
import { DEMO_SHOP, shipmentRow, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testDatabaseUrl, testPool } from "../support/database";
import { startPgBouncer } from "../support/pgbouncer";
import { startPostgres } from "../support/postgres";

const DENO = path.resolve("node_modules/.bin/deno");
const SECRET = randomBytes(32).toString("hex");

interface EdgeFunction {
  url: string;
  startedInMs: number;
  output(): string;
  stop(): Promise<void>;
}

/** `deno run` of the function with the permissions it needs, on a free port. */
async function startFunction(env: Record<string, string>): Promise<EdgeFunction> {
  const started = Date.now();
  const child: ChildProcess = spawn(
    DENO,
    [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-sys",
      "--config",
      "supabase/functions/deno.json",
      "test/supabase/deno-serve.ts",
      "supabase/functions/drain-sync-queue/index.ts",
    ],
    {
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", SYNC_DRAIN_SECRET: SECRET, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the function did not start within 30 s:\n${output}`)), 30_000);
    child.stdout!.on("data", () => {
      const match = /listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`deno exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/drain-sync-queue`,
    startedInMs: Date.now() - started,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

interface DrainAnswer {
  drained: number;
  synced: number;
  outcomes: Record<string, number>;
  stoppedBy: "empty" | "deadline" | "limit";
  seconds: number;
  jobs: number;
  elapsedMs: number;
  cpuMs: number | null;
  dueLeft: number;
  runs: { shop: string; shipmentId: number; outcome: string }[];
  error?: string;
}

async function call(
  fn: EdgeFunction,
  init: { authorization?: string; body?: unknown; method?: string } = {},
): Promise<{ status: number; body: DrainAnswer; wallMs: number }> {
  const started = Date.now();
  const response = await fetch(fn.url, {
    method: init.method ?? "POST",
    headers: {
      "Content-Type": "application/json",
      ...(init.authorization ? { Authorization: init.authorization } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await response.json()) as DrainAnswer;
  return { status: response.status, body, wallMs: Date.now() - started };
}

const authorized = { authorization: `Bearer ${SECRET}` };

let world: SyncWorld;
let fn: EdgeFunction;
let newShipments: (orders: number) => Promise<number[]>;

beforeAll(async () => {
  world = await startSyncWorld({ seed: 31 });
  world.sim.control.setPlan({ shop: DEMO_SHOP, plan: "plus" });
  newShipments = newShipmentsOf(testPool(), world.sim, DEMO_SHOP, { firstOrderNumber: 70_000 });
  // The simulator origin and DEMO_MODE, the app's credentials and keys: as the worker gets them.
  fn = await startFunction({ SYNC_DRAIN_DATABASE_URL: testDatabaseUrl() });
}, 60_000);

afterAll(async () => {
  await fn?.stop();
  await world?.close();
});

async function ship(ids: number[], options: { inlineGraceSeconds?: number } = {}) {
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  for (const id of ids) {
    await markShipped(
      testPool(),
      DEMO_SHOP,
      id,
      { trackingNumbers: [trackingFor(id)], carrier: "Yamato (JA)", trackingUrl: null, notifyCustomer: false },
      options,
    );
  }
}

async function jobsFor(ids: number[]) {
  const { rows } = await testPool().query<{ key: string; attempts: number; locked_at: Date | null }>(
    `select key, attempts, locked_at from graphile_worker.jobs where key = any($1::text[]) order by key`,
    [ids.map((id) => `sync-shipment:${id}`)],
  );
  return rows;
}

function fulfillmentCreates(): number {
  return world.sim.control
    .requestLog({ shop: DEMO_SHOP })
    .filter((entry) => entry.rootFields.includes("fulfillmentCreate")).length;
}

/** Each shipment has exactly one live fulfillment in Shopify, the one it recorded. */
async function expectSyncedOnce(ids: number[]) {
  for (const id of ids) {
    const row = await shipmentRow(id);
    expect(row).toMatchObject({ status: "shipped", sync_state: "in_sync" });
    const order = world.sim.control.getOrder({ shop: DEMO_SHOP, orderId: row.order_id as string });
    const live = order.fulfillments.filter(
      (f) => f.status === "SUCCESS" && f.trackingInfo.some((t) => t.number === trackingFor(id)),
    );
    expect(live.map((f) => f.id)).toEqual([row.shopify_fulfillment_id]);
  }
}

describe("the Edge Function under Deno", () => {
  let queued: number[] = [];
  let notDue: number[] = [];

  it("answers 401 to a caller without the secret, and syncs nothing", async () => {
    queued = await newShipments(3); // three orders, two vendors each: six shipments
    await ship(queued);
    const createsBefore = fulfillmentCreates();

    for (const authorization of [
      undefined,
      "Bearer wrong",
      `Bearer ${SECRET}x`,
      `Bearer ${SECRET.slice(0, -1)}`,
      SECRET,
      `Basic ${Buffer.from(`x:${SECRET}`).toString("base64")}`,
    ]) {
      const answer = await call(fn, { authorization, body: { seconds: 5 } });
      expect(answer.status, `Authorization: ${authorization}`).toBe(401);
      expect(answer.body).toEqual({ error: "unauthorized" });
    }
    expect((await call(fn, { ...authorized, method: "PUT" })).status).toBe(405);

    // Nothing ran: every job still waits untouched, every shipment pending, no call reached Shopify.
    const jobs = await jobsFor(queued);
    expect(jobs).toHaveLength(queued.length);
    expect(jobs.every((j) => j.attempts === 0 && j.locked_at === null)).toBe(true);
    for (const id of queued) expect((await shipmentRow(id)).sync_state).toBe("pending");
    expect(fulfillmentCreates()).toBe(createsBefore);
  });

  it("with the secret, syncs every due job in Shopify exactly once, leaves the one not yet due, and reports it", async () => {
    // Marked shipped by a route action that syncs inline: its job waits 10 minutes, not due yet.
    notDue = await newShipments(1);
    await ship(notDue.slice(0, 1), { inlineGraceSeconds: 600 });
    const createsBefore = fulfillmentCreates();

    const answer = await call(fn, { ...authorized, body: { seconds: 20 } });
    expect(answer.status, fn.output()).toBe(200);
    expect(answer.body).toMatchObject({
      drained: queued.length,
      synced: queued.length,
      outcomes: { synced: queued.length },
      stoppedBy: "empty",
      seconds: 20,
      dueLeft: 0,
    });
    expect(answer.body.runs.map((r) => r.shipmentId).sort()).toEqual([...queued].sort());
    expect(answer.body.runs.every((r) => r.shop === DEMO_SHOP)).toBe(true);
    await expectSyncedOnce(queued);
    expect(fulfillmentCreates() - createsBefore).toBe(queued.length);
    expect(await jobsFor(queued)).toEqual([]);

    // The not-yet-due shipment was left for later, its job in place.
    expect((await shipmentRow(notDue[0]!)).sync_state).toBe("pending");
    expect(await jobsFor(notDue.slice(0, 1))).toHaveLength(1);

    // A second call finds nothing due and sends nothing: still exactly once.
    const again = await call(fn, { ...authorized });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ drained: 0, synced: 0, stoppedBy: "empty", seconds: 50, dueLeft: 0 });
    expect(fulfillmentCreates() - createsBefore).toBe(queued.length);
    console.log(
      `[edge-drain] function started in ${fn.startedInMs} ms; drained ${answer.body.drained} in ${answer.body.elapsedMs} ms ` +
        `(${answer.body.cpuMs ?? "?"} ms CPU), an empty call ${again.body.elapsedMs} ms`,
    );
  });

  it("stops taking jobs at its time bound; the next call drains the rest, each still once", async () => {
    const ids = await newShipments(8); // sixteen shipments
    // Every fulfillmentCreate answers 600 ms late: three at a time, far more than 1.5 s of work.
    world.sim.control.injectFault({ shop: DEMO_SHOP, operation: "fulfillmentCreate", action: { type: "latency", ms: 600 } });
    try {
      await ship(ids);
      const bounded = await call(fn, { ...authorized, body: { seconds: 1.5 } });
      expect(bounded.status, fn.output()).toBe(200);
      expect(bounded.body.stoppedBy).toBe("deadline");
      expect(bounded.body.drained).toBeGreaterThan(0);
      expect(bounded.body.drained).toBeLessThan(ids.length);
      expect(bounded.body.dueLeft).toBe(ids.length - bounded.body.synced);
      // No job taken after 1.5 s; the ones running then finish (one create and its reads each).
      expect(bounded.body.elapsedMs).toBeLessThan(1_500 + 2_500);
      expect(bounded.wallMs).toBeLessThan(1_500 + 3_000);
      console.log(
        `[edge-drain] time box 1.5 s: drained ${bounded.body.drained} of ${ids.length}, answered in ${bounded.wallMs} ms`,
      );
    } finally {
      world.sim.control.clearFaults();
    }
    const rest = await call(fn, { ...authorized, body: { seconds: 30 } });
    expect(rest.status).toBe(200);
    expect(rest.body.stoppedBy).toBe("empty");
    // notDue's other shipment was never marked shipped; the grace job is still not due.
    expect(rest.body.dueLeft).toBe(0);
    await expectSyncedOnce(ids);
    console.log(
      `[edge-drain] the next call: ${rest.body.drained} in ${rest.body.elapsedMs} ms (${rest.body.cpuMs ?? "?"} ms CPU, warm)`,
    );
  });

  it("stops taking jobs after the number asked (the CPU bound), and refuses a malformed bound", async () => {
    expect((await call(fn, { ...authorized, body: { jobs: 0 } })).status).toBe(400);
    expect((await call(fn, { ...authorized, body: { seconds: "soon" } })).status).toBe(400);

    const ids = await newShipments(3); // six shipments
    await ship(ids);
    const capped = await call(fn, { ...authorized, body: { seconds: 20, jobs: 2 } });
    expect(capped.status, fn.output()).toBe(200);
    expect(capped.body).toMatchObject({ stoppedBy: "limit", jobs: 2 });
    // The second job's start stops the fetching; a third may have been fetched alongside it.
    expect(capped.body.drained).toBeGreaterThanOrEqual(2);
    expect(capped.body.drained).toBeLessThanOrEqual(3);
    expect(capped.body.dueLeft).toBe(ids.length - capped.body.synced);

    const rest = await call(fn, { ...authorized, body: { seconds: 20 } });
    expect(rest.body).toMatchObject({ stoppedBy: "empty", jobs: 100, dueLeft: 0 });
    await expectSyncedOnce(ids);
  });

  it("refuses a transaction-mode pooler as the worker does, and syncs nothing", async () => {
    const url = new URL(testDatabaseUrl());
    const pooler = await startPgBouncer({ upstreamPort: Number(url.port), poolMode: "transaction", poolSize: 3 });
    const pooled = await startFunction({ SYNC_DRAIN_DATABASE_URL: pooler.url(url.pathname.slice(1)) });
    try {
      const ids = await newShipments(1);
      await ship(ids);
      const answer = await call(pooled, { ...authorized, body: { seconds: 5 } });
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatch(/cannot run through a transaction-mode pooler/);
      expect(answer.body.error).toMatch(/session connection in SYNC_DRAIN_DATABASE_URL/);
      expect(answer.body.error).not.toMatch(/postgres@/);
      expect(await jobsFor(ids)).toHaveLength(ids.length);
      for (const id of ids) expect((await shipmentRow(id)).sync_state).toBe("pending");
    } finally {
      await pooled.stop();
      await pooler.stop();
    }
  });
});

describe("scheduled by pg_cron (migration 20261202000900_drain_schedule)", () => {
  it("is a no-op here without pg_cron (this cluster) and without pg_net", async () => {
    const { rows } = await testPool().query(
      "select to_regclass('cron.job') as cron, to_regprocedure('public.invoke_sync_drain()') as fn",
    );
    expect(rows[0]).toEqual({ cron: null, fn: null });
  });

  it("with pg_cron and pg_net, schedules a call every minute that the function accepts", async () => {
    const server = await startPostgres({ settings: { shared_preload_libraries: "pg_cron", "cron.database_name": "app" } });
    const admin = new pg.Client(server.adminUrl());
    try {
      await admin.connect();
      await admin.query("create database app");
      await admin.end();
      const db = new pg.Client(server.adminUrl("app"));
      await db.connect();
      try {
        // Debian has no pg_net: a stand-in net.http_post with its signature records the
        // request, and a stand-in Vault holds the two secrets (Supabase has both).
        await db.query(`
          create schema net;
          create table net.requests (id bigserial primary key, url text, body jsonb, headers jsonb, timeout_milliseconds int);
          create function net.http_post(url text, body jsonb default '{}'::jsonb, params jsonb default '{}'::jsonb,
                                        headers jsonb default '{}'::jsonb, timeout_milliseconds integer default 5000)
            returns bigint language sql as $$
              insert into net.requests (url, body, headers, timeout_milliseconds)
              values (url, body, headers, timeout_milliseconds) returning id $$;
        `);
        await applyMigrations(server.adminUrl("app"));
        const jobs = await db.query<{ jobname: string; schedule: string; command: string }>(
          "select jobname, schedule, command from cron.job where jobname = 'vendor-shipments:drain-sync-queue'",
        );
        expect(jobs.rows).toEqual([
          { jobname: "vendor-shipments:drain-sync-queue", schedule: "* * * * *", command: "select public.invoke_sync_drain()" },
        ]);

        // Without the secrets in Vault the run sends nothing.
        expect((await db.query(jobs.rows[0]!.command)).rows[0].invoke_sync_drain).toBeNull();
        await db.query(`
          create schema vault;
          create table vault.decrypted_secrets (name text primary key, decrypted_secret text);
          insert into vault.decrypted_secrets values ('sync_drain_url', $1), ('sync_drain_secret', $2);
        `.replace("$1", pg.escapeLiteral(fn.url)).replace("$2", pg.escapeLiteral(SECRET)));
        expect((await db.query(jobs.rows[0]!.command)).rows[0].invoke_sync_drain).not.toBeNull();

        // What pg_net would send, sent: the function accepts it and drains (nothing is due).
        const { rows } = await db.query<{ url: string; body: unknown; headers: Record<string, string>; timeout_milliseconds: number }>(
          "select url, body, headers, timeout_milliseconds from net.requests",
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]!.timeout_milliseconds).toBeGreaterThan(50_000);
        const response = await fetch(rows[0]!.url, {
          method: "POST",
          headers: rows[0]!.headers,
          body: JSON.stringify(rows[0]!.body),
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ stoppedBy: "empty", seconds: 50 });
        // Not callable through Supabase's API roles.
        const grants = await db.query(
          "select has_function_privilege('anon', 'public.invoke_sync_drain()', 'execute') as anon, has_function_privilege('authenticated', 'public.invoke_sync_drain()', 'execute') as auth",
        );
        expect(grants.rows[0]).toEqual({ anon: false, auth: false });
      } finally {
        await db.end();
      }
    } finally {
      await server.stop();
    }
  }, 60_000);
});
