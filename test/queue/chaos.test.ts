import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBulkOrders, trackingFor } from "../helpers/bulk-orders";
import { DEMO_SHOP, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testDatabaseUrl, testPool } from "../support/database";

/**
 * The product's promise under fire: 200 shipments synced by two worker PROCESSES
 * while the simulator fails 20% of calls (5xx, 429, THROTTLED, answers lost after the
 * write, connections dropped before it) and one worker is SIGKILLed mid-run and
 * replaced. Every shipment must end synced, Shopify must hold exactly one
 * fulfillment per shipment, and the database must equal Shopify.
 */
const SHIPMENTS = 200;
let world: SyncWorld;
const workers = new Set<ChildProcess>();

beforeAll(async () => {
  world = await startSyncWorld({ seed: 2026 });
  world.sim.control.setPlan({ shop: DEMO_SHOP, plan: "advanced" });
});

afterAll(async () => {
  for (const worker of workers) worker.kill("SIGKILL");
  await world.close();
});

function startWorkerProcess(name: string): ChildProcess {
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/worker/cli.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      SHOPIFY_ADMIN_API_ORIGIN: world.sim.origin,
      WORKER_CONCURRENCY: "4",
      WORKER_HEARTBEAT_MS: "300",
      WORKER_DEAD_AFTER_MS: "2000",
      SYNC_RETRY_BASE_MS: "100",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  child.on("exit", (code, signal) => {
    workers.delete(child);
    if (code && code !== 0) console.error(`worker ${name} exited ${code}:\n${output.slice(-4000)}`);
    void signal;
  });
  workers.add(child);
  return child;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const result = await testPool().query<{ n: number }>(sql, params);
  return Number(result.rows[0]!.n);
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("chaos: 200 shipments, 20% faults, a worker killed mid-run", () => {
  it("ends with every shipment synced exactly once and the database equal to Shopify", async () => {
    const ids = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, { orders: SHIPMENTS / 2, vendorsPerOrder: 2 });
    expect(ids).toHaveLength(SHIPMENTS);

    // 20% of calls fail, 4% for each kind, drawn from the simulator's seeded PRNG.
    const faults = [
      { type: "httpError", status: 503 },
      { type: "httpError", status: 502, afterCommit: true },
      { type: "rateLimited", retryAfterSeconds: 1 },
      { type: "throttled" },
      { type: "dropAfterCommit", mode: "destroy" },
    ] as const;
    for (const action of faults) {
      world.sim.control.injectFault({ shop: DEMO_SHOP, action, probability: 0.04 });
    }
    world.sim.control.injectFault({ shop: DEMO_SHOP, action: { type: "dropBeforeCommit" }, probability: 0.02 });
    // Some latency keeps calls in flight, so the kill lands mid-call.
    world.sim.control.injectFault({ shop: DEMO_SHOP, action: { type: "latency", ms: 40 } });

    const { markShipped } = await import("~/shipments/shipment-commands.server");
    const { getPool } = await import("~/db.server");
    for (const id of ids) {
      await markShipped(getPool(), DEMO_SHOP, id, {
        trackingNumbers: [trackingFor(id)],
        carrier: "Yamato (JA)",
        trackingUrl: null,
        notifyCustomer: false,
      });
    }

    const victim = startWorkerProcess("A");
    startWorkerProcess("B");
    await waitUntil(
      "a third synced with calls in flight",
      async () =>
        (await count(`select count(*) as n from shipments where sync_state = 'in_sync' and status = 'shipped'`)) >=
          SHIPMENTS / 3 && (await count(`select count(*) as n from sync_attempts where outcome is null`)) > 0,
      150_000,
    );
    victim.kill("SIGKILL");
    const inFlightAtKill = (
      await testPool().query<{ id: string }>(`select id from sync_attempts where outcome is null`)
    ).rows.map((r) => r.id);
    startWorkerProcess("A2");

    await waitUntil(
      "every shipment synced",
      async () =>
        (await count(
          `select count(*) as n from shipments where id = any($1::bigint[]) and sync_state = 'in_sync' and status = 'shipped'`,
          [ids],
        )) === SHIPMENTS,
      240_000,
    );

    // Shopify holds exactly one live fulfillment per shipment, with its tracking.
    const rows = await testPool().query<{ id: string; order_id: string; shopify_fulfillment_id: string }>(
      `select id, order_id, shopify_fulfillment_id from shipments where id = any($1::bigint[])`,
      [ids],
    );
    const live = new Map<string, { tracking: string | null }>();
    for (const orderId of new Set(rows.rows.map((r) => r.order_id))) {
      const order = world.sim.control.getOrder({ shop: DEMO_SHOP, orderId });
      for (const f of order.fulfillments) {
        if (f.status === "SUCCESS") live.set(f.id, { tracking: f.trackingInfo[0]?.number ?? null });
      }
    }
    expect(live.size).toBe(SHIPMENTS);
    // The database equals Shopify: the same fulfillments, each on its own shipment.
    const dbIds = rows.rows.map((r) => r.shopify_fulfillment_id);
    expect(new Set(dbIds).size).toBe(SHIPMENTS);
    expect([...live.keys()].sort()).toEqual([...dbIds].sort());
    for (const row of rows.rows) {
      expect(live.get(row.shopify_fulfillment_id)!.tracking).toBe(trackingFor(Number(row.id)));
    }

    // The faults did fire, the lost answers were adopted rather than re-sent, and the
    // killed worker's calls were settled by reconciliation.
    const fired = new Set(world.sim.control.faultLog().map((f) => f.action.type));
    expect([...fired].sort()).toEqual(
      ["dropAfterCommit", "dropBeforeCommit", "httpError", "latency", "rateLimited", "throttled"].sort(),
    );
    expect(await count(`select count(*) as n from sync_attempts where outcome = 'adopted'`)).toBeGreaterThan(0);
    expect(await count(`select count(*) as n from sync_attempts where outcome is null`)).toBe(0);
    expect(inFlightAtKill.length).toBeGreaterThan(0);
  }, 420_000);
});
