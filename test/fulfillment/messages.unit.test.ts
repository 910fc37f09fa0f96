import { describe, expect, it } from "vitest";
import { catalogues, inEveryLocale, t, type Message } from "~/i18n/messages";
import type { MappingProblem, MappingProblemKind } from "~/fulfillment/mapping";
import {
  carrierDisplayName,
  describeCarrierWarning,
  describeTrackingNumberWarning,
  errorClassLabel,
  mappingProblemMessage,
  mappingProblemsMessage,
  shipmentBadge,
  syncErrorGuidance,
  type ShipmentBadgeInput,
  type SyncErrorGuidance,
} from "~/fulfillment/messages";
import { SYNC_ERROR_CLASSES } from "~/fulfillment/errors";

// The domain answers with messages (codes and parameters); these tests read them as a
// page would, in both languages. (Every catalogue's keys, placeholders and non-empty
// words: test/i18n/messages.unit.test.ts.)
const both = (message: Message) => inEveryLocale(message);
const guidanceIn = (guidance: SyncErrorGuidance) => ({
  ja: { title: t("ja", guidance.title), action: t("ja", guidance.action) },
  en: { title: t("en", guidance.title), action: t("en", guidance.action) },
});

function expectComplete(text: { ja: string; en: string }) {
  for (const value of [text.ja, text.en]) {
    expect(value.trim().length).toBeGreaterThan(0);
    expect(value).not.toMatch(/\{\w+\}/);
    expect(value).not.toContain("undefined");
    expect(value).not.toContain("null");
    expect(value).not.toContain("[object Object]");
  }
  expect(text.ja).not.toBe(text.en);
}

describe("the fulfillment catalogue", () => {
  it("holds the workflow's exact labels", () => {
    expect(catalogues.fulfillment.ja.badge).toEqual({
      unshipped: "未発送",
      shipped: "発送済み",
      shippedNotSynced: "発送済み (未同期)",
      unshippedNotSynced: "未発送 (未同期)",
      syncError: "同期エラー",
    });
    expect(catalogues.fulfillment.en.badge).toEqual({
      unshipped: "Unshipped",
      shipped: "Shipped",
      shippedNotSynced: "Shipped (not synced)",
      unshippedNotSynced: "Unshipped (not synced)",
      syncError: "Sync error",
    });
    expect(t("ja", "fulfillment.actions.markShipped")).toBe("発送済みにする");
    expect(t("ja", "fulfillment.actions.revertToUnshipped")).toBe(
      "未発送に戻す",
    );
    expect(t("ja", "fulfillment.guidance.missingScopeTitle")).toBe(
      "権限が不足しています – アプリの再認可をご確認ください",
    );
  });
});

describe("shipmentBadge", () => {
  const cases: [ShipmentBadgeInput, string | undefined, string, string][] = [
    [
      { status: "unshipped", syncState: "in_sync", pendingOperation: null },
      undefined,
      "未発送",
      "Unshipped",
    ],
    [
      { status: "shipped", syncState: "in_sync", pendingOperation: null },
      "success",
      "発送済み",
      "Shipped",
    ],
    [
      {
        status: "shipped",
        syncState: "pending",
        pendingOperation: "create_fulfillment",
      },
      "info",
      "発送済み (未同期)",
      "Shipped (not synced)",
    ],
    [
      {
        status: "shipped",
        syncState: "pending",
        pendingOperation: "update_tracking",
      },
      "info",
      "発送済み (未同期)",
      "Shipped (not synced)",
    ],
    [
      {
        status: "unshipped",
        syncState: "pending",
        pendingOperation: "cancel_fulfillment",
      },
      "info",
      "未発送 (未同期)",
      "Unshipped (not synced)",
    ],
    [
      {
        status: "shipped",
        syncState: "pending",
        pendingOperation: "create_fulfillment",
        lastErrorClass: "throttled",
      },
      "attention",
      "発送済み (未同期)",
      "Shipped (not synced)",
    ],
    [
      {
        status: "unshipped",
        syncState: "pending",
        pendingOperation: "cancel_fulfillment",
        lastErrorClass: "transient",
      },
      "attention",
      "未発送 (未同期)",
      "Unshipped (not synced)",
    ],
    [
      {
        status: "shipped",
        syncState: "failed",
        pendingOperation: "create_fulfillment",
        lastErrorClass: "missing_scope",
      },
      "critical",
      "同期エラー",
      "Sync error",
    ],
    [
      {
        status: "unshipped",
        syncState: "failed",
        pendingOperation: "cancel_fulfillment",
        lastErrorClass: "not_found",
      },
      "critical",
      "同期エラー",
      "Sync error",
    ],
    [
      { status: "unshipped", syncState: "pending", pendingOperation: null },
      "info",
      "未発送 (未同期)",
      "Unshipped (not synced)",
    ],
    [
      { status: "shipped", syncState: "pending", pendingOperation: null },
      "info",
      "発送済み (未同期)",
      "Shipped (not synced)",
    ],
  ];
  it.each(cases)("%j → %s %s / %s", (input, tone, labelJa, labelEn) => {
    const badge = shipmentBadge(input);
    expect(badge.tone).toBe(tone);
    expect(both(badge.label)).toEqual({ ja: labelJa, en: labelEn });
  });
});

