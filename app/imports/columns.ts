import { list, message, type Message } from "~/i18n/messages";
import { fieldLabel, type ImportField } from "./messages";

/**
 * The header row → which column holds which field.
 *
 * Header names are compared after NFKC (full-width → half-width), lower-casing and
 * removing spaces and punctuation, so 「追跡 URL」, 「追跡ＵＲＬ」, "Tracking URL" and
 * "tracking_url" are one name. Japanese and English names, and the names of Shopify's
 * own order export ("Name", "Lineitem sku", "Lineitem quantity"), are understood.
 * Tracking numbers may span several columns (追跡番号1, 追跡番号2, …); every other field
 * must appear once. Unknown columns are read past: their cells are never stored (see
 * keptCells), only their header, so the preview can say which columns it did not use.
 */
export interface ImportColumn {
  /** Position in the row (0-based). */
  index: number;
  /** The header as written in the file. */
  header: string;
  field: ImportField | null;
}

export type ColumnMappingResult =
  | { ok: true; columns: ImportColumn[] }
  | {
      ok: false;
      code: "missing_columns" | "duplicate_column";
      message: Message;
    };

const ALIASES: Record<ImportField, readonly string[]> = {
  orderName: [
    "注文番号",
    "注文名",
    "注文",
    "注文no",
    "受注番号",
    "ご注文番号",
    "オーダー番号",
    "オーダー",
    "order",
    "ordername",
    "ordernumber",
    "orderno",
    "ordernum",
    "name",
  ],
  orderId: [
    "注文id",
    "注文gid",
    "受注id",
    "orderid",
    "ordergid",
    "shopifyorderid",
  ],
  sku: [
    "sku",
    "商品sku",
    "skuコード",
    "品番",
    "商品コード",
    "商品番号",
    "lineitemsku",
    "variantsku",
    "itemsku",
  ],
  lineItemId: [
    "ラインアイテムid",
    "商品id",
    "明細id",
    "注文明細id",
    "ラインid",
    "lineitemid",
    "lineid",
    "itemid",
    "lineitemgid",
  ],
  quantity: [
    "数量",
    "個数",
    "発送数量",
    "出荷数量",
    "数",
    "qty",
    "quantity",
    "lineitemquantity",
    "quantityshipped",
  ],
  trackingNumbers: [
    "追跡番号",
    "伝票番号",
    "送り状番号",
    "お問い合わせ番号",
    "お問合せ番号",
    "問い合わせ番号",
    "問合せ番号",
    "トラッキング番号",
    "追跡no",
    "trackingnumber",
    "trackingnumbers",
    "tracking",
    "trackingno",
    "trackingcode",
    "trackingid",
  ],
  carrier: [
    "配送業者",
    "配送会社",
    "運送会社",
    "運送業者",
    "宅配業者",
    "宅配会社",
    "配送業者名",
    "運送会社名",
    "配送方法",
    "carrier",
    "trackingcompany",
    "shippingcarrier",
    "shippingcompany",
    "courier",
    "carriername",
  ],
  trackingUrl: [
    "追跡url",
    "トラッキングurl",
    "配送状況url",
    "問い合わせurl",
    "お問い合わせurl",
    "trackingurl",
    "trackinglink",
    "url",
  ],
  notifyCustomer: [
    "顧客に通知",
    "お客様に通知",
    "顧客へ通知",
    "お客様へ通知",
    "顧客通知",
    "発送通知",
    "通知",
    "通知する",
    "発送メール",
    "notifycustomer",
    "notify",
    "sendnotification",
    "notification",
    "notifycustomers",
  ],
};

const FIELD_BY_ALIAS = new Map<string, ImportField>();
for (const [field, names] of Object.entries(ALIASES) as [
  ImportField,
  readonly string[],
][]) {
  for (const name of names) FIELD_BY_ALIAS.set(normalizeHeader(name), field);
}

