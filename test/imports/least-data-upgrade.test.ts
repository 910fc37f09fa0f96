import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseBefore } from "../helpers/schema-before";

// 20261202000950_import_rows_least_data: an import row keeps only the cells of the
// columns the import reads. Upgraded with data in place: rows stored before, whose cells
// include a customer's name, address and phone in columns the import ignored (and a
// value past the header), keep exactly their mapped cells; nothing else of them is left
// anywhere in the table; everything else about them is unchanged.
const LEAST_DATA = "20261202000950";
const SHOP = "upgrade-imports.myshopify.com";
const PII = ["山田 花子", "東京都千代田区千代田1-1", "090-1234-5678", "hanako@example.jp"];

let before: Awaited<ReturnType<typeof databaseBefore>>;
let pool: pg.Pool;

beforeAll(async () => {
  before = await databaseBefore(LEAST_DATA);
  pool = before.pool;
});

afterAll(async () => {
  await before.close();
});

const COLUMNS = [
  { index: 0, header: "注文番号", field: "orderName" },
  { index: 1, header: "お客様名", field: null },
  { index: 2, header: "SKU", field: "sku" },
  { index: 3, header: "住所", field: null },
  { index: 4, header: "追跡番号1", field: "trackingNumbers" },
  { index: 5, header: "追跡番号2", field: "trackingNumbers" },
  { index: 6, header: "配送業者", field: "carrier" },
  { index: 7, header: "電話番号", field: null },
];

describe("upgrading import_rows to least data", () => {
  it("keeps only the mapped cells of rows stored before, and nothing else of them", async () => {
    await pool.query(`insert into shops (shop) values ($1)`, [SHOP]);
    const imported = await pool.query<{ id: string }>(
      `insert into imports (shop, file_name, file_bytes, file_sha256, encoding, columns, row_count, valid_count)
       values ($1, 'vendor.csv', 900, repeat('b', 64), 'utf-8', $2, 3, 1),
              ($1, 'legacy.csv', 10, repeat('c', 64), 'utf-8', '[]', 1, 0)
       returning id`,
      [SHOP, JSON.stringify(COLUMNS)],
    );
    const [importId, legacyId] = imported.rows.map((r) => r.id);
    await pool.query(
      `insert into import_rows (shop, import_id, row_number, cells, order_id, order_name, line_item_id, title,
                                quantity, tracking_numbers, carrier, group_key, errors, warnings)
       values ($1, $2, 2, $3, 'gid://shopify/Order/1001', '#1001', 'gid://shopify/LineItem/11', '豆皿', 1,
               '{123456789012}', 'Yamato (JA)', 'k', '[]', '[{"ja":"警告","en":"warning"}]'),
              ($1, $2, 3, $4, null, null, null, null, null, '{}', null, null,
               '[{"code":"sku_not_found","ja":"SKU なし","en":"no SKU"}]', '[]'),
              ($1, $2, 4, $5, null, null, null, null, null, '{}', null, null,
               '[{"code":"extra_cells","ja":"列がずれています","en":"shifted"}]', '[]'),
              ($1, $6, 2, $7, null, null, null, null, null, '{}', null, null,
               '[{"code":"order_missing","ja":"注文なし","en":"no order"}]', '[]')`,
      [
        SHOP,
        importId,
        JSON.stringify(["#1001", PII[0], "SKU-A", PII[1], "123456789012", "", "ヤマト運輸", PII[2]]),
        JSON.stringify(["#1002", PII[0], "=HYPERLINK(\"x\")", PII[1], "111", "222", "佐川", PII[2]]),
        // Shorter than the header, and a value past it.
        JSON.stringify(["#1003", "", "SKU-C", "", "333", "", "ヤマト運輸", "", PII[3]]),
        legacyId,
        JSON.stringify([PII[0], PII[1]]),
      ],
    );
    const old = await pool.query(
      `select row_number, order_id, order_name, line_item_id, title, quantity, tracking_numbers, carrier,
              group_key, errors, warnings, shipment_id, committed_at
         from import_rows order by import_id, row_number`,
    );

    await before.upgrade();

    const after = await pool.query<{ mapped_cells: Record<string, string>; redacted_at: Date | null }>(
      `select mapped_cells, redacted_at from import_rows order by import_id, row_number`,
    );
    expect(after.rows).toEqual([
      { mapped_cells: { "0": "#1001", "2": "SKU-A", "4": "123456789012", "6": "ヤマト運輸" }, redacted_at: null },
      {
        mapped_cells: { "0": "#1002", "2": '=HYPERLINK("x")', "4": "111", "5": "222", "6": "佐川" },
        redacted_at: null,
      },
      { mapped_cells: { "0": "#1003", "2": "SKU-C", "4": "333", "6": "ヤマト運輸" }, redacted_at: null },
      // An import with no mapped columns keeps nothing of its rows.
      { mapped_cells: {}, redacted_at: null },
    ]);
    // Everything else about the rows is as it was.
    const unchanged = await pool.query(
      `select row_number, order_id, order_name, line_item_id, title, quantity, tracking_numbers, carrier,
              group_key, errors, warnings, shipment_id, committed_at
         from import_rows order by import_id, row_number`,
    );
    expect(unchanged.rows).toEqual(old.rows);
    // The verbatim cells are gone with their column: no customer data is left anywhere.
    const columns = await pool.query(
      `select column_name from information_schema.columns where table_name = 'import_rows' and column_name = 'cells'`,
    );
    expect(columns.rows).toEqual([]);
    const everything = await pool.query<{ t: string }>(`select to_jsonb(r)::text as t from import_rows r`);
    for (const secret of PII)
      expect(everything.rows.map((r) => r.t).join("\n")).not.toContain(secret);

    // From now on the database refuses an ignored column's cell, whatever writes it.
    await expect(
      pool.query(
        `insert into import_rows (shop, import_id, row_number, mapped_cells, errors)
         values ($1, $2, 9, $3, '[{"code":"x","ja":"x","en":"x"}]')`,
        [SHOP, importId, JSON.stringify({ "0": "#1009", "1": PII[0] })],
      ),
    ).rejects.toThrow(/only the cells of mapped columns.*column 1 is not mapped/);
    await pool.query(
      `insert into import_rows (shop, import_id, row_number, mapped_cells, errors)
       values ($1, $2, 9, $3, '[{"code":"x","ja":"x","en":"x"}]')`,
      [SHOP, importId, JSON.stringify({ "0": "#1009", "5": "444" })],
    );
  });
});
