import type { ShipmentStatus, SyncOperation, SyncState } from "~/fulfillment/shipment-state";
import type { Pool } from "pg";
import type { Queryable } from "~/db/queryable";
import { withTransaction } from "~/db/transaction.server";
import { SYNC_ERROR_CLASSES, type SyncErrorClass } from "~/fulfillment/errors";
import { errorClassLabel } from "~/fulfillment/messages";
import {
  message,
  readStoredDetail,
  readStoredMessage,
  type Message,
  type StoredMessage,
} from "~/i18n/messages";
import type { ImportColumn, KeptCells } from "./columns";
import { IMPORT_LIMITS } from "./limits";
import type { ImportStatus, SourceEncoding } from "./messages";
import type { ValidatedRow } from "./validate";

/**
 * SQL for the imports and import_rows tables. Every function takes the shop and scopes
 * every statement by it: an id from another shop reads as "not found".
 *
 * What the import told the operator is stored as messages (~/i18n/messages): a code
 * with its parameters — imports.notices `[{key, params}]`, imports.refusal
 * `{key, params, rows: [{row, key, params}]}`, import_rows.errors `[{code, key, params}]`,
 * import_rows.warnings `[{key, params}]` — and rendered in the reader's language. Rows
 * written by earlier versions hold the words instead (`{ja, en}` where a message is);
 * the readers here accept both shapes (readStoredMessage), so those rows still show.
 */
export type { ImportStatus };

export interface PreviewToStore {
  fileName: string;
  fileBytes: number;
  fileSha256: string;
  encoding: SourceEncoding;
  columns: ImportColumn[];
  notices: Message[];
  /** cells: only the mapped columns' (keptCells), never the whole row. */
  rows: { rowNumber: number; cells: KeptCells; validated: ValidatedRow }[];
}

const INSERT_CHUNK = 2_000;

/** Stores a validated preview (one transaction) and returns its id. */
export async function storePreview(
  pool: Pool,
  shop: string,
  preview: PreviewToStore,
): Promise<number> {
  const valid = preview.rows.filter(
    (r) => r.validated.errors.length === 0,
  ).length;
  const warned = preview.rows.filter(
    (r) => r.validated.warnings.length > 0,
  ).length;
  const importId = await insertPreview(pool, shop, preview, valid, warned);
  // A bulk load: refresh the planner's statistics now rather than when autovacuum gets
  // to it (a minute later). Without them, a young import_rows table is planned as
  // nearly empty and the commit's set-based updates degrade to nested loops over every
  // row of the import (seconds per batch instead of milliseconds).
  if (preview.rows.length >= ANALYZE_AFTER_ROWS)
    await pool.query("analyze import_rows");
  return importId;
}

const ANALYZE_AFTER_ROWS = 1_000;

