import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRequest, routeArgs } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";
import type { BackfillDeps } from "~/orders/backfill.server";

// The order backfill against the simulator: paged, resumable from its stored cursor,
// paced by Shopify's throttle status, with its progress on the run's row.
let world: SyncWorld;
let deps: BackfillDeps;
const DAY = 86_400_000;
let recent: string[] = [];
let bigOrder: string;
let oldOrder: string;

beforeAll(async () => {
  world = await startSyncWorld();
  const { getPool } = await import("~/db.server");
  const { loadOfflineSession } =
    await import("~/offline-session.server");
  const { ShopPacer } = await import("~/shopify/pacer");
  // The simulator's clock is the pacer's: waiting for the bucket advances it.
  const sleep = async (ms: number) => {
    world.sim.control.advanceClock({ ms });
  };
  deps = {
    pool: getPool(),
    loadSession: loadOfflineSession,
    pacer: new ShopPacer({
      now: () => Date.parse(world.sim.control.now().now),
      sleep,
    }),
    sleep,
  };
  const now = Date.now();
  for (let i = 0; i < 20; i++) {
    const order = world.sim.control.createOrder({
      shop: world.shop,
      createdAt: new Date(now - (i + 1) * 3_600_000).toISOString(),
      lines: [
        {
          title: `品物 ${i}`,
          sku: `SKU-${i}`,
          quantity: 1 + (i % 3),
          vendor: i % 2 ? "有田焼 窯元" : "今治タオル工房",
        },
      ],
    });
    recent.push(order.id);
  }
  bigOrder = world.sim.control.createOrder({
    shop: world.shop,
    createdAt: new Date(now - 2 * DAY).toISOString(),
    lines: Array.from({ length: 60 }, (_, i) => ({
      title: `部品 ${i}`,
      quantity: 1,
      vendor: "美濃和紙",
    })),
  }).id;
  oldOrder = world.sim.control.createOrder({
    shop: world.shop,
    createdAt: new Date(now - 90 * DAY).toISOString(),
    lines: [{ title: "古い注文", quantity: 1, vendor: "古い" }],
  }).id;
});

afterAll(async () => {
  await world.close();
});

async function lineCount(orderId: string) {
  const { rows } = await testPool().query(
    `select count(*)::int as n from line_items where shop = $1 and order_id = $2`,
    [world.shop, orderId],
  );
  return rows[0].n as number;
}

const ordersCalls = () =>
  world.sim.control
    .requestLog({ shop: world.shop })
    .filter((c) => c.operationName === "RecentOrders");

