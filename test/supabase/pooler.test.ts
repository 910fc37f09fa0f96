/**
 * Supabase's pooler modes, reproduced with Debian's PgBouncer in front of this file's
 * database: transaction mode (Supabase's port 6543) and session mode (5432).
 * - The worker and the migration runner refuse a transaction-mode pooler at start, with a
 *   message naming the connection string to use; through a session pooler they run.
 * - The web app works through the transaction pooler: sessions (Prisma), pages, a
 *   「発送済みにする」 with its inline sync and run lock, and the token exchange's shop lock.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectTransactionPooling, TransactionPoolerError } from "~/db/connection-mode.server";
import { fetchRequest, routeArgs, settle } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { DEMO_SHOP, demoShipmentId, shipmentRow, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { waitUntil } from "../helpers/wait-until";
import { spawnWorkerProcess } from "../helpers/worker-process";
import { advisoryLockWaiters, offlineExchangeCall } from "../helpers/token-exchange";
import { startPgBouncer, type RunningPgBouncer } from "../support/pgbouncer";
import { testDatabaseUrl, testPool } from "../support/database";
import type * as ShipmentRouteModule from "~/routes/app.shipments.$id";

type ShipmentRoute = typeof ShipmentRouteModule;

let transactionPooler: RunningPgBouncer;
let sessionPooler: RunningPgBouncer;
let world: SyncWorld;
const dbName = () => new URL(testDatabaseUrl()).pathname.slice(1);
const upstreamPort = () => Number(new URL(testDatabaseUrl()).port);

beforeAll(async () => {
  transactionPooler = await startPgBouncer({ upstreamPort: upstreamPort(), poolMode: "transaction", poolSize: 3 });
  sessionPooler = await startPgBouncer({ upstreamPort: upstreamPort(), poolMode: "session" });
  // The app (pages, actions, inline syncs, Prisma sessions) talks through the transaction pooler.
  process.env.DATABASE_URL = transactionPooler.url(dbName());
  world = await startSyncWorld();
});

afterAll(async () => {
  await world?.close();
  await transactionPooler?.stop();
  await sessionPooler?.stop();
});

describe("detecting the connection mode", () => {
  it("sees a transaction-mode pooler, and neither a direct connection nor a session pooler", async () => {
    expect(await detectTransactionPooling({ connectionString: testDatabaseUrl() })).toBeNull();
    expect(await detectTransactionPooling({ connectionString: sessionPooler.url(dbName()) })).toBeNull();
    expect(
      await detectTransactionPooling({ connectionString: transactionPooler.url(dbName()) }),
    ).toMatch(/served by|had to wait/);
  });

  it("sees it with a pool of one server connection too (the second connection waits)", async () => {
    const tiny = await startPgBouncer({ upstreamPort: upstreamPort(), poolMode: "transaction", poolSize: 1 });
    try {
      expect(
        await detectTransactionPooling({ connectionString: tiny.url(dbName()) }, { waitMs: 500 }),
      ).toMatch(/served by|had to wait/);
    } finally {
      await tiny.stop();
    }
  });
});

describe("the worker", () => {
  it("refuses to start through the transaction pooler, naming the session connection to use", async () => {
    const { startSyncWorker } = await import("~/worker/runner.server");
    const pool = new pg.Pool({ connectionString: transactionPooler.url(dbName()) });
    pool.on("error", () => undefined);
    try {
      const started = startSyncWorker({ pool, loadSession: async () => null });
      await expect(started).rejects.toBeInstanceOf(TransactionPoolerError);
      await expect(started).rejects.toThrow(/transaction-mode pooler.*supabase\.co:5432.*pooler\.supabase\.com:5432/s);
    } finally {
      await pool.end();
    }
  });

  it("as a process (`npm run worker`), exits non-zero with that message", async () => {
    const { code, output } = await runWorkerProcess(transactionPooler.url(dbName()));
    expect(code).not.toBe(0);
    expect(output).toContain("cannot run through a transaction-mode pooler");
    expect(output).toContain(`127.0.0.1:${transactionPooler.port}/${dbName()}`);
  });

  it("runs through a session pooler and syncs a shipment marked shipped through the transaction pooler", async () => {
    const id = await demoShipmentId("#1007");
    const result = await act(id, { intent: "mark_shipped", trackingNumbers: "4512-0000-1113", carrier: "ヤマト運輸", notifyCustomer: "false" }, { inlineSync: false });
    expect(result.status).toBe(200);
    expect((await shipmentRow(id)).sync_state).toBe("pending");
    // The action gave its inline sync a head start over the job (20 s); don't wait it out.
    await testPool().query(
      `select graphile_worker.reschedule_jobs(array(select id from graphile_worker.jobs where key = $1), run_at := now())`,
      [`sync-shipment:${id}`],
    );

    const { startSyncWorker } = await import("~/worker/runner.server");
    const pool = new pg.Pool({ connectionString: sessionPooler.url(dbName()), max: 4 });
    pool.on("error", () => undefined);
    const { loadOfflineSession } = await import("~/offline-session.server");
    const worker = await startSyncWorker({ pool, loadSession: loadOfflineSession, concurrency: 2 });
    try {
      await waitUntil("the worker to sync the shipment", async () => (await shipmentRow(id)).sync_state !== "pending", 20_000, 100);
      expect((await shipmentRow(id)).sync_state).toBe("in_sync");
    } finally {
      await worker.stop();
      await pool.end();
    }
  });
});

describe("the web app through the transaction pooler", () => {
  it("keeps a run lock for the length of the run: a second runner backs off until it is released", async () => {
    const { tryRunLock } = await import("~/db/run-lock.server");
    const pool = new pg.Pool({ connectionString: transactionPooler.url(dbName()), max: 4 });
    pool.on("error", () => undefined);
    try {
      const first = await tryRunLock(pool, 7301, 424242);
      expect(first).not.toBeNull();
      // Other statements pass through the pooler meanwhile; the lock stays with its run.
      for (let i = 0; i < 5; i++) await pool.query("select 1");
      expect(await tryRunLock(pool, 7301, 424242)).toBeNull();
      await first!.release();
      const second = await tryRunLock(pool, 7301, 424242);
      expect(second).not.toBeNull();
      await second!.release();
    } finally {
      await pool.end();
    }
  });

  it("marks shipped with its inline sync (run lock included), shows the page and reverts", async () => {
    const id = await demoShipmentId("#1004");
    const shipped = await act(id, { intent: "mark_shipped", trackingNumbers: "4512-0000-2224", carrier: "ヤマト運輸", notifyCustomer: "false" });
    expect(shipped.status).toBe(200);
    const row = await shipmentRow(id);
    expect(row.status).toBe("shipped");
    expect(row.sync_state).toBe("in_sync");

    const route = await import("~/routes/app.shipments.$id");
    const page = await settle(() =>
      route.loader(routeArgs(fetchRequest(`/app/shipments/${id}`, signSessionToken({ shop: DEMO_SHOP })), { id: String(id) })),
    );
    expect(page.thrown).toBeUndefined();

    const reverted = await act(id, { intent: "revert" });
    expect(reverted.status).toBe(200);
    expect((await shipmentRow(id)).status).toBe("unshipped");
  });
});

describe("the token exchange's shop lock", () => {
  it("holds through the transaction pooler: a second app instance waits for the store, then asks", async () => {
    const { OfflineTokenExchanges } = await import("~/shopify/offline-token-exchange.server");
    const shop = "pooled-twins.myshopify.com";
    const pools = [1, 2].map(() => {
      const pool = new pg.Pool({ connectionString: transactionPooler.url(dbName()), max: 2 });
      pool.on("error", () => undefined);
      return pool;
    });
    const calls: number[] = [];
    const endpoint = (async () => {
      calls.push(Date.now());
      return new Response(JSON.stringify({ access_token: `token-${calls.length}` }), { status: 200 });
    }) as unknown as typeof fetch;
    const exchange = offlineExchangeCall(shop);
    try {
      // A lock that went astray in the pooler would hold B for the whole wait (5 s).
      const [a, b] = pools.map((pool) => new OfflineTokenExchanges({ pool: () => pool, lockWaitMs: 5_000 }));
      await a!.wrap(endpoint)(...exchange);
      const second = b!.wrap(endpoint)(...exchange);
      await waitUntil(
        "the second instance to wait for the shop's lock",
        async () => (await advisoryLockWaiters(testPool())) >= 1,
        5_000,
      );
      expect(calls).toHaveLength(1);
      const storedAt = Date.now();
      await a!.stored(shop);
      await second;
      expect(calls).toHaveLength(2);
      expect(calls[1]! - storedAt).toBeLessThan(2_000);
      await b!.stored(shop);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});

async function act(shipmentId: number, fields: Record<string, string>, options: { inlineSync?: boolean } = {}) {
  const route = await import("~/routes/app.shipments.$id");
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  if (options.inlineSync === false) {
    // Hold the shipment's run lock elsewhere so the action leaves the sync to the queue.
    const { tryRunLock } = await import("~/db/run-lock.server");
    const { getPool } = await import("~/db.server");
    const lock = await tryRunLock(getPool(), 7301, shipmentId);
    try {
      return await callAction(route, shipmentId, body);
    } finally {
      await lock?.release();
    }
  }
  return callAction(route, shipmentId, body);
}

async function callAction(route: ShipmentRoute, shipmentId: number, body: FormData) {
  const request = fetchRequest(`/app/shipments/${shipmentId}`, signSessionToken({ shop: DEMO_SHOP }), {
    method: "POST",
    body,
  });
  const settled = await settle(() => route.action(routeArgs(request, { id: String(shipmentId) })));
  if (settled.thrown) return { status: settled.thrown.status };
  const result = settled.value as unknown as { init: ResponseInit | null };
  return { status: result.init?.status ?? 200 };
}

async function runWorkerProcess(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  const worker = spawnWorkerProcess("through-pooler", { DATABASE_URL: databaseUrl, SHOPIFY_ADMIN_API_ORIGIN: world.sim.origin });
  const timer = setTimeout(() => worker.child.kill("SIGKILL"), 60_000);
  const { code } = await worker.exited.finally(() => clearTimeout(timer));
  return { code, output: worker.output() };
}
