import { normalizeHttpUrl } from "~/http/url";
import type { ImportColumn } from "./columns";
import { IMPORT_LIMITS } from "./limits";
import {
  list,
  message,
  type Message,
  type MessageKey,
  type MessageParam,
  type ParamsArg,
} from "~/i18n/messages";
import { fieldLabel, type ImportField } from "./messages";
import type { RawRow } from "./read";

/**
 * One raw row → the values it asks for, or why its cells cannot be read. Nothing here
 * knows the shop: the order, line and quantity checks are in validate.ts.
 *
 * Decisions:
 * - Cells are trimmed and full-width characters normalised (NFKC) where the value is an
 *   identifier or a number (order name, IDs, quantity, yes/no); SKUs, carriers and URLs
 *   keep their spelling apart from the trim.
 * - A control character (U+0000–U+001F except tab/newline between tracking numbers,
 *   U+007F–U+009F) makes the row an error naming the column and the code point. It is
 *   not stripped: a tracking number with a hidden character is a different number, and
 *   silently changing what the operator wrote is worse than asking.
 * - A value that starts like a spreadsheet formula (= or @, or + / - not followed by a
 *   plain number) is an error in every column the import reads: CSV written by Excel
 *   holds values, never formulas, so such a cell was typed or generated wrongly. It is
 *   stored as the text it is, never evaluated, and neutralised in exported CSV.
 * - Tracking numbers: several per cell, separated by new lines, commas, 、 or ;, and
 *   from several tracking columns. "1.23457E+11" (Excel's exponent display saved to CSV)
 *   is an error with how to fix it.
 */
export interface RowFields {
  /** As written (NFKC, trimmed): "#1001", "1001", "JP-1001". */
  orderName: string | null;
  /** gid://shopify/Order/… */
  orderId: string | null;
  sku: string | null;
  /** gid://shopify/LineItem/… */
  lineItemId: string | null;
  /** null: all that remains (validate.ts decides how many). */
  quantity: number | null;
  trackingNumbers: string[];
  carrier: string;
  trackingUrl: string | null;
  notifyCustomer: boolean;
}

export interface RowIssue {
  code: RowIssueCode;
  message: Message;
}

export type RowIssueCode =
  | "control_character"
  | "formula"
  | "excel_number"
  | "too_long"
  | "extra_cells"
  | "order_missing"
  | "order_id_invalid"
  | "order_not_found"
  | "order_conflict"
  | "line_missing"
  | "line_item_id_invalid"
  | "line_not_found"
  | "sku_not_found"
  | "sku_ambiguous"
  | "sku_mismatch"
  | "quantity_invalid"
  | "nothing_to_ship"
  | "quantity_exceeds"
  | "tracking_missing"
  | "too_many_tracking"
  | "carrier_missing"
  | "url_invalid"
  | "notify_invalid"
  | "duplicate_in_file"
  | "duplicate_existing"
  | "group_conflict";

export type ParsedRow =
  | { rowNumber: number; ok: true; fields: RowFields }
  | { rowNumber: number; ok: false; issues: RowIssue[] };

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const TRACKING_SEPARATORS = /[\r\n,、，;；]+/;
const EXCEL_EXPONENT = /^\d+(?:\.\d+)?E\+\d+$/i;

