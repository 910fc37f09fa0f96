import { createHash } from "node:crypto";
import type { Pool } from "pg";
import type { CarrierContext } from "~/fulfillment/carriers";
import { keptCells } from "./columns";
import { tooLarge, type FileProblemCode } from "./decode";
import { IMPORT_LIMITS } from "./limits";
import { list, message, type Message } from "~/i18n/messages";
import { readImportFile, type ReadLimits } from "./read";
import { parseRow } from "./row-fields";
import { loadShopSnapshot } from "./shop-data.server";
import { storePreview } from "./store.server";
import { validateRows } from "./validate";

/**
 * The dry run: an uploaded file → a stored preview (imports + import_rows) the operator
 * can look at and commit by its id. Nothing is written to shipments here. A file that
 * cannot be read at all (empty, too large, not text, not a CSV with the needed columns,
 * no data rows, too many rows) is answered with one clear problem and nothing is stored.
 */
export type PreviewOutcome =
  | {
      ok: true;
      importId: number;
      rowCount: number;
      validCount: number;
      timings: { readMs: number; validateMs: number; storeMs: number };
    }
  | { ok: false; code: FileProblemCode; message: Message };

export async function previewImport(
  pool: Pool,
  shop: string,
  input: {
    fileName: string;
    bytes: Uint8Array;
    carrierContext?: CarrierContext;
  },
  limits: ReadLimits = IMPORT_LIMITS,
): Promise<PreviewOutcome> {
  // Before anything else: a file over the limit is never parsed.
  if (input.bytes.length > limits.maxFileBytes)
    return tooLarge(input.bytes.length, limits.maxFileBytes);

  const t0 = performance.now();
  const read = await readImportFile(input.bytes, limits);
  if (!read.ok) return read;
  const { file } = read;
  const parsed = file.rows.map((row) => parseRow(row, file.columns));
  const t1 = performance.now();

  const orderNames: string[] = [];
  const orderIds: string[] = [];
  for (const row of parsed) {
    if (!row.ok) continue;
    if (row.fields.orderName) orderNames.push(row.fields.orderName);
    if (row.fields.orderId) orderIds.push(row.fields.orderId);
  }
  const snapshot = await loadShopSnapshot(pool, shop, { orderNames, orderIds });
  const validated = validateRows(parsed, snapshot, input.carrierContext ?? {});
  const t2 = performance.now();

  const notices: Message[] = [
    message("imports.notices.encoding", {
      encoding: message(`imports.encodings.${file.encoding}`),
    }),
  ];
  const ignored = file.columns
    .filter((c) => c.field === null && c.header !== "")
    .map((c) => c.header);
  if (ignored.length > 0) {
    notices.push(
      message("imports.notices.ignoredColumns", { columns: list(ignored) }),
    );
  }
  if (file.blankRows > 0)
    notices.push(
      message("imports.notices.blankRows", { count: file.blankRows }),
    );

  const importId = await storePreview(pool, shop, {
    fileName: cleanFileName(input.fileName),
    fileBytes: input.bytes.length,
    fileSha256: createHash("sha256").update(input.bytes).digest("hex"),
    encoding: file.encoding,
    columns: file.columns,
    notices,
    // Least data: only the cells of the columns the import reads are stored.
    rows: file.rows.map((row, i) => ({
      rowNumber: row.rowNumber,
      cells: keptCells(row.cells, file.columns),
      validated: validated[i],
    })),
  });
  const t3 = performance.now();
  return {
    ok: true,
    importId,
    rowCount: file.rows.length,
    validCount: validated.filter((v) => v.errors.length === 0).length,
    timings: { readMs: t1 - t0, validateMs: t2 - t1, storeMs: t3 - t2 },
  };
}

/** The file's base name, without control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const base = (name.split(/[/\\]/).pop() ?? "")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .trim();
  return (base || "upload.csv").slice(0, 255);
}
