import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBulkOrders, markAllShipped } from "../helpers/bulk-orders";
import { encryptedToken, storedToken } from "../helpers/stored-tokens";
import { DEMO_SHOP, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { waitUntil as waitFor } from "../helpers/wait-until";
import { isWorkerProcess, startWorkerProcess, type WorkerProcess } from "../helpers/worker-process";
import { adminGraphql } from "../shopify-sim";
import { testDatabaseUrl, testPool } from "../support/database";

/**
 * The queue on expiring offline tokens, with real worker PROCESSES
 * (`node --import tsx app/worker/cli.ts`, so the pid is the worker's own):
 * - a queue run while Shopify's tokens expire every 5 s: no 401 pause, no merchant prompt;
 * - a worker SIGKILLed after Shopify rotated its token but before it stored the new pair
 *   recovers without re-authorization (Shopify keeps the previous refresh token usable);
 * - two workers that need a refresh at the same moment make exactly one.
 *
 * The workers are separate processes on the wall clock: no test clock reaches them. Where
 * a test needs the stored token due, it waits for that, read from the row by the app's
 * rule, rather than for a fixed time.
 *
 * EXPIRING_TOKENS_SHIPMENTS=1000 runs the first one at full size (figures in the README).
 */
const SHIPMENTS = Number(process.env.EXPIRING_TOKENS_SHIPMENTS ?? 150);
const SESSION_ID = `offline_${DEMO_SHOP}`;
let world: SyncWorld;
let nextOrder = 70_000;
const workers = new Set<ChildProcess>();

beforeAll(async () => {
  world = await startSyncWorld({ seed: 1213 });
  world.sim.control.setPlan({ shop: DEMO_SHOP, plan: "plus" });
});

afterEach(async () => {
  world.sim.control.releaseTokenAnswers();
  await Promise.all([...workers].map(stopWorker));
});

afterAll(async () => {
  await world.close();
});

let workerCount = 0;

/** A worker process, once it runs (test/helpers/worker-process.ts checks the pid it reports is its own). */
async function startWorker(): Promise<WorkerProcess> {
  const worker = await startWorkerProcess(`w${++workerCount}`, {
    DATABASE_URL: testDatabaseUrl(),
    SHOPIFY_ADMIN_API_ORIGIN: world.sim.origin,
    WORKER_CONCURRENCY: "4",
    WORKER_HEARTBEAT_MS: "300",
    WORKER_DEAD_AFTER_MS: "2000",
    SYNC_RETRY_BASE_MS: "100",
  });
  workers.add(worker.child);
  void worker.exited.then(() => workers.delete(worker.child));
  expect(isWorkerProcess(worker.pid)).toBe(true);
  return worker;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/** The shop's token as the sim's install/exchange would store it: an expiring pair, encrypted. */
async function storeFreshPair(lifetimeSeconds: number) {
  world.sim.control.setTokenLifetimes({ offlineAccessSeconds: lifetimeSeconds });
  world.sim.control.revokeTokens({ shop: DEMO_SHOP });
  const pair = world.sim.control.installToken({ shop: DEMO_SHOP, expiring: true });
  await testPool().query(
    `update shopify_sessions set access_token = $2, refresh_token = $3,
            expires = ($4::timestamptz at time zone 'UTC'), refresh_token_expires = ($5::timestamptz at time zone 'UTC')
      where id = $1`,
    [
      SESSION_ID,
      encryptedToken(SESSION_ID, "access_token", pair.token),
      encryptedToken(SESSION_ID, "refresh_token", pair.refreshToken!),
      pair.expiresAt,
      pair.refreshTokenExpiresAt,
    ],
  );
  await testPool().query(`update shops set sync_paused_reason = null, sync_paused_at = null where shop = $1`, [DEMO_SHOP]);
  return { token: pair.token, refreshToken: pair.refreshToken! };
}

async function shipped(count: number): Promise<number[]> {
  const ids = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, {
    orders: count / 2,
    vendorsPerOrder: 2,
    firstOrderNumber: nextOrder,
  });
  nextOrder += count;
  await markAllShipped(DEMO_SHOP, ids);
  return ids;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return Number((await testPool().query<{ n: number }>(sql, params)).rows[0]!.n);
}

const syncedCount = (ids: number[]) =>
  count(`select count(*) as n from shipments where id = any($1::bigint[]) and sync_state = 'in_sync'`, [ids]);

/** Polls until `probe` holds; with `pauses`, a pause of the shop meanwhile ends the wait (and fails). */
async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, pauses?: string[]) {
  const recent = () => grants().slice(-3).map((g) => `${g.grant} ${g.status} answered=${g.answered}`);
  await waitFor(
    () => `${what} (last token grants: ${recent().join("; ") || "none"})`,
    async () => {
      if (pauses) {
        const reason = (await testPool().query(`select sync_paused_reason from shops where shop = $1`, [DEMO_SHOP]))
          .rows[0]?.sync_paused_reason;
        if (reason) {
          pauses.push(reason);
          throw new Error(`the shop was paused (${reason}) while waiting for ${what}`);
        }
      }
      return probe();
    },
    timeoutMs,
    150,
  );
}

