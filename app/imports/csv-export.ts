import { stringify } from "csv-stringify/sync";
import { TEMPLATE_FIELDS, type ImportColumn } from "./columns";
import { importMessages, type Locale, type Localized } from "./messages";

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
      { record_delimiter: "\r\n" },
    )
  );
}

/**
 * The rows that did not make it, as they were in the uploaded file (so the operator can
 * fix them and upload this file again), with the reason and the original row number in
 * two more columns, which the import ignores.
 */
export function failedRowsCsv(
  columns: readonly ImportColumn[],
  rows: readonly { rowNumber: number; cells: string[]; reasons: Localized[] }[],
  locale: Locale,
): string {
  const m = importMessages[locale];
  const width = Math.max(columns.length, ...rows.map((r) => r.cells.length));
  const header = Array.from(
    { length: width },
    (_, i) => columns[i]?.header ?? "",
  );
  header.push(m.page.errorColumn, m.page.columnRow);
  const records = rows.map((r) => {
    const cells = Array.from({ length: width }, (_, i) => r.cells[i] ?? "");
    cells.push(
      r.reasons.map((reason) => reason[locale]).join(" / "),
      String(r.rowNumber),
    );
    return cells;
  });
  return toCsv([header, ...records]);
}

/**
 * The template: the column names in the admin's language and no example row (an
 * example order number left in by mistake could be a real order).
 */
export function templateCsv(locale: Locale): string {
  return toCsv([TEMPLATE_FIELDS.map((f) => importMessages[locale].fields[f])]);
}
