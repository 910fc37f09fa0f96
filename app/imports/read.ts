import { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { mapColumns, TEMPLATE_FIELDS, type ImportColumn } from "./columns";
import { decodeCsvBytes, type FileProblemCode } from "./decode";
import { IMPORT_LIMITS } from "./limits";
import { message, type Message } from "~/i18n/messages";
import type { SourceEncoding } from "./messages";

/**
 * An uploaded file → its header mapping and raw rows, or one file-level problem.
 *
 * - Records end at \r\n, \n or \r, mixed freely (Excel on Windows, macOS Numbers,
 *   hand-edited files); quoted values may hold any of them.
 * - Comma-separated; a header with tabs and no comma makes it tab-separated.
 * - Counted while streaming: the parser is fed the text in slices and stops at the first
 *   row past the limit, so a 100,000-row file is refused without building 100,000 rows.
 * - At most `maxColumns` cells in any row, header included: a wider row refuses the file
 *   (limits.ts says why), so a file of 65,000 empty columns a row stores nothing.
 * - Row numbers are spreadsheet rows (the header is row 1), so an error's row matches
 *   what the operator sees in Excel; blank rows keep their number and are skipped.
 * - Cells stay exactly as written (text; a formula is never evaluated): row-fields.ts
 *   reads them.
 */
export interface RawRow {
  /** The spreadsheet row: the header is row 1. */
  rowNumber: number;
  cells: string[];
}

export interface ReadFile {
  encoding: SourceEncoding;
  columns: ImportColumn[];
  rows: RawRow[];
  blankRows: number;
}

export type ReadResult =
  | { ok: true; file: ReadFile }
  | { ok: false; code: FileProblemCode; message: Message };

export interface ReadLimits {
  maxFileBytes: number;
  maxRows: number;
  maxRecordChars: number;
  /** Cells in any one row, header included (see limits.ts for why 200). */
  maxColumns: number;
}

const SLICE_CHARS = 64 * 1024;

export async function readImportFile(
  bytes: Uint8Array,
  limits: ReadLimits = IMPORT_LIMITS,
): Promise<ReadResult> {
  const decoded = decodeCsvBytes(bytes, limits);
  if (!decoded.ok) return decoded;
  const { text, encoding } = decoded;

  const parser = parse({
    delimiter: detectDelimiter(text),
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: limits.maxRecordChars,
    info: true,
  });
  const source = Readable.from(slices(text), { objectMode: false });
  source.pipe(parser);

  let header: ImportColumn[] | null = null;
  const rows: RawRow[] = [];
  let blankRows = 0;
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { records: number };
    }>) {
      const cells = item.record;
      const rowNumber = item.info.records;
      // Before anything else looks at the row: a row this wide is refused, blank or not.
      if (cells.length > limits.maxColumns)
        return tooManyColumns(rowNumber, cells.length, limits.maxColumns);
      const blank = cells.every((c) => c.trim() === "");
      if (header === null) {
        if (blank) continue;
        const mapped = mapColumns(cells);
        if (!mapped.ok) return mapped;
        header = mapped.columns;
        continue;
      }
      if (blank) {
        blankRows++;
        continue;
      }
      if (rows.length >= limits.maxRows) {
        return {
          ok: false,
          code: "too_many_rows",
          message: message("imports.file.tooManyRows", {
            limit: limits.maxRows.toLocaleString("en-US"),
          }),
        };
      }
      rows.push({ rowNumber, cells });
    }
  } catch (error) {
    if (error instanceof CsvError) return malformed(error);
    throw error;
  } finally {
    source.unpipe(parser);
    source.destroy();
    parser.destroy();
  }
  if (header === null)
    return {
      ok: false,
      code: "empty",
      message: message("imports.file.empty"),
    };
  if (rows.length === 0) {
    return {
      ok: false,
      code: "header_only",
      message: message("imports.file.headerOnly"),
    };
  }
  return { ok: true, file: { encoding, columns: header, rows, blankRows } };
}

function tooManyColumns(
  line: number,
  count: number,
  limit: number,
): ReadResult & { ok: false } {
  return {
    ok: false,
    code: "too_many_columns",
    message: message("imports.file.tooManyColumns", {
      line,
      count: count.toLocaleString("en-US"),
      limit,
      template: TEMPLATE_FIELDS.length,
    }),
  };
}

function* slices(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += SLICE_CHARS)
    yield text.slice(i, i + SLICE_CHARS);
}

function detectDelimiter(text: string): string {
  const end = text.search(/[\r\n]/);
  const first = end < 0 ? text : text.slice(0, end);
  return first.includes("\t") && !first.includes(",") ? "\t" : ",";
}

function malformed(error: CsvError): ReadResult & { ok: false } {
  const line = (error as CsvError & { lines?: number }).lines ?? 1;
  const detail =
    error.code === "CSV_QUOTE_NOT_CLOSED"
      ? "quoteNotClosed"
      : error.code === "CSV_MAX_RECORD_SIZE"
        ? "recordTooLarge"
        : "invalidQuote";
  return {
    ok: false,
    code: "malformed",
    message: message("imports.file.malformed", {
      line,
      detail: message(`imports.file.${detail}`),
    }),
  };
}
