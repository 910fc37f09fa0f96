import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";

import { getPool } from "~/db.server";
import { refusal } from "~/http/refusal.server";
import {
  BATCH_NOT_FOUND,
  getBatchProgress,
  getQueueProgress,
  parseBatchParam,
} from "~/queue/queue-progress.server";
import { getShopSyncPause } from "~/shops/sync-circuit.server";
import { authenticate } from "~/shopify.server";

/**
 * The queue panel's data, polled by the index page while work is in flight
 * (a resource route: no UI of its own). `?batch=<id>` adds that bulk run's progress.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = parseBatchParam(new URL(request.url).searchParams.get("batch"));
  if (!parsed.ok) throw refusal(request, 400, parsed.error);
  const { batchId } = parsed;
  const [queue, batch, pause] = await Promise.all([
    getQueueProgress(getPool(), session.shop),
    batchId ? getBatchProgress(getPool(), session.shop, batchId) : null,
    getShopSyncPause(getPool(), session.shop),
  ]);
  // Another shop's batch (or none): the panel only ever polls the batch its action made.
  if (batchId && !batch) throw refusal(request, 404, BATCH_NOT_FOUND);
  return { queue, batch, pause };
};

// Thrown authentication responses (401 with the retry header, App Bridge redirects)
// keep their headers only if this route passes them on: see routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
