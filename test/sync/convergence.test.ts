import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoShop } from "../demo/demo-data";
import { createBulkOrders } from "../helpers/bulk-orders";
import { attemptsOf, DEMO_SHOP, demoShipmentId, shipmentRow, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";
import type { SyncDependencies } from "~/sync/sync.server";

// Issue 14: a sync closes the gap between what Shopify holds and the operator's last
// intent, from any Shopify state; an unknown outcome is settled by a read before a
// shipment is declared failed; throttling is pacing and outages run on a time budget.
// Real Postgres, the real sync engine, the simulator over HTTP; faults at the HTTP layer.
let world: SyncWorld;

beforeAll(async () => {
  world = await startSyncWorld({ seed: 14 });
});

afterAll(async () => {
  await world.close();
});

beforeEach(async () => {
  world.sim.control.clearFaults();
  const { throttleStatus } = world.sim.control.getShop({ shop: DEMO_SHOP });
  world.sim.control.setBucket({ shop: DEMO_SHOP, currentlyAvailable: throttleStatus.maximumAvailable });
  await testPool().query(`update shops set auto_retry_enabled = true, sync_retry_window_minutes = 360 where shop = $1`, [
    DEMO_SHOP,
  ]);
});

async function deps(extra: Partial<SyncDependencies> = {}): Promise<SyncDependencies> {
  const { getPool } = await import("~/db.server");
  const { syncDependencies } = await import("~/sync/sync-deps.server");
  const { loadOfflineSession } = await import("~/offline-session.server");
  return { ...syncDependencies({ pool: getPool(), loadSession: loadOfflineSession, callTimeoutMs: 5_000 }), ...extra };
}

async function sync(id: number, extra: Partial<SyncDependencies> = {}) {
  const { syncShipment } = await import("~/sync/sync.server");
  return syncShipment(await deps(extra), DEMO_SHOP, id);
}

async function ship(id: number, trackingNumbers: string[]) {
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  const { getPool } = await import("~/db.server");
  const result = await markShipped(getPool(), DEMO_SHOP, id, {
    trackingNumbers,
    carrier: "Yamato (JA)",
    trackingUrl: null,
    notifyCustomer: false,
  });
  expect(result.ok).toBe(true);
}

async function revert(id: number) {
  const { revertShipment } = await import("~/shipments/shipment-commands.server");
  const { getPool } = await import("~/db.server");
  expect((await revertShipment(getPool(), DEMO_SHOP, id)).ok).toBe(true);
}

function fulfillmentsOf(orderName: string) {
  const order = demoShop.orders.find((o) => o.name === orderName)!;
  return world.sim.control.getOrder({ shop: DEMO_SHOP, orderId: order.id }).fulfillments;
}

function live(orderName: string) {
  return fulfillmentsOf(orderName).filter((f) => f.status !== "CANCELLED");
}

describe("regression: re-ship while the revert's cancel is in flight (issue 14)", () => {
  it("the cancel reaches Shopify but its answer is lost while the operator ships again: a new fulfillment with the new tracking, not 同期エラー", async () => {
    const id = await demoShipmentId("#1004");
    await ship(id, ["438912340001"]);
    expect(await sync(id)).toMatchObject({ kind: "synced" });
    const first = (await shipmentRow(id)).shopify_fulfillment_id!;

    await revert(id);
    // The cancel runs in Shopify, then its answer is lost; the operator re-ships while
    // the call is on its way (before the run can record anything).
    world.sim.control.injectFault({ shop: DEMO_SHOP, operation: "fulfillmentCancel", action: { type: "dropAfterCommit" }, times: 1 });
    let reshipped = false;
    const cancelRun = await sync(id, {
      beforeCall: async (_shop, operationName) => {
        if (operationName === "FulfillmentCancel" && !reshipped) {
          reshipped = true;
          await ship(id, ["438912340002"]);
        }
      },
    });
    expect(reshipped).toBe(true);
    expect(cancelRun).toMatchObject({ kind: "failed" });
    const between = await shipmentRow(id);
    expect(between).toMatchObject({ status: "shipped", sync_state: "pending", pending_operation: "update_tracking" });
    expect(fulfillmentsOf("#1004").find((f) => f.id === first)?.status).toBe("CANCELLED");

    // Before the fix: update_tracking on the cancelled fulfillment → 同期エラー, forever.
    expect(await sync(id)).toMatchObject({ kind: "synced", operation: "create_fulfillment" });
    const after = await shipmentRow(id);
    expect(after).toMatchObject({ status: "shipped", sync_state: "in_sync", tracking_numbers: ["438912340002"] });
    expect(after.shopify_fulfillment_id).not.toBe(first);
    expect(live("#1004").map((f) => [f.id, f.trackingInfo.map((t) => t.number)])).toEqual([
      [after.shopify_fulfillment_id, ["438912340002"]],
    ]);
    const open = (await attemptsOf(id)).filter((a) => a.outcome === null || a.outcome === "unknown");
    expect(open).toEqual([]);

    // Back to unshipped for the next test.
    await revert(id);
    expect(await sync(id)).toMatchObject({ kind: "synced" });
    expect(live("#1004")).toEqual([]);
  });

  it("a cancel that already happened is done: no second cancel is sent", async () => {
    const id = await demoShipmentId("#1005", "南部鉄器 及源");
    await ship(id, ["438912340101"]);
    const shipped = await sync(id);
    expect(shipped, JSON.stringify(shipped)).toMatchObject({ kind: "synced" });
    await revert(id);
    world.sim.control.injectFault({ shop: DEMO_SHOP, operation: "fulfillmentCancel", action: { type: "dropAfterCommit" }, times: 1 });
    expect(await sync(id, { random: () => 0 })).toMatchObject({ kind: "failed", error: { errorClass: "outcome_unknown" } });
    const before = world.sim.control.requestLog({ shop: DEMO_SHOP }).length;
    expect(await sync(id)).toMatchObject({ kind: "synced", operation: "cancel_fulfillment" });
    const calls = world.sim.control.requestLog({ shop: DEMO_SHOP }).slice(before);
    expect(calls.map((c) => c.rootFields).flat()).not.toContain("fulfillmentCancel");
    expect(await shipmentRow(id)).toMatchObject({ status: "unshipped", sync_state: "in_sync", shopify_fulfillment_id: null });
    expect((await attemptsOf(id)).filter((a) => a.operation === "cancel_fulfillment").map((a) => a.outcome)).toEqual([
      "succeeded",
    ]);
  });
});

describe("regression: an unknown outcome is settled by a read, whatever the retry budget (issue 14)", () => {
  it("automatic retry off and the create's answer lost: the read adopts the fulfillment, 発送済み — not 'could not confirm'", async () => {
    await testPool().query(`update shops set auto_retry_enabled = false where shop = $1`, [DEMO_SHOP]);
    const id = await demoShipmentId("#1008", "今治タオル工房");
    await ship(id, ["438912340201"]);
    world.sim.control.injectFault({ shop: DEMO_SHOP, operation: "fulfillmentCreate", action: { type: "dropAfterCommit" }, times: 1 });
    const outcome = await sync(id);
    expect(outcome).toMatchObject({ kind: "synced", operation: "create_fulfillment", adopted: true });
    const row = await shipmentRow(id);
    expect(row).toMatchObject({ status: "shipped", sync_state: "in_sync" });
    expect(live("#1008").map((f) => f.id)).toEqual([row.shopify_fulfillment_id]);
    expect((await attemptsOf(id)).find((a) => a.operation === "create_fulfillment")).toMatchObject({ outcome: "adopted" });
  });

  it("retry budget spent and a 503 on the create: the read finds nothing, so 同期エラー says Shopify has none (and no attempt stays unknown)", async () => {
    const id = await demoShipmentId("#1008", "有田焼 窯元まるぶん");
    await ship(id, ["438912340301"]);
    await testPool().query(`update shipments set sync_failing_since = now() - interval '7 hours' where id = $1`, [id]);
    world.sim.control.injectFault({ shop: DEMO_SHOP, operation: "fulfillmentCreate", action: { type: "httpError", status: 503 }, times: 1 });
    const outcome = await sync(id);
    expect(outcome).toMatchObject({ kind: "failed", retryAt: null });
    const row = await shipmentRow(id);
    expect(row).toMatchObject({ status: "shipped", sync_state: "failed", shopify_fulfillment_id: null, last_error_class: "transient" });
    expect(row.last_error_message).toMatch(/nothing from this attempt is there/);
    // The operator reads it in their language: stored as a message, not as the English line.
    expect(row.last_error_detail).toEqual({ key: "fulfillment.problems.settledNotApplied" });
    expect(live("#1008").filter((f) => f.trackingInfo.some((t) => t.number === "438912340301"))).toEqual([]);
    const attempts = await attemptsOf(id);
    expect(attempts.filter((a) => a.outcome === null || a.outcome === "unknown")).toEqual([]);
    expect(attempts.map((a) => a.operation)).toContain("reconcile");
  });
});

describe("a hung connection to Shopify (issue 14)", () => {
  it("Shopify makes the fulfillment and never answers: the call ends at its timeout as unknown, the next run reads and adopts it", async () => {
    const [id] = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, { orders: 1, vendorsPerOrder: 1, firstOrderNumber: 81_000 });
    await ship(id!, ["438912340601"]);
    world.sim.control.injectFault({ shop: DEMO_SHOP, operation: "fulfillmentCreate", action: { type: "dropAfterCommit", mode: "hang" }, times: 1 });
    const outcome = await sync(id!, { callTimeoutMs: 1_000 });
    // The socket never answers: only the app's own deadline can end the call.
    const create = (await attemptsOf(id!)).find((a) => a.operation === "create_fulfillment");
    expect(create).toMatchObject({ outcome: "unknown", http_status: null });
    expect(create!.message).toMatch(/aborted due to timeout/);
    expect(world.sim.control.requestLog({ shop: DEMO_SHOP }).filter((e) => e.outcome === "hung")).toHaveLength(1);
    // Unknown, never "failed": no attempt is left open, and the retry is due to read first.
    expect(outcome).toMatchObject({ kind: "failed", error: { errorClass: "outcome_unknown", nextAction: "reconcile" } });
    expect((await attemptsOf(id!)).filter((a) => a.outcome === null)).toEqual([]);
    expect(await sync(id!, { callTimeoutMs: 1_000 })).toMatchObject({ kind: "synced", operation: "create_fulfillment", adopted: true });
    const row = await shipmentRow(id!);
    expect(row).toMatchObject({ sync_state: "in_sync" });
    const made = world.sim.control.getOrder({ shop: DEMO_SHOP, orderId: row.order_id as string }).fulfillments;
    expect(made.filter((f) => f.status === "SUCCESS").map((f) => f.id)).toEqual([row.shopify_fulfillment_id]);
  });
});

