import { READ_ALL_ORDERS } from "~/shops/declared-scopes";
import { grants } from "~/fulfillment/required-access";
import { tryRunLock } from "~/db/run-lock.server";
import type { Pool } from "pg";
import type { Queryable } from "~/db/queryable";
import { withTransaction } from "~/db/transaction.server";
import { toSyncError } from "~/fulfillment/errors";
import { stopPendingSyncsForCancelledOrder } from "~/reconcile/shopify-changes.server";
import type { AdminApiSession } from "~/shopify/admin-graphql.server";
import {
  ORDER_LINE_ITEMS_PAGE_QUERY,
  RECENT_ORDERS_QUERY,
} from "~/shopify/order-documents";
import { pacedQuery, type PacedReadDeps } from "~/shopify/paced-query.server";
import { orderFromGraphqlNode, type OrderSnapshot } from "./order-snapshot";
import { upsertOrderIn } from "./orders.server";

/**
 * The backfill: imports the shop's recent orders (newest first, down to a cut-off) so
 * that orders placed before the app was installed, or whose webhooks were missed, have
 * their lines here.
 *
 * - Paged: RECENT_ORDERS_QUERY, 10 orders a page (≈532 requested points; a query may
 *   not request more than 1000), further lines of an order paged separately.
 * - Resumable: a run is a row (order_backfill_runs); each page is stored in one
 *   transaction together with the run's new cursor, so a run stopped anywhere (a
 *   deadline, a crash, a deploy) resumes with the page after the last one stored, and a
 *   page is never half-stored. Repeating a page is harmless: the upsert is idempotent.
 * - Cost-aware: every call waits for the shop's bucket (Shopify's throttleStatus, via
 *   the shared pacer) and a THROTTLED answer is waited out; the time spent waiting is
 *   part of the run's progress.
 * - One at a time per shop: a run lock (app/db/run-lock.server.ts); a second caller
 *   returns at once.
 * - Progress: pages, orders and lines stored, and the creation time reached, on the row.
 */
export interface BackfillDeps extends PacedReadDeps {
  pool: Pool;
  loadSession(shop: string): Promise<AdminApiSession | null>;
  now?: () => Date;
  /** Orders per page (default 10). */
  pageSize?: number;
}

export interface BackfillRun {
  id: number;
  status: "running" | "completed" | "failed";
  since: string;
  cursor: string | null;
  reachedCreatedAt: string | null;
  pages: number;
  ordersImported: number;
  lineItemsImported: number;
  throttleWaitMs: number;
  lastError: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** 0–1, by how far back in time the run has come. */
  progress: number;
}

/** Without read_all_orders Shopify shows an app the last 60 days of orders. */
export const DEFAULT_BACKFILL_DAYS = 60;
/** With read_all_orders granted, how far back a backfill may go. */
const MAX_BACKFILL_DAYS = 365;
const LOCK_NAMESPACE = 7302; // run lock (namespace, hashtext(shop))

/**
 * Starts a backfill of the orders created in the last `days` days, or returns the one
 * already running (which then simply continues). Does not call Shopify. Asks for at
 * most 60 days unless the shop has granted read_all_orders: Shopify would not return
 * older orders, and a longer window would only look like orders are missing.
 */
export async function startBackfill(
  pool: Pool,
  shop: string,
  options: { days?: number; now?: Date } = {},
): Promise<BackfillRun> {
  const granted = await pool.query<{ granted_scopes: string[] }>(
    `select granted_scopes from shops where shop = $1`,
    [shop],
  );
  const maxDays = grants(granted.rows[0]?.granted_scopes ?? [], READ_ALL_ORDERS)
    ? MAX_BACKFILL_DAYS
    : DEFAULT_BACKFILL_DAYS;
  const days = Math.min(
    Math.max(Math.floor(options.days ?? DEFAULT_BACKFILL_DAYS), 1),
    maxDays,
  );
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - days * 86_400_000);
  await pool.query(
    `insert into order_backfill_runs (shop, since) values ($1, $2)
     on conflict (shop) where status = 'running' do nothing`,
    [shop, since],
  );
  return (await getLatestBackfill(pool, shop))!;
}

