import { tryRunLock } from "~/db/run-lock.server";
import type { Pool, PoolClient } from "pg";
import type { Queryable } from "~/db/queryable";
import { storedShopCountryCode } from "~/shops/shop-country.server";
import {
  createShipments,
  markShippedMany,
  type NewShipment,
} from "~/fulfillment/shipment-store.server";
import type { TrackingDetails } from "~/fulfillment/shipment-state";
import { getImport } from "./store.server";
import { IMPORT_LIMITS } from "./limits";
import {
  message,
  type Message,
  type MessageKey,
  type ParamsArg,
} from "~/i18n/messages";
import type { ParsedRow } from "./row-fields";
import { loadShopSnapshot } from "./shop-data.server";
import {
  describePlan,
  validateRows,
  type RowPlan,
  type ValidatedRow,
} from "./validate";

/**
 * Commit a stored preview by its id: write exactly the rows the operator was shown as
 * valid, as the shipments the preview said, or nothing.
 *
 * - One commit per import at a time: a run lock on the import (app/db/run-lock.server.ts;
 *   a crashed process releases it with its connection, and a later commit resumes with
 *   the rows not yet written).
 * - First, a read-only re-validation of every row against the shop's current data. If
 *   any row no longer fits — the order line is gone, a shipment it would mark shipped
 *   was shipped meanwhile, another shipment took the units, the tracking number is now
 *   shipped elsewhere — the import is refused before anything is written, with the rows
 *   and reasons.
 * - Then batches of whole shipments (about `commitBatchRows` rows), one transaction
 *   each: lock the shipments to mark and the order lines (always in that order, in id
 *   order), re-validate the batch on the locked data, write, record on each row the
 *   shipment it wrote. A batch that no longer fits rolls back and the import is refused;
 *   the batches before it stay committed (each is whole shipments) and say so.
 * - Writes: an existing unshipped shipment is marked shipped and a new one is created
 *   shipped with its lines, by the transitions of ~/fulfillment/shipment-store; both leave sync_state = 'pending' with their operation, so the outbox
 *   trigger queues each one's sync job in the same transaction.
 */
export type CommitOutcome =
  | { ok: true; committed: number; created: number; marked: number }
  | {
      ok: false;
      reason:
        | "not_found"
        | "already_committed"
        | "busy"
        | "expired"
        | "refused"
        | "nothing_to_commit"
        | "changed";
      message: Message;
      /** Rows committed by this call before it stopped. */
      committed?: number;
    };

export interface CommitOptions {
  batchRows?: number;
  /** Tests: runs before each batch's transaction (to change the shop's data mid-commit). */
  beforeBatch?: (batchIndex: number) => Promise<void>;
  onProgress?: (progress: { committedRows: number; totalRows: number }) => void;
  now?: () => Date;
}

/** Namespace of the imports' run locks (app/db/run-lock.server.ts): "IMPT". */
const LOCK_NAMESPACE = 0x494d5054;
const lockKeyOf = (importId: number) => importId % 2_147_483_647;

/**
 * Whether a commit of this import is running right now (in any process): its advisory
 * lock is held. An import left 'committing' with no commit running was interrupted
 * (a crash, a deploy) and can be resumed by committing again.
 */
export async function isCommitRunning(
  db: Queryable,
  importId: number,
): Promise<boolean> {
  const result = await db.query<{ running: boolean }>(
    `select exists (
       select 1 from pg_locks
        where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())
          and classid = $1::text::oid and objid = $2::text::oid and objsubid = 2) as running`,
    [LOCK_NAMESPACE, lockKeyOf(importId)],
  );
  return result.rows[0].running;
}

interface CommitRow {
  rowNumber: number;
  orderId: string;
  lineItemId: string;
  quantity: number;
  trackingNumbers: string[];
  carrier: string;
  trackingUrl: string | null;
  notifyCustomer: boolean;
  groupKey: string;
  plannedShipmentId: number | null;
}

