import { describe, expect, it } from "vitest";
import { t } from "~/i18n/messages";
import { mapColumns } from "~/imports/columns";
import { parseRow } from "~/imports/row-fields";
import {
  buildSnapshot,
  validateRows,
  type SnapshotLine,
  type SnapshotShipment,
} from "~/imports/validate";

const O1 = "gid://shopify/Order/1";
const O2 = "gid://shopify/Order/2";
const line = (
  ref: number,
  orderId: string,
  orderName: string,
  sku: string | null,
  ordered: number,
  vendor = "窯元",
): SnapshotLine => ({
  ref,
  lineItemId: `gid://shopify/LineItem/${ref}00`,
  orderId,
  orderName,
  sku,
  title: `商品 ${ref}`,
  vendor,
  ordered,
});

const LINES = [
  line(1, O1, "#1001", "A", 2),
  line(2, O1, "#1001", "B", 1),
  line(3, O1, "#1001", "DUP", 1, "タオル工房"),
  line(4, O1, "#1001", "DUP", 1, "タオル工房"),
  line(5, O2, "#1002", "A", 3),
];

const mapped = mapColumns([
  "注文番号",
  "SKU",
  "ラインアイテムID",
  "数量",
  "追跡番号",
  "配送業者",
  "追跡URL",
  "顧客に通知",
]);
if (!mapped.ok) throw new Error("columns");
const COLUMNS = mapped.columns;

function run(
  rows: string[][],
  shipments: SnapshotShipment[] = [],
  lines = LINES,
) {
  const parsed = rows.map((cells, i) =>
    parseRow({ rowNumber: i + 2, cells }, COLUMNS),
  );
  return validateRows(parsed, buildSnapshot(lines, shipments), {
    locale: "ja",
  });
}
const errorCodes = (result: ReturnType<typeof run>) =>
  result.map((r) => r.errors.map((e) => e.code));

describe("validateRows: finding the order and the line", () => {
  it("finds orders by name with or without #, and lines by SKU or line item ID", () => {
    const result = run([
      ["#1001", "A", "", "1", "111", "ヤマト運輸", "", ""],
      ["1002", "", "500", "", "222", "佐川急便", "", ""],
    ]);
    expect(errorCodes(result)).toEqual([[], []]);
    expect(result[0].resolved).toMatchObject({
      orderId: O1,
      lineRef: 1,
      quantity: 1,
      carrier: "Yamato (JA)",
    });
    expect(result[1].resolved).toMatchObject({
      orderId: O2,
      lineRef: 5,
      quantity: 3,
      carrier: "Sagawa (JA)",
    });
  });

  it("gives a precise error for each way the order or line is wrong", () => {
    const result = run([
      ["#9999", "A", "", "", "1", "ヤマト", "", ""],
      ["#1001", "Z", "", "", "2", "ヤマト", "", ""],
      ["#1001", "DUP", "", "", "3", "ヤマト", "", ""],
      ["#1001", "", "999", "", "4", "ヤマト", "", ""],
      ["#1001", "B", "100", "", "5", "ヤマト", "", ""],
    ]);
    expect(errorCodes(result)).toEqual([
      ["order_not_found"],
      ["sku_not_found"],
      ["sku_ambiguous"],
      ["line_not_found"],
      ["sku_mismatch"],
    ]);
    expect(t("ja", result[0].errors[0].message)).toBe(
      "注文「#9999」はこのストアのデータにありません。注文番号を確認してください。",
    );
    expect(t("en", result[1].errors[0].message)).toBe(
      'Order #1001 has no item with SKU "Z" (SKUs in this order: A, B, DUP).',
    );
    expect(t("ja", result[2].errors[0].message)).toContain(
      "ラインアイテムID (300、400)",
    );
    expect(t("en", result[2].errors[0].message)).toContain(
      'Order #1001 has 2 lines with SKU "DUP"',
    );
  });

  it("matches SKUs regardless of full-width and case when there is no exact match", () => {
    const result = run([["#1001", "ａ", "", "1", "1", "ヤマト", "", ""]]);
    expect(result[0].resolved?.lineRef).toBe(1);
  });
});

