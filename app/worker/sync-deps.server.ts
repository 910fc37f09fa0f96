import type { Pool } from "pg";
import type { SyncDependencies } from "~/fulfillment/sync.server";
import type { AdminApiSession } from "~/shopify/admin-graphql.server";
import { pauseShopSync } from "~/shops/sync-circuit.server";
import type { ShopPacer } from "./pacer";

/**
 * Requested cost assumed for a document before Shopify has priced it once (the app's
 * largest read is ~233 points); from the first answer on, the learnt figure is used.
 */
const UNPRICED_DOCUMENT_COST = 250;

/**
 * The dependencies every sync run gets in this app — inline in a route action or in a
 * worker: the pool, the offline session, the shop circuit, and (when given) pacing.
 */
export function syncDependencies(options: {
  pool: Pool;
  loadSession: (shop: string) => Promise<AdminApiSession | null>;
  callTimeoutMs: number;
  pacer?: ShopPacer;
  random?: () => number;
  retryBaseMs?: number;
  /** The scopes the app requests (SCOPES); defaults to the environment's. */
  requestedScopes?: readonly string[];
  orderReads?: SyncDependencies["orderReads"];
}): SyncDependencies {
  const { pool, pacer } = options;
  const requested = new Set(
    options.requestedScopes ?? (process.env.SCOPES ?? "").split(",").map((s) => s.trim()).filter(Boolean),
  );
  return {
    pool,
    loadSession: options.loadSession,
    callTimeoutMs: options.callTimeoutMs,
    random: options.random,
    retryBaseMs: options.retryBaseMs,
    orderReads: options.orderReads,
    pauseShop: async (shop, error) => {
      await pauseShopSync(
        pool,
        shop,
        error.errorClass === "missing_scope" ? "missing_scope" : "reauth_required",
        scopesToRequest(error.missingScopes ?? [], requested),
      );
    },
    ...(pacer
      ? {
          beforeCall: async (shop: string, operationName: string) => {
            await pacer.acquire(shop, pacer.costOf(operationName, UNPRICED_DOCUMENT_COST));
          },
          onCost: (shop, cost, operationName) => {
            pacer.observe(shop, cost.throttleStatus, { key: operationName, cost: cost.requestedQueryCost });
          },
        }
      : {}),
  };
}

/**
 * ACCESS_DENIED names alternatives ("write_merchant_managed_fulfillment_orders,
 * write_third_party_fulfillment_orders or write_assigned_fulfillment_orders"): any one
 * would do. The merchant is asked for the ones this app requests; if none of them is,
 * all are shown.
 */
export function scopesToRequest(named: readonly string[], requested: ReadonlySet<string>): string[] {
  const ours = named.filter((scope) => requested.has(scope));
  return ours.length > 0 ? ours : [...named];
}