export async function commitImport(
  pool: Pool,
  shop: string,
  importId: number,
  options: CommitOptions = {},
): Promise<CommitOutcome> {
  const lock = await tryRunLock(pool, LOCK_NAMESPACE, lockKeyOf(importId));
  if (!lock) return refusal("busy", "imports.commit.busy");
  try {
    const client = await pool.connect();
    try {
      return await commitLocked(client, shop, importId, options);
    } finally {
      client.release();
    }
  } finally {
    await lock.release();
  }
}

async function commitLocked(
  client: PoolClient,
  shop: string,
  importId: number,
  options: CommitOptions,
): Promise<CommitOutcome> {
  const current = await getImport(client, shop, importId);
  if (!current) return refusal("not_found", "imports.commit.notFound");
  if (current.status === "committed")
    return refusal("already_committed", "imports.commit.alreadyCommitted");
  if (current.status === "refused")
    return refusal("refused", "imports.commit.refusedBefore");
  const now = options.now?.() ?? new Date();
  const ageHours =
    (now.getTime() - new Date(current.createdAt).getTime()) / 3_600_000;
  if (
    current.status === "previewed" &&
    ageHours > IMPORT_LIMITS.previewTtlHours
  ) {
    return refusal("expired", "imports.commit.expired", {
      hours: IMPORT_LIMITS.previewTtlHours,
    });
  }

  const rows = await loadCommitRows(client, shop, importId);
  if (rows.length === 0 && current.status === "previewed") {
    return refusal("nothing_to_commit", "imports.commit.nothingToCommit");
  }

  // Everything first, without locks: a preview gone stale is refused before any write.
  const stale = await revalidate(client, shop, rows, false);
  if (stale.changes.length > 0) {
    await refuse(client, shop, importId, stale.changes, current.committedCount);
    return changed(stale.changes, 0);
  }

  await client.query(
    `update imports set status = 'committing', commit_started_at = coalesce(commit_started_at, now())
      where shop = $1 and id = $2`,
    [shop, importId],
  );

  const batches = toBatches(
    rows,
    options.batchRows ?? IMPORT_LIMITS.commitBatchRows,
  );
  let committed = 0;
  let created = 0;
  let marked = 0;
  for (let i = 0; i < batches.length; i++) {
    await options.beforeBatch?.(i);
    await client.query("begin");
    try {
      const check = await revalidate(client, shop, batches[i], true);
      if (check.changes.length > 0) {
        await client.query("rollback");
        await refuse(
          client,
          shop,
          importId,
          check.changes,
          current.committedCount + committed,
        );
        return changed(check.changes, committed);
      }
      const written = await writeBatch(
        client,
        shop,
        importId,
        batches[i],
        check.validated,
      );
      await client.query("commit");
      committed += batches[i].length;
      created += written.created;
      marked += written.marked;
      options.onProgress?.({
        committedRows: committed,
        totalRows: rows.length,
      });
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    }
  }

  await client.query(
    `update imports set status = 'committed', committed_at = now() where shop = $1 and id = $2`,
    [shop, importId],
  );
  return { ok: true, committed, created, marked };
}

async function loadCommitRows(
  client: PoolClient,
  shop: string,
  importId: number,
): Promise<CommitRow[]> {
  const result = await client.query<{
    row_number: number;
    order_id: string;
    line_item_id: string;
    quantity: number;
    tracking_numbers: string[];
    carrier: string;
    tracking_url: string | null;
    notify_customer: boolean;
    group_key: string;
    planned_shipment_id: string | null;
  }>(
    `select row_number, order_id, line_item_id, quantity, tracking_numbers, carrier, tracking_url,
            notify_customer, group_key, planned_shipment_id
       from import_rows
      where shop = $1 and import_id = $2 and errors = '[]'::jsonb and committed_at is null
      order by row_number`,
    [shop, importId],
  );
  return result.rows.map((r) => ({
    rowNumber: r.row_number,
    orderId: r.order_id,
    lineItemId: r.line_item_id,
    quantity: r.quantity,
    trackingNumbers: r.tracking_numbers,
    carrier: r.carrier,
    trackingUrl: r.tracking_url,
    notifyCustomer: r.notify_customer,
    groupKey: r.group_key,
    plannedShipmentId:
      r.planned_shipment_id === null ? null : Number(r.planned_shipment_id),
  }));
}

