import type {
  HeadersFunction,
  ActionFunctionArgs,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { readForm } from "~/http/body-limit.server";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Layout, Page, Card } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";

import { ShipmentsIndexTable } from "~/components/ShipmentsIndexTable";
import { getPool } from "~/db.server";
import { useT } from "~/i18n/use-locale";
import { parseBulkRetry } from "~/shipments/bulk-retry";
import { filtersFromParams, parseListQuery } from "~/shipments/list-query";
import {
  decodeCursor,
  listShipments,
  listVendors,
} from "~/shipments/shipment-list.server";
import { resolveLocale } from "~/i18n/locale";
import { retryMatching } from "~/shipments/shipment-commands.server";
import { getShopSyncPause } from "~/shops/sync-circuit.server";
import {
  createSyncBatch,
  getQueueProgress,
} from "~/queue/queue-progress.server";
import { startRetryAllMatching } from "~/queue/retry-all-matching.server";
import { QueuePanel } from "~/components/QueuePanel";
import { authenticate } from "~/shopify.server";
import { ShopPauseBanner } from "~/components/ShopPauseBanner";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const options = parseListQuery(new URL(request.url).searchParams);
  // A cursor the app did not make (edited, truncated): say so rather than guess a page.
  if (options.cursor && !decodeCursor(options.cursor, options.sort))
    throw new Response(
      resolveLocale(request) === "ja"
        ? "ページの位置（cursor）が読めません。一覧の最初のページから開き直してください。"
        : "The page position (cursor) cannot be read. Open the list again from its first page.",
      { status: 400 },
    );
  const [page, vendors, pause, queue] = await Promise.all([
    listShipments(getPool(), session.shop, options),
    listVendors(getPool(), session.shop),
    getShopSyncPause(getPool(), session.shop),
    getQueueProgress(getPool(), session.shop),
  ]);
  return {
    pause,
    queue,
    shipments: page.rows,
    nextCursor: page.nextCursor,
    previousCursor: page.previousCursor,
    vendors,
  };
};

/** Bulk retry from the table: the selected ids, or everything matching the filter. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const form = await readForm(request);
  const { session } = await authenticate.admin(request);
  const parsed = parseBulkRetry(form);
  if (!parsed.ok)
    return Response.json({ error: parsed.error }, { status: 400 });
  // Returns at once. A selection (at most 1000) is queued here — the outbox trigger
  // queues each shipment's job; "all matching" is walked by the queue in batches.
  if (parsed.scope === "all_matching") {
    const batchId = await startRetryAllMatching(
      getPool(),
      session.shop,
      filtersFromParams(formToParams(form)),
    );
    return { retried: null, batchId };
  }
  const queued = await retryMatching(getPool(), session.shop, {}, parsed.ids);
  const batchId = await createSyncBatch(getPool(), session.shop, queued);
  return { retried: queued.length, batchId };
};

function formToParams(form: FormData): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of form.entries())
    if (typeof value === "string") params.append(key, value);
  return params;
}

export default function ShipmentsIndex() {
  const { shipments, vendors, nextCursor, previousCursor, pause, queue } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const shopify = useAppBridge();
  const tr = useT();

  useEffect(() => {
    if (actionData && "retried" in actionData) {
      shopify.toast.show(
        actionData.retried === null
          ? tr("toastRetryAllStarted")
          : actionData.retried > 0
            ? tr("toastRetryQueued", { count: actionData.retried })
            : tr("toastNothingToRetry"),
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  return (
    <Page
      title={tr("shipmentsTitle")}
      subtitle={tr("shipmentsSubtitle")}
      fullWidth
    >
      <Layout>
        {pause ? (
          <Layout.Section>
            <ShopPauseBanner pause={pause} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <QueuePanel
            initial={queue}
            batchId={
              actionData && "batchId" in actionData
                ? (actionData.batchId ?? null)
                : null
            }
          />
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <ShipmentsIndexTable
              rows={shipments}
              vendors={vendors}
              nextCursor={nextCursor}
              previousCursor={previousCursor}
            />
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// Thrown authentication responses (401 with the retry header, App Bridge redirects)
// keep their headers only if this route passes them on: see routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
