import type { Task } from "graphile-worker";
import type { Pool } from "pg";
import { z } from "zod";
import { syncShipment, type FulfillmentOrderRead } from "~/sync/sync.server";
import type { AdminApiSession } from "~/shopify/admin-graphql.server";
import { pausedShopFlags } from "~/shops/sync-circuit.server";
import { OrderReadCache } from "~/sync/order-read-cache";
import { ShopPacer } from "~/shopify/pacer";
import { PausedShopFlags } from "./paused-flags";
import { syncDependencies } from "~/sync/sync-deps.server";

/**
 * The `sync_shipment` job, as every consumer of the queue runs it — the long-lived worker
 * (runner.server.ts) and the time-boxed drain (drain.server.ts, the Edge Function): the
 * app's sync core with its pacing, shared fulfillment-order reads and shop circuit, and
 * the paused shops' forbidden flags graphile-worker must not fetch.
 */
export interface SyncTaskOptions {
  pool: Pool;
  loadSession: (shop: string) => Promise<AdminApiSession | null>;
  callTimeoutMs?: number;
  pacer?: ShopPacer;
  /** Jitter source for retry delays (tests pass () => 0 for immediate retries). */
  random?: () => number;
  retryBaseMs?: number;
  /** Called after each sync run (progress, tests, the drain's report). */
  onRun?: (event: SyncRunEvent) => void;
}

export interface SyncRunEvent {
  shop: string;
  shipmentId: number;
  outcome: string;
}

export interface SyncTask {
  task: Task;
  pacer: ShopPacer;
  /** Paused shops (`shop:<domain>`), for graphile-worker's forbiddenFlags. */
  pausedFlags: PausedShopFlags;
}

export const SYNC_TASK = "sync_shipment";

const BUSY_RECHECK_MS = 1_000;

const payloadSchema = z.object({ shop: z.string().min(1), shipmentId: z.number().int().positive() });

export function createSyncTask(options: SyncTaskOptions): SyncTask {
  const { pool } = options;
  const pacer = options.pacer ?? new ShopPacer();
  const deps = syncDependencies({
    pool,
    loadSession: options.loadSession,
    callTimeoutMs: options.callTimeoutMs ?? 20_000,
    pacer,
    random: options.random,
    retryBaseMs: options.retryBaseMs,
    orderReads: new OrderReadCache<FulfillmentOrderRead>(),
  });

  const pausedFlags = new PausedShopFlags(() => pausedShopFlags(pool));
  const pauseShop = deps.pauseShop;
  deps.pauseShop = async (shop, error) => {
    await pauseShop?.(shop, error);
    pausedFlags.add(shop);
  };

  const task: Task = async (rawPayload, helpers) => {
    const { shop, shipmentId } = payloadSchema.parse(rawPayload);
    const outcome = await syncShipment(deps, shop, shipmentId);
    options.onRun?.({ shop, shipmentId, outcome: outcome.kind });
    if (outcome.kind === "busy") {
      // Another run (an action's inline sync, or the job this one replaced) holds the
      // shipment. Look again in a second rather than lose the request — and rather than
      // fail the job, whose backoff (e^attempts s) would leave it waiting far longer.
      await helpers.addJob(SYNC_TASK, { shop, shipmentId }, {
        jobKey: `sync-shipment:${shipmentId}`,
        runAt: new Date(Date.now() + BUSY_RECHECK_MS),
        flags: [`shop:${shop}`],
        maxAttempts: 25,
      });
      return;
    }
    // Failures are recorded on the shipment itself, and a retry is re-queued by the
    // trigger when next_retry_at is set: the job is done either way.
  };

  return { task, pacer, pausedFlags };
}
