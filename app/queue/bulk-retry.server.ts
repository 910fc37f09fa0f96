import type { Pool } from "pg";
import type { Message } from "~/i18n/messages";
import { createSyncBatch } from "~/queue/queue-progress.server";
import { startRetryAllMatching } from "~/queue/retry-all-matching.server";
import { parseBulkRetry } from "~/shipments/bulk-retry";
import { filtersFromParams } from "~/shipments/list-query";
import { retryMatching } from "~/shipments/shipment-commands.server";

export type BulkRetryBody =
  | { retried: number | null; batchId: number | null }
  | { error: Message };

/**
 * The shipments list's bulk retry (the route's action, framework-free). A selection is
 * queued at once (at most 1000: the outbox trigger queues each shipment's job); "all
 * matching" starts a walk the queue does in batches. Ids that are not this shop's
 * shipments (another shop's, or gone since the list was read) are simply not retried:
 * the answer counts what was (test/queue/bulk-retry.test.ts pins "0 retried" for another
 * shop's ids), and nothing of theirs is read or written.
 */
export async function performBulkRetry(
  pool: Pool,
  shop: string,
  form: FormData,
): Promise<{ status: number; body: BulkRetryBody }> {
  const parsed = parseBulkRetry(form);
  if (!parsed.ok) return { status: 400, body: { error: parsed.error } };
  if (parsed.scope === "all_matching") {
    const batchId = await startRetryAllMatching(pool, shop, filtersFromParams(formToParams(form)));
    return { status: 200, body: { retried: null, batchId } };
  }
  const queued = await retryMatching(pool, shop, {}, parsed.ids);
  const batchId = await createSyncBatch(pool, shop, queued);
  return { status: 200, body: { retried: queued.length, batchId } };
}

function formToParams(form: FormData): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of form.entries())
    if (typeof value === "string") params.append(key, value);
  return params;
}
