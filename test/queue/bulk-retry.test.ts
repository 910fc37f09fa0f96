import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBulkOrders } from "../helpers/bulk-orders";
import { fetchRequest, routeArgs, settle } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { DEMO_SHOP, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";
import type * as IndexRoute from "~/routes/app._index";
import type * as QueueRoute from "~/routes/app.queue";

// Bulk retry from the index table: the selection or everything matching the filter is
// queued at once (no Shopify call in the request), and its progress is visible.
let world: SyncWorld;
let index: typeof IndexRoute;
let queueRoute: typeof QueueRoute;
let failedIds: number[] = [];

beforeAll(async () => {
  world = await startSyncWorld({ seed: 5 });
  index = await import("~/routes/app._index");
  queueRoute = await import("~/routes/app.queue");
  const ids = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, { orders: 6, vendorsPerOrder: 2, firstOrderNumber: 70_000 });
  // Twelve shipments that gave up after an outage: 同期エラー.
  await testPool().query(
    `update shipments set status = 'shipped', shipped_at = now(), tracking_numbers = array['1234' || id::text],
            carrier = 'Yamato (JA)', sync_state = 'failed', pending_operation = 'create_fulfillment',
            sync_attempts = 8, last_error_class = 'transient', last_error_message = '503 Service Unavailable'
      where id = any($1::bigint[])`,
    [ids],
  );
  failedIds = ids;
});

afterAll(async () => {
  await world.close();
});

async function post(fields: [string, string][], shop = DEMO_SHOP) {
  const body = new FormData();
  for (const [k, v] of fields) body.append(k, v);
  const request = fetchRequest("/app", signSessionToken({ shop }), { method: "POST", body });
  return settle(() => index.action(routeArgs(request)));
}

async function states(ids: number[]) {
  const r = await testPool().query<{ sync_state: string }>(
    `select sync_state from shipments where id = any($1::bigint[])`,
    [ids],
  );
  return r.rows.map((x) => x.sync_state);
}

async function batchProgress(batchId: number) {
  const progress = await queueRoute.loader(
    routeArgs(fetchRequest(`/app/queue?batch=${batchId}`, signSessionToken({ shop: DEMO_SHOP }))),
  );
  return progress.batch;
}

/** Runs the queue's walk jobs (only those: the sync jobs stay queued) until none is left. */
async function walkInQueue(batchSize?: number) {
  const { runOnce } = await import("graphile-worker");
  const { retryWalkTaskList } = await import("~/queue/retry-all-matching.server");
  const { getPool } = await import("~/db.server");
  const { quietLogger } = await import("~/worker/queue-schema.server");
  await runOnce({ pgPool: getPool(), logger: quietLogger(), taskList: retryWalkTaskList(getPool(), batchSize) });
}