/** The shop's latest backfill run (running or finished), or null when it never had one. */
export async function getLatestBackfill(
  db: Queryable,
  shop: string,
): Promise<BackfillRun | null> {
  const result = await db.query(
    `select * from order_backfill_runs where shop = $1 order by started_at desc, id desc limit 1`,
    [shop],
  );
  const r = result.rows[0];
  return r ? toRun(r) : null;
}

export type BackfillSliceResult =
  | { kind: "progressed"; run: BackfillRun; pagesThisSlice: number }
  | { kind: "busy"; run: BackfillRun | null }
  | { kind: "idle"; run: BackfillRun | null };

/**
 * Runs the shop's running backfill until it completes, fails, or `deadlineMs` /
 * `maxPages` is reached (a route gives it a few seconds; the queue task none). A
 * transient failure (network, 5xx, repeated throttling) is recorded on the run, which
 * stays running and resumes on the next call; a refusal waiting cannot fix (token,
 * scope, shop frozen) fails the run with the reason.
 */
export async function runBackfill(
  deps: BackfillDeps,
  shop: string,
  options: { deadlineMs?: number; maxPages?: number } = {},
): Promise<BackfillSliceResult> {
  const started = Date.now();
  const lock = await tryRunLock(deps.pool, LOCK_NAMESPACE, shop);
  if (!lock) return { kind: "busy", run: await getLatestBackfill(deps.pool, shop) };
  try {
    let pages = 0;
    for (;;) {
      const run = await getLatestBackfill(deps.pool, shop);
      if (!run || run.status !== "running") {
        return pages > 0 && run
          ? { kind: "progressed", run, pagesThisSlice: pages }
          : { kind: "idle", run };
      }
      const outOfTime =
        (options.deadlineMs !== undefined &&
          Date.now() - started >= options.deadlineMs) ||
        (options.maxPages !== undefined && pages >= options.maxPages);
      if (outOfTime) return { kind: "progressed", run, pagesThisSlice: pages };

      const stepped = await backfillPage(deps, shop, run);
      pages += 1;
      if (!stepped) {
        return {
          kind: "progressed",
          run: (await getLatestBackfill(deps.pool, shop))!,
          pagesThisSlice: pages,
        };
      }
    }
  } finally {
    await lock.release();
  }
}