async function insertPreview(
  pool: Pool,
  shop: string,
  preview: PreviewToStore,
  valid: number,
  warned: number,
): Promise<number> {
  return withTransaction(pool, async (tx) => {
    // Old previews nobody committed only take space.
    await tx.query(
      `delete from imports where shop = $1 and status = 'previewed'
          and created_at < now() - make_interval(days => $2)`,
      [shop, IMPORT_LIMITS.keepPreviewsDays],
    );
    const inserted = await tx.query<{ id: string }>(
      `insert into imports (shop, file_name, file_bytes, file_sha256, encoding, columns, notices,
                            row_count, valid_count, warning_count)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       returning id`,
      [
        shop,
        preview.fileName,
        preview.fileBytes,
        preview.fileSha256,
        preview.encoding,
        JSON.stringify(preview.columns),
        JSON.stringify(preview.notices),
        preview.rows.length,
        valid,
        warned,
      ],
    );
    const importId = Number(inserted.rows[0].id);
    for (let start = 0; start < preview.rows.length; start += INSERT_CHUNK) {
      const chunk = preview.rows
        .slice(start, start + INSERT_CHUNK)
        .map(({ rowNumber, cells, validated: v }) => {
          const r = v.errors.length === 0 ? v.resolved : null;
          return {
            row_number: rowNumber,
            mapped_cells: cells,
            order_id: r?.orderId ?? null,
            order_name: r?.orderName ?? null,
            line_item_id: r?.lineItemId ?? null,
            sku: r?.sku ?? null,
            title: r?.title ?? null,
            vendor: r?.vendor ?? null,
            quantity: r?.quantity ?? null,
            tracking_numbers: r?.trackingNumbers ?? [],
            carrier: r?.carrier ?? null,
            tracking_url: r?.trackingUrl ?? null,
            notify_customer: r?.notifyCustomer ?? false,
            group_key: r ? v.groupKey : null,
            planned_shipment_id:
              r && v.plan?.kind === "mark_shipped" ? v.plan.shipmentId : null,
            errors: v.errors.map((e) => ({ code: e.code, ...e.message })),
            warnings: v.warnings,
          };
        });
      await tx.query(
        `insert into import_rows (shop, import_id, row_number, mapped_cells, order_id, order_name, line_item_id,
                                  sku, title, vendor, quantity, tracking_numbers, carrier, tracking_url,
                                  notify_customer, group_key, planned_shipment_id, errors, warnings)
         select $1, $2, r.row_number, r.mapped_cells, r.order_id, r.order_name, r.line_item_id,
                r.sku, r.title, r.vendor, r.quantity,
                array(select jsonb_array_elements_text(r.tracking_numbers)),
                r.carrier, r.tracking_url, r.notify_customer, r.group_key, r.planned_shipment_id,
                r.errors, r.warnings
           from jsonb_to_recordset($3::jsonb) as r(
                  row_number int, mapped_cells jsonb, order_id text, order_name text, line_item_id text,
                  sku text, title text, vendor text, quantity int, tracking_numbers jsonb,
                  carrier text, tracking_url text, notify_customer boolean, group_key text,
                  planned_shipment_id bigint, errors jsonb, warnings jsonb)`,
        [shop, importId, JSON.stringify(chunk)],
      );
    }
    return importId;
  });
}

export interface ImportSummary {
  id: number;
  fileName: string;
  fileBytes: number;
  encoding: SourceEncoding;
  columns: ImportColumn[];
  notices: StoredMessage[];
  status: ImportStatus;
  rowCount: number;
  validCount: number;
  errorCount: number;
  warningCount: number;
  committedCount: number;
  shipmentsCreated: number;
  shipmentsMarked: number;
  /** Why a commit stopped, and the rows that no longer fit (the first 50). */
  refusal: {
    message: StoredMessage;
    rows: { row: number; message: StoredMessage }[];
  } | null;
  createdAt: string;
  committedAt: string | null;
}

interface ImportRecord {
  id: string;
  file_name: string;
  file_bytes: number;
  encoding: SourceEncoding;
  columns: ImportColumn[];
  notices: unknown[];
  status: ImportStatus;
  row_count: number;
  valid_count: number;
  warning_count: number;
  committed_count: number;
  shipments_created: number;
  shipments_marked: number;
  refusal: { rows?: ({ row: number } & object)[] } | null;
  created_at: Date;
  committed_at: Date | null;
}

function toSummary(r: ImportRecord): ImportSummary {
  return {
    id: Number(r.id),
    fileName: r.file_name,
    fileBytes: r.file_bytes,
    encoding: r.encoding,
    columns: r.columns,
    notices: r.notices.map(readStoredMessage),
    status: r.status,
    rowCount: r.row_count,
    validCount: r.valid_count,
    errorCount: r.row_count - r.valid_count,
    warningCount: r.warning_count,
    committedCount: r.committed_count,
    shipmentsCreated: r.shipments_created,
    shipmentsMarked: r.shipments_marked,
    refusal: r.refusal
      ? {
          message: readStoredMessage(r.refusal),
          rows: (r.refusal.rows ?? []).map((row) => ({
            row: row.row,
            message: readStoredMessage(row),
          })),
        }
      : null,
    createdAt: r.created_at.toISOString(),
    committedAt: r.committed_at?.toISOString() ?? null,
  };
}