describe("errorClassLabel and syncErrorGuidance", () => {
  it.each([...SYNC_ERROR_CLASSES])(
    "%s has a label in both languages",
    (errorClass) => {
      const label = both(errorClassLabel(errorClass));
      expect(label.ja.length).toBeGreaterThan(0);
      expect(label.en.length).toBeGreaterThan(0);
    },
  );

  it("names the scopes in the missing-scope action, joined per language", () => {
    const guidance = guidanceIn(
      syncErrorGuidance({
        errorClass: "missing_scope",
        missingScopes: ["read_orders", "write_fulfillments"],
      }),
    );
    expect(guidance.ja.title).toBe(
      "権限が不足しています – アプリの再認可をご確認ください",
    );
    expect(guidance.ja.action).toContain(
      "必要な権限: read_orders、write_fulfillments。",
    );
    expect(guidance.en.title).toBe(
      "Missing permissions – please check the app's re-authorization",
    );
    expect(guidance.en.action).toContain(
      "Required permission: read_orders, write_fulfillments.",
    );
  });

  it("rounds the throttle wait up to whole seconds, at least 1", () => {
    expect(
      guidanceIn(
        syncErrorGuidance({ errorClass: "throttled", retryAfterMs: 7400 }),
      ).ja.action,
    ).toContain("8 秒");
    expect(
      guidanceIn(
        syncErrorGuidance({ errorClass: "throttled", retryAfterMs: 10 }),
      ).en.action,
    ).toContain("Wait 1 s or more");
    expect(
      guidanceIn(syncErrorGuidance({ errorClass: "throttled" })).en.action,
    ).toContain("Wait 1 s or more");
  });

  it("quotes Shopify's message for invalid/other and tracking", () => {
    expect(
      guidanceIn(
        syncErrorGuidance({
          errorClass: "invalid",
          invalidReason: "other",
          message: "Boom.",
        }),
      ).en.action,
    ).toContain("Shopify said: Boom.");
    expect(
      guidanceIn(
        syncErrorGuidance({
          errorClass: "invalid",
          invalidReason: "tracking",
          message: "bad url",
        }),
      ).ja.action,
    ).toContain("bad url");
    expect(
      guidanceIn(syncErrorGuidance({ errorClass: "invalid" })).en.title,
    ).toBe("Shopify rejected the request");
  });

  it("tells frozen, locked and unknown shop unavailability apart", () => {
    const titles = (["frozen", "locked", undefined] as const).map(
      (reason) =>
        guidanceIn(
          syncErrorGuidance({
            errorClass: "shop_unavailable",
            shopUnavailableReason: reason,
          }),
        ).ja.title,
    );
    expect(new Set(titles).size).toBe(3);
  });
});

