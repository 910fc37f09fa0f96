import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";

import { getPool } from "~/db.server";
import { resolveLocale } from "~/i18n/locale";
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
// A batch id is a bigint; beyond JavaScript's safe integers it cannot be one the app made.
const batchParam = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/)
  .transform(Number)
  .refine(Number.isSafeInteger);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const raw = new URL(request.url).searchParams.get("batch");
  const parsed = raw === null ? null : batchParam.safeParse(raw);
  if (parsed && !parsed.success)
    throw new Response(
      resolveLocale(request) === "ja"
        ? `一括再試行の番号（batch）が正しくありません: ${raw!.slice(0, 40)}`
        : `The bulk retry number (batch) is not valid: ${raw!.slice(0, 40)}`,
      { status: 400 },
    );
  const batchId = parsed?.data;
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
