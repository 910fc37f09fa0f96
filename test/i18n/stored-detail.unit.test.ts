import { describe, expect, it } from "vitest";
import { readStoredDetail, t } from "~/i18n/messages";

// shipments.last_error_detail holds only what the app writes as codes (a key and its
// parameters); whatever else a row could hold reads as "no detail", so the page shows its
// fallback (last_error_message) instead of breaking.
describe("readStoredDetail", () => {
  it("reads a stored message back as it was written", () => {
    const stored = JSON.parse(
      JSON.stringify({
        key: "fulfillment.problems.alreadyFulfilled",
        params: { item: "有田焼 豆皿" },
      }),
    ) as unknown;
    const detail = readStoredDetail(stored);
    expect(detail).toEqual({
      key: "fulfillment.problems.alreadyFulfilled",
      params: { item: "有田焼 豆皿" },
    });
    expect(t("en", detail!)).toContain('"有田焼 豆皿"');
    expect(readStoredDetail({ key: "fulfillment.problems.noLines" })).toEqual({
      key: "fulfillment.problems.noLines",
    });
  });

  it("is null when there is none, or when the value is no message the app wrote", () => {
    for (const value of [
      null,
      undefined,
      "words",
      42,
      [],
      { ja: "言葉", en: "words" },
      { key: 7 },
      { params: {} },
    ])
      expect(readStoredDetail(value), JSON.stringify(value)).toBeNull();
  });

  it("drops parameters that are no object, and shows a key no catalogue has as itself", () => {
    const detail = readStoredDetail({
      key: "fulfillment.problems.fromTheFuture",
      params: "odd",
    });
    expect(detail).toEqual({ key: "fulfillment.problems.fromTheFuture" });
    expect(t("ja", detail!)).toBe("fulfillment.problems.fromTheFuture");
  });
});
