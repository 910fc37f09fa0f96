import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { t } from "~/i18n/messages";
import { fieldOfHeader, mapColumns } from "~/imports/columns";
import { IMPORT_LIMITS } from "~/imports/limits";
import { readImportFile } from "~/imports/read";

const utf8 = (text: string) => new TextEncoder().encode(text);
const LIMITS = {
  maxFileBytes: 10 * 1024 * 1024,
  maxRows: 50_000,
  maxRecordChars: 64 * 1024,
  maxColumns: IMPORT_LIMITS.maxColumns,
};

describe("header mapping", () => {
  it.each([
    ["注文番号", "orderName"],
    ["Order name", "orderName"],
    ["Order Number", "orderName"],
    ["Name", "orderName"],
    ["注文ID", "orderId"],
    ["order_id", "orderId"],
    ["ＳＫＵ", "sku"],
    ["Lineitem sku", "sku"],
    ["商品ID", "lineItemId"],
    ["ラインアイテムID", "lineItemId"],
    ["Line item ID", "lineItemId"],
    ["数量", "quantity"],
    ["Lineitem quantity", "quantity"],
    ["追跡番号", "trackingNumbers"],
    ["お問い合わせ番号", "trackingNumbers"],
    ["追跡番号2", "trackingNumbers"],
    ["Tracking number", "trackingNumbers"],
    ["配送業者", "carrier"],
    ["運送会社", "carrier"],
    ["Tracking company", "carrier"],
    ["追跡 URL", "trackingUrl"],
    ["追跡ＵＲＬ", "trackingUrl"],
    ["Tracking URL", "trackingUrl"],
    ["顧客に通知", "notifyCustomer"],
    ["Notify customer", "notifyCustomer"],
    ["メモ", null],
  ])("%s → %s", (header, field) => {
    expect(fieldOfHeader(header)).toBe(field);
  });

  it("names the missing columns in both languages", () => {
    const result = mapColumns(["注文番号", "メモ"]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe("missing_columns");
      expect(t("ja", result.message)).toContain("SKU または ラインアイテムID");
      expect(t("ja", result.message)).toContain("追跡番号");
      expect(t("en", result.message)).toContain("SKU or Line item ID");
      expect(t("en", result.message)).toContain("Carrier");
    }
  });

  it("refuses two columns for the same field", () => {
    const result = mapColumns([
      "注文番号",
      "Order name",
      "SKU",
      "追跡番号",
      "配送業者",
    ]);
    expect(result).toMatchObject({ ok: false, code: "duplicate_column" });
  });
});