export function parseRow(
  row: RawRow,
  columns: readonly ImportColumn[],
): ParsedRow {
  const issues: RowIssue[] = [];
  /** Fields that already have an issue: a "missing value" issue is not added on top. */
  const failed = new Set<ImportField>();
  const fail = (field: ImportField, found: RowIssue) => {
    failed.add(field);
    issues.push(found);
  };
  const hasIssueFor = (fields: readonly ImportField[]) =>
    fields.some((f) => failed.has(f));
  const cell = (field: ImportField): string | null => {
    const column = columns.find((c) => c.field === field);
    return column ? (row.cells[column.index] ?? "") : null;
  };

  // Values in columns past the header are data the operator meant to give: shifted columns.
  const extra = row.cells
    .slice(columns.length)
    .filter((c) => c.trim() !== "").length;
  if (extra > 0)
    issues.push(
      issue("extra_cells", "imports.rows.extraCells", { count: extra }),
    );

  /** A single-value cell: trimmed, checked for control characters, formulas and length. */
  const read = (
    field: ImportField,
    options: { nfkc?: boolean; max?: number } = {},
  ): string | null => {
    const raw = cell(field);
    if (raw === null) return null;
    const value = options.nfkc ? raw.normalize("NFKC").trim() : raw.trim();
    if (value === "") return null;
    const refused = checkText(field, value);
    if (refused) {
      fail(field, refused);
      return null;
    }
    const max = options.max ?? IMPORT_LIMITS.maxCellLength;
    if (value.length > max) {
      fail(
        field,
        issue("too_long", "imports.rows.tooLong", {
          column: fieldLabel(field),
          length: value.length,
          limit: max,
        }),
      );
      return null;
    }
    return value;
  };

  // Order
  let orderName = read("orderName", { nfkc: true, max: 64 });
  let orderId: string | null = null;
  const orderIdRaw = read("orderId", { nfkc: true, max: 64 });
  if (orderName && /^gid:\/\/shopify\/Order\/\d+$/.test(orderName)) {
    // An order ID in the order-name column: read it as what it is.
    orderId = orderName;
    orderName = null;
  }
  if (orderIdRaw !== null) {
    const gid = toGid(orderIdRaw, "Order");
    if (gid) orderId = gid;
    else
      fail(
        "orderId",
        issue("order_id_invalid", "imports.rows.orderIdInvalid", {
          value: orderIdRaw,
        }),
      );
  }
  if (!orderName && !orderId && !hasIssueFor(["orderName", "orderId"])) {
    issues.push(issue("order_missing", "imports.rows.orderMissing"));
  }

  // Line
  const sku = read("sku", { max: 255 });
  let lineItemId: string | null = null;
  const lineRaw = read("lineItemId", { nfkc: true, max: 64 });
  if (lineRaw !== null) {
    const gid = toGid(lineRaw, "LineItem");
    if (gid) lineItemId = gid;
    else
      fail(
        "lineItemId",
        issue("line_item_id_invalid", "imports.rows.lineItemIdInvalid", {
          value: lineRaw,
        }),
      );
  }
  if (!sku && !lineItemId && !hasIssueFor(["sku", "lineItemId"])) {
    issues.push(issue("line_missing", "imports.rows.lineMissing"));
  }

  // Quantity
  let quantity: number | null = null;
  const quantityRaw = read("quantity", { nfkc: true, max: 32 });
  if (quantityRaw !== null) {
    const plain = quantityRaw.replace(/,/g, "");
    if (/^\d{1,6}$/.test(plain) && Number(plain) > 0) quantity = Number(plain);
    else
      issues.push(
        issue("quantity_invalid", "imports.rows.quantityInvalid", {
          value: quantityRaw,
        }),
      );
  }

  // Tracking numbers: every tracking column, several per cell.
  const trackingNumbers: string[] = [];
  for (const column of columns) {
    if (column.field !== "trackingNumbers") continue;
    for (const part of (row.cells[column.index] ?? "").split(
      TRACKING_SEPARATORS,
    )) {
      const value = part.trim();
      if (value === "") continue;
      const refused = checkText("trackingNumbers", value);
      if (refused) {
        fail("trackingNumbers", refused);
        continue;
      }
      if (EXCEL_EXPONENT.test(value)) {
        fail(
          "trackingNumbers",
          issue("excel_number", "imports.rows.excelNumber", {
            column: fieldLabel("trackingNumbers"),
            value,
          }),
        );
        continue;
      }
      if (value.length > 255) {
        fail(
          "trackingNumbers",
          issue("too_long", "imports.rows.tooLong", {
            column: fieldLabel("trackingNumbers"),
            length: value.length,
            limit: 255,
          }),
        );
        continue;
      }
      trackingNumbers.push(value);
    }
  }
  if (trackingNumbers.length === 0 && !hasIssueFor(["trackingNumbers"])) {
    issues.push(issue("tracking_missing", "imports.rows.trackingMissing"));
  } else if (trackingNumbers.length > IMPORT_LIMITS.maxTrackingNumbersPerRow) {
    issues.push(
      issue("too_many_tracking", "imports.rows.tooManyTracking", {
        limit: IMPORT_LIMITS.maxTrackingNumbersPerRow,
        count: trackingNumbers.length,
      }),
    );
  }

  // Carrier, URL, notification
  const carrier = read("carrier", { max: 200 });
  if (!carrier && !hasIssueFor(["carrier"]))
    issues.push(issue("carrier_missing", "imports.rows.carrierMissing"));

  const rawTrackingUrl = read("trackingUrl");
  const trackingUrl = rawTrackingUrl ? normalizeHttpUrl(rawTrackingUrl) : null;
  if (rawTrackingUrl && !trackingUrl) {
    issues.push(
      issue("url_invalid", "imports.rows.urlInvalid", {
        value: rawTrackingUrl,
      }),
    );
  }

  let notifyCustomer = false;
  const notifyRaw = read("notifyCustomer", { nfkc: true, max: 32 });
  if (notifyRaw !== null) {
    const parsed = parseYesNo(notifyRaw);
    if (parsed === null)
      issues.push(
        issue("notify_invalid", "imports.rows.notifyInvalid", {
          value: notifyRaw,
        }),
      );
    else notifyCustomer = parsed;
  }

  if (issues.length > 0) return { rowNumber: row.rowNumber, ok: false, issues };
  return {
    rowNumber: row.rowNumber,
    ok: true,
    fields: {
      orderName,
      orderId,
      sku,
      lineItemId,
      quantity,
      trackingNumbers,
      carrier: carrier!,
      trackingUrl,
      notifyCustomer,
    },
  };
}