const SUMMARY_COLUMNS = `id, file_name, file_bytes, encoding, columns, notices, status, row_count, valid_count,
  warning_count, committed_count, shipments_created, shipments_marked, refusal, created_at, committed_at`;

export async function getImport(
  db: Queryable,
  shop: string,
  importId: number,
): Promise<ImportSummary | null> {
  const result = await db.query<ImportRecord>(
    `select ${SUMMARY_COLUMNS} from imports where shop = $1 and id = $2`,
    [shop, importId],
  );
  return result.rows[0] ? toSummary(result.rows[0]) : null;
}

export async function listImports(
  db: Queryable,
  shop: string,
  limit = 20,
): Promise<ImportSummary[]> {
  const result = await db.query<ImportRecord>(
    `select ${SUMMARY_COLUMNS} from imports where shop = $1 order by created_at desc, id desc limit $2`,
    [shop, limit],
  );
  return result.rows.map(toSummary);
}

/** Where the committed rows' shipments are with Shopify, counted per shipment. */
export interface ImportProgress {
  shipments: number;
  synced: number;
  pending: number;
  failed: number;
}

export async function importProgress(
  db: Queryable,
  shop: string,
  importId: number,
): Promise<ImportProgress> {
  const result = await db.query<{
    shipments: number;
    synced: number;
    pending: number;
    failed: number;
  }>(
    `select count(*)::int as shipments,
            count(*) filter (where s.sync_state = 'in_sync')::int as synced,
            count(*) filter (where s.sync_state = 'pending')::int as pending,
            count(*) filter (where s.sync_state = 'failed')::int as failed
       from shipments s
      where s.shop = $1
        and s.id in (select r.shipment_id from import_rows r
                      where r.import_id = $2 and r.shop = $1 and r.shipment_id is not null)`,
    [shop, importId],
  );
  return result.rows[0];
}

export type RowFilter =
  "all" | "errors" | "warnings" | "sync_failed" | "sync_pending";
export const ROW_FILTERS: readonly RowFilter[] = [
  "all",
  "errors",
  "warnings",
  "sync_failed",
  "sync_pending",
];

export interface ImportRowView {
  rowNumber: number;
  /** The mapped columns' cells as uploaded, by column index ({} once redacted). */
  cells: KeptCells;
  orderName: string | null;
  sku: string | null;
  title: string | null;
  quantity: number | null;
  trackingNumbers: string[];
  carrier: string | null;
  plannedShipmentId: number | null;
  groupKey: string | null;
  errors: { code: string; message: StoredMessage }[];
  warnings: StoredMessage[];
  committed: boolean;
  shipment: {
    id: number;
    status: ShipmentStatus;
    syncState: SyncState;
    pendingOperation: SyncOperation | null;
    lastErrorClass: string | null;
    lastErrorMessage: string | null;
    /** The app's own words for the failure, shown instead of lastErrorMessage. */
    lastErrorDetail: Message | null;
  } | null;
}

/**
 * One page of rows in file order, with their shipment's sync outcome. OFFSET is fine
 * here: one import holds at most 50,000 rows, read through (import_id, row_number).
 */