describe("mappingProblemMessage", () => {
  const LI = "gid://shopify/LineItem/1";
  const FO = "gid://shopify/FulfillmentOrder/9";
  const samples: Record<MappingProblemKind, MappingProblem> = {
    no_lines: { kind: "no_lines" },
    invalid_quantity: {
      kind: "invalid_quantity",
      lineItemId: LI,
      title: "マグカップ",
      quantity: 0,
    },
    duplicate_line: {
      kind: "duplicate_line",
      lineItemId: LI,
      title: "マグカップ",
    },
    line_not_found: {
      kind: "line_not_found",
      lineItemId: LI,
      title: "マグカップ",
      sku: "MUG",
    },
    already_fulfilled: {
      kind: "already_fulfilled",
      lineItemId: LI,
      title: "マグカップ",
      requested: 2,
    },
    quantity_exceeds_remaining: {
      kind: "quantity_exceeds_remaining",
      lineItemId: LI,
      title: "マグカップ",
      requested: 5,
      remaining: 3,
      fulfillableRemaining: 1,
    },
    fulfillment_order_on_hold: {
      kind: "fulfillment_order_on_hold",
      fulfillmentOrderId: FO,
      lineItemId: LI,
      title: "マグカップ",
      remaining: 2,
      locationName: "東京倉庫",
    },
    fulfillment_order_scheduled: {
      kind: "fulfillment_order_scheduled",
      fulfillmentOrderId: FO,
      lineItemId: LI,
      title: "マグカップ",
      remaining: 2,
      fulfillAt: "2026-12-01T00:00:00Z",
      locationName: "東京倉庫",
    },
    fulfillment_order_closed: {
      kind: "fulfillment_order_closed",
      status: "CANCELLED",
      fulfillmentOrderId: FO,
      lineItemId: LI,
      title: "マグカップ",
      remaining: 2,
      locationName: null,
    },
    fulfillment_order_not_fulfillable: {
      kind: "fulfillment_order_not_fulfillable",
      status: "OPEN",
      supportedActions: ["REQUEST_FULFILLMENT"],
      fulfillmentOrderId: FO,
      lineItemId: LI,
      title: "マグカップ",
      remaining: 2,
      locationName: "3PL 倉庫",
    },
    spans_multiple_locations: {
      kind: "spans_multiple_locations",
      locations: [
        {
          locationName: "東京倉庫",
          fulfillmentOrderIds: [FO],
          lines: [{ lineItemId: LI, title: "マグカップ", quantity: 1 }],
        },
        {
          locationName: null,
          fulfillmentOrderIds: ["gid://shopify/FulfillmentOrder/10"],
          lines: [{ lineItemId: "gid://shopify/LineItem/2", quantity: 2 }],
        },
      ],
    },
  };

  it.each(Object.values(samples))(
    "$kind reads complete in both languages",
    (problem) => {
      const text = both(mappingProblemMessage(problem));
      expectComplete(text);
      if ("title" in problem && problem.title) {
        expect(text.ja).toContain(problem.title);
        expect(text.en).toContain(problem.title);
      }
    },
  );

  it("puts the numbers where they belong", () => {
    const text = both(
      mappingProblemMessage(samples.quantity_exceeds_remaining),
    );
    expect(text.ja).toBe(
      "「マグカップ」を 5 点発送しようとしていますが、Shopify 上で未発送なのは 3 点です (今すぐ発送できるのは 1 点)。",
    );
    expect(text.en).toBe(
      'This shipment ships 5 of "マグカップ", but only 3 remain unfulfilled in Shopify (1 can be fulfilled now).',
    );
  });

  it("names the location when known and leaves it out otherwise", () => {
    expect(
      both(mappingProblemMessage(samples.fulfillment_order_on_hold)).ja,
    ).toContain("ロケーション「東京倉庫」の保留中の配送オーダー");
    expect(
      both(mappingProblemMessage(samples.fulfillment_order_on_hold)).en,
    ).toContain('on a fulfillment order at "東京倉庫" that is on hold');
    const closed = both(
      mappingProblemMessage(samples.fulfillment_order_closed),
    );
    expect(closed.ja).toContain("2 点は、キャンセル済みの配送オーダー");
    expect(closed.en).toContain("on a fulfillment order that is cancelled");
  });

  it("shows fulfillAt in the shop's time zone (default Asia/Tokyo)", () => {
    const text = both(
      mappingProblemMessage(samples.fulfillment_order_scheduled),
    );
    // The app's one formatter: the zone is named.
    expect(text.ja).toContain("2026/12/01 09:00 JST");
    expect(text.en).toContain("12/01/2026, 09:00 AM GMT+9");
    expect(
      both(
        mappingProblemMessage(samples.fulfillment_order_scheduled, {
          timeZone: "UTC",
        }),
      ).ja,
    ).toContain("2026/12/01 00:00 UTC");
  });

  it("words a scheduled FO without a date differently", () => {
    const text = both(
      mappingProblemMessage({
        ...samples.fulfillment_order_scheduled,
        fulfillAt: null,
      } as MappingProblem),
    );
    expectComplete(text);
    expect(text.ja).toContain("予約済み");
  });

  it("falls back to the line item id when the title is unknown", () => {
    expect(
      both(mappingProblemMessage({ kind: "line_not_found", lineItemId: LI }))
        .en,
    ).toContain(`"${LI}"`);
  });

  it("lists each location with its lines for spans_multiple_locations", () => {
    const text = both(mappingProblemMessage(samples.spans_multiple_locations));
    expect(text.ja).toContain(
      "東京倉庫: マグカップ ×1 / ロケーション不明: gid://shopify/LineItem/2 ×2",
    );
    expect(text.en).toContain(
      "東京倉庫: マグカップ ×1; unknown location: gid://shopify/LineItem/2 ×2",
    );
  });

  it("is what the sync stores for a shipment with one problem (mappingProblemsMessage, which replaced describeMappingProblem's words in both languages)", () => {
    for (const problem of Object.values(samples))
      expect(mappingProblemsMessage([problem], { timeZone: "UTC" })).toEqual(
        mappingProblemMessage(problem, { timeZone: "UTC" }),
      );
  });

  it("is plain data: the same text after a JSON round trip (stored, or sent to the browser)", () => {
    for (const problem of Object.values(samples)) {
      const message = mappingProblemMessage(problem);
      expect(both(JSON.parse(JSON.stringify(message)) as Message)).toEqual(
        both(message),
      );
    }
  });
});

