import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { mapColumns } from "./columns";
import { failedRowsCsv, neutralizeCell, templateCsv } from "./csv-export";
import { fileNameFrom, attachmentHeader } from "./download";
import { readImportFile } from "./read";

describe("neutralizeCell", () => {
  it("prefixes cells a spreadsheet would evaluate, and nothing else", () => {
    expect(neutralizeCell("=1+1")).toBe("'=1+1");
    expect(neutralizeCell("+81")).toBe("'+81");
    expect(neutralizeCell("-2")).toBe("'-2");
    expect(neutralizeCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutralizeCell("\t=1")).toBe("'\t=1");
    expect(neutralizeCell("\r=1")).toBe("'\r=1");
    expect(neutralizeCell("#1001")).toBe("#1001");
    expect(neutralizeCell("A=1")).toBe("A=1");
    expect(neutralizeCell("")).toBe("");
  });
});

describe("failedRowsCsv", () => {
  it("writes the uploaded cells, neutralised, with the reason and row number", () => {
    const mapped = mapColumns(["注文番号", "SKU", "追跡番号", "配送業者"]);
    if (!mapped.ok) throw new Error("columns");
    const csv = failedRowsCsv(
      mapped.columns,
      [
        {
          rowNumber: 3,
          cells: ["#1001", '=HYPERLINK("http://evil","x")', "1", "ヤマト"],
          reasons: [{ ja: "数式です", en: "formula" }],
        },
      ],
      "ja",
    );
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const records = parse(csv.slice(1)) as string[][];
    expect(records).toEqual([
      ["注文番号", "SKU", "追跡番号", "配送業者", "エラー", "行"],
      [
        "#1001",
        `'=HYPERLINK("http://evil","x")`,
        "1",
        "ヤマト",
        "数式です",
        "3",
      ],
    ]);
    expect(csv).toContain("\r\n");
  });
});

describe("templateCsv", () => {
  it.each(["ja", "en"] as const)(
    "(%s) is read back by the import with every column mapped",
    async (locale) => {
      const csv = templateCsv(locale);
      const bytes = new TextEncoder().encode(
        `${csv}#1001,A,,1,123456789012,ヤマト運輸,,はい\r\n`,
      );
      const result = await readImportFile(bytes);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.file.encoding).toBe("utf-8-bom");
      expect(result.file.columns.map((c) => c.field)).toEqual([
        "orderName",
        "sku",
        "lineItemId",
        "quantity",
        "trackingNumbers",
        "carrier",
        "trackingUrl",
        "notifyCustomer",
      ]);
    },
  );

  it("is refused as header-only when uploaded unchanged", async () => {
    const result = await readImportFile(
      new TextEncoder().encode(templateCsv("ja")),
    );
    expect(result).toMatchObject({ ok: false, code: "header_only" });
  });
});

describe("Content-Disposition", () => {
  it("round-trips a Japanese file name", () => {
    const header = attachmentHeader("追跡番号テンプレート.csv");
    expect(header).toContain('filename="');
    expect(fileNameFrom(header)).toBe("追跡番号テンプレート.csv");
  });
});

describe("neutralizeCell, full-width", () => {
  it.each(["＝HYPERLINK(\"x\")", "＋1", "－1", "＠SUM(A1)"])("neutralizes %s", (cell) => {
    expect(neutralizeCell(cell)).toBe(`'${cell}`);
  });
});