export async function listImportRows(
  db: Queryable,
  shop: string,
  importId: number,
  options: { filter?: RowFilter; page?: number; limit?: number } = {},
): Promise<{ rows: ImportRowView[]; hasNext: boolean }> {
  const limit = options.limit ?? 50;
  const offset = ((options.page ?? 1) - 1) * limit;
  const filter = {
    all: "",
    errors: "and r.errors <> '[]'::jsonb",
    warnings: "and r.warnings <> '[]'::jsonb",
    sync_failed: "and s.sync_state = 'failed'",
    sync_pending: "and s.sync_state = 'pending'",
  }[options.filter ?? "all"];
  const result = await db.query<{
    row_number: number;
    cells: KeptCells;
    order_name: string | null;
    sku: string | null;
    title: string | null;
    quantity: number | null;
    tracking_numbers: string[];
    carrier: string | null;
    planned_shipment_id: string | null;
    group_key: string | null;
    errors: { code: string }[];
    warnings: unknown[];
    committed_at: Date | null;
    shipment_id: string | null;
    status: ShipmentStatus | null;
    sync_state: SyncState | null;
    pending_operation: SyncOperation | null;
    last_error_class: string | null;
    last_error_message: string | null;
    last_error_detail: unknown;
  }>(
    `select r.row_number, r.mapped_cells as cells, r.order_name, r.sku, r.title, r.quantity, r.tracking_numbers, r.carrier,
            r.planned_shipment_id, r.group_key, r.errors, r.warnings, r.committed_at,
            s.id as shipment_id, s.status, s.sync_state, s.pending_operation, s.last_error_class,
            s.last_error_message, s.last_error_detail
       from import_rows r
       left join shipments s on s.id = r.shipment_id and s.shop = r.shop
      where r.shop = $1 and r.import_id = $2 ${filter}
      order by r.row_number
      limit $3 offset $4`,
    [shop, importId, limit + 1, offset],
  );
  const rows = result.rows.slice(0, limit).map((r): ImportRowView => ({
    rowNumber: r.row_number,
    cells: r.cells,
    orderName: r.order_name,
    sku: r.sku,
    title: r.title,
    quantity: r.quantity,
    trackingNumbers: r.tracking_numbers,
    carrier: r.carrier,
    plannedShipmentId:
      r.planned_shipment_id === null ? null : Number(r.planned_shipment_id),
    groupKey: r.group_key,
    errors: r.errors.map((e) => ({
      code: e.code,
      message: readStoredMessage(e),
    })),
    warnings: r.warnings.map(readStoredMessage),
    committed: r.committed_at !== null,
    shipment:
      r.shipment_id === null
        ? null
        : {
            id: Number(r.shipment_id),
            status: r.status!,
            syncState: r.sync_state!,
            pendingOperation: r.pending_operation,
            lastErrorClass: r.last_error_class,
            lastErrorMessage: r.last_error_message,
            lastErrorDetail: readStoredDetail(r.last_error_detail),
          },
  }));
  return { rows, hasNext: result.rows.length > limit };
}

/** The import's shipments whose sync failed: what "retry the failed" queues again. */
export async function failedShipmentIds(
  db: Queryable,
  shop: string,
  importId: number,
): Promise<number[]> {
  const result = await db.query<{ id: string }>(
    `select distinct s.id
       from import_rows r
       join shipments s on s.id = r.shipment_id and s.shop = r.shop
      where r.shop = $1 and r.import_id = $2 and s.sync_state = 'failed'
      order by s.id`,
    [shop, importId],
  );
  return result.rows.map((r) => Number(r.id));
}

/** Rows that did not make it: validation errors, or a shipment whose sync failed. */
export async function failedRows(
  db: Queryable,
  shop: string,
  importId: number,
): Promise<{ rowNumber: number; cells: KeptCells; reasons: StoredMessage[] }[]> {
  const result = await db.query<{
    row_number: number;
    cells: KeptCells;
    errors: unknown[];
    committed_at: Date | null;
    sync_state: string | null;
    last_error_class: string | null;
    last_error_message: string | null;
    last_error_detail: unknown;
  }>(
    `select r.row_number, r.mapped_cells as cells, r.errors, r.committed_at, s.sync_state, s.last_error_class,
            s.last_error_message, s.last_error_detail
       from import_rows r
       left join shipments s on s.id = r.shipment_id and s.shop = r.shop
      where r.shop = $1 and r.import_id = $2
        and (r.errors <> '[]'::jsonb or s.sync_state = 'failed')
      order by r.row_number`,
    [shop, importId],
  );
  return result.rows.map((r) => ({
    rowNumber: r.row_number,
    cells: r.cells,
    reasons:
      r.errors.length > 0
        ? r.errors.map(readStoredMessage)
        : [
            syncFailure(
              r.last_error_class,
              readStoredDetail(r.last_error_detail) ?? r.last_error_message,
            ),
          ],
  }));
}