describe("retry policy that fits Shopify (issue 14)", () => {
  it("THROTTLED and 429 are pacing: pending with the wait, no attempt spent, no budget started — even with automatic retry off", async () => {
    await testPool().query(`update shops set auto_retry_enabled = false where shop = $1`, [DEMO_SHOP]);
    const id = await demoShipmentId("#1009");
    await ship(id, ["438912340401"]);
    world.sim.control.injectFault({ shop: DEMO_SHOP, operation: "fulfillmentCreate", action: { type: "throttled" }, times: 1 });
    expect(await sync(id)).toMatchObject({ kind: "failed", error: { errorClass: "throttled" } });
    expect(await shipmentRow(id)).toMatchObject({ sync_state: "pending", sync_attempts: 0, sync_failing_since: null });
    world.sim.control.injectFault({ shop: DEMO_SHOP, operation: "fulfillmentCreate", action: { type: "rateLimited", retryAfterSeconds: 7 }, times: 1 });
    const started = Date.now();
    const paced = await sync(id);
    expect(paced).toMatchObject({ kind: "failed", error: { errorClass: "throttled" } });
    const row = await shipmentRow(id);
    expect(row).toMatchObject({ sync_state: "pending", sync_attempts: 0, sync_failing_since: null });
    expect(row.next_retry_at!.getTime()).toBeGreaterThanOrEqual(started + 7_000);
    expect(await sync(id)).toMatchObject({ kind: "synced" });
  });

  it("an outage is retried on the shop's time budget: 5 h 59 min into a failing run it still retries, at the budget's end at the latest", async () => {
    const id = await demoShipmentId("#1011");
    await ship(id, ["438912340501"]);
    await testPool().query(`update shipments set sync_failing_since = now() - interval '359 minutes', sync_attempts = 40 where id = $1`, [id]);
    world.sim.control.injectFault({ shop: DEMO_SHOP, operation: "order", action: { type: "httpError", status: 503 }, times: 1 });
    const outcome = await sync(id);
    expect(outcome).toMatchObject({ kind: "failed", error: { errorClass: "transient" } });
    const row = await shipmentRow(id);
    expect(row).toMatchObject({ sync_state: "pending", sync_attempts: 41 });
    const end = (row.sync_failing_since as Date).getTime() + 360 * 60_000;
    expect(row.next_retry_at!.getTime()).toBeLessThanOrEqual(end + 1);
    expect(await sync(id)).toMatchObject({ kind: "synced" });
    expect(await shipmentRow(id)).toMatchObject({ sync_state: "in_sync", sync_attempts: 0, sync_failing_since: null });
  });
});