/** NFKC, lower case, without spaces and punctuation: the form header names are compared in. */
export function normalizeHeader(header: string): string {
  return header
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_\-‐－・･.:：()（）[\]【】「」『』#＃'"’“”/／*＊]/g, "");
}

/** The field a header names, or null. A trailing number is allowed for tracking columns. */
export function fieldOfHeader(header: string): ImportField | null {
  const key = normalizeHeader(header);
  if (key === "") return null;
  const exact = FIELD_BY_ALIAS.get(key);
  if (exact) return exact;
  const numbered = /^(.*?)(\d{1,2})$/.exec(key);
  if (numbered && FIELD_BY_ALIAS.get(numbered[1]) === "trackingNumbers")
    return "trackingNumbers";
  return null;
}

export function mapColumns(
  headerCells: readonly string[],
): ColumnMappingResult {
  const columns: ImportColumn[] = headerCells.map((header, index) => ({
    index,
    header: header.trim(),
    field: fieldOfHeader(header),
  }));
  const seen = new Map<ImportField, ImportColumn>();
  for (const column of columns) {
    if (!column.field || column.field === "trackingNumbers") continue;
    const first = seen.get(column.field);
    if (first) {
      const field = column.field;
      return {
        ok: false,
        code: "duplicate_column",
        message: message("imports.file.duplicateColumn", {
          first: first.header,
          second: column.header,
          field: fieldLabel(field),
        }),
      };
    }
    seen.set(column.field, column);
  }
  const has = (field: ImportField) => columns.some((c) => c.field === field);
  const missing: [ImportField, ImportField?][] = [];
  if (!has("orderName") && !has("orderId"))
    missing.push(["orderName", "orderId"]);
  if (!has("sku") && !has("lineItemId")) missing.push(["sku", "lineItemId"]);
  if (!has("trackingNumbers")) missing.push(["trackingNumbers"]);
  if (!has("carrier")) missing.push(["carrier"]);
  if (missing.length > 0) {
    return {
      ok: false,
      code: "missing_columns",
      message: message("imports.file.missingColumns", {
        columns: list(
          missing.map(([a, b]) =>
            b
              ? message("imports.file.columnsOr", {
                  first: fieldLabel(a),
                  second: fieldLabel(b),
                })
              : fieldLabel(a),
          ),
        ),
        example: list(
          TEMPLATE_FIELDS.map(fieldLabel),
          "imports.file.exampleSeparator",
        ),
      }),
    };
  }
  return { ok: true, columns };
}

/** The template's columns, in order. */
export const TEMPLATE_FIELDS: readonly ImportField[] = [
  "orderName",
  "sku",
  "lineItemId",
  "quantity",
  "trackingNumbers",
  "carrier",
  "trackingUrl",
  "notifyCustomer",
];

/**
 * What an import keeps of a row: the cells of the columns it reads (mapped to a field),
 * keyed by the column's position in the file — nothing of the columns it ignores, which
 * can hold a customer's name, address or phone (Shopify's order export has them next to
 * the columns read here), nor of cells past the header. Empty cells are left out.
 * import_rows.mapped_cells stores exactly this, and the database refuses a key that is
 * not a mapped column of the row's import.
 */
export type KeptCells = Record<string, string>;

export function keptCells(
  cells: readonly string[],
  columns: readonly ImportColumn[],
): KeptCells {
  const kept: KeptCells = {};
  for (const column of columns) {
    if (column.field === null) continue;
    const value = cells[column.index];
    if (value !== undefined && value !== "") kept[String(column.index)] = value;
  }
  return kept;
}

/** The columns whose cells an import keeps, in file order. */
export function keptColumns(columns: readonly ImportColumn[]): ImportColumn[] {
  return columns.filter((c) => c.field !== null);
}

/** A kept cell of a row ("" when empty or not kept). */
export function keptCell(cells: KeptCells, column: ImportColumn): string {
  return cells[String(column.index)] ?? "";
}