/** The issue that refuses a value (a control character, a formula), or null. */
function checkText(field: ImportField, value: string): RowIssue | null {
  const control = CONTROL.exec(value);
  if (control) {
    const codepoint = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    return issue("control_character", "imports.rows.controlCharacter", {
      column: fieldLabel(field),
      codepoint,
    });
  }
  if (looksLikeFormula(value)) {
    return issue("formula", "imports.rows.formula", {
      column: fieldLabel(field),
      value: value.length > 40 ? `${value.slice(0, 40)}…` : value,
    });
  }
  return null;
}

/** = or @ first, or + / - first and not a plain number ("-1" is a bad quantity, not a formula). */
export function looksLikeFormula(value: string): boolean {
  if (/^[=@＝＠]/.test(value)) return true;
  return (
    /^[+\-＋－]/.test(value) &&
    !/^[+\-＋－]?[\d０-９]+(?:[.,][\d０-９]+)?$/.test(value)
  );
}

function toGid(value: string, type: "Order" | "LineItem"): string | null {
  if (/^\d{1,20}$/.test(value))
    return `gid://shopify/${type}/${BigInt(value).toString()}`;
  const match = new RegExp(`^gid://shopify/${type}/(\\d{1,20})$`).exec(value);
  return match ? `gid://shopify/${type}/${BigInt(match[1]).toString()}` : null;
}

const YES = new Set([
  "true",
  "yes",
  "y",
  "1",
  "on",
  "はい",
  "する",
  "通知する",
  "○",
  "〇",
  "◯",
  "有",
  "あり",
]);
const NO = new Set([
  "false",
  "no",
  "n",
  "0",
  "off",
  "いいえ",
  "しない",
  "通知しない",
  "×",
  "✕",
  "無",
  "なし",
  "-",
]);

/** TRUE / FALSE (Excel), yes / no, 1 / 0, はい / いいえ, する / しない, ○ / ×. */
export function parseYesNo(value: string): boolean | null {
  const key = value.normalize("NFKC").trim().toLowerCase();
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  return null;
}

export function issue<K extends MessageKey>(
  code: RowIssueCode,
  key: K,
  ...params: ParamsArg<K>
): RowIssue {
  return { code, message: message(key, ...params) };
}

/** Values inside a message, as a list (なし / none when there are none). */
export function listOrNone(values: readonly MessageParam[]): MessageParam {
  return values.length === 0 ? message("imports.rows.none") : list(values);
}