describe("validateRows: quantities", () => {
  const shipped = (
    id: number,
    ref: number,
    quantity: number,
    tracking = ["T-OLD"],
  ): SnapshotShipment => ({
    id,
    orderId: O1,
    status: "shipped",
    trackingNumbers: tracking,
    lines: [{ ref, quantity }],
  });

  it("defaults to what remains unshipped, after shipped shipments and earlier rows", () => {
    const result = run(
      [
        ["#1002", "A", "", "1", "111", "ヤマト", "", ""],
        ["#1002", "A", "", "", "222", "ヤマト", "", ""],
        ["#1002", "A", "", "", "333", "ヤマト", "", ""],
      ],
      [],
    );
    expect(result.map((r) => r.resolved?.quantity ?? null)).toEqual([
      1,
      2,
      null,
    ]);
    expect(result[2].errors.map((e) => e.code)).toEqual(["nothing_to_ship"]);
  });

  it("refuses a quantity above what is left, with the arithmetic", () => {
    const result = run(
      [["#1001", "A", "", "2", "111", "ヤマト", "", ""]],
      [shipped(7, 1, 1)],
    );
    expect(result[0].errors.map((e) => e.code)).toEqual(["quantity_exceeds"]);
    expect(t("en", result[0].errors[0].message)).toBe(
      'Quantity 2 of "商品 1" in order #1001 is more than the 1 left for a new shipment (ordered 2, shipped 1, held by unshipped shipments 0, earlier rows of this file 0).',
    );
  });

  it("marks an unshipped shipment shipped when the group holds exactly its lines", () => {
    const unshipped: SnapshotShipment = {
      id: 12,
      orderId: O1,
      status: "unshipped",
      trackingNumbers: [],
      lines: [
        { ref: 1, quantity: 2 },
        { ref: 2, quantity: 1 },
      ],
    };
    const both = run(
      [
        ["#1001", "A", "", "", "111", "ヤマト", "", ""],
        ["#1001", "B", "", "", "111", "ヤマト", "", ""],
      ],
      [unshipped],
    );
    expect(both.map((r) => r.plan)).toEqual([
      { kind: "mark_shipped", shipmentId: 12 },
      { kind: "mark_shipped", shipmentId: 12 },
    ]);
    expect(both[0].groupKey).toBe(both[1].groupKey);

    // Only one of its lines: the units are held, and the error says how to claim them.
    const one = run(
      [["#1001", "A", "", "", "111", "ヤマト", "", ""]],
      [unshipped],
    );
    expect(one[0].errors.map((e) => e.code)).toEqual(["quantity_exceeds"]);
    expect(t("ja", one[0].errors[0].message)).toContain(
      "未発送の出荷 #12 がこの商品を確保しています",
    );
    expect(t("ja", one[0].errors[0].message)).toContain("A × 2、B × 1");
  });

  it("creates one shipment per order + vendor + tracking numbers", () => {
    const result = run([
      ["#1001", "A", "", "1", "111", "ヤマト", "", ""],
      ["#1001", "B", "", "1", "111", "ヤマト", "", ""],
      ["#1001", "", "300", "1", "111", "ヤマト", "", ""],
      ["#1001", "A", "", "1", "222", "ヤマト", "", ""],
    ]);
    expect(errorCodes(result)).toEqual([[], [], [], []]);
    expect(result.every((r) => r.plan?.kind === "create")).toBe(true);
    const keys = result.map((r) => r.groupKey);
    expect(keys[0]).toBe(keys[1]); // same vendor, same tracking
    expect(keys[2]).not.toBe(keys[0]); // another vendor
    expect(keys[3]).not.toBe(keys[0]); // another parcel
  });
});

describe("validateRows: duplicates and conflicts", () => {
  it("finds the same order + line + tracking number earlier in the file", () => {
    const result = run([
      ["#1002", "A", "", "1", "1234-5678", "ヤマト", "", ""],
      ["#1002", "A", "", "1", "12345678", "ヤマト", "", ""],
    ]);
    expect(errorCodes(result)).toEqual([[], ["duplicate_in_file"]]);
    expect(t("ja", result[1].errors[0].message)).toBe(
      "2 行目と同じ注文・商品・追跡番号 (12345678) です。",
    );
  });

  it("finds the tracking number already shipped for that line", () => {
    const result = run(
      [["#1001", "A", "", "1", "1234-5678-9012", "ヤマト", "", ""]],
      [
        {
          id: 7,
          orderId: O1,
          status: "shipped",
          trackingNumbers: ["123456789012"],
          lines: [{ ref: 1, quantity: 1 }],
        },
      ],
    );
    expect(t("en", result[0].errors[0].message)).toBe(
      '"商品 1" in order #1001 is already shipped with tracking number 123456789012 (shipment #7).',
    );
  });

  it("refuses rows of one shipment that disagree on carrier, URL or notification", () => {
    const result = run([
      ["#1001", "A", "", "1", "111", "ヤマト", "", "はい"],
      ["#1001", "B", "", "1", "111", "佐川", "", "いいえ"],
    ]);
    expect(errorCodes(result)).toEqual([[], ["group_conflict"]]);
    expect(t("ja", result[1].errors[0].message)).toContain(
      "配送業者、顧客に通知 が違います",
    );
  });

  it("warns about an unknown carrier and an implausible number, without blocking", () => {
    const result = run([["#1001", "A", "", "1", "123", "ヤマトゥ便", "", ""]]);
    expect(result[0].errors).toEqual([]);
    expect(result[0].warnings.length).toBeGreaterThan(0);
    expect(result[0].resolved?.carrier).toBe("ヤマトゥ便");
  });
});
