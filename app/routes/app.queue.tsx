import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";

import { getPool } from "~/db.server";
import {
  getBatchProgress,
  getQueueProgress,
} from "~/queue/queue-progress.server";
import { getShopSyncPause } from "~/shops/sync-circuit.server";
import { authenticate } from "~/shopify.server";

/**
 * The queue panel's data, polled by the index page while work is in flight
 * (a resource route: no UI of its own). `?batch=<id>` adds that bulk run's progress.
 */
const batchParam = z.coerce
  .number()
  .int()
  .positive()
  .optional()
  .catch(undefined);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const batchId = batchParam.parse(
    new URL(request.url).searchParams.get("batch") ?? undefined,
  );
  const [queue, batch, pause] = await Promise.all([
    getQueueProgress(getPool(), session.shop),
    batchId ? getBatchProgress(getPool(), session.shop, batchId) : null,
    getShopSyncPause(getPool(), session.shop),
  ]);
  return { queue, batch, pause };
};

// Thrown authentication responses (401 with the retry header, App Bridge redirects)
// keep their headers only if this route passes them on: see routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