/** One page: read, store with the cursor, or record the failure. False: stop this slice. */
async function backfillPage(
  deps: BackfillDeps,
  shop: string,
  run: BackfillRun,
): Promise<boolean> {
  const session = await deps.loadSession(shop);
  if (!session) {
    await failRun(
      deps.pool,
      run.id,
      "No offline access token is stored for this shop (not installed, or uninstalled).",
    );
    return false;
  }
  let waited = 0;
  const orders: OrderSnapshot[] = [];
  let reachedEnd = false;
  let endCursor: string | null = run.cursor;
  try {
    const page = await pacedQuery(deps, session, RECENT_ORDERS_QUERY, {
      first: deps.pageSize ?? 10,
      after: run.cursor,
    });
    waited += page.waitedMs;
    const since = Date.parse(run.since);
    for (const node of page.data.orders.nodes) {
      if (Date.parse(node.createdAt) < since) {
        reachedEnd = true;
        break;
      }
      const lines = [...node.lineItems.nodes];
      let info = node.lineItems.pageInfo;
      while (info.hasNextPage && info.endCursor) {
        const more = await pacedQuery(deps, session, ORDER_LINE_ITEMS_PAGE_QUERY, {
          id: node.id,
          after: info.endCursor,
        });
        waited += more.waitedMs;
        if (!more.data.order) break;
        lines.push(...more.data.order.lineItems.nodes);
        info = more.data.order.lineItems.pageInfo;
      }
      orders.push(orderFromGraphqlNode(node, lines));
    }
    endCursor = page.data.orders.pageInfo.endCursor ?? endCursor;
    if (!page.data.orders.pageInfo.hasNextPage) reachedEnd = true;
  } catch (caught) {
    const error = toSyncError(caught, { isMutation: false });
    if (error.retryable) {
      await deps.pool.query(
        `update order_backfill_runs
            set last_error = $2, throttle_wait_ms = throttle_wait_ms + $3
          where id = $1 and status = 'running'`,
        [
          run.id,
          `${error.errorClass}: ${error.message}`.slice(0, 2000),
          waited,
        ],
      );
    } else {
      await failRun(deps.pool, run.id, `${error.errorClass}: ${error.message}`);
    }
    return false;
  }

  let lineCount = 0;
  let shopGone = false;
  await withTransaction(deps.pool, async (tx) => {
    for (const order of orders) {
      const stored = await upsertOrderIn(tx, shop, order);
      if (stored.kind === "unknown_shop") {
        shopGone = true;
        return;
      }
      if (stored.kind === "stored") lineCount += stored.lines;
      if (order.cancelledAt) {
        await stopPendingSyncsForCancelledOrder(
          tx,
          shop,
          order.orderId,
          order.name,
          "reconcile",
        );
      }
    }
    const oldest = orders.reduce<string | null>(
      (min, o) =>
        o.createdAt && (!min || o.createdAt < min) ? o.createdAt : min,
      null,
    );
    await tx.query(
      `update order_backfill_runs
          set cursor = $2, pages = pages + 1, orders_imported = orders_imported + $3,
              line_items_imported = line_items_imported + $4,
              throttle_wait_ms = throttle_wait_ms + $5, last_error = null,
              reached_created_at = least(coalesce(reached_created_at, $6), $6),
              status = case when $7 then 'completed' else status end,
              finished_at = case when $7 then now() else null end
        where id = $1 and status = 'running'`,
      [run.id, endCursor, orders.length, lineCount, waited, oldest, reachedEnd],
    );
  });
  if (shopGone) {
    await failRun(
      deps.pool,
      run.id,
      "The shop uninstalled the app during the backfill.",
    );
    return false;
  }
  return !reachedEnd;
}

async function failRun(
  pool: Pool,
  runId: number,
  message: string,
): Promise<void> {
  await pool.query(
    `update order_backfill_runs set status = 'failed', last_error = $2, finished_at = now()
      where id = $1 and status = 'running'`,
    [runId, message.slice(0, 2000)],
  );
}

function toRun(r: Record<string, unknown>): BackfillRun {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  const since = iso(r.since)!;
  const startedAt = iso(r.started_at)!;
  const reached = iso(r.reached_created_at);
  const status = r.status as BackfillRun["status"];
  const span = Date.parse(startedAt) - Date.parse(since);
  const progress =
    status === "completed"
      ? 1
      : reached && span > 0
        ? Math.min(
            0.99,
            Math.max(0, (Date.parse(startedAt) - Date.parse(reached)) / span),
          )
        : 0;
  return {
    id: Number(r.id),
    status,
    since,
    cursor: (r.cursor as string | null) ?? null,
    reachedCreatedAt: reached,
    pages: Number(r.pages),
    ordersImported: Number(r.orders_imported),
    lineItemsImported: Number(r.line_items_imported),
    throttleWaitMs: Number(r.throttle_wait_ms),
    lastError: (r.last_error as string | null) ?? null,
    startedAt,
    updatedAt: iso(r.updated_at)!,
    finishedAt: iso(r.finished_at),
    progress,
  };
}

/**
 * Queue tasks for the lead to register in the worker (app/worker/runner.server.ts):
 * `backfill_orders` runs a shop's backfill to completion (payload `{ "shop": "…" }`).
 */
export function ordersTaskList(deps: BackfillDeps) {
  return {
    backfill_orders: async (payload: unknown) => {
      const shop = (payload as { shop?: unknown } | null)?.shop;
      if (typeof shop !== "string" || !shop)
        throw new Error("backfill_orders needs { shop }");
      const result = await runBackfill(deps, shop);
      if (result.kind === "busy")
        throw new Error(
          `a backfill of ${shop} is running elsewhere; will retry`,
        );
      const run = result.run;
      // A transient failure leaves the run running: fail the job so graphile-worker retries it.
      if (run?.status === "running" && run.lastError)
        throw new Error(`backfill of ${shop} paused: ${run.lastError}`);
    },
  };
}
