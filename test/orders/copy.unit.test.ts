import { describe, expect, it } from "vitest";
import { catalogues, t } from "~/i18n/messages";
import { describeShipmentNote } from "~/reconcile/note-copy";
import { driftMessage } from "~/orders/copy";

describe("orders copy", () => {
  it("has the same keys and placeholders in Japanese and English", () => {
    const { ja, en } = catalogues.orders;
    const flat = (tree: object, prefix = ""): [string, string][] =>
      Object.entries(tree).flatMap(([k, v]) =>
        typeof v === "string"
          ? [[`${prefix}${k}`, v]]
          : flat(v, `${prefix}${k}.`),
      );
    const jaTexts = new Map(flat(ja));
    const enTexts = new Map(flat(en));
    expect([...jaTexts.keys()].sort()).toEqual([...enTexts.keys()].sort());
    const holes = (s: string) =>
      [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of jaTexts)
      expect(holes(enTexts.get(key)!), key).toEqual(holes(text));
  });

  it("fills placeholders", () => {
    expect(t("en", "orders.toastCreated", { count: 2 })).toBe(
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
      expect(t("ja", text).length, kind).toBeGreaterThan(10);
      expect(t("en", text).length, kind).toBeGreaterThan(10);
      expect(t("ja", text)).not.toBe(kind);
      expect(t("ja", text)).not.toMatch(/\{\w+\}/);
    }
    expect(
      t(
        "ja",
        describeShipmentNote({
          kind: "tracking_changed_in_shopify",
          details: { before: ["1", "2"], after: [] },
        }),
      ),
    ).toContain("(1, 2 → —)");
    // A kind this version has no words for shows as itself.
    expect(
      t("ja", describeShipmentNote({ kind: "new_kind", details: {} })),
    ).toBe("new_kind");
  });

  it("words every drift a reconcile run reports, and shows an unknown one as itself", () => {
    expect(t("ja", driftMessage("fulfillment_cancelled"))).toBe(
      "Shopify でキャンセル → 未発送に戻しました",
    );
    expect(t("en", driftMessage("adopted"))).toBe(
      "Fulfillment from Shopify adopted",
    );
    expect(t("en", driftMessage("something_else"))).toBe("something_else");
  });
});