describe("readImportFile", () => {
  it("parses \\r\\n, \\n and \\r line ends mixed in one file, and newlines inside quotes", async () => {
    const text =
      '注文番号,SKU,追跡番号,配送業者\r\n#1001,A,111,ヤマト\n#1002,B,222,佐川\r#1003,C,"333\r\n444",日本郵便\r\n#1004,D,555,ヤマト';
    const result = await readImportFile(utf8(text), LIMITS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file.rows).toEqual([
      { rowNumber: 2, cells: ["#1001", "A", "111", "ヤマト"] },
      { rowNumber: 3, cells: ["#1002", "B", "222", "佐川"] },
      { rowNumber: 4, cells: ["#1003", "C", "333\r\n444", "日本郵便"] },
      { rowNumber: 5, cells: ["#1004", "D", "555", "ヤマト"] },
    ]);
  });

  it("numbers rows as the spreadsheet does and skips blank ones", async () => {
    const result = await readImportFile(
      utf8(
        "注文番号,SKU,追跡番号,配送業者\n\n#1001,A,1,ヤマト\n,,,\n#1002,B,2,ヤマト\n",
      ),
      LIMITS,
    );
    expect(result.ok && result.file.rows.map((r) => r.rowNumber)).toEqual([
      3, 5,
    ]);
    expect(result.ok && result.file.blankRows).toBe(2);
  });

  it("reads a tab-separated file", async () => {
    const result = await readImportFile(
      utf8("注文番号\tSKU\t追跡番号\t配送業者\n#1001\tA\t1\tヤマト\n"),
      LIMITS,
    );
    expect(result.ok && result.file.rows[0].cells).toEqual([
      "#1001",
      "A",
      "1",
      "ヤマト",
    ]);
  });

  it("reads Shift_JIS as Excel writes it", async () => {
    const bytes = iconv.encode(
      "注文番号,SKU,追跡番号,配送業者\r\n#1001,Ａ,1,クロネコヤマト\r\n",
      "cp932",
    );
    const result = await readImportFile(new Uint8Array(bytes), LIMITS);
    expect(result.ok && result.file.encoding).toBe("cp932");
    expect(result.ok && result.file.rows[0].cells[3]).toBe("クロネコヤマト");
  });

  it("refuses a header-only file", async () => {
    for (const text of [
      "注文番号,SKU,追跡番号,配送業者",
      "注文番号,SKU,追跡番号,配送業者\r\n\r\n,,,\r\n",
    ]) {
      const result = await readImportFile(utf8(text), LIMITS);
      expect(result).toMatchObject({ ok: false, code: "header_only" });
    }
  });

  it("refuses a malformed file with the line of the problem", async () => {
    const result = await readImportFile(
      utf8(
        '注文番号,SKU,追跡番号,配送業者\n#1001,A,1,ヤマト\n#1002,"B,2,ヤマト\n',
      ),
      LIMITS,
    );
    expect(result).toMatchObject({ ok: false, code: "malformed" });
    if (!result.ok) expect(t("en", result.message)).toMatch(/line \d+/);
  });

  it("stops counting at the first row past the limit, without reading the rest", async () => {
    // The file ends broken (an unclosed quote) well after the first row past the limit:
    // a parser that read everything would report that; one that stops early (it is fed
    // 64 K characters at a time) reports the row limit.
    const rows = Array.from(
      { length: 5_000 },
      (_, i) => `#${i},A,${i},ヤマト`,
    ).join("\n");
    const text = `注文番号,SKU,追跡番号,配送業者\n${rows}\n"never closed,${"x".repeat(1000)}`;
    const result = await readImportFile(utf8(text), { ...LIMITS, maxRows: 10 });
    expect(result).toMatchObject({ ok: false, code: "too_many_rows" });
    if (!result.ok) expect(t("ja", result.message)).toContain("10 行まで");
  });

  it("refuses a header of 65,000 empty columns, naming the row and the cap in both languages", async () => {
    const text = `注文番号,SKU,追跡番号,配送業者${",".repeat(65_000)}\n#1001,A,1,ヤマト\n`;
    const result = await readImportFile(utf8(text), LIMITS);
    expect(result).toMatchObject({ ok: false, code: "too_many_columns" });
    if (result.ok) return;
    expect(t("ja", result.message)).toContain("1 行目の列が多すぎます (65,004 列)");
    expect(t("ja", result.message)).toContain("200 列まで");
    expect(t("en", result.message)).toContain("Row 1 has too many columns (65,004)");
    expect(t("en", result.message)).toContain("At most 200 columns");
  });

  it("refuses a data row of 65,000 empty columns under a good header, and blank ones too", async () => {
    for (const row of [`#1002,B,2,佐川${",".repeat(65_000)}`, ",".repeat(65_000)]) {
      const text = `注文番号,SKU,追跡番号,配送業者\n#1001,A,1,ヤマト\n${row}\n#1003,C,3,ヤマト\n`;
      const result = await readImportFile(utf8(text), LIMITS);
      expect(result).toMatchObject({ ok: false, code: "too_many_columns" });
      if (!result.ok) expect(t("en", result.message)).toContain("Row 3 ");
    }
  });

  it("takes any row up to the cap and refuses any row past it (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 4, max: IMPORT_LIMITS.maxColumns * 2 }),
        fc.integer({ min: 4, max: IMPORT_LIMITS.maxColumns * 2 }),
        fc.boolean(),
        async (headerWidth, rowWidth, tabs) => {
          const d = tabs ? "\t" : ",";
          const pad = (cells: string[], width: number) =>
            [...cells, ...Array<string>(width - cells.length).fill("")].join(d);
          const text = `${pad(["注文番号", "SKU", "追跡番号", "配送業者"], headerWidth)}\n${pad(["#1001", "A", "1", "ヤマト"], rowWidth)}\n`;
          const result = await readImportFile(utf8(text), LIMITS);
          const wide = Math.max(headerWidth, rowWidth) > IMPORT_LIMITS.maxColumns;
          expect(result.ok ? "ok" : result.code).toBe(wide ? "too_many_columns" : "ok");
        },
      ),
      { numRuns: 120 },
    );
  });
});
