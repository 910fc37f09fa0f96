import type { Pool } from "pg";
import type { SyncDependencies } from "~/sync/sync.server";
import type { AdminApiSession } from "~/shopify/admin-graphql.server";
import { OPTIONAL_SCOPES, scopesToRequest } from "~/shops/declared-scopes";
import { pauseShopSync } from "~/shops/sync-circuit.server";
import type { ShopPacer } from "~/shopify/pacer";

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
  const declared = {
    required:
      options.requestedScopes ??
      (process.env.SCOPES ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    optional: OPTIONAL_SCOPES,
  };
  return {
    pool,
    loadSession: options.loadSession,
    callTimeoutMs: options.callTimeoutMs,
    random: options.random,
    retryBaseMs: options.retryBaseMs,
    orderReads: options.orderReads,
    pauseShop: async (shop, error) => {
      if (error.errorClass !== "missing_scope")
        return pauseShopSync(pool, shop, "reauth_required");
      // ACCESS_DENIED is Shopify saying none of a requirement's alternatives is granted.
      const requirements =
        error.requiredAccess ??
        (error.missingScopes?.length ? [error.missingScopes] : []);
      await pauseShopSync(pool, shop, "missing_scope", {
        ask: scopesToRequest(requirements, declared),
        requirements,
      });
    },
    ...(pacer
      ? {
          beforeCall: async (shop: string, operationName: string) => {
            await pacer.acquire(
              shop,
              pacer.costOf(operationName, UNPRICED_DOCUMENT_COST),
            );
          },
          onCost: (shop, cost, operationName) => {
            pacer.observe(shop, cost.throttleStatus, {
              key: operationName,
              cost: cost.requestedQueryCost,
            });
          },
        }
      : {}),
  };
}
