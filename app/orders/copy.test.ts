import { describe, expect, it } from "vitest";
import { describeShipmentNote } from "~/reconcile/note-copy";
import { ordersCopy, ordersText } from "./copy";

describe("orders copy", () => {
  it("has the same keys and placeholders in Japanese and English", () => {
    expect(Object.keys(ordersCopy.ja).sort()).toEqual(
      Object.keys(ordersCopy.en).sort(),
    );
    for (const key of Object.keys(
      ordersCopy.ja,
    ) as (keyof typeof ordersCopy.ja)[]) {
      const holes = (s: string) =>
        [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(holes(ordersCopy.en[key]), key).toEqual(holes(ordersCopy.ja[key]));
    }
  });

  it("fills placeholders", () => {
    expect(ordersText("en", "toastCreated", { count: 2 })).toBe(
      "2 shipments created",
    );
  });

  it("words every note kind in both languages", () => {
    for (const kind of [
      "fulfillment_cancelled_in_shopify",
      "fulfillment_missing_in_shopify",
      "tracking_changed_in_shopify",
      "fulfilled_in_shopify",
      "lines_fulfilled_in_shopify",
      "order_cancelled_in_shopify",
    ]) {
      const text = describeShipmentNote({
        kind,
        details: { trackingNumbers: ["1"], before: ["1"], after: ["2"] },
      });
      expect(text.ja.length, kind).toBeGreaterThan(10);
      expect(text.en.length, kind).toBeGreaterThan(10);
      expect(text.ja).not.toBe(kind);
    }
  });
});
