import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FaultAction } from "../shopify-sim";
import { shipNewOrder, syncOnce } from "../helpers/sync-once";
import { attemptsOf, DEMO_SHOP, shipmentRow, startSyncWorld, type SyncWorld } from "../helpers/sync-world";

/**
 * Regressions from the 1,000-shipment chaos run (issue 14, `npm run chaos`): a cancel
 * or a tracking update whose answer was lost stayed "unknown" in sync_attempts for good,
 * though the shipment ended in sync and Shopify was read after it.
 * - The create's answer was lost and the operator reverted: the cancel run found and
 *   adopted the fulfillment but did not link it, so the run after a lost cancel took
 *   the "nothing linked" path again, which never looks at cancels.
 * - Reverted, the cancel's answer lost, then re-shipped: the correction read the
 *   fulfillment live and left the cancel unsettled.
 * - A tracking correction's answer lost, then reverted: the cancel read the fulfillment
 *   and left the correction unsettled (the same for a lost update under a lost cancel).
 */
let world: SyncWorld;
let nextOrder = 93_000;

beforeAll(async () => {
  world = await startSyncWorld({ seed: 93 });
});

afterAll(async () => {
  await world.close();
});

beforeEach(() => {
  world.sim.control.clearFaults();
});

const commands = () => import("~/shipments/shipment-commands.server");
const sync = syncOnce;
const shippedShipment = (tracking: string) => shipNewOrder(world, nextOrder++, tracking);
const pool = async () => (await import("~/db.server")).getPool();

function fault(operation: string, action: FaultAction) {
  world.sim.control.injectFault({ shop: DEMO_SHOP, operation, action, times: 1 });
}

function liveFulfillments(orderId: string) {
  return world.sim.control.getOrder({ shop: DEMO_SHOP, orderId }).fulfillments.filter((f) => f.status !== "CANCELLED");
}

function cancelsSent(since: number) {
  return world.sim.control
    .requestLog({ shop: DEMO_SHOP })
    .slice(since)
    .filter((r) => r.rootFields.includes("fulfillmentCancel")).length;
}

async function unsettled(id: number) {
  return (await attemptsOf(id)).filter((a) => a.outcome === null || a.outcome === "unknown");
}

describe("a lost cancel answer after the revert of a create whose answer was lost", () => {
  it.each([
    { lost: "a 503 (the cancel did not happen)", action: { type: "httpError", status: 503 } as const, applied: false },
    { lost: "a dropped answer (the cancel happened)", action: { type: "dropAfterCommit" } as const, applied: true },
  ])("$lost: the next run reads the fulfillment and settles the cancel", async ({ action, applied }) => {
    const { id, orderId } = await shippedShipment("438900000011");
    fault("fulfillmentCreate", { type: "dropAfterCommit" });
    expect(await sync(id)).toMatchObject({ kind: "failed", error: { errorClass: "outcome_unknown" } });
    const { revertShipment } = await commands();
    expect((await revertShipment(await pool(), DEMO_SHOP, id)).ok).toBe(true);

    // The cancel run adopts the lost create's fulfillment, then its own answer is lost.
    fault("fulfillmentCancel", action);
    expect(await sync(id)).toMatchObject({ kind: "failed", error: { errorClass: "outcome_unknown" } });
    const made = (await attemptsOf(id)).find((a) => a.operation === "create_fulfillment")!;
    expect(made.outcome).toBe("adopted");
    // Shopify's fact is kept while the cancel is unsettled.
    expect((await shipmentRow(id)).shopify_fulfillment_id).toBe(made.fulfillment_id);

    const before = world.sim.control.requestLog({ shop: DEMO_SHOP }).length;
    expect(await sync(id)).toMatchObject({ kind: "synced", operation: "cancel_fulfillment" });
    expect(cancelsSent(before)).toBe(applied ? 0 : 1);
    expect(await shipmentRow(id)).toMatchObject({ status: "unshipped", sync_state: "in_sync", shopify_fulfillment_id: null });
    expect(liveFulfillments(orderId)).toEqual([]);
    expect(await unsettled(id)).toEqual([]);
    const cancels = (await attemptsOf(id)).filter((a) => a.operation === "cancel_fulfillment").map((a) => a.outcome);
    expect(cancels).toEqual(applied ? ["succeeded"] : ["failed", "succeeded"]);
  });
});

describe("a lost cancel answer, then the operator ships again", () => {
  it("the cancel did not happen: the correction finds the fulfillment live, updates it and settles the cancel as failed", async () => {
    const { id, orderId } = await shippedShipment("438900000021");
    expect(await sync(id)).toMatchObject({ kind: "synced" });
    const first = (await shipmentRow(id)).shopify_fulfillment_id;
    const { revertShipment, markShipped } = await commands();
    expect((await revertShipment(await pool(), DEMO_SHOP, id)).ok).toBe(true);
    fault("fulfillmentCancel", { type: "httpError", status: 503 });
    expect(await sync(id)).toMatchObject({ kind: "failed", error: { errorClass: "outcome_unknown" } });

    await markShipped(await pool(), DEMO_SHOP, id, {
      trackingNumbers: ["438900000022"],
      carrier: "Yamato (JA)",
      trackingUrl: null,
      notifyCustomer: false,
    });
    expect(await sync(id)).toMatchObject({ kind: "synced", operation: "update_tracking" });
    expect(await shipmentRow(id)).toMatchObject({ status: "shipped", sync_state: "in_sync", shopify_fulfillment_id: first });
    expect(liveFulfillments(orderId).map((f) => [f.id, f.trackingInfo.map((t) => t.number)])).toEqual([
      [first, ["438900000022"]],
    ]);
    expect(await unsettled(id)).toEqual([]);
    expect((await attemptsOf(id)).find((a) => a.operation === "cancel_fulfillment")).toMatchObject({ outcome: "failed" });
  });
});

describe("a lost tracking update, then the operator reverts", () => {
  it.each([
    { lost: "a 503 (the update did not happen)", action: { type: "httpError", status: 503 } as const, outcome: "failed" },
    { lost: "a dropped answer (the update happened)", action: { type: "dropAfterCommit" } as const, outcome: "succeeded" },
  ])("$lost: the cancel's read settles the update too", async ({ action, outcome }) => {
    const { id, orderId } = await shippedShipment("438900000031");
    expect(await sync(id)).toMatchObject({ kind: "synced" });
    const { revertShipment, markShipped } = await commands();
    await markShipped(await pool(), DEMO_SHOP, id, {
      trackingNumbers: ["438900000032"],
      carrier: "Yamato (JA)",
      trackingUrl: null,
      notifyCustomer: false,
    });
    fault("fulfillmentTrackingInfoUpdate", action);
    expect(await sync(id)).toMatchObject({ kind: "failed", error: { errorClass: "outcome_unknown" } });
    expect((await revertShipment(await pool(), DEMO_SHOP, id)).ok).toBe(true);

    expect(await sync(id)).toMatchObject({ kind: "synced", operation: "cancel_fulfillment" });
    expect(await shipmentRow(id)).toMatchObject({ status: "unshipped", sync_state: "in_sync", shopify_fulfillment_id: null });
    expect(liveFulfillments(orderId)).toEqual([]);
    expect(await unsettled(id)).toEqual([]);
    const updates = (await attemptsOf(id)).filter((a) => a.operation === "update_tracking").map((a) => a.outcome);
    expect(updates).toEqual([outcome]);
  });
});
