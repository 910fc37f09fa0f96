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
import {
  refuseControlCharacters,
  refuseUnreadableCursor,
} from "~/http/refusal.server";
import { getPool } from "~/db.server";
import { useT } from "~/i18n/use-locale";
import { performBulkRetry } from "~/queue/bulk-retry.server";
import { parseListQuery } from "~/shipments/list-query";
import {
  decodeCursor,
  listShipments,
  listVendors,
} from "~/shipments/shipment-list.server";
import { getShopSyncPause } from "~/shops/sync-circuit.server";
import { getQueueProgress } from "~/queue/queue-progress.server";
import { QueuePanel } from "~/components/QueuePanel";
import { authenticate } from "~/shopify.server";
import { ShopPauseBanner } from "~/components/ShopPauseBanner";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  refuseControlCharacters(request, params, ["q", "vendor"]);
  const options = parseListQuery(params);
  // A cursor the app did not make (edited, truncated): say so rather than guess a page.
  refuseUnreadableCursor(request, params.get("cursor"), (raw) =>
    decodeCursor(raw, options.sort),
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
  const result = await performBulkRetry(getPool(), session.shop, form);
  // A refusal is a Response (status and body), a success the plain body.
  return "error" in result.body
    ? Response.json({ error: result.body.error }, { status: result.status })
    : result.body;
};

export default function ShipmentsIndex() {
  const { shipments, vendors, nextCursor, previousCursor, pause, queue } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const shopify = useAppBridge();
  const tr = useT();

  useEffect(() => {
    if (actionData && "error" in actionData) {
      shopify.toast.show(tr(actionData.error), { isError: true });
    } else if (actionData && "retried" in actionData) {
      shopify.toast.show(
        actionData.retried === null
          ? tr("shipments.toastRetryAllStarted")
          : actionData.retried > 0
            ? tr("shipments.toastRetryQueued", { count: actionData.retried })
            : tr("shipments.toastNothingToRetry"),
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  return (
    <Page
      title={tr("shipments.shipmentsTitle")}
      subtitle={tr("shipments.shipmentsSubtitle")}
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
