import { describe, expect, it } from "vitest";
import { t } from "~/i18n/messages";
import { mapColumns, type ImportColumn } from "~/imports/columns";
import { looksLikeFormula, parseRow, parseYesNo } from "~/imports/row-fields";

function columns(...headers: string[]): ImportColumn[] {
  const mapped = mapColumns(headers);
  if (!mapped.ok) throw new Error(t("en", mapped.message));
  return mapped.columns;
}

const COLUMNS = columns(
  "注文番号",
  "SKU",
  "ラインアイテムID",
  "数量",
  "追跡番号",
  "配送業者",
  "追跡URL",
  "顧客に通知",
);
const row = (...cells: string[]) => parseRow({ rowNumber: 2, cells }, COLUMNS);
const codes = (result: ReturnType<typeof row>) =>
  result.ok ? [] : result.issues.map((i) => i.code);

describe("parseRow", () => {
  it("reads a full row, normalising full-width digits and yes/no", () => {
    const result = row(
      "＃１００１",
      " A-1 ",
      "",
      "２",
      "1234-5678-9012\n9999-0000-1111",
      "ヤマト運輸",
      "https://example.com/t",
      "はい",
    );
    expect(result).toEqual({
      rowNumber: 2,
      ok: true,
      fields: {
        orderName: "#1001",
        orderId: null,
        sku: "A-1",
        lineItemId: null,
        quantity: 2,
        trackingNumbers: ["1234-5678-9012", "9999-0000-1111"],
        carrier: "ヤマト運輸",
        trackingUrl: "https://example.com/t",
        notifyCustomer: true,
      },
    });
  });

  it("takes IDs as digits or gids, and an order gid in the order-name column", () => {
    const result = row(
      "gid://shopify/Order/42",
      "",
      "123",
      "",
      "1",
      "佐川",
      "",
      "",
    );
    expect(result.ok && result.fields).toMatchObject({
      orderName: null,
      orderId: "gid://shopify/Order/42",
      lineItemId: "gid://shopify/LineItem/123",
      quantity: null,
      notifyCustomer: false,
    });
  });

  it("splits tracking numbers on commas, 、 and ; and reads several tracking columns", () => {
    const two = parseRow(
      {
        rowNumber: 2,
        cells: ["#1", "A", "111, 222、333", "444;555", "ヤマト"],
      },
      columns("注文番号", "SKU", "追跡番号1", "追跡番号2", "配送業者"),
    );
    expect(two.ok && two.fields.trackingNumbers).toEqual([
      "111",
      "222",
      "333",
      "444",
      "555",
    ]);
  });

  it("says what is missing", () => {
    expect(codes(row("", "", "", "", "", "", "", ""))).toEqual([
      "order_missing",
      "line_missing",
      "tracking_missing",
      "carrier_missing",
    ]);
  });

  it("refuses formulas in any column it reads, keeping the cell as text", () => {
    for (const formula of [
      "=1+1",
      "@SUM(A1)",
      "+cmd|' /C calc'!A0",
      "-2+3",
      '=HYPERLINK("http://x","y")',
    ]) {
      const result = row("#1001", formula, "", "", "123", "ヤマト", "", "");
      expect(codes(result), formula).toEqual(["formula"]);
      if (!result.ok) expect(t("ja", result.issues[0].message)).toContain("数式");
    }
    expect(codes(row("#1001", "A", "", "", "=123", "ヤマト", "", ""))).toEqual([
      "formula",
    ]);
    expect(codes(row("=1001", "A", "", "", "123", "ヤマト", "", ""))).toEqual([
      "formula",
    ]);
  });

  it("reads a negative quantity as a bad quantity, not a formula", () => {
    const result = row("#1001", "A", "", "-1", "123", "ヤマト", "", "");
    expect(codes(result)).toEqual(["quantity_invalid"]);
  });

  it("refuses control characters with the column and code point", () => {
    const result = row(
      "#1001",
      "A\u0007",
      "",
      "",
      "123\u0000456",
      "ヤマト",
      "",
      "",
    );
    expect(codes(result)).toEqual(["control_character", "control_character"]);
    if (!result.ok) {
      expect(t("en", result.issues[0].message)).toBe(
        '"SKU" contains a control character (U+0007). Remove it and import again.',
      );
      expect(t("ja", result.issues[1].message)).toContain(
        "「追跡番号」に制御文字 (U+0000)",
      );
    }
    // A tab inside a value is a control character; tabs and newlines between tracking numbers are not.
    expect(
      codes(row("#1001", "A\tB", "", "", "123\n456", "ヤマト", "", "")),
    ).toEqual(["control_character"]);
  });

  it("names Excel's exponent notation", () => {
    const result = row("#1001", "A", "", "", "1.23457E+11", "ヤマト", "", "");
    expect(codes(result)).toEqual(["excel_number"]);
    if (!result.ok) expect(t("ja", result.issues[0].message)).toContain("文字列");
  });

  it("refuses bad quantities, URLs, yes/no, IDs and shifted columns", () => {
    expect(codes(row("#1001", "A", "", "1.5", "1", "ヤマト", "", ""))).toEqual([
      "quantity_invalid",
    ]);
    expect(codes(row("#1001", "A", "", "0", "1", "ヤマト", "", ""))).toEqual([
      "quantity_invalid",
    ]);
    expect(
      codes(
        row("#1001", "A", "", "", "1", "ヤマト", "ftp://example.com/t", ""),
      ),
    ).toEqual(["url_invalid"]);
    expect(
      codes(row("#1001", "A", "", "", "1", "ヤマト", "", "maybe")),
    ).toEqual(["notify_invalid"]);
    expect(codes(row("#1001", "", "12a", "", "1", "ヤマト", "", ""))).toEqual([
      "line_item_id_invalid",
    ]);
    expect(
      codes(row("#1001", "A", "", "", "1", "ヤマト", "", "", "extra")),
    ).toEqual(["extra_cells"]);
    const many = Array.from({ length: 21 }, (_, i) => String(100 + i)).join(
      ",",
    );
    expect(codes(row("#1001", "A", "", "", many, "ヤマト", "", ""))).toEqual([
      "too_many_tracking",
    ]);
  });
});

describe("helpers", () => {
  it("looksLikeFormula", () => {
    expect(looksLikeFormula("=A1")).toBe(true);
    expect(looksLikeFormula("@A1")).toBe(true);
    expect(looksLikeFormula("+A1")).toBe(true);
    expect(looksLikeFormula("-A1")).toBe(true);
    expect(looksLikeFormula("-12")).toBe(false);
    expect(looksLikeFormula("+81")).toBe(false);
    expect(looksLikeFormula("A-1")).toBe(false);
  });

  it("parseYesNo", () => {
    for (const yes of ["TRUE", "yes", "1", "はい", "する", "○"])
      expect(parseYesNo(yes), yes).toBe(true);
    for (const no of ["FALSE", "no", "0", "いいえ", "しない", "×"])
      expect(parseYesNo(no), no).toBe(false);
    expect(parseYesNo("perhaps")).toBeNull();
  });
});
