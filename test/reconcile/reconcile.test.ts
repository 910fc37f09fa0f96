import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRequest, routeArgs } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import {
  shipmentRow,
  startSyncWorld,
  type SyncWorld,
} from "../helpers/sync-world";
import { testPool } from "../support/database";
import {
  cancelInShopifyAdmin,
  editTrackingInShopifyAdmin,
  importOrder,
  shipAndSync,
} from "./fixtures";
import type { ReconcileDeps } from "~/reconcile/reconcile.server";

// The reconcile job against the simulator: drift is made in "Shopify admin" (a
// fulfillment cancelled, tracking edited) with no webhook delivered, and the job finds
// it, repairs it and reports it.
let world: SyncWorld;
let deps: ReconcileDeps;

beforeAll(async () => {
  world = await startSyncWorld();
  const { getPool } = await import("~/db.server");
  const { loadOfflineSession } =
    await import("~/offline-session.server");
  const { ShopPacer } = await import("~/shopify/pacer");
  deps = {
    pool: getPool(),
    loadSession: loadOfflineSession,
    pacer: new ShopPacer(),
  };
});

afterAll(async () => {
  await world.close();
});

async function linkedCount() {
  const { rows } = await testPool().query(
    `select count(*)::int as n from shipments where shop = $1 and shopify_fulfillment_id is not null`,
    [world.shop],
  );
  return rows[0].n as number;
}

