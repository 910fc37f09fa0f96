import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoShop } from "../demo/demo-data";
import { TEST_APP } from "../helpers/app-env";
import { createBulkOrders, markAllShipped } from "../helpers/bulk-orders";
import { documentRequest, fetchRequest, routeArgs, settle } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { storedToken } from "../helpers/stored-tokens";
import { DEMO_SHOP, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { waitUntil } from "../helpers/wait-until";
import { webhookRequest } from "../helpers/webhook";
import { dueSyncJobs, idleFetch } from "../helpers/worker-idle";
import { testPool } from "../support/database";
import type { SyncWorker } from "~/worker/runner.server";

// Re-authorization handled by the app itself, end to end: the simulator refuses the
// token or a scope mid-run, the worker pauses the shop, loaders report the banner, the
// button walks the merchant through the fix, and the paused jobs finish on their own.
let world: SyncWorld;
let worker: SyncWorker;
let nextOrder = 80_000;

beforeAll(async () => {
  world = await startSyncWorld({ seed: 31 });
  world.sim.control.setPlan({ shop: DEMO_SHOP, plan: "plus" });
  const { startSyncWorker } = await import("~/worker/runner.server");
  const { getPool } = await import("~/db.server");
  const { loadOfflineSession } = await import("~/offline-session.server");
  worker = await startSyncWorker({
    pool: getPool(),
    loadSession: loadOfflineSession,
    concurrency: 3,
    retryBaseMs: 50,
  });
});

afterAll(async () => {
  await worker.stop();
  await world.close();
});

beforeEach(() => {
  world.sim.control.clearFaults();
});

async function shipMany(count: number) {
  const ids = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, {
    orders: count / 2,
    vendorsPerOrder: 2,
    firstOrderNumber: nextOrder,
  });
  nextOrder += count;
  await markAllShipped(DEMO_SHOP, ids);
  return ids;
}

const waitFor = (what: string, probe: () => Promise<boolean>, timeoutMs = 60_000) =>
  waitUntil(what, probe, timeoutMs, 100);

const syncedCount = async (ids: number[]) =>
  (
    await testPool().query<{ n: number }>(
      `select count(*)::int as n from shipments where id = any($1::bigint[]) and sync_state = 'in_sync'`,
      [ids],
    )
  ).rows[0]!.n;

async function indexData() {
  const index = await import("~/routes/app._index");
  const request = fetchRequest("/app", signSessionToken({ shop: DEMO_SHOP }));
  const result = await settle(() => index.loader(routeArgs(request)));
  expect(result.thrown).toBeUndefined();
  return result.value!;
}

async function reauthorize(returnTo = "/app?sync=pending") {
  const route = await import("~/routes/app.reauthorize");
  const body = new FormData();
  body.set("returnTo", returnTo);
  const request = fetchRequest("/app/reauthorize", signSessionToken({ shop: DEMO_SHOP }), { method: "POST", body });
  const result = await settle(() => route.action(routeArgs(request)));
  return (result.thrown ?? result.value) as Response;
}

async function liveFulfillments(ids: number[]) {
  const rows = await testPool().query<{ order_id: string }>(`select distinct order_id from shipments where id = any($1::bigint[])`, [ids]);
  let live = 0;
  for (const { order_id } of rows.rows) {
    live += world.sim.control.getOrder({ shop: DEMO_SHOP, orderId: order_id }).fulfillments.filter((f) => f.status === "SUCCESS").length;
  }
  return live;
}

describe("a token revoked mid-run", () => {
  it("pauses the jobs, shows the banner, re-authenticates through the library, and resumes to the end", async () => {
    const ids = await shipMany(20);
    // Let some go through, then Shopify stops accepting the token.
    await waitFor("a few synced", async () => (await syncedCount(ids)) >= 4);
    world.sim.control.revokeTokens({ shop: DEMO_SHOP });
    await waitFor("the shop paused", async () => (await indexData()).pause?.reason === "reauth_required");
    const pausedAt = await syncedCount(ids);
    expect(pausedAt).toBeLessThan(ids.length);
    // Nothing more syncs while paused: the runs under way at the pause end, then the
    // worker looks for work while jobs of this shop are due, and takes none.
    await idleFetch(worker, testPool());
    expect(await dueSyncJobs(testPool(), ids)).toBeGreaterThan(0);
    await idleFetch(worker, testPool());
    expect(await syncedCount(ids)).toBe(pausedAt);
    const pending = await testPool().query(`select count(*)::int as n from shipments where id = any($1::bigint[]) and sync_state = 'failed'`, [ids]);
    expect(pending.rows[0].n).toBe(0); // paused, never 同期エラー

    // The button: the library finds the dead token and asks App Bridge to retry…
    const first = await reauthorize();
    expect(first.status).toBe(401);
    expect(first.headers.get("X-Shopify-Retry-Invalid-Session-Request")).toBe("1");
    // …the retried request runs token exchange (a new offline token) and lands back.
    const second = await reauthorize();
    expect(second.status).toBe(302);
    expect(second.headers.get("Location")).toBe("/app?sync=pending");
    const session = await testPool().query(`select access_token from shopify_sessions where id = $1`, [`offline_${DEMO_SHOP}`]);
    const stored = storedToken(`offline_${DEMO_SHOP}`, "access_token", session.rows[0].access_token);
    expect(world.sim.control.getShop({ shop: DEMO_SHOP }).tokens.map((t) => t.token)).toContain(stored);

    await waitFor("every shipment synced after resuming", async () => (await syncedCount(ids)) === ids.length, 60_000);
    expect((await indexData()).pause).toBeNull();
    expect(await liveFulfillments(ids)).toBe(ids.length);
  });
});

