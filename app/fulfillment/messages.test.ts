import { describe, expect, it } from "vitest";
import type { MappingProblem, MappingProblemKind } from "./mapping";
import {
  carrierDisplayName,
  describeCarrierWarning,
  describeMappingProblem,
  describeTrackingNumberWarning,
  errorClassLabel,
  format,
  messages,
  shipmentBadge,
  syncErrorGuidance,
  type Localized,
  type ShipmentBadgeInput,
} from "./messages";
import { SYNC_ERROR_CLASSES } from "./errors";

function leaves(value: unknown, path = ""): [string, unknown][] {
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) =>
      leaves(v, path ? `${path}.${k}` : k),
    );
  }
  return [[path, value]];
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function expectComplete(text: Localized) {
  for (const value of [text.ja, text.en]) {
    expect(value.trim().length).toBeGreaterThan(0);
    expect(value).not.toMatch(/\{\w+\}/);
    expect(value).not.toContain("undefined");
    expect(value).not.toContain("null");
  }
  expect(text.ja).not.toBe(text.en);
}

describe("catalogs", () => {
  const ja = new Map(leaves(messages.ja));
  const en = new Map(leaves(messages.en));

  it("have the same keys in ja and en", () => {
    expect([...en.keys()].sort()).toEqual([...ja.keys()].sort());
  });

  it("have no empty strings and only strings", () => {
    for (const [key, value] of [...ja, ...en]) {
      expect(typeof value, key).toBe("string");
      expect((value as string).trim(), key).not.toBe("");
    }
  });

  it("use the same placeholders for each key in both languages", () => {
    for (const [key, value] of ja) {
      expect(placeholders(en.get(key) as string), key).toEqual(
        placeholders(value as string),
      );
    }
  });

  it("hold the workflow's exact labels", () => {
    expect(messages.ja.badge).toEqual({
      unshipped: "未発送",
      shipped: "発送済み",
      shippedNotSynced: "発送済み (未同期)",
      unshippedNotSynced: "未発送 (未同期)",
      syncError: "同期エラー",
    });
    expect(messages.en.badge).toEqual({
      unshipped: "Unshipped",
      shipped: "Shipped",
      shippedNotSynced: "Shipped (not synced)",
      unshippedNotSynced: "Unshipped (not synced)",
      syncError: "Sync error",
    });
    expect(messages.ja.actions.markShipped).toBe("発送済みにする");
    expect(messages.ja.actions.revertToUnshipped).toBe("未発送に戻す");
    expect(messages.ja.guidance.missingScopeTitle).toBe(
      "権限が不足しています – アプリの再認可をご確認ください",
    );
  });
});

describe("format", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("{a} と {b} と {c}", { a: 1, b: "x" })).toBe("1 と x と {c}");
    expect(format("{a}{a}", { a: "$&" })).toBe("$&$&");
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
    expect(shipmentBadge(input)).toMatchObject({
      tone,
      label: { ja: labelJa, en: labelEn },
    });
  });
});

describe("errorClassLabel and syncErrorGuidance", () => {
  it.each([...SYNC_ERROR_CLASSES])(
    "%s has a label in both languages",
    (errorClass) => {
      const label = errorClassLabel(errorClass);
      expect(label.ja.length).toBeGreaterThan(0);
      expect(label.en.length).toBeGreaterThan(0);
    },
  );

  it("names the scopes in the missing-scope action, joined per language", () => {
    const guidance = syncErrorGuidance({
      errorClass: "missing_scope",
      missingScopes: ["read_orders", "write_fulfillments"],
    });
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
      syncErrorGuidance({ errorClass: "throttled", retryAfterMs: 7400 }).ja
        .action,
    ).toContain("8 秒");
    expect(
      syncErrorGuidance({ errorClass: "throttled", retryAfterMs: 10 }).en
        .action,
    ).toContain("Wait 1 s or more");
    expect(syncErrorGuidance({ errorClass: "throttled" }).en.action).toContain(
      "Wait 1 s or more",
    );
  });

  it("quotes Shopify's message for invalid/other and tracking", () => {
    expect(
      syncErrorGuidance({
        errorClass: "invalid",
        invalidReason: "other",
        message: "Boom.",
      }).en.action,
    ).toContain("Shopify said: Boom.");
    expect(
      syncErrorGuidance({
        errorClass: "invalid",
        invalidReason: "tracking",
        message: "bad url",
      }).ja.action,
    ).toContain("bad url");
    expect(syncErrorGuidance({ errorClass: "invalid" }).en.title).toBe(
      "Shopify rejected the request",
    );
  });

  it("tells frozen, locked and unknown shop unavailability apart", () => {
    const titles = (["frozen", "locked", undefined] as const).map(
      (reason) =>
        syncErrorGuidance({
          errorClass: "shop_unavailable",
          shopUnavailableReason: reason,
        }).ja.title,
    );
    expect(new Set(titles).size).toBe(3);
  });
});