/** Why a row's shipment failed to sync: its error class, with the app's or Shopify's words. */
function syncFailure(
  errorClass: string | null,
  detail: Message | string | null,
): Message {
  const error =
    errorClass && (SYNC_ERROR_CLASSES as readonly string[]).includes(errorClass)
      ? errorClassLabel(errorClass as SyncErrorClass)
      : (errorClass ?? "-");
  return detail
    ? message("imports.page.syncFailedReasonDetail", { error, detail })
    : message("imports.page.syncFailedReason", { error });
}

/**
 * The import rows of the shop that name one of these orders: resolved to it (valid
 * rows), or, for a row with errors, whose order column reads as one of them — the
 * order's name as the importer reads it ("1001" is also "#1001", NFKC, trimmed), or its
 * ID (digits or gid). $1 the shop, $2 the order gids.
 */
const ROWS_NAMING_ORDERS = `
  with wanted as (select unnest($2::text[]) as order_id),
  names as (
    select order_name as name from line_items where shop = $1 and order_id in (select order_id from wanted)
    union select order_name from shipments where shop = $1 and order_id in (select order_id from wanted)
    union select order_name from orders where shop = $1 and order_id in (select order_id from wanted)
  )
  select r.id
    from import_rows r
    join imports i on i.id = r.import_id and i.shop = r.shop
   where r.shop = $1
     and (r.order_id in (select order_id from wanted)
          or (r.order_id is null and exists (
                select 1
                  from jsonb_array_elements(i.columns) c
                 cross join lateral (
                   select btrim(normalize(r.mapped_cells ->> (c ->> 'index'), nfkc)) as v) cell
                 where c ->> 'field' in ('orderName', 'orderId')
                   and cell.v <> ''
                   and (cell.v in (select name from names)
                        or '#' || cell.v in (select name from names)
                        or cell.v in (select order_id from wanted)
                        or (cell.v ~ '^[0-9]{1,20}$'
                            and 'gid://shopify/Order/' || cell.v::numeric::text
                                in (select order_id from wanted))))))`;

/** How many import rows still hold cells naming these orders (customers/data_request). */
export async function countImportRowsNamingOrders(
  db: Queryable,
  shop: string,
  orderIds: readonly string[],
): Promise<number> {
  if (orderIds.length === 0) return 0;
  const result = await db.query<{ n: number }>(
    `select count(*)::int as n from import_rows
      where shop = $1 and redacted_at is null and id in (${ROWS_NAMING_ORDERS})`,
    [shop, [...orderIds]],
  );
  return result.rows[0]?.n ?? 0;
}

/**
 * customers/redact: the rows naming these orders lose what was uploaded — their cells,
 * and the messages and warnings that quote them (a row with errors keeps its first
 * error's code, with one message saying why the row is empty). What a valid row resolved to (the order, its line,
 * the tracking the commit wrote into a shipment) is the merchant's order record, kept
 * like the shipments until shop/redact. Returns the rows redacted now; a repeat, none.
 */
export async function redactImportRowsNamingOrders(
  db: Queryable,
  shop: string,
  orderIds: readonly string[],
): Promise<number> {
  if (orderIds.length === 0) return 0;
  const result = await db.query(
    `update import_rows r
        set mapped_cells = '{}'::jsonb,
            redacted_at = now(),
            warnings = '[]'::jsonb,
            errors = case when r.errors = '[]'::jsonb then r.errors
                          else jsonb_build_array(jsonb_build_object(
                                 'code', r.errors -> 0 ->> 'code', 'key', $3::text)) end
      where r.shop = $1 and r.redacted_at is null and r.id in (${ROWS_NAMING_ORDERS})`,
    [shop, [...orderIds], message("imports.rows.redacted").key],
  );
  return result.rowCount ?? 0;
}