describe("carrier and tracking-number warnings", () => {
  it("describes an unknown carrier, with and without suggestions", () => {
    const plain = both(
      describeCarrierWarning({
        code: "unknown_carrier",
        input: "山田運送",
        suggestions: [],
      }),
    );
    expectComplete(plain);
    expect(plain.ja).toContain("「山田運送」");
    expect(plain.ja).not.toContain("もしかして");
    const suggested = both(
      describeCarrierWarning({
        code: "unknown_carrier",
        input: "Yamatto",
        suggestions: ["Yamato (JA)", "Yamato (EN)"],
      }),
    );
    expect(suggested.ja).toContain("もしかして: Yamato (JA)、Yamato (EN)");
    expect(suggested.en).toContain("Did you mean: Yamato (JA), Yamato (EN)?");
  });

  it("describes a carrier not listed for the shop's country", () => {
    const text = both(
      describeCarrierWarning({
        code: "carrier_not_listed_for_country",
        company: "西濃運輸",
        countryCode: "US",
      }),
    );
    expectComplete(text);
    expect(text.en).toContain("(US)");
  });

  it("describes each tracking-number warning with the carrier's local name", () => {
    const texts = [
      both(
        describeTrackingNumberWarning({
          code: "not_numeric",
          carrierKey: "yamato",
          number: "12A",
        }),
      ),
      both(
        describeTrackingNumberWarning({
          code: "unexpected_length",
          carrierKey: "yamato",
          number: "123",
          expectedLengths: [12],
          actualLength: 3,
        }),
      ),
      both(
        describeTrackingNumberWarning({
          code: "check_digit_mismatch",
          carrierKey: "yamato",
          number: "444413758704",
        }),
      ),
      both(
        describeTrackingNumberWarning({
          code: "unexpected_format",
          carrierKey: "yamato",
          number: "X",
        }),
      ),
    ];
    for (const text of texts) {
      expectComplete(text);
      expect(text.ja).toContain("ヤマト運輸");
      expect(text.en).toContain("Yamato Transport");
    }
    expect(texts[1].ja).toContain("通常 12 桁です (入力: 3 桁)");
  });

  it("writes a length range per language", () => {
    const text = both(
      describeTrackingNumberWarning({
        code: "unexpected_length",
        carrierKey: "japan_post",
        number: "1",
        expectedLengths: [13, 11, 12],
        actualLength: 1,
      }),
    );
    expect(text.ja).toContain("通常 11〜13 桁");
    expect(text.en).toContain("usually have 11–13 digits");
  });

  it("carrierDisplayName: local names with variants, other keys unchanged", () => {
    expect(carrierDisplayName("sagawa", "ja", "en")).toBe("佐川急便 (英語)");
    expect(carrierDisplayName("sagawa", "en")).toBe("Sagawa Express");
    expect(carrierDisplayName("dhl_express", "ja")).toBe("dhl_express");
  });
});