describe("describeMappingProblem", () => {
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
      const text = describeMappingProblem(problem);
      expectComplete(text);
      if ("title" in problem && problem.title) {
        expect(text.ja).toContain(problem.title);
        expect(text.en).toContain(problem.title);
      }
    },
  );

  it("puts the numbers where they belong", () => {
    const text = describeMappingProblem(samples.quantity_exceeds_remaining);
    expect(text.ja).toBe(
      "「マグカップ」を 5 点発送しようとしていますが、Shopify 上で未発送なのは 3 点です (今すぐ発送できるのは 1 点)。",
    );
    expect(text.en).toBe(
      'This shipment ships 5 of "マグカップ", but only 3 remain unfulfilled in Shopify (1 can be fulfilled now).',
    );
  });

  it("names the location when known and leaves it out otherwise", () => {
    expect(
      describeMappingProblem(samples.fulfillment_order_on_hold).ja,
    ).toContain("ロケーション「東京倉庫」の保留中の配送オーダー");
    expect(
      describeMappingProblem(samples.fulfillment_order_on_hold).en,
    ).toContain('on a fulfillment order at "東京倉庫" that is on hold');
    const closed = describeMappingProblem(samples.fulfillment_order_closed);
    expect(closed.ja).toContain("2 点は、キャンセル済みの配送オーダー");
    expect(closed.en).toContain("on a fulfillment order that is cancelled");
  });

  it("shows fulfillAt in the shop's time zone (default Asia/Tokyo)", () => {
    const text = describeMappingProblem(samples.fulfillment_order_scheduled);
    // The app's one formatter: the zone is named.
    expect(text.ja).toContain("2026/12/01 09:00 JST");
    expect(text.en).toContain("12/01/2026, 09:00 AM GMT+9");
    expect(
      describeMappingProblem(samples.fulfillment_order_scheduled, {
        timeZone: "UTC",
      }).ja,
    ).toContain("2026/12/01 00:00 UTC");
  });

  it("words a scheduled FO without a date differently", () => {
    const text = describeMappingProblem({
      ...samples.fulfillment_order_scheduled,
      fulfillAt: null,
    } as MappingProblem);
    expectComplete(text);
    expect(text.ja).toContain("予約済み");
  });

  it("falls back to the line item id when the title is unknown", () => {
    expect(
      describeMappingProblem({ kind: "line_not_found", lineItemId: LI }).en,
    ).toContain(`"${LI}"`);
  });

  it("lists each location with its lines for spans_multiple_locations", () => {
    const text = describeMappingProblem(samples.spans_multiple_locations);
    expect(text.ja).toContain(
      "東京倉庫: マグカップ ×1 / ロケーション不明: gid://shopify/LineItem/2 ×2",
    );
    expect(text.en).toContain(
      "東京倉庫: マグカップ ×1; unknown location: gid://shopify/LineItem/2 ×2",
    );
  });
});

describe("carrier and tracking-number warnings", () => {
  it("describes an unknown carrier, with and without suggestions", () => {
    const plain = describeCarrierWarning({
      code: "unknown_carrier",
      input: "山田運送",
      suggestions: [],
    });
    expectComplete(plain);
    expect(plain.ja).toContain("「山田運送」");
    expect(plain.ja).not.toContain("もしかして");
    const suggested = describeCarrierWarning({
      code: "unknown_carrier",
      input: "Yamatto",
      suggestions: ["Yamato (JA)", "Yamato (EN)"],
    });
    expect(suggested.ja).toContain("もしかして: Yamato (JA)、Yamato (EN)");
    expect(suggested.en).toContain("Did you mean: Yamato (JA), Yamato (EN)?");
  });

  it("describes a carrier not listed for the shop's country", () => {
    const text = describeCarrierWarning({
      code: "carrier_not_listed_for_country",
      company: "西濃運輸",
      countryCode: "US",
    });
    expectComplete(text);
    expect(text.en).toContain("(US)");
  });

  it("describes each tracking-number warning with the carrier's local name", () => {
    const texts = [
      describeTrackingNumberWarning({
        code: "not_numeric",
        carrierKey: "yamato",
        number: "12A",
      }),
      describeTrackingNumberWarning({
        code: "unexpected_length",
        carrierKey: "yamato",
        number: "123",
        expectedLengths: [12],
        actualLength: 3,
      }),
      describeTrackingNumberWarning({
        code: "check_digit_mismatch",
        carrierKey: "yamato",
        number: "444413758704",
      }),
      describeTrackingNumberWarning({
        code: "unexpected_format",
        carrierKey: "yamato",
        number: "X",
      }),
    ];
    for (const text of texts) {
      expectComplete(text);
      expect(text.ja).toContain("ヤマト運輸");
      expect(text.en).toContain("Yamato Transport");
    }
    expect(texts[1].ja).toContain("通常 12 桁です (入力: 3 桁)");
  });

  it("writes a length range per language", () => {
    const text = describeTrackingNumberWarning({
      code: "unexpected_length",
      carrierKey: "japan_post",
      number: "1",
      expectedLengths: [13, 11, 12],
      actualLength: 1,
    });
    expect(text.ja).toContain("通常 11〜13 桁");
    expect(text.en).toContain("usually have 11–13 digits");
  });

  it("carrierDisplayName: local names with variants, other keys unchanged", () => {
    expect(carrierDisplayName("sagawa", "ja", "en")).toBe("佐川急便 (英語)");
    expect(carrierDisplayName("sagawa", "en")).toBe("Sagawa Express");
    expect(carrierDisplayName("dhl_express", "ja")).toBe("dhl_express");
  });
});