describe("reconcileShop", () => {
  it("finds a fulfillment cancelled and tracking edited in Shopify admin, repairs both and reports them", async () => {
    const { reconcileShop } = await import("~/reconcile/reconcile.server");
    const { order, lines } = await importOrder(world, [
      {
        title: "有田焼 飯碗",
        sku: "ARITA-2",
        quantity: 1,
        vendor: "有田焼 窯元",
      },
      {
        title: "今治タオル",
        sku: "IMA-2",
        quantity: 1,
        vendor: "今治タオル工房",
      },
      {
        title: "美濃和紙 便箋",
        sku: "MINO-2",
        quantity: 1,
        vendor: "美濃和紙",
      },
    ]);
    const cancelled = await shipAndSync(
      world,
      order.id,
      [{ lineId: lines[0]!.id, quantity: 1 }],
      ["100010001000"],
    );
    const retracked = await shipAndSync(
      world,
      order.id,
      [{ lineId: lines[1]!.id, quantity: 1 }],
      ["200020002000"],
    );
    const untouched = await shipAndSync(
      world,
      order.id,
      [{ lineId: lines[2]!.id, quantity: 1 }],
      ["300030003000"],
    );

    // Drift, made in Shopify admin; no webhook reaches the app.
    await cancelInShopifyAdmin(world, cancelled.fulfillmentId);
    await editTrackingInShopifyAdmin(world, retracked.fulfillmentId, {
      company: "Sagawa (JA)",
      number: "299929992999",
    });
    const linked = await linkedCount();
    const logBefore = world.sim.control.requestLog({ shop: world.shop }).length;

    const run = await reconcileShop(deps, world.shop, { trigger: "manual" });

    expect(run).toMatchObject({
      status: "completed",
      trigger: "manual",
      checked: linked,
      repaired: 2,
      error: null,
    });
    expect(run.report.drift).toEqual(
      expect.arrayContaining([
        {
          shipmentId: cancelled.shipmentId,
          orderName: order.name,
          fulfillmentId: cancelled.fulfillmentId,
          kind: "fulfillment_cancelled",
        },
        {
          shipmentId: retracked.shipmentId,
          orderName: order.name,
          fulfillmentId: retracked.fulfillmentId,
          kind: "tracking_changed",
          before: ["200020002000"],
          after: ["299929992999"],
        },
      ]),
    );
    expect(run.report.drift).toHaveLength(2);
    expect(run.report.calls).toBe(Math.ceil(linked / 25));
    expect(run.report.requestedCost).toBeGreaterThan(0);

    // Repaired here, with notes staff can see.
    expect(await shipmentRow(cancelled.shipmentId)).toMatchObject({
      status: "unshipped",
      sync_state: "in_sync",
      shopify_fulfillment_id: null,
    });
    const retrackedRow = await shipmentRow(retracked.shipmentId);
    expect(retrackedRow).toMatchObject({
      status: "shipped",
      sync_state: "in_sync",
      carrier: "Sagawa (JA)",
    });
    expect(retrackedRow.tracking_numbers).toEqual(["299929992999"]);
    expect(await shipmentRow(untouched.shipmentId)).toMatchObject({
      status: "shipped",
      sync_state: "in_sync",
    });
    const notes = await testPool().query(
      `select shipment_id, kind, source from shipment_notes where shipment_id = any($1::bigint[]) order by shipment_id`,
      [[cancelled.shipmentId, retracked.shipmentId, untouched.shipmentId]],
    );
    expect(notes.rows).toEqual([
      {
        shipment_id: String(cancelled.shipmentId),
        kind: "fulfillment_cancelled_in_shopify",
        source: "reconcile",
      },
      {
        shipment_id: String(retracked.shipmentId),
        kind: "tracking_changed_in_shopify",
        source: "reconcile",
      },
    ]);

    // It only read Shopify: every call was the batched fulfillments read.
    const calls = world.sim.control
      .requestLog({ shop: world.shop })
      .slice(logBefore);
    expect(calls.map((c) => c.operationName)).toEqual(
      calls.map(() => "FulfillmentsState"),
    );

    // The report is stored; a second run finds nothing left to repair.
    const stored = await testPool().query(
      `select status, report from reconcile_runs where id = $1`,
      [run.id],
    );
    expect(stored.rows[0].report.drift).toHaveLength(2);
    const again = await reconcileShop(deps, world.shop, {
      trigger: "scheduled",
    });
    expect(again).toMatchObject({
      status: "completed",
      repaired: 0,
      checked: linked - 1,
    });
  });

  it("a fulfillment Shopify no longer has turns its shipment back to unshipped", async () => {
    const { reconcileShop } = await import("~/reconcile/reconcile.server");
    const { order, lines } = await importOrder(world);
    const gone = await shipAndSync(
      world,
      order.id,
      [{ lineId: lines[0]!.id, quantity: 2 }],
      ["400040004000"],
    );
    await testPool().query(
      `update shipments set shopify_fulfillment_id = $2 where id = $1`,
      [gone.shipmentId, "gid://shopify/Fulfillment/999999999"],
    );

    const run = await reconcileShop(deps, world.shop);

    expect(run.report.drift).toEqual([
      expect.objectContaining({
        shipmentId: gone.shipmentId,
        kind: "fulfillment_missing",
      }),
    ]);
    expect(await shipmentRow(gone.shipmentId)).toMatchObject({
      status: "unshipped",
      shopify_fulfillment_id: null,
    });
  });

  it("waits for Shopify's bucket instead of being throttled, and counts the wait", async () => {
    const { reconcileShop } = await import("~/reconcile/reconcile.server");
    const { ShopPacer } = await import("~/shopify/pacer");
    const simNow = () => Date.parse(world.sim.control.now().now);
    // Time passes on the simulator's clock: waiting refills its bucket at once.
    const sleep = async (ms: number) => {
      world.sim.control.advanceClock({ ms });
    };
    const paced: ReconcileDeps = {
      ...deps,
      batchSize: 5,
      pacer: new ShopPacer({ now: simNow, sleep }),
      sleep,
    };
    world.sim.control.setBucket({ shop: world.shop, currentlyAvailable: 0 });
    const logBefore = world.sim.control.requestLog({ shop: world.shop }).length;

    const run = await reconcileShop(paced, world.shop);

    expect(run).toMatchObject({
      status: "completed",
      checked: await linkedCount(),
    });
    expect(run.report.throttleWaitMs).toBeGreaterThan(0);
    const calls = world.sim.control
      .requestLog({ shop: world.shop })
      .slice(logBefore);
    // At most the first call, made before anything was known of the bucket, is throttled.
    expect(calls.filter((c) => c.throttled).length).toBeLessThanOrEqual(1);
    expect(calls.filter((c) => !c.throttled)).toHaveLength(run.report.calls);
  });

  it("stops at its limit and says so", async () => {
    const { reconcileShop } = await import("~/reconcile/reconcile.server");
    const run = await reconcileShop(deps, world.shop, {
      trigger: "manual",
      limit: 2,
    });
    expect(run).toMatchObject({ status: "completed", checked: 2 });
    expect(run.report.limitReached).toBe(true);
  });

  it("records a failed run when the shop has no token", async () => {
    const { reconcileShop } = await import("~/reconcile/reconcile.server");
    const run = await reconcileShop(
      { ...deps, loadSession: async () => null },
      world.shop,
    );
    expect(run).toMatchObject({ status: "failed", checked: 0 });
    expect(run.error).toMatch(/reauth_required/);
  });
});

describe("the reconcile button (orders page action)", () => {
  it("runs a reconcile for the signed-in shop and shows its report", async () => {
    const route = await import("~/routes/app.orders._index");
    const { order, lines } = await importOrder(world);
    const shipped = await shipAndSync(
      world,
      order.id,
      [{ lineId: lines[1]!.id, quantity: 1 }],
      ["500050005000"],
    );
    await cancelInShopifyAdmin(world, shipped.fulfillmentId);

    const body = new FormData();
    body.set("intent", "reconcile");
    const token = signSessionToken({ shop: world.shop });
    const result = (await route.action(
      routeArgs(
        fetchRequest("/app/orders?index", token, { method: "POST", body }),
      ),
    )) as unknown as {
      data: {
        ok: boolean;
        run: { repaired: number; report: { drift: { kind: string }[] } };
      };
    };

    expect(result.data.ok).toBe(true);
    expect(result.data.run.repaired).toBe(1);
    expect(result.data.run.report.drift.map((d) => d.kind)).toEqual([
      "fulfillment_cancelled",
    ]);

    const page = await route.loader(
      routeArgs(fetchRequest("/app/orders", token)),
    );
    expect(page.reconcileRuns[0]).toMatchObject({
      trigger: "manual",
      repaired: 1,
    });
  });
});
