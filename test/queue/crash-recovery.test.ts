import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncWorker } from "~/worker/runner.server";
import { ShopPacer } from "~/shopify/pacer";
import { createBulkOrders, trackingFor } from "../helpers/bulk-orders";
import { DEMO_SHOP, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import {
  isWorkerProcess,
  killWorkerProcess,
  lockIdOfPid,
  spawnWorkerProcess,
  type WorkerProcess,
} from "../helpers/worker-process";
import { testDatabaseUrl, testPool } from "../support/database";

/**
 * Crash recovery for real (issue 14, item 4), with graphile-worker 0.18's locks:
 * - a killed worker PROCESS (its pid checked) has its job released by a live worker
 *   within the configured dead-after time, and the retry settles its call by reading
 *   Shopify first;
 * - a live worker's job that runs far longer than the dead-after time — held on the
 *   pace while the simulator's clock stands still — is never unlocked.
 *
 * The simulator runs on a clock that only moves when the test says (advanceClock), and
 * the live worker's pacer reads that clock: the pace, not a sleep, holds its job.
 */
const DEAD_AFTER_MS = 1_500;
const HEARTBEAT_MS = 250;
const RELEASE_EVERY_MS = Math.max(1_000, Math.floor(DEAD_AFTER_MS / 3)); // as the runner

let world: SyncWorld;
let live: SyncWorker | null = null;
const spawned: WorkerProcess[] = [];
const frozenAt = Date.now();

beforeAll(async () => {
  world = await startSyncWorld({ seed: 14, clock: () => frozenAt });
});

afterAll(async () => {
  for (const w of spawned) w.child.kill("SIGKILL");
  world.sim.control.advanceClock({ ms: 600_000 }); // lets a paced job finish
  await live?.stop();
  await world.close();
});

const simNow = () => Date.parse(world.sim.control.now().now);

/** A pacer on the simulator's clock: a wait ends when the simulator's time has moved on. */
function simClockPacer() {
  return new ShopPacer({
    now: simNow,
    sleep: async (ms) => {
      const until = simNow() + ms;
      while (simNow() < until) await new Promise((r) => setTimeout(r, 25));
    },
  });
}

async function startLiveWorker(pacer: ShopPacer) {
  const { startSyncWorker } = await import("~/worker/runner.server");
  const { getPool } = await import("~/db.server");
  const { loadOfflineSession } = await import("~/offline-session.server");
  live = await startSyncWorker({
    pool: getPool(),
    loadSession: loadOfflineSession,
    concurrency: 2,
    retryBaseMs: 50,
    random: () => 0,
    heartbeatMs: HEARTBEAT_MS,
    deadAfterMs: DEAD_AFTER_MS,
    pacer,
  });
  return live;
}

let nextOrder = 71_000;
async function shipNew(): Promise<number> {
  const [id] = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, {
    orders: 1,
    vendorsPerOrder: 1,
    firstOrderNumber: nextOrder++,
  });
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  const { getPool } = await import("~/db.server");
  await markShipped(getPool(), DEMO_SHOP, id!, {
    trackingNumbers: [trackingFor(id!)],
    carrier: "Yamato (JA)",
    trackingUrl: null,
    notifyCustomer: false,
  });
  return id!;
}

