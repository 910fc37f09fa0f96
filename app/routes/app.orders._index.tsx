import { data } from "@remix-run/node";
import { readForm } from "~/http/body-limit.server";
import type {
  HeadersFunction,
  ActionFunctionArgs,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import {
  Form,
  Link,
  useFetcher,
  useLoaderData,
  useRevalidator,
} from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  IndexTable,
  InlineStack,
  Layout,
  List,
  Page,
  ProgressBar,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";

import { useLocale, useT } from "~/i18n/use-locale";
import { useShopTimeZone } from "~/i18n/use-shop-time-zone";
import { driftMessage, formatDate, formatDateTime } from "~/orders/copy";
import {
  loadOrdersIndex,
  performOrdersIndexAction,
} from "~/orders/orders-page.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadOrdersIndex(session.shop, request);
};

/** start_backfill / continue_backfill (a few seconds of import each) and reconcile (on demand). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const form = await readForm(request);
  const { session } = await authenticate.admin(request);
  const result = await performOrdersIndexAction(session.shop, form);
  return data(result.body, { status: result.status });
};

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function OrdersIndex() {
  const { orders, nextCursor, search, backfill, backfillDays, reconcileRuns } =
    useLoaderData<typeof loader>();
  const tr = useT();
  const locale = useLocale();
  const timeZone = useShopTimeZone();
  const [query, setQuery] = useState(search);
  const date = (iso: string | null) => formatDate(iso, locale, { timeZone });

  return (
    <Page title={tr("orders.ordersTitle")} subtitle={tr("orders.ordersSubtitle")} fullWidth>
      <Layout>
        <Layout.Section variant="oneHalf">
          <BackfillCard backfill={backfill} days={backfillDays} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <ReconcileCard runs={reconcileRuns} />
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="200">
              <div style={{ padding: "12px 16px 0" }}>
                <Form method="get">
                  <TextField
                    label={tr("orders.searchOrders")}
                    labelHidden
                    name="q"
                    value={query}
                    onChange={setQuery}
                    placeholder={tr("orders.searchOrders")}
                    autoComplete="off"
                  />
                </Form>
              </div>
              {orders.length === 0 ? (
                <div style={{ padding: "16px" }}>
                  <BlockStack gap="100">
                    <Text as="h3" variant="headingSm">
                      {tr("orders.noOrdersTitle")}
                    </Text>
                    <Text as="p" tone="subdued">
                      {tr("orders.noOrdersBody")}
                    </Text>
                  </BlockStack>
                </div>
              ) : (
                <IndexTable
                  resourceName={{
                    singular: tr("orders.columnOrder"),
                    plural: tr("orders.ordersTitle"),
                  }}
                  itemCount={orders.length}
                  selectable={false}
                  headings={[
                    { title: tr("orders.columnOrder") },
                    { title: tr("orders.columnDate") },
                    { title: tr("orders.columnVendors") },
                    { title: tr("orders.columnLines") },
                    { title: tr("orders.columnShipments") },
                    { title: tr("orders.columnUnassigned") },
                  ]}
                >
                  {orders.map((order, index) => (
                    <IndexTable.Row
                      id={order.orderId}
                      key={order.orderId}
                      position={index}
                    >
                      <IndexTable.Cell>
                        <InlineStack gap="200" blockAlign="center">
                          <Link to={`/app/orders/${order.legacyId}`}>
                            <Text as="span" fontWeight="semibold">
                              {order.orderName}
                            </Text>
                          </Link>
                          {order.cancelledAt ? (
                            <Badge tone="critical">
                              {tr("orders.cancelledBadge")}
                            </Badge>
                          ) : null}
                          {!order.cancelledAt && order.closedAt ? (
                            <Badge>{tr("orders.closedBadge")}</Badge>
                          ) : null}
                        </InlineStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{date(order.createdAt)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        {order.vendors.join(", ") || "—"}
                      </IndexTable.Cell>
                      <IndexTable.Cell>{order.units}</IndexTable.Cell>
                      <IndexTable.Cell>{order.shipmentCount}</IndexTable.Cell>
                      <IndexTable.Cell>
                        {order.unassignedUnits > 0 ? (
                          <Badge tone="attention">
                            {String(order.unassignedUnits)}
                          </Badge>
                        ) : (
                          "0"
                        )}
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
              {nextCursor ? (
                <div style={{ padding: "0 16px 12px" }}>
                  <Link
                    to={`?${new URLSearchParams({ ...(search ? { q: search } : {}), after: nextCursor })}`}
                  >
                    {tr("orders.nextPage")}
                  </Link>
                </div>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function BackfillCard({
  backfill,
  days,
}: {
  backfill: LoaderData["backfill"];
  days: number;
}) {
  const tr = useT();
  const locale = useLocale();
  const timeZone = useShopTimeZone();
  const fetcher = useFetcher<typeof action>();
  const revalidator = useRevalidator();
  const shopify = useAppBridge();
  const latest =
    fetcher.data && fetcher.data.ok && fetcher.data.intent === "backfill"
      ? fetcher.data.backfill
      : backfill;
  const busy = fetcher.state !== "idle";

  // While the page is open, a running import goes on slice after slice; a paused one
  // (transient error) waits a little before the next try.
  useEffect(() => {
    if (busy || latest?.status !== "running") return;
    const timer = setTimeout(
      () => fetcher.submit({ intent: "continue_backfill" }, { method: "post" }),
      latest.lastError ? 5_000 : 300,
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [busy, latest?.status, latest?.updatedAt]);

  useEffect(() => {
    if (
      fetcher.state === "idle" &&
      fetcher.data &&
      fetcher.data.ok &&
      fetcher.data.intent === "backfill"
    ) {
      if (fetcher.data.started) shopify.toast.show(tr("orders.toastBackfillStarted"));
      if (fetcher.data.backfill?.status !== "running") revalidator.revalidate();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);

  const date = (iso: string | null) => formatDate(iso, locale, { timeZone });

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {tr("orders.backfillTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {tr("orders.backfillBody", { days })}
        </Text>
        {!latest ? <Text as="p">{tr("orders.backfillNever")}</Text> : null}
        {latest ? (
          <BlockStack gap="200">
            <ProgressBar
              progress={Math.round(latest.progress * 100)}
              size="small"
            />
            {latest.status === "running" ? (
              <Text as="p">
                {tr("orders.backfillRunning", {
                  orders: latest.ordersImported,
                  pages: latest.pages,
                })}
              </Text>
            ) : null}
            {latest.status === "completed" ? (
              <Text as="p">
                {tr("orders.backfillCompleted", {
                  orders: latest.ordersImported,
                  lines: latest.lineItemsImported,
                })}
              </Text>
            ) : null}
            {latest.reachedCreatedAt ? (
              <Text as="p" tone="subdued">
                {tr("orders.backfillReached", { date: date(latest.reachedCreatedAt) })}
              </Text>
            ) : null}
            {latest.throttleWaitMs > 0 ? (
              <Text as="p" tone="subdued">
                {tr("orders.backfillWaited", {
                  seconds: Math.round(latest.throttleWaitMs / 1000),
                })}
              </Text>
            ) : null}
            {latest.status === "failed" ? (
              <Banner tone="critical">
                {tr("orders.backfillFailed", { error: latest.lastError ?? "" })}
              </Banner>
            ) : null}
            {latest.status === "running" && latest.lastError ? (
              <Banner tone="warning">
                {tr("orders.backfillPaused", { error: latest.lastError })}
              </Banner>
            ) : null}
            {latest.status === "running" ? (
              <Text as="p" tone="subdued">
                {tr("orders.backfillKeepOpen")}
              </Text>
            ) : null}
          </BlockStack>
        ) : null}
        <InlineStack>
          <Button
            variant="primary"
            loading={busy}
            onClick={() =>
              fetcher.submit(
                {
                  intent:
                    latest?.status === "running"
                      ? "continue_backfill"
                      : "start_backfill",
                },
                { method: "post" },
              )
            }
          >
            {latest?.status === "running"
              ? tr("orders.backfillContinue")
              : tr("orders.backfillStart")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function ReconcileCard({ runs }: { runs: LoaderData["reconcileRuns"] }) {
  const tr = useT();
  const locale = useLocale();
  const timeZone = useShopTimeZone();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const revalidator = useRevalidator();

  useEffect(() => {
    if (
      fetcher.state === "idle" &&
      fetcher.data &&
      fetcher.data.ok &&
      fetcher.data.intent === "reconcile"
    ) {
      shopify.toast.show(
        tr("orders.toastReconciled", { repaired: fetcher.data.run.repaired }),
      );
      revalidator.revalidate();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);

  const time = (iso: string) => formatDateTime(iso, locale, { timeZone });

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {tr("orders.reconcileTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {tr("orders.reconcileBody")}
        </Text>
        {runs.length === 0 ? <Text as="p">{tr("orders.reconcileNever")}</Text> : null}
        {runs.map((run) => (
          <BlockStack gap="100" key={run.id}>
            <Text
              as="p"
              fontWeight="semibold"
              tone={run.status === "failed" ? "critical" : undefined}
            >
              {run.status === "failed"
                ? tr("orders.reconcileFailed", {
                    time: time(run.startedAt),
                    error: run.error ?? "",
                  })
                : tr("orders.reconcileSummary", {
                    time: time(run.startedAt),
                    checked: run.checked,
                    repaired: run.repaired,
                  })}
            </Text>
            {run.report?.drift?.length ? (
              <List type="bullet">
                {run.report.drift.map((entry) => (
                  <List.Item
                    key={`${run.id}-${entry.shipmentId}-${entry.kind}`}
                  >
                    <Link to={`/app/shipments/${entry.shipmentId}`}>
                      {entry.orderName}
                    </Link>{" "}
                    {tr(driftMessage(entry.kind))}
                    {entry.kind === "tracking_changed" &&
                    entry.before &&
                    entry.after
                      ? ` (${entry.before.join(", ") || "—"} → ${entry.after.join(", ") || "—"})`
                      : ""}
                  </List.Item>
                ))}
              </List>
            ) : null}
            {run.report?.limitReached ? (
              <Text as="p" tone="subdued">
                {tr("orders.reconcileLimit")}
              </Text>
            ) : null}
          </BlockStack>
        ))}
        <InlineStack>
          <Button
            loading={fetcher.state !== "idle"}
            onClick={() =>
              fetcher.submit({ intent: "reconcile" }, { method: "post" })
            }
          >
            {tr("orders.reconcileRun")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

// Thrown authentication responses (401 with the retry header, App Bridge redirects)
// keep their headers only if this route passes them on: see routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