describe("a scope removed mid-run", () => {
  it("names and requests the missing scope, and resumes after the grant (app/scopes_update)", async () => {
    const ids = await shipMany(10);
    const reduced = demoShop.scopes.filter((s) => s !== "write_merchant_managed_fulfillment_orders");
    world.sim.control.setScopes({ shop: DEMO_SHOP, scopes: reduced });
    await waitFor("the shop paused", async () => (await indexData()).pause?.reason === "missing_scope");
    const { pause } = await indexData();
    expect(pause!.missingScopes).toEqual(["write_merchant_managed_fulfillment_orders"]);

    const response = await reauthorize();
    // Shopify's grant screen, reached through App Bridge (embedded: no top-level redirect from the iframe).
    const target = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url") ?? response.headers.get("Location");
    expect(target).toBeTruthy();
    const url = new URL(target!);
    expect(url.pathname).toBe("/admin/oauth/install");
    expect(url.searchParams.get("client_id")).toBe(TEST_APP.apiKey);
    expect(url.searchParams.get("optional_scopes")).toBe("write_merchant_managed_fulfillment_orders");

    // The merchant grants it; Shopify tells the app.
    world.sim.control.setScopes({ shop: DEMO_SHOP, scopes: demoShop.scopes });
    const webhooks = await import("~/routes/webhooks.app.scopes_update");
    const hook = await webhooks.action(
      routeArgs(
        webhookRequest({
          path: "/webhooks/app/scopes_update",
          topic: "app/scopes_update",
          shop: DEMO_SHOP,
          payload: { id: 1, previous: reduced, current: demoShop.scopes, updated_at: new Date().toISOString() },
        }),
      ),
    );
    expect(hook.status).toBe(200);
    await waitFor("every shipment synced after the grant", async () => (await syncedCount(ids)) === ids.length, 60_000);
    expect(await liveFulfillments(ids)).toBe(ids.length);
  });
});

describe("a merchant who declines", () => {
  it("stays on a stable page with guidance: pages never redirect, the button redirects once per click", async () => {
    const ids = await shipMany(2);
    const reduced = demoShop.scopes.filter((s) => s !== "write_merchant_managed_fulfillment_orders");
    world.sim.control.setScopes({ shop: DEMO_SHOP, scopes: reduced });
    await waitFor("the shop paused", async () => (await indexData()).pause?.reason === "missing_scope");

    let redirects = 0;
    const app = await import("~/routes/app");
    for (let i = 0; i < 5; i++) {
      // Coming back from the grant screen without granting: the document loads normally.
      const doc = documentRequest("/app", { shop: DEMO_SHOP, token: signSessionToken({ shop: DEMO_SHOP }) });
      const loaded = await settle(() => app.loader(routeArgs(doc)));
      if (loaded.thrown && loaded.thrown.status >= 300 && loaded.thrown.status < 400) redirects++;
      const data = await indexData();
      expect(data.pause).toMatchObject({ reason: "missing_scope", missingScopes: ["write_merchant_managed_fulfillment_orders"] });
    }
    expect(redirects).toBe(0);
    // One click → one trip to the grant screen, nothing more.
    const response = await reauthorize();
    expect([302, 401]).toContain(response.status);
    expect(await syncedCount(ids)).toBe(0);

    world.sim.control.setScopes({ shop: DEMO_SHOP, scopes: demoShop.scopes });
    const { resumeIfScopesGranted } = await import("~/shops/sync-circuit.server");
    await resumeIfScopesGranted(testPool(), DEMO_SHOP, demoShop.scopes);
    await waitFor("synced", async () => (await syncedCount(ids)) === ids.length);
  });
});
