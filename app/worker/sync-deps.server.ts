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
}): SyncDependencies {
  const { pool, pacer } = options;
  return {
    pool,
    loadSession: options.loadSession,
    callTimeoutMs: options.callTimeoutMs,
    random: options.random,
    retryBaseMs: options.retryBaseMs,
    pauseShop: async (shop, error) => {
      await pauseShopSync(
        pool,
        shop,
        error.errorClass === "missing_scope" ? "missing_scope" : "reauth_required",
        error.missingScopes ?? [],
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