/**
 * Whether the stored pair is due for a refresh by the app's rule (offline-token.server.ts:
 * within min(5 min, half its lifetime) of expiry; half, for these seconds-long tokens),
 * on the database's clock, which is the workers' machine clock too.
 */
async function storedPairDue(): Promise<boolean> {
  const { rows } = await testPool().query<{ due: boolean }>(
    `select (expires at time zone 'UTC') - now()
              <= least(interval '5 minutes', ((expires at time zone 'UTC') - access_token_issued_at) / 2) as due
       from shopify_sessions where id = $1`,
    [SESSION_ID],
  );
  return rows[0]?.due === true;
}

const grants = (grant?: string) =>
  world.sim.control.tokenGrants({ shop: DEMO_SHOP }).filter((g) => !grant || g.grant === grant);

async function storedPair() {
  const { rows } = await testPool().query(`select access_token, refresh_token from shopify_sessions where id = $1`, [SESSION_ID]);
  return {
    token: storedToken(SESSION_ID, "access_token", rows[0].access_token),
    refreshToken: storedToken(SESSION_ID, "refresh_token", rows[0].refresh_token),
  };
}

async function works(token: string): Promise<boolean> {
  const response = await adminGraphql({ origin: world.sim.origin, shop: DEMO_SHOP, token, query: "{ shop { name } }" });
  return response.status === 200;
}

async function oneLiveFulfillmentEach(ids: number[]): Promise<boolean> {
  const rows = await testPool().query<{ order_id: string }>(
    `select distinct order_id from shipments where id = any($1::bigint[])`,
    [ids],
  );
  let live = 0;
  for (const { order_id } of rows.rows) {
    live += world.sim.control
      .getOrder({ shop: DEMO_SHOP, orderId: order_id })
      .fulfillments.filter((f) => f.status === "SUCCESS").length;
  }
  return live === ids.length;
}

describe(`a queue run of ${SHIPMENTS} shipments while offline tokens expire every 5 s`, () => {
  it("syncs every shipment with zero 401 pauses and zero merchant prompts", async () => {
    const first = await storeFreshPair(5);
    const ids = await shipped(SHIPMENTS);
    const grantsBefore = grants().length;
    const requestsBefore = world.sim.control.requestLog({ shop: DEMO_SHOP }).length;
    const started = Date.now();
    await startWorker();
    await startWorker();

    const pauses: string[] = [];
    await waitUntil("every shipment synced", async () => (await syncedCount(ids)) === ids.length, 600_000, pauses);
    const seconds = (Date.now() - started) / 1000;

    const during = world.sim.control.tokenGrants({ shop: DEMO_SHOP }).slice(grantsBefore);
    const refreshes = during.filter((g) => g.grant === "refresh_token");
    const requests = world.sim.control.requestLog({ shop: DEMO_SHOP }).slice(requestsBefore);
    const unauthorized = requests.filter((r) => r.outcome === 401).length;
    console.log(
      `[expiring tokens] ${ids.length} shipments in ${seconds.toFixed(1)} s with 5-s tokens: ` +
        `${refreshes.length} refreshes, ${requests.length} Admin API calls, ${unauthorized} answered 401, ` +
        `${pauses.length} pause observations, ${during.filter((g) => g.grant === "token_exchange").length} token exchanges`,
    );

    expect(pauses).toEqual([]);
    expect(await count(`select count(*) as n from sync_attempts where error_class = 'reauth_required'`)).toBe(0);
    // No merchant prompt: no token exchange (that needs the merchant's session token).
    expect(during.filter((g) => g.grant !== "refresh_token")).toEqual([]);
    // The tokens did rotate, each refresh token was spent once, every refresh succeeded.
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    expect(refreshes.every((g) => g.status === 200)).toBe(true);
    expect(new Set(refreshes.map((g) => g.refreshToken)).size).toBe(refreshes.length);
    expect(refreshes[0]!.refreshToken).toBe(first.refreshToken);
    expect(await oneLiveFulfillmentEach(ids)).toBe(true);
    expect(await works((await storedPair()).token)).toBe(true);
  }, 660_000);
});

