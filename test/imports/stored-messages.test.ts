import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { storedText } from "~/i18n/messages";
import { failedRowsCsv } from "~/imports/csv-export";
import { previewImport } from "~/imports/preview.server";
import { failedRows, getImport, listImportRows } from "~/imports/store.server";
import { testPool } from "../support/database";
import { BULK_HEADER, csvFile, seedBulkOrders, yamatoNumber } from "./helpers";

// What an import told the operator is stored in its rows (imports.notices / refusal,
// import_rows.errors / warnings). The app now stores messages as codes with parameters;
// a hosted database still holds rows an older version wrote with the words of both
// languages ({ja, en}). Both read back, on a real Postgres, in either language.
const SHOP = "stored-messages.myshopify.com";
const FIRST = 7000;

beforeAll(async () => {
  await testPool().query(`insert into shops (shop) values ($1)`, [SHOP]);
  await seedBulkOrders(testPool(), SHOP, {
    orders: 2,
    vendorsPerOrder: 2,
    firstOrderNumber: FIRST,
  });
});

async function previewThree() {
  const result = await previewImport(testPool(), SHOP, {
    fileName: "tracking.csv",
    bytes: csvFile([
      BULK_HEADER,
      [`#${FIRST}`, "SKU-0", "", "1234-5678-9012", "ヤマト運輸", "", ""],
      [`#${FIRST}`, "SKU-9", "", yamatoNumber(1), "佐川", "", ""],
      [`#${FIRST + 1}`, "=1+1", "", yamatoNumber(2), "佐川", "", ""],
    ]),
  });
  if (!result.ok) throw new Error(storedText("en", result.message));
  return result.importId;
}

describe("messages stored in imports", () => {
  it("are written as codes with parameters, no words", async () => {
    const importId = await previewThree();
    const raw = await testPool().query<{ errors: unknown[]; warnings: unknown[] }>(
      `select errors, warnings from import_rows where import_id = $1 order by row_number`,
      [importId],
    );
    expect(raw.rows[0]!.warnings[0]).toMatchObject({
      key: "fulfillment.trackingWarnings.checkDigitMismatch",
    });
    expect(raw.rows[1]!.errors[0]).toMatchObject({
      code: "sku_not_found",
      key: "imports.rows.skuNotFound",
      params: { order: `#${FIRST}`, sku: "SKU-9" },
    });
    expect(JSON.stringify(raw.rows)).not.toMatch(/"(ja|en)":/);
    const notices = await testPool().query<{ notices: unknown[] }>(
      `select notices from imports where id = $1`,
      [importId],
    );
    expect(notices.rows[0]!.notices[0]).toMatchObject({ key: "imports.notices.encoding" });
  });

  it("written by an older version ({ja, en}) still show, beside the new ones", async () => {
    const importId = await previewThree();
    // Rows 2 and 3 as an older version stored them; row 4 keeps today's codes.
    await testPool().query(
      `update import_rows set warnings = '[{"ja":"古い警告","en":"an old warning"}]'
        where import_id = $1 and row_number = 2`,
      [importId],
    );
    await testPool().query(
      `update import_rows set errors = '[{"code":"sku_not_found","ja":"古いエラー","en":"an old error"}]'
        where import_id = $1 and row_number = 3`,
      [importId],
    );
    await testPool().query(
      `update imports
          set notices = '[{"ja":"文字コード: UTF-8 (古い)","en":"Encoding: UTF-8 (old)"}]',
              status = 'refused', commit_started_at = now(),
              refusal = '{"ja":"古い中止理由","en":"an old refusal","rows":[{"row":3,"ja":"3 行目: 古い","en":"Row 3: old"}]}'
        where id = $1`,
      [importId],
    );

    const summary = (await getImport(testPool(), SHOP, importId))!;
    expect(summary.notices.map((n) => storedText("ja", n))).toEqual(["文字コード: UTF-8 (古い)"]);
    expect(storedText("en", summary.refusal!.message)).toBe("an old refusal");
    expect(summary.refusal!.rows.map((r) => [r.row, storedText("ja", r.message)])).toEqual([
      [3, "3 行目: 古い"],
    ]);

    const { rows } = await listImportRows(testPool(), SHOP, importId);
    expect(rows.map((r) => r.warnings.map((w) => storedText("en", w)))).toEqual([
      ["an old warning"],
      [],
      [],
    ]);
    expect(rows.map((r) => r.errors.map((e) => [e.code, storedText("ja", e.message)]))).toEqual([
      [],
      [["sku_not_found", "古いエラー"]],
      [
        [
          "formula",
          "「SKU」の値「=1+1」は数式のように見えます (= + - @ で始まっています)。数式は実行されません。値そのものを入力してください。",
        ],
      ],
    ]);

    // The failed rows' download words both, in the language asked for.
    const failed = await failedRows(testPool(), SHOP, importId);
    const records = parse(failedRowsCsv(summary.columns, failed, "en").slice(1)) as string[][];
    expect(records.map((r) => [r.at(-1), r.at(-2)])).toEqual([
      ["Row", "Error"],
      ["3", "an old error"],
      [
        "4",
        '"SKU" is "=1+1", which looks like a spreadsheet formula (it starts with = + - or @). Formulas are never evaluated: enter the value itself.',
      ],
    ]);
  });
});