describe("the order backfill", () => {
  it("imports page by page, stops mid-way, resumes from its cursor and completes without re-reading a page", async () => {
    const { startBackfill, runBackfill, getLatestBackfill } =
      await import("~/orders/backfill.server");
    const { getPool } = await import("~/db.server");
    const started = await startBackfill(getPool(), world.shop, { days: 60 });
    expect(started).toMatchObject({
      status: "running",
      pages: 0,
      cursor: null,
    });
    // Starting again resumes the same run.
    expect((await startBackfill(getPool(), world.shop)).id).toBe(started.id);

    const first = await runBackfill(deps, world.shop, { maxPages: 1 });
    expect(first.kind).toBe("progressed");
    const afterOne = (await getLatestBackfill(getPool(), world.shop))!;
    expect(afterOne).toMatchObject({
      status: "running",
      pages: 1,
      ordersImported: 10,
    });
    expect(afterOne.cursor).toEqual(expect.any(String));
    expect(afterOne.progress).toBeGreaterThan(0);
    expect(await lineCount(recent[0]!)).toBe(1);
    expect(await lineCount(recent[19]!)).toBe(0);
    const callsAfterOne = ordersCalls().length;

    // A new process (say, after a deploy) picks the run up where it stopped.
    const rest = await runBackfill({ ...deps }, world.shop);
    expect(rest.kind).toBe("progressed");
    const done = (await getLatestBackfill(getPool(), world.shop))!;
    // 20 recent orders, the big one and the demo's 12: 33 orders in 4 pages (the last one meets the old order).
    expect(done).toMatchObject({
      status: "completed",
      ordersImported: 33,
      pages: 4,
      progress: 1,
    });
    expect(done.finishedAt).toEqual(expect.any(String));
    expect(ordersCalls().length - callsAfterOne).toBe(3);
    for (const id of recent) expect(await lineCount(id)).toBeGreaterThan(0);
    expect(await lineCount(bigOrder)).toBe(60); // more than one page of lines
    expect(await lineCount(oldOrder)).toBe(0); // older than the window
    expect(done.lineItemsImported).toBeGreaterThanOrEqual(60 + 20);

    // Once completed, running again does nothing.
    expect((await runBackfill(deps, world.shop)).kind).toBe("idle");
  });

  it("waits for Shopify's bucket rather than being throttled, and shows the time waited", async () => {
    const { startBackfill, runBackfill, getLatestBackfill } =
      await import("~/orders/backfill.server");
    const { getPool } = await import("~/db.server");
    await startBackfill(getPool(), world.shop, { days: 60 });
    world.sim.control.setBucket({ shop: world.shop, currentlyAvailable: 0 });
    const before = world.sim.control.requestLog({ shop: world.shop }).length;

    await runBackfill(deps, world.shop);

    const run = (await getLatestBackfill(getPool(), world.shop))!;
    expect(run).toMatchObject({ status: "completed", ordersImported: 33 });
    expect(run.throttleWaitMs).toBeGreaterThan(0);
    const calls = world.sim.control
      .requestLog({ shop: world.shop })
      .slice(before);
    expect(calls.filter((c) => c.throttled).length).toBeLessThanOrEqual(1);
  });

  it("keeps running through a transient failure and resumes; fails on a refusal waiting cannot fix", async () => {
    const { startBackfill, runBackfill, getLatestBackfill } =
      await import("~/orders/backfill.server");
    const { getPool } = await import("~/db.server");
    await startBackfill(getPool(), world.shop, { days: 60 });
    world.sim.control.injectFault({
      shop: world.shop,
      operation: "orders",
      action: { type: "httpError", status: 503 },
      times: 1,
      skip: 1,
    });

    await runBackfill(deps, world.shop);
    const paused = (await getLatestBackfill(getPool(), world.shop))!;
    expect(paused).toMatchObject({ status: "running", pages: 1 });
    expect(paused.lastError).toMatch(/^transient/);

    await runBackfill(deps, world.shop);
    expect(await getLatestBackfill(getPool(), world.shop)).toMatchObject({
      status: "completed",
      lastError: null,
    });

    await startBackfill(getPool(), world.shop);
    await runBackfill(
      {
        ...deps,
        loadSession: async (shop) => ({ shop, accessToken: "shpat_revoked" }),
      },
      world.shop,
    );
    const failed = (await getLatestBackfill(getPool(), world.shop))!;
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toMatch(/^reauth_required/);
  });

  it("the orders page starts it, runs a slice and shows the progress", async () => {
    const route = await import("~/routes/app.orders._index");
    const token = signSessionToken({ shop: world.shop });
    const body = new FormData();
    body.set("intent", "start_backfill");

    const result = (await route.action(
      routeArgs(
        fetchRequest("/app/orders?index", token, { method: "POST", body }),
      ),
    )) as unknown as {
      data: {
        ok: boolean;
        started: boolean;
        backfill: { status: string; ordersImported: number };
      };
    };

    expect(result.data).toMatchObject({ ok: true, started: true });
    expect(result.data.backfill.ordersImported).toBeGreaterThan(0);
    const page = await route.loader(
      routeArgs(fetchRequest("/app/orders", token)),
    );
    expect(page.backfill).toMatchObject({ id: expect.any(Number) });
    expect(page.orders.length).toBeGreaterThan(20);
  });
});

describe("the backfill window", () => {
  it("asks Shopify for at most 60 days unless read_all_orders is granted", async () => {
    const { startBackfill } = await import("~/orders/backfill.server");
    const { getPool } = await import("~/db.server");
    const pool = getPool();
    const shop = "backfill-window.myshopify.com";
    const now = new Date("2026-12-01T00:00:00Z");
    const days = async () => {
      const run = await startBackfill(pool, shop, { days: 365, now });
      await pool.query(`update order_backfill_runs set status = 'completed', finished_at = now() where shop = $1`, [shop]);
      return Math.round((now.getTime() - Date.parse(run.since)) / 86_400_000);
    };
    await pool.query(`insert into shops (shop, granted_scopes) values ($1, $2)`, [shop, ["read_orders"]]);
    expect(await days()).toBe(60);
    await pool.query(`update shops set granted_scopes = $2 where shop = $1`, [shop, ["read_orders", "read_all_orders"]]);
    expect(await days()).toBe(365);
  });
});
