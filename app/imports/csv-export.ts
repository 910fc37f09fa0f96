import { stringify } from "csv-stringify/sync";
import {
  keptCell,
  keptColumns,
  TEMPLATE_FIELDS,
  type ImportColumn,
  type KeptCells,
} from "./columns";
import type { Locale } from "~/i18n/locale";
import { storedText, t, type StoredMessage } from "~/i18n/messages";
import { fieldLabel } from "./messages";

/**
 * CSV the app hands out: the failed rows of an import, and the template.
 *
 * Both are UTF-8 with a BOM (Excel in Japan opens that correctly; without the BOM it
 * reads the file as Shift_JIS and garbles it) and CRLF line ends.
 *
 * Formula injection: a cell that starts with = + - @ (or their full-width forms) or a tab / carriage return would be
 * evaluated by Excel or LibreOffice when the file is opened (=HYPERLINK(...) exfiltration,
 * DDE). Every cell written here gets a leading apostrophe in that case, so the
 * spreadsheet shows it as text (OWASP's "CSV injection" advice). The rows come from
 * uploaded files, so this is not hypothetical.
 */
export function neutralizeCell(value: string): string {
  // Full-width ＝ ＋ － ＠ too: the importer reads them as formulas (NFKC), and so do
  // spreadsheets with Japanese input.
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
}

const BOM = "\uFEFF";

function toCsv(records: string[][]): string {
  return (
    BOM +
    stringify(
      records.map((r) => r.map(neutralizeCell)),
      // A lone \n or \r inside a value (several tracking numbers in one cell) is quoted
      // too: csv-stringify quotes only the record delimiter (\r\n), and an unquoted \n
      // ends the row for the importer and for spreadsheets.
      { record_delimiter: "\r\n", quoted_match: /[\r\n]/ },
    )
  );
}

/**
 * The rows that did not make it, with what the import kept of them: the columns it reads,
 * under their headers as uploaded and in the file's order, so the operator can fix the
 * values and upload this file again as it is. Columns the import ignores were never
 * stored (least data), so they are not here. Two more columns follow, which the import
 * ignores on the way back in: the reason and the original row number.
 */
export function failedRowsCsv(
  columns: readonly ImportColumn[],
  rows: readonly {
    rowNumber: number;
    cells: KeptCells;
    reasons: readonly StoredMessage[];
  }[],
  locale: Locale,
): string {
  const kept = keptColumns(columns);
  const header = [
    ...kept.map((c) => c.header),
    t(locale, "imports.page.errorColumn"),
    t(locale, "imports.page.columnRow"),
  ];
  const records = rows.map((r) => [
    ...kept.map((c) => keptCell(r.cells, c)),
    r.reasons.map((reason) => storedText(locale, reason)).join(" / "),
    String(r.rowNumber),
  ]);
  return toCsv([header, ...records]);
}

/**
 * The template: the column names in the admin's language and no example row (an
 * example order number left in by mistake could be a real order).
 */
export function templateCsv(locale: Locale): string {
  return toCsv([TEMPLATE_FIELDS.map((f) => t(locale, fieldLabel(f)))]);
}
