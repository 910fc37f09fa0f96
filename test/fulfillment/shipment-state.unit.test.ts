import { describe, expect, it } from "vitest";
import { retryOperation, revertTransition, shipTransition, type ShipmentState } from "~/fulfillment/shipment-state";

const F = "gid://shopify/Fulfillment/1";
const state = (s: Partial<ShipmentState>): ShipmentState => ({
  status: "unshipped",
  syncState: "in_sync",
  pendingOperation: null,
  shopifyFulfillmentId: null,
  ...s,
});

describe("shipTransition", () => {
  it("creates for an unshipped shipment", () => {
    expect(shipTransition(state({}))).toEqual({ transition: "mark_shipped", operation: "create_fulfillment" });
  });
  it("corrects the linked fulfillment's tracking when shipped", () => {
    expect(shipTransition(state({ status: "shipped", shopifyFulfillmentId: F }))).toEqual({
      transition: "correct_tracking",
      operation: "update_tracking",
    });
  });
  it("lets a pending create carry corrected tracking", () => {
    expect(
      shipTransition(state({ status: "shipped", syncState: "pending", pendingOperation: "create_fulfillment" })),
    ).toEqual({ transition: "correct_tracking", operation: "create_fulfillment" });
  });
  it("re-ships over a pending cancel by correcting the fulfillment still linked", () => {
    expect(
      shipTransition(state({ syncState: "pending", pendingOperation: "cancel_fulfillment", shopifyFulfillmentId: F })),
    ).toEqual({ transition: "reship", operation: "update_tracking" });
  });
});

describe("revertTransition", () => {
  it("refuses an unshipped shipment", () => {
    expect(revertTransition({ ...state({}), createAttempted: false })).toEqual({ ok: false, reason: "already_unshipped" });
  });
  it("cancels when Shopify may hold a fulfillment", () => {
    expect(revertTransition({ ...state({ status: "shipped", shopifyFulfillmentId: F }), createAttempted: false })).toEqual({
      ok: true,
      operation: "cancel_fulfillment",
    });
    expect(revertTransition({ ...state({ status: "shipped" }), createAttempted: true })).toEqual({
      ok: true,
      operation: "cancel_fulfillment",
    });
  });
  it("goes straight back when no call ever left", () => {
    expect(revertTransition({ ...state({ status: "shipped" }), createAttempted: false })).toEqual({ ok: true, operation: null });
  });
});

describe("retryOperation", () => {
  it("leaves a shipment in sync alone and keeps a failed one's operation", () => {
    expect(retryOperation(state({}))).toBeNull();
    expect(retryOperation(state({ status: "shipped", syncState: "failed", pendingOperation: "update_tracking" }))).toBe(
      "update_tracking",
    );
  });
});
