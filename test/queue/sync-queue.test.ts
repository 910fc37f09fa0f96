import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBulkOrders, markAllShipped, trackingFor } from "../helpers/bulk-orders";
import { DEMO_SHOP, shipmentRow, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { waitUntil } from "../helpers/wait-until";
import { dueSyncJobs, idleFetch } from "../helpers/worker-idle";
import { testPool } from "../support/database";
import type { SyncWorker } from "~/worker/runner.server";

// The queue on a real Postgres with graphile-worker and the simulator: the outbox
// trigger, the worker's automatic retries, the shop circuit.
let world: SyncWorld;
let worker: SyncWorker | null = null;
let firstOrder = 60_000;

beforeAll(async () => {
  world = await startSyncWorld({ seed: 23 });
  world.sim.control.setPlan({ shop: DEMO_SHOP, plan: "plus" });
});

afterAll(async () => {
  await worker?.stop();
  await world.close();
});

beforeEach(async () => {
  world.sim.control.clearFaults();
  await worker?.stop();
  worker = null;
});

async function startWorker() {
  const { startSyncWorker } = await import("~/worker/runner.server");
  const { getPool } = await import("~/db.server");
  const { loadOfflineSession } = await import("~/offline-session.server");
  worker = await startSyncWorker({
    pool: getPool(),
    loadSession: loadOfflineSession,
    concurrency: 4,
    retryBaseMs: 50,
    heartbeatMs: 500,
    deadAfterMs: 3_000,
  });
  return worker;
}

async function newShipments(orders: number) {
  const ids = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, {
    orders,
    vendorsPerOrder: 2,
    firstOrderNumber: firstOrder,
  });
  firstOrder += orders;
  return ids;
}

async function ship(ids: number[]) {
  await markAllShipped(DEMO_SHOP, ids);
}

async function jobsFor(ids: number[]) {
  const result = await testPool().query<{ key: string; run_at: Date; attempts: number }>(
    `select key, run_at, attempts from graphile_worker.jobs where key = any($1::text[])`,
    [ids.map((id) => `sync-shipment:${id}`)],
  );
  return result.rows;
}

const waitFor = <T>(what: string, probe: () => Promise<T | null | false>) => waitUntil(what, probe, 60_000, 100);

async function allInSync(ids: number[]) {
  const result = await testPool().query<{ n: number }>(
    `select count(*)::int as n from shipments where id = any($1::bigint[]) and sync_state = 'in_sync' and status = 'shipped'`,
    [ids],
  );
  return result.rows[0]!.n === ids.length;
}

describe("the outbox", () => {
  it("queues one job per shipment in the transaction that makes it pending, and none if it rolls back", async () => {
    const [a, b] = await newShipments(1);
    await ship([a!]);
    expect((await jobsFor([a!])).map((j) => j.key)).toEqual([`sync-shipment:${a}`]);

    // A repeat collapses into the same job.
    await ship([a!]);
    expect(await jobsFor([a!])).toHaveLength(1);

    const client = await testPool().connect();
    try {
      await client.query("begin");
      await client.query(
        `update shipments set status = 'shipped', shipped_at = now(), sync_state = 'pending',
                pending_operation = 'create_fulfillment', revision = revision + 1 where id = $1`,
        [b],
      );
      await client.query("rollback");
    } finally {
      client.release();
    }
    expect(await jobsFor([b!])).toHaveLength(0);
  });

  it("holds a job back while the route action syncs inline (no race with the action)", async () => {
    const [id] = await newShipments(1);
    const { markShipped } = await import("~/shipments/shipment-commands.server");
    const { getPool } = await import("~/db.server");
    await markShipped(
      getPool(),
      DEMO_SHOP,
      id!,
      { trackingNumbers: ["123456789012"], carrier: "Yamato (JA)", trackingUrl: null, notifyCustomer: false },
      { inlineGraceSeconds: 20 },
    );
    // Held for the whole grace from the moment it was shipped (both stamped in that transaction).
    const held = await testPool().query<{ seconds: number }>(
      `select extract(epoch from j.run_at - s.shipped_at)::float8 as seconds
         from graphile_worker.jobs j join shipments s on j.key = 'sync-shipment:' || s.id
        where s.id = $1`,
      [id],
    );
    expect(held.rows).toHaveLength(1);
    expect(held.rows[0]!.seconds).toBeCloseTo(20, 3);
  });
});