describe("bulk retry", () => {
  it("queues the selected shipments and returns at once with a batch to follow", async () => {
    const selection = failedIds.slice(0, 3);
    const started = Date.now();
    const result = await post([["intent", "retry"], ...selection.map((id): [string, string] => ["ids", String(id)])]);
    expect(Date.now() - started).toBeLessThan(2_000);
    const value = result.value as { retried: number; batchId: number };
    expect(value.retried).toBe(3);
    expect(await states(selection)).toEqual(["pending", "pending", "pending"]);
    expect(await states(failedIds.slice(3))).not.toContain("pending");
    // Nothing went to Shopify in the request: the queue does it.
    expect(world.sim.control.requestLog({ shop: DEMO_SHOP }).filter((r) => r.rootFields.includes("fulfillmentCreate"))).toHaveLength(0);
    const jobs = await testPool().query(`select count(*)::int as n from graphile_worker.jobs where key = any($1::text[])`, [
      selection.map((id) => `sync-shipment:${id}`),
    ]);
    expect(jobs.rows[0].n).toBe(3);

    const progress = await queueRoute.loader(
      routeArgs(fetchRequest(`/app/queue?batch=${value.batchId}`, signSessionToken({ shop: DEMO_SHOP }))),
    );
    expect(progress.batch).toMatchObject({ total: 3, pending: 3, synced: 0, done: false });
    expect(progress.queue.waiting + progress.queue.running + progress.queue.scheduledRetry).toBeGreaterThanOrEqual(3);
  });

  it("queues every shipment matching the filter, beyond the page, walked by the queue in batches", async () => {
    const result = await post([
      ["intent", "retry"],
      ["scope", "all_matching"],
      ["sync", "failed"],
    ]);
    const { batchId } = result.value as { retried: null; batchId: number };
    // The request only recorded the batch and queued its walk.
    expect(await states(failedIds.slice(3))).toEqual(Array(9).fill("failed"));
    expect(await batchProgress(batchId)).toMatchObject({ walking: true, queued: 0, batches: 0 });

    await walkInQueue(4);
    expect(await states(failedIds)).toEqual(Array(12).fill("pending"));
    expect(await batchProgress(batchId)).toMatchObject({ walking: false, total: 9, queued: 9, batches: 3, pending: 9 });
  });

  it("touches nothing of another shop, and refuses an empty selection", async () => {
    const other = "another-shop.myshopify.com";
    await testPool().query(`insert into shops (shop) values ($1) on conflict do nothing`, [other]);
    const { sessionStorage } = await import("~/shopify.server");
    const { Session } = await import("@shopify/shopify-api");
    await sessionStorage.storeSession(new Session({ id: `offline_${other}`, shop: other, state: "", isOnline: false, accessToken: "x" }));
    await testPool().query(`update shipments set sync_state = 'failed', last_error_class = 'transient' where id = $1`, [failedIds[0]]);

    const foreign = await post([["intent", "retry"], ["ids", String(failedIds[0])]], other);
    expect((foreign.value as { retried: number }).retried).toBe(0);
    expect(await states([failedIds[0]!])).toEqual(["failed"]);

    const empty = await post([["intent", "retry"]]);
    const response = empty.value as unknown as Response;
    expect(response.status).toBe(400);
  });
});

describe("bulk retry of a large set", () => {
  it("returns at once for 20,000 matching shipments and walks them in bounded batches", async () => {
    const vendor = "大量出荷テスト工房";
    await testPool().query(
      `insert into shipments (shop, order_id, order_name, vendor, status, shipped_at, tracking_numbers, carrier,
                              sync_state, pending_operation, sync_attempts, last_error_class, last_error_message)
       select $1, 'gid://shopify/Order/' || (800000 + g), '#' || (800000 + g), $2, 'shipped', now(),
              array['5' || lpad(g::text, 11, '0')], 'Yamato (JA)', 'failed', 'create_fulfillment', 8,
              'transient', '503 Service Unavailable'
         from generate_series(1, 20000) g`,
      [DEMO_SHOP, vendor],
    );
    const started = performance.now();
    const result = await post([
      ["intent", "retry"],
      ["scope", "all_matching"],
      ["vendor", vendor],
    ]);
    const requestMs = performance.now() - started;
    const { batchId } = result.value as { batchId: number };
    const pendingNow = await testPool().query<{ n: number }>(
      `select count(*)::int as n from shipments where vendor = $1 and sync_state = 'pending'`,
      [vendor],
    );
    expect(pendingNow.rows[0]!.n).toBe(0);

    const walkStarted = performance.now();
    await walkInQueue();
    const walkMs = performance.now() - walkStarted;
    console.log(
      `[bulk-retry] 20,000 matching: request ${Math.round(requestMs)} ms, walk ${Math.round(walkMs)} ms in the queue`,
    );
    expect(await batchProgress(batchId)).toMatchObject({
      walking: false,
      total: 20_000,
      queued: 20_000,
      batches: 40, // 500 per transaction
      pending: 20_000,
      done: false,
    });
    const jobs = await testPool().query<{ n: number }>(
      `select count(*)::int as n from graphile_worker.jobs j
         join shipments s on j.key = 'sync-shipment:' || s.id
        where s.vendor = $1`,
      [vendor],
    );
    expect(jobs.rows[0]!.n).toBe(20_000);
  }, 300_000);
});
