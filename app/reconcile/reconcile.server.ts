import type { Pool } from "pg";
import type { Queryable } from "~/db/queryable";
import { createSyncError, toSyncError } from "~/fulfillment/errors";
import type { AdminApiSession } from "~/shopify/admin-graphql.server";
import { FULFILLMENTS_STATE_QUERY } from "~/shopify/order-documents";
import { pacedQuery, type PacedReadDeps } from "~/shopify/paced-query.server";
import { pruneWebhookEvents } from "~/webhooks/webhook-events.server";
import {
  fulfillmentFromGraphqlNode,
  type FulfillmentStateNode,
} from "./fulfillment-snapshot";
import {
  applyFulfillmentChange,
  applyMissingFulfillment,
  type FulfillmentChangeOutcome,
} from "./shopify-changes.server";

/**
 * The reconcile job: compares every shipment linked to a Shopify fulfillment with that
 * fulfillment as Shopify holds it now, repairs the drift (the same repairs the webhooks
 * make, so a missed or lost webhook is caught up), and writes a report.
 *
 * Drift it finds and repairs:
 * - a fulfillment cancelled in Shopify admin, or gone → the shipment is unshipped again,
 *   with a note (a pending revert of it is settled instead);
 * - tracking edited in Shopify admin → taken over here, with a note.
 * A shipment with a change of its own still to send is left to its sync.
 *
 * Cost: FULFILLMENTS_STATE_QUERY reads 25 fulfillments per call (≈175 requested
 * points), paced against the shop's bucket. Reads only: it never writes to Shopify.
 */
export interface ReconcileDeps extends PacedReadDeps {
  pool: Pool;
  loadSession(shop: string): Promise<AdminApiSession | null>;
  /** Fulfillments read per call (default 25, at most 50). */
  batchSize?: number;
}

export interface DriftEntry {
  shipmentId: number;
  orderName: string;
  fulfillmentId: string;
  kind:
    | "fulfillment_cancelled"
    | "fulfillment_missing"
    | "tracking_changed"
    | "revert_settled"
    | "adopted";
  before?: string[];
  after?: string[];
}

export interface ReconcileReport {
  /** Shipments compared with Shopify. */
  checked: number;
  repaired: number;
  drift: DriftEntry[];
  /** Shopify calls made, their requested and actual cost, and time spent waiting for the bucket. */
  calls: number;
  requestedCost: number;
  actualCost: number;
  throttleWaitMs: number;
  /** The run stopped at its `limit` before checking every linked shipment. */
  limitReached: boolean;
}