describe("the worker", () => {
  it("syncs queued shipments and retries an outage automatically until synced", async () => {
    const ids = await newShipments(5);
    world.sim.control.injectFault({
      shop: DEMO_SHOP,
      operation: "fulfillmentCreate",
      action: { type: "httpError", status: 503 },
      times: 4,
    });
    await ship(ids);
    await startWorker();
    await waitFor("every shipment synced", () => allInSync(ids));

    const retried = await testPool().query<{ n: number }>(
      `select count(distinct shipment_id)::int as n from sync_attempts
        where shipment_id = any($1::bigint[]) and error_class is not null`,
      [ids],
    );
    expect(retried.rows[0]!.n).toBeGreaterThan(0);
    // A 503 on a mutation may hide a write: each retry reconciled first, none duplicated.
    for (const id of ids) {
      const row = await shipmentRow(id);
      const order = world.sim.control.getOrder({ shop: DEMO_SHOP, orderId: row.order_id as string });
      const live = order.fulfillments.filter((f) => f.status === "SUCCESS" && f.trackingInfo[0]?.number === trackingFor(id));
      expect(live.map((f) => f.id)).toEqual([row.shopify_fulfillment_id]);
    }
  });

  it("pauses a shop whose token is revoked, keeps its shipments pending, and resumes when authorized", async () => {
    const ids = await newShipments(3);
    world.sim.control.revokeTokens({ shop: DEMO_SHOP });
    await ship(ids);
    await startWorker();

    const pause = await waitFor("the shop paused", async () => {
      const { getShopSyncPause } = await import("~/shops/sync-circuit.server");
      return getShopSyncPause(testPool(), DEMO_SHOP);
    });
    expect(pause.reason).toBe("reauth_required");
    // The runs that were under way when the shop paused have ended: the worker is idle.
    await idleFetch(worker!, testPool());
    for (const id of ids) {
      expect(await shipmentRow(id)).toMatchObject({ status: "shipped", sync_state: "pending" });
    }
    const calls = world.sim.control.requestLog({ shop: DEMO_SHOP }).length;
    // Paused: the worker does not keep knocking. It looks for work again while some of
    // these shipments' jobs are due, and takes none.
    expect(await dueSyncJobs(testPool(), ids)).toBeGreaterThan(0);
    await idleFetch(worker!, testPool());
    expect(world.sim.control.requestLog({ shop: DEMO_SHOP }).length).toBe(calls);

    const { token } = world.sim.control.installToken({ shop: DEMO_SHOP });
    await testPool().query(`update shopify_sessions set access_token = $1 where id = $2`, [token, `offline_${DEMO_SHOP}`]);
    const { resumeShopSync } = await import("~/shops/sync-circuit.server");
    expect(await resumeShopSync(testPool(), DEMO_SHOP)).toBeGreaterThanOrEqual(ids.length);
    await waitFor("every shipment synced after resuming", () => allInSync(ids));
  });

  it("re-queues pending shipments that have no job (outbox sweep)", async () => {
    const ids = await newShipments(1); // one order, two vendors: two shipments
    await ship(ids);
    await testPool().query(`delete from graphile_worker._private_jobs where key = any($1::text[])`, [
      ids.map((id) => `sync-shipment:${id}`),
    ]);
    const { requeueOrphanedShipments } = await import("~/worker/runner.server");
    expect(await requeueOrphanedShipments(testPool())).toBe(2);
    expect(await jobsFor(ids)).toHaveLength(2);
  });
});
