import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { storedText } from "~/i18n/messages";
import { commitImport } from "~/imports/commit.server";
import { failedRowsCsv } from "~/imports/csv-export";
import { previewImport } from "~/imports/preview.server";
import { failedRows, getImport, listImportRows } from "~/imports/store.server";
import { testPool } from "../support/database";
import { csvFile, seedBulkOrders, yamatoNumber } from "./helpers";

// Least data in CSV imports, end to end on a real Postgres: a vendor's sheet in the shape
// of Shopify's order export (customer name, e-mail, address and phone next to the columns
// the import reads) leaves no trace of those columns anywhere in the database nor in the
// failed-rows CSV; and that CSV, fixed, is uploaded again and committed.
const SHOP = "least-data.myshopify.com";
const FIRST = 7000;
const CUSTOMER = {
  name: "山田 花子",
  email: "hanako@example.jp",
  address: "東京都千代田区千代田1-1",
  phone: "090-1234-5678",
  note: "置き配希望・インターホン不要",
};
const HEADER = [
  "Name",
  "Email",
  "Billing Name",
  "Lineitem sku",
  "Lineitem quantity",
  "Shipping Address1",
  "Shipping Phone",
  "追跡番号",
  "配送業者",
  "Notes",
];

beforeAll(async () => {
  await testPool().query(`insert into shops (shop) values ($1)`, [SHOP]);
  await seedBulkOrders(testPool(), SHOP, {
    orders: 3,
    vendorsPerOrder: 2,
    firstOrderNumber: FIRST,
    unshippedShipments: () => false,
  });
});

const row = (order: number, sku: string, quantity: string, n: number) => [
  `#${order}`,
  CUSTOMER.email,
  CUSTOMER.name,
  sku,
  quantity,
  CUSTOMER.address,
  CUSTOMER.phone,
  yamatoNumber(n),
  "ヤマト運輸",
  CUSTOMER.note,
];

async function everythingStored(): Promise<string> {
  const result = await testPool().query<{ t: string }>(
    `select to_jsonb(i)::text as t from imports i where shop = $1
     union all select to_jsonb(r)::text from import_rows r where shop = $1`,
    [SHOP],
  );
  return result.rows.map((r) => r.t).join("\n");
}

describe("a sheet with customer columns", () => {
  it("stores none of them, exports none of them, and its failed rows can be fixed and uploaded again", async () => {
    const result = await previewImport(testPool(), SHOP, {
      fileName: "orders_export.csv",
      bytes: csvFile([
        HEADER,
        row(FIRST, "SKU-0", "1", 1),
        row(FIRST + 1, "SKU-9", "1", 2), // no such SKU in the order
        [...row(FIRST + 2, "SKU-1", "abc", 3), CUSTOMER.name], // bad quantity, a value past the header
      ]),
    });
    expect(result).toMatchObject({ ok: true, rowCount: 3, validCount: 1 });
    if (!result.ok) return;

    const stored = await everythingStored();
    for (const secret of Object.values(CUSTOMER)) expect(stored).not.toContain(secret);
    // What is kept: the mapped cells, by column.
    const { rows } = await listImportRows(testPool(), SHOP, result.importId);
    expect(rows.map((r) => r.cells)).toEqual([
      { "0": `#${FIRST}`, "3": "SKU-0", "4": "1", "7": yamatoNumber(1), "8": "ヤマト運輸" },
      { "0": `#${FIRST + 1}`, "3": "SKU-9", "4": "1", "7": yamatoNumber(2), "8": "ヤマト運輸" },
      { "0": `#${FIRST + 2}`, "3": "SKU-1", "4": "abc", "7": yamatoNumber(3), "8": "ヤマト運輸" },
    ]);
    // The preview still says which columns it did not use (their names, not their cells).
    const summary = (await getImport(testPool(), SHOP, result.importId))!;
    expect(storedText("en", summary.notices[1]!)).toBe(
      "These columns are not used: Email, Billing Name, Shipping Address1, Shipping Phone, Notes",
    );

    // The failed rows, as the operator downloads them: the mapped columns only.
    const csv = failedRowsCsv(summary.columns, await failedRows(testPool(), SHOP, result.importId), "ja");
    for (const secret of Object.values(CUSTOMER)) expect(csv).not.toContain(secret);
    const records = parse(csv.slice(1)) as string[][];
    expect(records[0]).toEqual(["Name", "Lineitem sku", "Lineitem quantity", "追跡番号", "配送業者", "エラー", "行"]);
    expect(records.slice(1).map((r) => [r[0], r[1], r[2], r[6]])).toEqual([
      [`#${FIRST + 1}`, "SKU-9", "1", "3"],
      [`#${FIRST + 2}`, "SKU-1", "abc", "4"],
    ]);

    // Fixed in the spreadsheet and uploaded again as it is (the two extra columns are ignored).
    const fixed = records.map((r, i) => (i === 0 ? r : [r[0]!, r[1] === "SKU-9" ? "SKU-1" : r[1]!, "1", ...r.slice(3)]));
    const again = await previewImport(testPool(), SHOP, { fileName: "fixed.csv", bytes: csvFile(fixed) });
    expect(again).toMatchObject({ ok: true, rowCount: 2, validCount: 2 });
    if (!again.ok) return;
    expect(await commitImport(testPool(), SHOP, again.importId)).toMatchObject({ ok: true, committed: 2 });
    const shipped = await testPool().query(
      `select order_name, tracking_numbers from shipments where shop = $1 and status = 'shipped' order by order_name`,
      [SHOP],
    );
    expect(shipped.rows).toEqual([
      { order_name: `#${FIRST + 1}`, tracking_numbers: [yamatoNumber(2)] },
      { order_name: `#${FIRST + 2}`, tracking_numbers: [yamatoNumber(3)] },
    ]);
  });
});
