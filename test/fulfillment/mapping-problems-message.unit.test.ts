import { describe, expect, it } from "vitest";
import type { MappingProblem } from "~/fulfillment/mapping";
import {
  mappingProblemMessage,
  mappingProblemsMessage,
  syncErrorGuidance,
} from "~/fulfillment/messages";
import { createSyncError } from "~/fulfillment/errors";
import { inEveryLocale, t, type Message } from "~/i18n/messages";

// What the sync stores in shipments.last_error_detail for a shipment that does not fit
// the order's fulfillment orders: one message (codes and parameters) for all its
// problems, rendered by each page in its language. (It replaces describeMappingProblem,
// which gave the words of both languages at once.)
const LI = "gid://shopify/LineItem/1";
const exceeds: MappingProblem = {
  kind: "quantity_exceeds_remaining",
  lineItemId: LI,
  title: "マグカップ",
  requested: 3,
  remaining: 1,
  fulfillableRemaining: 1,
};
const onHold: MappingProblem = {
  kind: "fulfillment_order_on_hold",
  lineItemId: "gid://shopify/LineItem/2",
  title: "豆皿",
  fulfillmentOrderId: "gid://shopify/FulfillmentOrder/9",
  remaining: 2,
  locationName: "東京倉庫",
};
const scheduled: MappingProblem = {
  kind: "fulfillment_order_scheduled",
  lineItemId: LI,
  title: "マグカップ",
  fulfillmentOrderId: "gid://shopify/FulfillmentOrder/10",
  remaining: 1,
  locationName: null,
  fulfillAt: "2027-01-15T14:00:00Z",
};

describe("mappingProblemsMessage", () => {
  it("is the problem's own message when there is one", () => {
    expect(mappingProblemsMessage([exceeds])).toEqual(
      mappingProblemMessage(exceeds),
    );
  });

  it("puts several problems' sentences one after the other, each language on its own", () => {
    const all = inEveryLocale(
      mappingProblemsMessage([exceeds, onHold, scheduled], { timeZone: "UTC" }),
    );
    for (const locale of ["ja", "en"] as const) {
      expect(all[locale]).toBe(
        [exceeds, onHold, scheduled]
          .map((p) => t(locale, mappingProblemMessage(p, { timeZone: "UTC" })))
          .join(" "),
      );
    }
    expect(all.ja).not.toMatch(/remain|fulfillment order/);
    expect(all.en).not.toMatch(/[\u3040-\u309f]/); // no hiragana: only the data (titles, places) is Japanese
  });

  it("keeps a scheduled date as an instant in the shop's zone, rendered at display", () => {
    const stored = JSON.parse(
      JSON.stringify(
        mappingProblemsMessage([scheduled], { timeZone: "America/New_York" }),
      ),
    ) as Message;
    expect(JSON.stringify(stored)).toContain(
      '"dateTime":"2027-01-15T14:00:00Z"',
    );
    expect(t("ja", stored)).toContain("2027/01/15 09:00 GMT-5");
    expect(t("en", stored)).toContain("01/15/2027, 09:00 AM EST");
  });

  it("is plain data: the same text after a JSON round trip (it is stored as jsonb)", () => {
    const message = mappingProblemsMessage([exceeds, onHold]);
    expect(
      inEveryLocale(JSON.parse(JSON.stringify(message)) as Message),
    ).toEqual(inEveryLocale(message));
  });

  it("needs a problem", () => {
    expect(() => mappingProblemsMessage([])).toThrow();
  });
});

describe("a SyncError with the app's own words", () => {
  const detail = mappingProblemsMessage([exceeds]);

  it("carries the detail, an English message for logs, and guidance quoting the detail in each language", () => {
    const error = createSyncError("invalid", t("en", detail), {
      detail,
      invalidReason: "quantity",
      nextAction: "fix_input",
    });
    expect(error.detail).toEqual(detail);
    expect(error.toJSON().detail).toEqual(detail);
    expect(error.message).toBe(t("en", detail));
    for (const locale of ["ja", "en"] as const) {
      expect(t(locale, error.guidance.title)).toBe(
        t(locale, "fulfillment.guidance.invalidCheckedTitle"),
      );
      expect(t(locale, error.guidance.action)).toContain(t(locale, detail));
    }
    expect(t("ja", error.guidance.action)).not.toContain(t("en", detail));
    expect(t("en", error.guidance.action)).not.toContain(t("ja", detail));
  });

  it("is guided as before without a detail: Shopify's words quoted as they came", () => {
    const guidance = syncErrorGuidance({
      errorClass: "invalid",
      message: "Fulfillment order is closed.",
      detail: null,
    });
    expect(t("ja", guidance.title)).toBe(
      t("ja", "fulfillment.guidance.invalidOtherTitle"),
    );
    expect(t("ja", guidance.action)).toContain(
      "Shopify の応答: Fulfillment order is closed.",
    );
  });

  it("leaves another class's guidance as it is (only invalid is the app's check)", () => {
    const guidance = syncErrorGuidance({
      errorClass: "not_found",
      message: "english for logs",
      detail,
    });
    expect(guidance).toMatchObject({
      title: { key: "fulfillment.guidance.notFoundTitle" },
      action: { key: "fulfillment.guidance.notFoundAction" },
    });
  });

  it("a transient failure settled by a read says, in each language, that Shopify has nothing from it and a retry is safe", () => {
    const detail = { key: "fulfillment.problems.settledNotApplied" } as const;
    const settled = syncErrorGuidance({ errorClass: "transient", message: "HTTP 503 — Shopify was read afterwards", detail });
    expect(t("ja", settled.action)).toBe(
      `${t("ja", detail)}\n「今すぐ再試行」で送り直せます。`,
    );
    expect(t("en", settled.action)).toBe(`${t("en", detail)}\nUse “Retry now” to send it again.`);
    expect(t("ja", settled.action)).not.toContain("HTTP 503");
    // Without the app's words, the plain advice (Shopify's text is not quoted).
    const plain = syncErrorGuidance({ errorClass: "transient", message: "HTTP 503" });
    expect(plain.action).toMatchObject({ key: "fulfillment.guidance.transientAction" });
  });
});
