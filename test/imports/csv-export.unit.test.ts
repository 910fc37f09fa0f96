import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { t } from "~/i18n/messages";
import { keptCell, keptCells, keptColumns, mapColumns } from "~/imports/columns";
import { failedRowsCsv, neutralizeCell, templateCsv } from "~/imports/csv-export";
import { fileNameFrom, attachmentHeader } from "~/imports/download";
import { readImportFile } from "~/imports/read";

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
          cells: keptCells(
            ["#1001", '=HYPERLINK("http://evil","x")', "1", "ヤマト"],
            mapped.columns,
          ),
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

describe("failedRowsCsv, least data", () => {
  // Headers the import reads, and columns it ignores that hold a customer's data.
  const MAPPED = ["注文番号", "SKU", "数量", "追跡番号", "追跡番号2", "配送業者", "追跡URL", "顧客に通知"];
  const IGNORED = ["お客様名", "Shipping Address1", "Email", "メモ", ""];
  const value = fc.string({
    unit: fc.constantFrom("a", "Z", "0", "9", " ", ",", '"', "\n", "日", "本", "#", "."),
    maxLength: 12,
  });

  it("writes only the mapped columns; uploaded again, it maps the same fields to the same cells (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(MAPPED, { minLength: 1 }),
        fc.subarray(IGNORED),
        fc.array(fc.array(value, { minLength: 0, maxLength: 16 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom("ja" as const, "en" as const),
        async (mappedHeaders, ignoredHeaders, rawRows, locale) => {
          // Ignored columns interleaved with the mapped ones, as in a real export.
          const headers = [...mappedHeaders];
          ignoredHeaders.forEach((h, i) => headers.splice((i * 2) % (headers.length + 1), 0, h));
          const mapped = mapColumns(headers);
          if (!mapped.ok) return; // a header set the import refuses anyway
          const secret = "SECRET-顧客";
          const rows = rawRows.map((cells, i) => {
            const full = headers.map((_, c) => cells[c] ?? "");
            mapped.columns.forEach((col) => {
              if (col.field === null) full[col.index] = `${secret}${i}`;
            });
            full.push(`${secret}-past-header`);
            return { rowNumber: i + 2, full, cells: keptCells(full, mapped.columns), reasons: [{ ja: "理由", en: "reason" }] };
          });
          const csv = failedRowsCsv(mapped.columns, rows, locale);
          expect(csv).not.toContain(secret);

          const back = await readImportFile(new TextEncoder().encode(csv));
          if (!back.ok) throw new Error(`${back.code}: ${t("en", back.message)}`);
          const kept = keptColumns(mapped.columns);
          const keptBack = keptColumns(back.file.columns);
          expect(keptBack.map((c) => [c.header, c.field])).toEqual(kept.map((c) => [c.header, c.field]));
          expect(back.file.columns.filter((c) => c.field === null)).toHaveLength(2); // reason, row
          const byRow = new Map(back.file.rows.map((r) => [r.rowNumber, keptCells(r.cells, back.file.columns)]));
          rows.forEach((row, i) => {
            const again = byRow.get(i + 2)!;
            kept.forEach((col, k) => expect(keptCell(again, keptBack[k]!)).toBe(keptCell(row.cells, col)));
          });
        },
      ),
      { numRuns: 150 },
    );
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
