import { describe, expect, it } from "vitest";
import {
  catalogues,
  inEveryLocale,
  isMessageKey,
  list,
  message,
  readStoredMessage,
  storedText,
  t,
  translator,
  type Message,
} from "~/i18n/messages";

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

describe.each(Object.entries(catalogues))(
  "the %s catalogue",
  (_, catalogue) => {
    const ja = new Map(leaves(catalogue.ja));
    const en = new Map(leaves(catalogue.en));

    it("has the same keys in ja and en", () => {
      expect(ja.size).toBeGreaterThan(0);
      expect([...en.keys()].sort()).toEqual([...ja.keys()].sort());
    });

    it("has only strings, none empty", () => {
      for (const [key, value] of [...ja, ...en]) {
        expect(typeof value, key).toBe("string");
        expect((value as string).trim(), key).not.toBe("");
      }
    });

    it("uses the same placeholders for each key in both languages", () => {
      for (const [key, value] of ja) {
        expect(placeholders(en.get(key) as string), key).toEqual(
          placeholders(value as string),
        );
      }
    });

    it("writes placeholders one way only: {name}", () => {
      for (const [key, value] of [...ja, ...en]) {
        // No other brace (a `{{name}}`, `{ name }`, a stray `{`) than {name} itself.
        expect((value as string).replace(/\{\w+\}/g, ""), key).not.toMatch(
          /[{}]/,
        );
      }
    });

    it("has no Japanese left in its English words", () => {
      for (const [key, value] of en)
        expect(value as string, key).not.toMatch(
          /[\u3040-\u30ff\u4e00-\u9fff]/,
        );
    });
  },
);

describe("t", () => {
  it("looks a key up in the language asked for and fills its placeholders", () => {
    expect(t("ja", "shipments.moreItems", { count: 3 })).toBe("ほか 3 点");
    expect(t("en", "shipments.moreItems", { count: 3 })).toBe("and 3 more");
    expect(t("en", "shipments.markShipped")).toBe("Mark as shipped");
    expect(translator("ja")("imports.page.commit", { count: "10,000" })).toBe(
      "10,000 行を確定",
    );
  });

  it("renders a message, and leaves a missing placeholder visible", () => {
    const said = message("queue.panel.batch", { done: 2, total: 5 });
    expect(t("ja", said)).toBe("一括再試行: 2 / 5 件完了");
    expect(t("en", { key: "shipments.moreItems" })).toBe("and {count} more");
  });

  it("puts values in as they are ($ patterns included)", () => {
    expect(t("en", "shipments.moreItems", { count: "$&$1" })).toBe(
      "and $&$1 more",
    );
  });

  it("renders nested messages, lists and instants in the same language", () => {
    const said = message("imports.file.missingColumns", {
      columns: list([
        message("imports.file.columnsOr", {
          first: message("imports.fields.sku"),
          second: message("imports.fields.lineItemId"),
        }),
        message("imports.fields.carrier"),
      ]),
      example: list(
        [message("imports.fields.orderName"), message("imports.fields.sku")],
        "imports.file.exampleSeparator",
      ),
    });
    expect(t("ja", said)).toContain(
      "必要な列がありません: SKU または ラインアイテムID、配送業者。",
    );
    expect(t("ja", said)).toContain("(例: 注文番号,SKU)");
    expect(t("en", said)).toContain(
      "Required columns are missing: SKU or Line item ID, Carrier.",
    );
    const at = message("orders.backfillReached", {
      date: { dateTime: "2026-12-02T01:09:17Z", timeZone: "Asia/Tokyo" },
    });
    expect(t("ja", at)).toBe("2026/12/02 10:09 JST までの注文を取り込み済み");
  });

  it("shows a key the catalogues no longer have as itself", () => {
    expect(
      t("ja", { key: "imports.rows.renamedSince" } as unknown as Message),
    ).toBe("imports.rows.renamedSince");
    expect(isMessageKey("imports.rows.formula")).toBe(true);
    expect(isMessageKey("imports.rows")).toBe(false);
    expect(isMessageKey("nope")).toBe(false);
  });

  it("gives every language at once for the extensions' wire format", () => {
    expect(inEveryLocale(message("fulfillment.badge.syncError"))).toEqual({
      ja: "同期エラー",
      en: "Sync error",
    });
  });
});

describe("stored messages", () => {
  it("reads what the app writes now: a code with its parameters, after a JSON round trip", () => {
    const written = message("imports.rows.formula", {
      column: message("imports.fields.sku"),
      value: "=1+1",
    });
    const stored = readStoredMessage(JSON.parse(JSON.stringify(written)));
    expect(storedText("ja", stored)).toBe(t("ja", written));
    expect(storedText("en", stored)).toContain('"SKU" is "=1+1"');
    // An import row's error keeps its code beside the message.
    expect(
      storedText("en", readStoredMessage({ code: "formula", ...written })),
    ).toBe(t("en", written));
  });

  it("reads rows written before: the words of both languages", () => {
    const legacy = readStoredMessage({
      code: "formula",
      ja: "数式です",
      en: "a formula",
    });
    expect(storedText("ja", legacy)).toBe("数式です");
    expect(storedText("en", legacy)).toBe("a formula");
  });

  it("reads anything else as a dash rather than failing the page", () => {
    for (const odd of [null, 3, "text", {}, { ja: "only one language" }])
      expect(storedText("en", readStoredMessage(odd))).toBe("—");
  });
});