describe("a worker SIGKILLed between Shopify's refresh answer and its store", () => {
  it("leaves the previous pair stored; the next worker refreshes with it again, without re-authorization", async () => {
    const before = await storeFreshPair(4);
    // Hold the session row: the worker's write of the new pair must wait behind us.
    const blocker = new pg.Client({ connectionString: testDatabaseUrl() });
    await blocker.connect();
    try {
      await blocker.query("begin");
      await blocker.query(`select 1 from shopify_sessions where id = $1 for update`, [SESSION_ID]);
      const ids = await shipped(20);
      // The pair must be due before the worker's first job, or a fast machine syncs all 20
      // on the stored token and never refreshes: refresh begins at half of its 4 s life.
      await waitUntil("the stored pair to fall due", storedPairDue, 10_000);
      const victim = await startWorker();

      await waitUntil(
        "the worker to hold Shopify's new pair, its write waiting",
        async () =>
          grants("refresh_token").some((g) => g.refreshToken === before.refreshToken && g.status === 200 && g.answered) &&
          (await count(
            `select count(*) as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock' and query ilike 'update shopify_sessions%'`,
          )) >= 1,
        120_000,
      );
      expect(isWorkerProcess(victim.pid)).toBe(true);
      process.kill(victim.pid, "SIGKILL");
      expect((await victim.exited).signal).toBe("SIGKILL");
      expect(isWorkerProcess(victim.pid)).toBe(false);
      await blocker.query("rollback");

      // Shopify rotated, the app never stored it: the old pair is still what is stored.
      expect(await storedPair()).toEqual(before);
      const rotatedAway = grants("refresh_token").filter((g) => g.refreshToken === before.refreshToken);
      expect(rotatedAway).toHaveLength(1);

      const pauses: string[] = [];
      const grantsBefore = grants().length;
      await startWorker();
      await waitUntil("every shipment synced", async () => (await syncedCount(ids)) === ids.length, 120_000, pauses);
      expect(pauses).toEqual([]);
      const after = grants().slice(grantsBefore);
      expect(after.filter((g) => g.grant !== "refresh_token")).toEqual([]);
      // The next refresh presented the previous refresh token again, and Shopify took it.
      expect(after[0]).toMatchObject({ grant: "refresh_token", refreshToken: before.refreshToken, status: 200 });
      expect(await oneLiveFulfillmentEach(ids)).toBe(true);
      expect(await works((await storedPair()).token)).toBe(true);
    } finally {
      await blocker.end().catch(() => undefined);
    }
  }, 240_000);
});

describe("two worker processes needing a refresh for the same shop at once", () => {
  it("make exactly one refresh, and leave the shop a working token", async () => {
    // Both workers up and idle first, so both meet the expiring token together.
    await startWorker();
    await startWorker();
    const before = await storeFreshPair(4);
    const grantsBefore = grants().length;
    world.sim.control.holdTokenAnswers({ shop: DEMO_SHOP, grants: ["refresh_token"] });
    await waitUntil("the stored pair to fall due", storedPairDue, 10_000);
    const ids = await shipped(40);

    // One is inside the refresh (Shopify holds its answer), the other waits for the shop's lock.
    await waitUntil(
      "one refresh in flight and the other process waiting for the shop's lock",
      async () =>
        grants("refresh_token").filter((g) => g.refreshToken === before.refreshToken).length === 1 &&
        (await count(
          `select count(*) as n from pg_locks
            where locktype = 'advisory' and classid = 7304 and not granted
              and database = (select oid from pg_database where datname = current_database())`,
        )) >= 1,
      60_000,
    );
    world.sim.control.releaseTokenAnswers();

    const pauses: string[] = [];
    await waitUntil("every shipment synced", async () => (await syncedCount(ids)) === ids.length, 120_000, pauses);
    expect(pauses).toEqual([]);
    expect(grants("refresh_token").filter((g) => g.refreshToken === before.refreshToken)).toHaveLength(1);
    // Later rotations too: never a refresh token presented twice, no other grant.
    const during = grants().slice(grantsBefore);
    const refreshes = during.filter((g) => g.grant === "refresh_token");
    expect(refreshes).toHaveLength(during.length);
    expect(new Set(refreshes.map((g) => g.refreshToken)).size).toBe(refreshes.length);
    expect(refreshes.every((g) => g.status === 200)).toBe(true);
    expect(await oneLiveFulfillmentEach(ids)).toBe(true);
    expect(await works((await storedPair()).token)).toBe(true);
  }, 240_000);
});