async function jobLock(id: number) {
  const result = await testPool().query<{ locked_by: string | null; held_ms: number | null }>(
    `select locked_by, (extract(epoch from now() - locked_at) * 1000)::float8 as held_ms
       from graphile_worker.jobs where key = $1`,
    [`sync-shipment:${id}`],
  );
  return result.rows[0] ?? null;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function settled(id: number) {
  const result = await testPool().query<{ sync_state: string; shopify_fulfillment_id: string | null; order_id: string }>(
    `select sync_state, shopify_fulfillment_id, order_id from shipments where id = $1`,
    [id],
  );
  const row = result.rows[0]!;
  return row.sync_state === "in_sync" ? row : null;
}

const isHungCreate = (entry: { operationName: string | null; outcome: unknown }) =>
  entry.operationName === "FulfillmentCreate" && entry.outcome === "hung";

async function openAttempts(id: number, operation?: string) {
  const result = await testPool().query<{ n: number }>(
    `select count(*)::int as n from sync_attempts
      where shipment_id = $1 and outcome is null and ($2::text is null or operation = $2)`,
    [id, operation ?? null],
  );
  return result.rows[0]!.n;
}

/** Waits for the shipment to sync; on a timeout, says where it stopped: its calls, its job, the database and Shopify's last requests. */
async function syncedOrExplain(id: number) {
  try {
    return await waitFor("the shipment synced", () => settled(id), 60_000);
  } catch (error) {
    const state = await testPool().query(
      `select s.sync_state, s.pending_operation, s.next_retry_at, s.last_error_class,
              (select json_agg(a order by a.id) from sync_attempts a where a.shipment_id = s.id) as attempts,
              (select row_to_json(j) from graphile_worker.jobs j where j.key = 'sync-shipment:' || s.id) as job
         from shipments s where s.id = $1`,
      [id],
    );
    const activity = await testPool().query(
      `select pid, state, wait_event_type, wait_event, now() - xact_start as xact_age, left(query, 120) as query
         from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    const sim = world.sim.control.requestLog({ shop: DEMO_SHOP }).slice(-5);
    console.error(JSON.stringify({ shipment: state.rows[0], activity: activity.rows, sim }, null, 1));
    throw error;
  }
}

describe("crash recovery with graphile-worker's pool locks", () => {
  it("releases a SIGKILLed worker process's job within the dead-after time; the retry adopts its call", async () => {
    // Shopify makes the fulfillment and the answer never comes: the worker's call is
    // open when it dies.
    world.sim.control.injectFault({
      shop: DEMO_SHOP,
      operation: "fulfillmentCreate",
      action: { type: "dropAfterCommit", mode: "hang" },
      times: 1,
    });
    const victim = spawnWorkerProcess("victim", {
      DATABASE_URL: testDatabaseUrl(),
      SHOPIFY_ADMIN_API_ORIGIN: world.sim.origin,
      WORKER_CONCURRENCY: "1",
      WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS),
      WORKER_DEAD_AFTER_MS: String(DEAD_AFTER_MS),
    });
    spawned.push(victim);
    const id = await shipNew();

    // The process beats under the id graphile-worker locks its job with (the pool's).
    const victimLock = await waitFor("the victim's heartbeat", () => lockIdOfPid(testPool(), victim.pid), 90_000);
    expect(victimLock).toMatch(/^pool-/);
    // Its fulfillmentCreate is on the wire and held by Shopify (an open read is not enough:
    // killed then, the one-shot fault would meet the live worker's create instead).
    const createsBefore = world.sim.control.requestLog({ shop: DEMO_SHOP }).filter(isHungCreate).length;
    expect(createsBefore).toBe(0);
    await waitFor(
      "the victim's create held by Shopify",
      async () => world.sim.control.requestLog({ shop: DEMO_SHOP }).some(isHungCreate),
      90_000,
    );
    expect(await openAttempts(id, "create_fulfillment")).toBe(1);
    expect((await jobLock(id))!.locked_by).toBe(victimLock);
    expect(isWorkerProcess(victim.pid)).toBe(true);

    const { lockId } = await killWorkerProcess(testPool(), victim);
    const killedAt = Date.now();
    expect(lockId).toBe(victimLock);
    expect(isWorkerProcess(victim.pid)).toBe(false);
    // Its pool had all of pg's error handlers before graphile-worker saw it.
    expect(victim.output()).toContain("sync worker running");
    expect(victim.output()).not.toContain("error handlers");

    // A live worker elsewhere notices the silence and releases the job.
    await startLiveWorker(simClockPacer());
    const liveFrom = Date.now();
    await waitFor("the job released", async () => (await jobLock(id))?.locked_by !== victimLock, 60_000);
    const releasedAt = Date.now();
    console.log(
      `[crash-recovery] killed worker's job released ${releasedAt - killedAt} ms after SIGKILL ` +
        `(${releasedAt - liveFrom} ms after a live worker was up; dead after ${DEAD_AFTER_MS} ms)`,
    );
    // The configured bound: once the victim has been silent for the dead-after time and
    // a live worker runs, the job goes at its next sweep (plus scheduling on a busy machine).
    const due = Math.max(killedAt + DEAD_AFTER_MS, liveFrom);
    expect(releasedAt - due).toBeLessThan(RELEASE_EVERY_MS + HEARTBEAT_MS + 5_000);

    // The retry reads Shopify first and adopts the fulfillment the dead worker made.
    const row = await syncedOrExplain(id);
    const order = world.sim.control.getOrder({ shop: DEMO_SHOP, orderId: row.order_id });
    expect(order.fulfillments.filter((f) => f.status === "SUCCESS").map((f) => f.id)).toEqual([
      row.shopify_fulfillment_id,
    ]);
    expect(await openAttempts(id)).toBe(0);
  }, 240_000);

  it("never unlocks a live worker's job, however long it waits on the pace", async () => {
    const worker = live!;
    const lockId = worker.lockId()!;
    expect(lockId).toMatch(/^pool-/);
    // Beating from the start, under the lock id, with this process's pid.
    const beat = await testPool().query<{ process: string }>(`select process from worker_heartbeats where worker_id = $1`, [
      lockId,
    ]);
    expect(beat.rows[0]!.process.split(":")[1]).toBe(String(process.pid));

    // Shopify's bucket is empty and the worker knows it (as from its last answer): the
    // next call must wait for points, and the simulator's clock stands still.
    const shop = world.sim.control.setBucket({ shop: DEMO_SHOP, currentlyAvailable: 0 });
    worker.pacer.observe(DEMO_SHOP, shop.throttleStatus);
    const id = await shipNew();

    await waitFor(
      "the job held longer than the dead-after time",
      async () => {
        const lock = await jobLock(id);
        return lock?.locked_by === lockId && lock.held_ms! > DEAD_AFTER_MS * 3;
      },
      60_000,
    );
    // Every live worker's sweep (its own included) looked at it: still ours, unlocked never.
    const { releaseJobsOfDeadWorkers } = await import("~/worker/runner.server");
    for (let i = 0; i < 3; i++) {
      expect(await releaseJobsOfDeadWorkers(testPool(), DEAD_AFTER_MS)).toEqual([]);
      expect((await jobLock(id))!.locked_by).toBe(lockId);
    }
    // Still waiting for points: nothing reached Shopify.
    const orderId = (await testPool().query<{ order_id: string }>(`select order_id from shipments where id = $1`, [id]))
      .rows[0]!.order_id;
    expect(world.sim.control.getOrder({ shop: DEMO_SHOP, orderId }).fulfillments).toEqual([]);

    // A minute passes for Shopify: the bucket refills and the job goes on, once.
    world.sim.control.advanceClock({ ms: 60_000 });
    const row = await syncedOrExplain(id);
    const order = world.sim.control.getOrder({ shop: DEMO_SHOP, orderId: row.order_id });
    expect(order.fulfillments.filter((f) => f.status === "SUCCESS")).toHaveLength(1);
    const runs = await testPool().query<{ n: number }>(
      `select count(*)::int as n from sync_attempts where shipment_id = $1 and operation = 'create_fulfillment'`,
      [id],
    );
    expect(runs.rows[0]!.n).toBe(1);
  }, 240_000);
});
