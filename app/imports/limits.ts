/**
 * The CSV import's limits, in one place (pages, route, parser and tests read them here).
 *
 * - 10 MB: a 50,000-row file of the template's columns is ~4 MB; twice that leaves room
 *   for long URLs and extra columns. The route refuses more before reading it into memory
 *   (the multipart handler stops at the limit), and the decoder checks again.
 * - 50,000 rows: validation holds every row in memory (~1 KB each with what the preview
 *   stores) and the commit writes them in batches; beyond that, a file is better split.
 *   The parser counts while streaming and stops at the first row past the limit.
 * - 200 columns per row (header or data): the template has 8 and Shopify's own order
 *   export, which the importer reads as it is, has about 80; 200 leaves room for a
 *   vendor's wider sheet. A row past that is not a shipment list but a malformed or
 *   hostile file: 10 MB of commas is 10 million empty cells, ~80 MB of arrays while
 *   reading and one stored header entry per column. The whole file is refused at the
 *   first such row (header or data), before anything is stored.
 * - 20 tracking numbers per row: the same limit as the mark-shipped form.
 * - A commit writes `commitBatchRows` rows per transaction (whole shipments only), so a
 *   failure leaves whole batches committed and the rest untouched.
 * - A preview can be committed for 24 hours; after that the shop's data has likely moved
 *   on and the file should be uploaded again.
 */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

export const IMPORT_LIMITS = {
  maxFileBytes: MAX_FILE_BYTES,
  /** The upload request as read (capped on the bytes): the file plus room for the multipart framing. */
  maxUploadBodyBytes: MAX_FILE_BYTES + 64 * 1024,
  maxRows: 50_000,
  maxColumns: 200,
  maxTrackingNumbersPerRow: 20,
  /** Longest value accepted in a cell that the import reads (a URL may be long). */
  maxCellLength: 2_000,
  /** csv-parse's guard against one runaway record (an unclosed quote swallowing the file). */
  maxRecordChars: 64 * 1024,
  commitBatchRows: 1_000,
  previewTtlHours: 24,
  /** Uncommitted previews older than this are deleted when the shop uploads again. */
  keepPreviewsDays: 7,
} as const;
