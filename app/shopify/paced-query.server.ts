import { toSyncError, type SyncError } from "~/fulfillment/errors";
import { ShopPacer } from "~/shopify/pacer";
import {
  adminGraphql,
  type AdminApiSession,
  type QueryCost,
} from "./admin-graphql.server";
import type {
  AdminQueryDocument,
  AnswerOf,
  VariablesOf,
} from "./admin-operations";

/**
 * Read-only Admin API queries for background reads that may run long (the order
 * backfill, the reconcile job): each call waits until the shop's bucket holds the
 * points the document requests (Shopify's throttleStatus, learnt from every answer), and
 * a THROTTLED answer is waited out (Shopify's own figure) and asked again. Only reads
 * go through here: a query that fails can simply be asked again, unlike a mutation.
 */
export interface PacedReadDeps {
  /** Shared per process so that every reader of a shop paces against one estimate. */
  pacer?: ShopPacer;
  callTimeoutMs?: number;
  /** How many THROTTLED answers in a row are waited out before giving up. */
  maxThrottleRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PacedResult<T> {
  data: T;
  cost: QueryCost | null;
  /** Time spent waiting for the bucket (pacing and THROTTLED answers). */
  waitedMs: number;
}

const processPacer = new ShopPacer();

/** The pacer background reads share in this process (the default). */
export function sharedPacer(): ShopPacer {
  return processPacer;
}

/** Requested cost assumed before Shopify has priced a document once. */
const UNPRICED_COST = 600;

export async function pacedQuery<D extends AdminQueryDocument>(
  deps: PacedReadDeps,
  session: AdminApiSession,
  document: D,
  variables: VariablesOf<D>,
): Promise<PacedResult<AnswerOf<D>>> {
  const pacer = deps.pacer ?? processPacer;
  const sleep =
    deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const operationName = /\bquery\s+(\w+)/.exec(document)?.[1] ?? "query";
  const maxRetries = deps.maxThrottleRetries ?? 5;
  let waitedMs = 0;
  for (let attempt = 0; ; attempt++) {
    waitedMs += await pacer.acquire(
      session.shop,
      pacer.costOf(operationName, UNPRICED_COST),
    );
    try {
      const result = await adminGraphql(session, document, {
        variables,
        isMutation: false,
        timeoutMs: deps.callTimeoutMs,
        onCost: (cost) =>
          pacer.observe(session.shop, cost.throttleStatus, {
            key: operationName,
            cost: cost.requestedQueryCost,
          }),
      });
      return { data: result.data, cost: result.cost, waitedMs };
    } catch (caught) {
      const error: SyncError = toSyncError(caught, { isMutation: false });
      if (error.errorClass !== "throttled" || attempt >= maxRetries)
        throw error;
      const wait = Math.max(1_000, error.retryAfterMs ?? 1_000);
      await sleep(wait);
      waitedMs += wait;
    }
  }
}