export interface ReconcileRun {
  id: number;
  trigger: "manual" | "scheduled";
  status: "running" | "completed" | "failed";
  checked: number;
  repaired: number;
  report: ReconcileReport;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/**
 * Reconciles one shop now and returns the finished run with its report (also stored in
 * reconcile_runs). `limit` caps the shipments compared (an on-demand run from a page);
 * the newest syncs are compared first.
 */
export async function reconcileShop(
  deps: ReconcileDeps,
  shop: string,
  options: { trigger?: "manual" | "scheduled"; limit?: number } = {},
): Promise<ReconcileRun> {
  const { pool } = deps;
  const created = await pool.query<{ id: string }>(
    `insert into reconcile_runs (shop, trigger) values ($1, $2) returning id`,
    [shop, options.trigger ?? "scheduled"],
  );
  const runId = Number(created.rows[0]!.id);
  const report: ReconcileReport = {
    checked: 0,
    repaired: 0,
    drift: [],
    calls: 0,
    requestedCost: 0,
    actualCost: 0,
    throttleWaitMs: 0,
    limitReached: false,
  };
  const batchSize = Math.min(Math.max(deps.batchSize ?? 25, 1), 50);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let error: string | null = null;

  try {
    const session = await deps.loadSession(shop);
    if (!session) {
      throw createSyncError(
        "reauth_required",
        "No offline access token is stored for this shop (not installed, or uninstalled).",
      );
    }
    // Keyset over (synced_at desc, id desc): newest syncs first, stable while repairs
    // change rows behind the cursor.
    let after: { syncedAt: string; id: number } | null = null;
    for (;;) {
      const remaining = limit - report.checked;
      if (remaining <= 0) {
        report.limitReached = await hasMoreLinked(pool, shop, after);
        break;
      }
      const batch: {
        id: number;
        order_name: string;
        fulfillment_id: string;
        synced_at: string;
      }[] = await linkedShipments(
        pool,
        shop,
        after,
        Math.min(batchSize, remaining),
      );
      if (batch.length === 0) break;
      const last = batch[batch.length - 1]!;
      after = { syncedAt: last.synced_at, id: last.id };

      const read = await pacedQuery(deps, session, FULFILLMENTS_STATE_QUERY, {
        ids: batch.map((s) => s.fulfillment_id),
      });
      report.calls += 1;
      report.requestedCost += read.cost?.requestedQueryCost ?? 0;
      report.actualCost += read.cost?.actualQueryCost ?? 0;
      report.throttleWaitMs += read.waitedMs;
      const byId = new Map<string, FulfillmentStateNode>();
      for (const node of read.data.nodes) if (node?.id) byId.set(node.id, node);

      for (const shipment of batch) {
        report.checked += 1;
        const node = byId.get(shipment.fulfillment_id);
        const outcome = node
          ? await applyFulfillmentChange(
              pool,
              shop,
              fulfillmentFromGraphqlNode(node),
              "reconcile",
            )
          : await applyMissingFulfillment(
              pool,
              shop,
              shipment.id,
              shipment.fulfillment_id,
              "reconcile",
            );
        const entry = driftEntry(outcome, shipment, node ? null : "missing");
        if (entry) {
          report.repaired += 1;
          report.drift.push(entry);
        }
      }
    }
  } catch (caught) {
    const failure = toSyncError(caught, { isMutation: false });
    error = `${failure.errorClass}: ${failure.message}`.slice(0, 2000);
  }

  const finished = await pool.query(
    `update reconcile_runs
        set status = $2, checked = $3, repaired = $4, report = $5, error = $6, finished_at = now()
      where id = $1
      returning *`,
    [
      runId,
      error ? "failed" : "completed",
      report.checked,
      report.repaired,
      report,
      error,
    ],
  );
  return toRun(finished.rows[0]!);
}

async function linkedShipments(
  db: Queryable,
  shop: string,
  after: { syncedAt: string; id: number } | null,
  limit: number,
) {
  const result = await db.query<{
    id: string;
    order_name: string;
    fulfillment_id: string;
    synced_at: Date;
  }>(
    `select id, order_name, shopify_fulfillment_id as fulfillment_id,
            coalesce(synced_at, created_at) as synced_at
       from shipments
      where shop = $1 and shopify_fulfillment_id is not null
        and ($2::timestamptz is null
             or (coalesce(synced_at, created_at), id) < ($2::timestamptz, $3::bigint))
      order by coalesce(synced_at, created_at) desc, id desc
      limit $4`,
    [shop, after?.syncedAt ?? null, after?.id ?? null, limit],
  );
  return result.rows.map((r) => ({
    id: Number(r.id),
    order_name: r.order_name,
    fulfillment_id: r.fulfillment_id,
    synced_at: new Date(r.synced_at).toISOString(),
  }));
}

async function hasMoreLinked(
  db: Queryable,
  shop: string,
  after: { syncedAt: string; id: number } | null,
) {
  return (await linkedShipments(db, shop, after, 1)).length > 0;
}

function driftEntry(
  outcome: FulfillmentChangeOutcome,
  shipment: { id: number; order_name: string; fulfillment_id: string },
  missing: "missing" | null,
): DriftEntry | null {
  const base = {
    shipmentId: shipment.id,
    orderName: shipment.order_name,
    fulfillmentId: shipment.fulfillment_id,
  };
  switch (outcome.kind) {
    case "repaired":
      if (outcome.repair === "cancel_settled")
        return { ...base, kind: "revert_settled" };
      if (outcome.repair === "revert_to_unshipped") {
        return {
          ...base,
          kind: missing ? "fulfillment_missing" : "fulfillment_cancelled",
        };
      }
      return {
        ...base,
        kind: "tracking_changed",
        before: outcome.before,
        after: outcome.after,
      };
    case "adopted":
      return { ...base, kind: "adopted" };
    default:
      return null;
  }
}

/** The shop's latest reconcile runs, newest first. */
export async function listReconcileRuns(
  db: Queryable,
  shop: string,
  limit = 5,
): Promise<ReconcileRun[]> {
  const result = await db.query(
    `select * from reconcile_runs where shop = $1 order by started_at desc, id desc limit $2`,
    [shop, limit],
  );
  return result.rows.map(toRun);
}

function toRun(r: Record<string, unknown>): ReconcileRun {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: Number(r.id),
    trigger: r.trigger as ReconcileRun["trigger"],
    status: r.status as ReconcileRun["status"],
    checked: Number(r.checked),
    repaired: Number(r.repaired),
    report: r.report as ReconcileReport,
    error: (r.error as string | null) ?? null,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
  };
}

/**
 * The queue tasks, for app/worker/runner.server.ts to register (graphile-worker):
 * - `reconcile_shops` (no payload): every installed shop whose sync is not paused,
 *   one after another, then the webhook log is pruned (30 days); meant for a crontab
 *   line such as `15 * * * * reconcile_shops ?max=1`.
 * - `reconcile_shop` (`{ "shop": "…" }`): one shop.
 */
export function reconcileTaskList(deps: ReconcileDeps) {
  return {
    reconcile_shops: async () => {
      const shops = await deps.pool.query<{ shop: string }>(
        `select shop from shops where uninstalled_at is null and sync_paused_reason is null order by shop`,
      );
      for (const { shop } of shops.rows) {
        await reconcileShop(deps, shop, { trigger: "scheduled" });
      }
      await pruneWebhookEvents(deps.pool);
    },
    reconcile_shop: async (payload: unknown) => {
      const shop = (payload as { shop?: unknown } | null)?.shop;
      if (typeof shop !== "string" || !shop)
        throw new Error("reconcile_shop needs { shop }");
      await reconcileShop(deps, shop, { trigger: "scheduled" });
    },
  };
}