/** Whole shipments (groups) per batch, in the order of each group's first row. */
function toBatches(
  rows: readonly CommitRow[],
  batchRows: number,
): CommitRow[][] {
  const groups = new Map<string, CommitRow[]>();
  for (const row of rows) {
    const members = groups.get(row.groupKey);
    if (members) members.push(row);
    else groups.set(row.groupKey, [row]);
  }
  const batches: CommitRow[][] = [];
  let batch: CommitRow[] = [];
  for (const members of groups.values()) {
    batch.push(...members);
    if (batch.length >= batchRows) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches.map((b) => b.sort((a, c) => a.rowNumber - c.rowNumber));
}

interface Change {
  row: number;
  message: Message;
}

/**
 * The rows, as stored, run through the preview's own validation on the shop's data as
 * it is now. Any difference from what was shown is a change.
 */
async function revalidate(
  client: PoolClient,
  shop: string,
  rows: readonly CommitRow[],
  lock: boolean,
): Promise<{ changes: Change[]; validated: ValidatedRow[] }> {
  if (lock) {
    const planned = [
      ...new Set(
        rows
          .map((r) => r.plannedShipmentId)
          .filter((id): id is number => id !== null),
      ),
    ];
    if (planned.length > 0) {
      await client.query(
        `select id from shipments where shop = $1 and id = any($2::bigint[]) order by id for update`,
        [shop, planned],
      );
    }
  }
  const snapshot = await loadShopSnapshot(
    client,
    shop,
    { orderNames: [], orderIds: rows.map((r) => r.orderId) },
    { lock },
  );
  const parsed: ParsedRow[] = rows.map((r) => ({
    rowNumber: r.rowNumber,
    ok: true,
    fields: {
      orderName: null,
      orderId: r.orderId,
      sku: null,
      lineItemId: r.lineItemId,
      quantity: r.quantity,
      trackingNumbers: r.trackingNumbers,
      carrier: r.carrier,
      trackingUrl: r.trackingUrl,
      notifyCustomer: r.notifyCustomer,
    },
  }));
  // The same carrier context as the preview's, but for its locale (the stored carrier
  // names are Shopify's exact ones by then).
  const validated = validateRows(parsed, snapshot, {
    countryCode: await storedShopCountryCode(client, shop),
  });
  const changes: Change[] = [];
  validated.forEach((v, i) => {
    const row = rows[i];
    if (v.errors.length > 0) {
      changes.push({
        row: row.rowNumber,
        message: message("imports.commit.rowNowInvalid", {
          row: row.rowNumber,
          reason: v.errors[0].message,
        }),
      });
      return;
    }
    const before: RowPlan =
      row.plannedShipmentId === null
        ? { kind: "create" }
        : { kind: "mark_shipped", shipmentId: row.plannedShipmentId };
    const after = v.plan!;
    const samePlan =
      before.kind === after.kind &&
      (before.kind === "create" ||
        before.shipmentId === (after as typeof before).shipmentId);
    if (!samePlan) {
      const b = describePlan(before);
      const a = describePlan(after);
      changes.push({
        row: row.rowNumber,
        message: message("imports.commit.planChanged", {
          row: row.rowNumber,
          before: b,
          after: a,
        }),
      });
      return;
    }
    const r = v.resolved!;
    if (
      v.groupKey !== row.groupKey ||
      r.quantity !== row.quantity ||
      r.carrier !== row.carrier ||
      r.trackingNumbers.join("\n") !== row.trackingNumbers.join("\n")
    ) {
      changes.push({
        row: row.rowNumber,
        message: message("imports.commit.rowNoLongerPlanned", {
          row: row.rowNumber,
        }),
      });
    }
  });
  return { changes, validated };
}

async function writeBatch(
  client: PoolClient,
  shop: string,
  importId: number,
  rows: readonly CommitRow[],
  validated: readonly ValidatedRow[],
): Promise<{ created: number; marked: number }> {
  // One shipment per group: the first row carries the tracking, every row a line.
  const groups = new Map<string, { rows: number[]; v: ValidatedRow[] }>();
  validated.forEach((v, i) => {
    const group = groups.get(rows[i].groupKey) ?? { rows: [], v: [] };
    group.rows.push(rows[i].rowNumber);
    group.v.push(v);
    groups.set(rows[i].groupKey, group);
  });
  const claims: ({ id: number } & TrackingDetails)[] = [];
  const creates: NewShipment[] = [];
  const createdRows: number[][] = [];
  const shipmentOfRow: { row_number: number; shipment_id: number }[] = [];
  for (const group of groups.values()) {
    const plan = group.v[0].plan!;
    const first = group.v[0].resolved!;
    const tracking: TrackingDetails = {
      trackingNumbers: first.trackingNumbers,
      carrier: first.carrier,
      trackingUrl: first.trackingUrl,
      notifyCustomer: first.notifyCustomer,
    };
    if (plan.kind === "mark_shipped") {
      claims.push({ id: plan.shipmentId, ...tracking });
      for (const row of group.rows)
        shipmentOfRow.push({ row_number: row, shipment_id: plan.shipmentId });
    } else {
      creates.push({
        orderId: first.orderId,
        orderName: first.orderName,
        vendor: first.vendor,
        lines: group.v.map((v) => ({
          lineItemRowId: v.resolved!.lineRef,
          quantity: v.resolved!.quantity,
        })),
        shipped: tracking,
      });
      createdRows.push(group.rows);
    }
  }

  if (claims.length > 0) {
    const marked = await markShippedMany(client, shop, claims, {
      onlyUnshipped: true,
    });
    if (marked.size !== claims.length) {
      throw new Error(
        `import ${importId}: expected to mark ${claims.length} shipments shipped, marked ${marked.size}; ` +
          "the batch was rolled back (the shipments were locked and re-validated, so this is a bug)",
      );
    }
  }

  const createdIds = await createShipments(client, shop, creates);
  createdIds.forEach((id, i) => {
    for (const row of createdRows[i]!)
      shipmentOfRow.push({ row_number: row, shipment_id: id });
  });

  await client.query(
    `update import_rows r
        set shipment_id = u.shipment_id, committed_at = now()
       from jsonb_to_recordset($3::jsonb) as u(row_number int, shipment_id bigint)
      where r.shop = $1 and r.import_id = $2 and r.row_number = u.row_number`,
    [shop, importId, JSON.stringify(shipmentOfRow)],
  );
  await client.query(
    `update imports
        set committed_count = committed_count + $3,
            shipments_created = shipments_created + $4,
            shipments_marked = shipments_marked + $5
      where shop = $1 and id = $2`,
    [shop, importId, rows.length, creates.length, claims.length],
  );
  return { created: creates.length, marked: claims.length };
}

async function refuse(
  client: PoolClient,
  shop: string,
  importId: number,
  changes: Change[],
  committedBefore: number,
) {
  const head = message("imports.commit.refused", { count: changes.length });
  const said =
    committedBefore > 0
      ? message("common.twoSentences", {
          first: head,
          second: message("imports.commit.refusedPartly", {
            committed: committedBefore,
          }),
        })
      : head;
  // imports.refusal: the message and each row's, as codes (see ImportSummary.refusal).
  const refusalJson = {
    ...said,
    rows: changes.slice(0, 50).map((c) => ({ row: c.row, ...c.message })),
  };
  await client.query(
    `update imports
        set status = 'refused', refusal = $3, commit_started_at = coalesce(commit_started_at, now())
      where shop = $1 and id = $2`,
    [shop, importId, JSON.stringify(refusalJson)],
  );
}

function refusal<K extends MessageKey>(
  reason: Exclude<CommitOutcome, { ok: true }>["reason"],
  key: K,
  ...params: ParamsArg<K>
): CommitOutcome {
  return { ok: false, reason, message: message(key, ...params) };
}

function changed(changes: Change[], committed: number): CommitOutcome {
  const head = message("imports.commit.refused", { count: changes.length });
  return { ok: false, reason: "changed", message: head, committed };
}
