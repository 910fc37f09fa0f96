import { data } from "@remix-run/node";
import { readForm } from "~/http/body-limit.server";
import type {
  HeadersFunction,
  ActionFunctionArgs,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import {
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  List,
  Page,
  Pagination,
  ProgressBar,
  Tabs,
  Text,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";

import { ShipmentStatusBadge } from "~/components/ShipmentStatusBadge";
import { errorTitle } from "~/components/error-copy";
import { getPool } from "~/db.server";
import { storedText, type MessageKey } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/use-locale";
import { keptCell } from "~/imports/columns";
import { downloadFile } from "~/imports/download";
import { ImportStatusBadge } from "~/imports/ImportStatusBadge";
import { isCommitRunning } from "~/imports/commit.server";
import {
  IMPORT_NOT_FOUND,
  parseImportId,
  parseRowListQuery,
  performImportAction,
} from "~/imports/import-actions.server";
import {
  fieldLabel,
  formatCount,
  type ImportField,
} from "~/imports/messages";
import {
  getImport,
  importProgress,
  listImportRows,
  type RowFilter,
} from "~/imports/store.server";
import { refusal } from "~/http/refusal.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parseImportId(params.id);
  const summary = id ? await getImport(getPool(), session.shop, id) : null;
  if (!summary) throw refusal(request, 404, IMPORT_NOT_FOUND);
  const parsed = parseRowListQuery(new URL(request.url).searchParams);
  if (!parsed.ok) throw refusal(request, 400, parsed.error);
  const { query } = parsed;
  const [page, progress, commitRunning] = await Promise.all([
    listImportRows(getPool(), session.shop, summary.id, query),
    importProgress(getPool(), session.shop, summary.id),
    summary.status === "committing"
      ? isCommitRunning(getPool(), summary.id)
      : false,
  ]);
  return {
    summary,
    rows: page.rows,
    hasNext: page.hasNext,
    query,
    progress,
    commitRunning,
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const form = await readForm(request);
  const { session } = await authenticate.admin(request);
  const result = await performImportAction({
    shop: session.shop,
    importId: parseImportId(params.id),
    form,
  });
  return data(result.body, { status: result.status });
};

const FILTERS: {
  id: RowFilter;
  label: Extract<MessageKey, `imports.page.filter${string}`>;
}[] = [
  { id: "all", label: "imports.page.filterAll" },
  { id: "errors", label: "imports.page.filterErrors" },
  { id: "warnings", label: "imports.page.filterWarnings" },
  { id: "sync_failed", label: "imports.page.filterSyncFailed" },
  { id: "sync_pending", label: "imports.page.filterSyncPending" },
];

/** How often the page re-reads while shipments of this import are still syncing. */
const POLL_MS = 2_000;

export default function ImportPage() {
  const { summary, rows, hasNext, query, progress, commitRunning } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const revalidator = useRevalidator();
  const [, setSearchParams] = useSearchParams();
  const shopify = useAppBridge();
  const locale = useLocale();
  const tr = useT();
  const busyIntent =
    navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  const [downloading, setDownloading] = useState(false);

  useEffect(() => {
    if (!actionData) return;
    if (actionData.ok && actionData.intent === "commit") {
      shopify.toast.show(
        "running" in actionData
          ? tr("imports.page.toastCommitting")
          : tr("imports.page.toastCommitted", { count: formatCount(actionData.committed) }),
      );
    } else if (actionData.ok && actionData.intent === "retry_failed") {
      shopify.toast.show(
        actionData.retried > 0
          ? tr("imports.page.toastRetried", { count: actionData.retried })
          : tr("imports.page.toastNothingToRetry"),
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  // Live progress: re-read every 2 s while anything is committing or waiting to sync.
  const live = summary.status === "committing" || progress.pending > 0;
  const revalidatorRef = useRef(revalidator);
  revalidatorRef.current = revalidator;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      const r = revalidatorRef.current;
      if (document.visibilityState === "visible" && r.state === "idle")
        r.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [live]);

  const exportFailed = async () => {
    setDownloading(true);
    try {
      await downloadFile(
        `/app/imports/${summary.id}/failed.csv?locale=${locale}`,
        `import-${summary.id}-failed-rows.csv`,
      );
    } finally {
      setDownloading(false);
    }
  };

  const previewed = summary.status === "previewed";
  const hasFailures = summary.errorCount > 0 || progress.failed > 0;
  const done = progress.synced + progress.failed;
  const percent =
    progress.shipments > 0 ? Math.round((done / progress.shipments) * 100) : 0;
  const error = actionData && !actionData.ok ? tr(actionData.error) : null;
  const setQuery = (next: { filter?: RowFilter; page?: number }) => {
    const params = new URLSearchParams();
    const filter = next.filter ?? query.filter;
    if (filter !== "all") params.set("filter", filter);
    if ((next.page ?? 1) > 1) params.set("page", String(next.page));
    setSearchParams(params);
  };

  return (
    <Page
      backAction={{ content: tr("imports.page.backToImports"), url: "/app/imports" }}
      title={summary.fileName}
      titleMetadata={<ImportStatusBadge status={summary.status} />}
      primaryAction={
        previewed
          ? {
              content: tr("imports.page.commit", { count: formatCount(summary.validCount) }),
              disabled: summary.validCount === 0,
              loading: busyIntent === "commit",
              onAction: () => submit({ intent: "commit" }, { method: "post" }),
            }
          : undefined
      }
      secondaryActions={[
        ...(hasFailures
          ? [
              {
                content: tr("imports.page.exportFailed"),
                loading: downloading,
                onAction: exportFailed,
              },
            ]
          : []),
        ...(previewed
          ? [{ content: tr("imports.page.uploadAgain"), url: "/app/imports" }]
          : []),
      ]}
    >
      <Layout>
        {error ? (
          <Layout.Section>
            <Banner tone="critical">
              <Text as="p">{error}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        {previewed ? (
          <Layout.Section>
            <Banner tone={summary.errorCount > 0 ? "warning" : "info"}>
              <BlockStack gap="100">
                <Text as="p">{tr("imports.page.previewBanner")}</Text>
                {summary.errorCount > 0 ? (
                  <Text as="p">
                    {tr("imports.page.previewErrorsBanner", {
                      count: formatCount(summary.errorCount),
                    })}
                  </Text>
                ) : null}
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        {summary.refusal ? (
          <Layout.Section>
            <Banner tone="critical">
              <BlockStack gap="100">
                <Text as="p">
                  {storedText(locale, summary.refusal.message)}
                </Text>
                <List>
                  {summary.refusal.rows.map((r) => (
                    <List.Item key={r.row}>
                      {storedText(locale, r.message)}
                    </List.Item>
                  ))}
                </List>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        {summary.status === "committing" ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {tr("imports.page.commitProgressTitle")}
                </Text>
                <ProgressBar
                  progress={
                    summary.validCount > 0
                      ? Math.round(
                          (summary.committedCount / summary.validCount) * 100,
                        )
                      : 0
                  }
                  animated={commitRunning}
                />
                <Text as="p" tone="subdued">
                  {tr("imports.page.commitProgress", {
                    done: formatCount(summary.committedCount),
                    total: formatCount(summary.validCount),
                  })}
                </Text>
                {!commitRunning ? (
                  <Banner
                    tone="warning"
                    action={{
                      content: tr("imports.page.resumeCommit"),
                      loading: busyIntent === "commit",
                      onAction: () =>
                        submit({ intent: "commit" }, { method: "post" }),
                    }}
                  >
                    <Text as="p">{tr("imports.page.commitInterrupted")}</Text>
                  </Banner>
                ) : null}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        {summary.committedCount > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {tr("imports.page.progressTitle")}
                </Text>
                <Text as="p">
                  {tr("imports.page.committedBanner", {
                    rows: formatCount(summary.committedCount),
                    created: formatCount(summary.shipmentsCreated),
                    marked: formatCount(summary.shipmentsMarked),
                  })}
                </Text>
                <ProgressBar
                  progress={percent}
                  tone={progress.failed > 0 ? "critical" : "success"}
                  animated={live}
                />
                <Text as="p" tone="subdued">
                  {tr("imports.page.progressCounts", {
                    synced: formatCount(progress.synced),
                    pending: formatCount(progress.pending),
                    failed: formatCount(progress.failed),
                    total: formatCount(progress.shipments),
                  })}
                </Text>
                {progress.failed > 0 ? (
                  <InlineStack>
                    <Button
                      loading={busyIntent === "retry_failed"}
                      onClick={() =>
                        submit({ intent: "retry_failed" }, { method: "post" })
                      }
                    >
                      {tr("imports.page.retryFailed", {
                        count: formatCount(progress.failed),
                      })}
                    </Button>
                  </InlineStack>
                ) : null}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {tr("imports.page.summaryTitle")}
              </Text>
              <Text as="p">
                {tr("imports.page.summaryRows", {
                  total: formatCount(summary.rowCount),
                  valid: formatCount(summary.validCount),
                  errors: formatCount(summary.errorCount),
                  warnings: formatCount(summary.warningCount),
                })}
              </Text>
              {summary.notices.map((notice, i) => (
                <Text as="p" tone="subdued" key={i}>
                  {storedText(locale, notice)}
                </Text>
              ))}
              <Text as="h3" variant="headingSm">
                {tr("imports.page.columnMapping")}
              </Text>
              <Text as="p" tone="subdued">
                {summary.columns
                  .map(
                    (c) =>
                      `${c.header || "—"} → ${c.field ? tr(fieldLabel(c.field)) : tr("imports.page.unusedColumn")}`,
                  )
                  .join(" · ")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <Tabs
              tabs={FILTERS.map((f) => ({ id: f.id, content: tr(f.label) }))}
              selected={Math.max(
                0,
                FILTERS.findIndex((f) => f.id === query.filter),
              )}
              onSelect={(index) =>
                setQuery({ filter: FILTERS[index].id, page: 1 })
              }
            />
            {rows.length === 0 ? (
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="p" tone="subdued">
                  {tr("imports.page.noRows")}
                </Text>
              </div>
            ) : (
              <DataTable
                columnContentTypes={[
                  "numeric",
                  "text",
                  "text",
                  "numeric",
                  "text",
                  "text",
                  "text",
                  "text",
                ]}
                headings={[
                  tr("imports.page.columnRow"),
                  tr("imports.page.columnOrder"),
                  tr("imports.page.columnItem"),
                  tr("imports.page.columnQuantity"),
                  tr("imports.page.columnTracking"),
                  tr("imports.page.columnCarrier"),
                  tr("imports.page.columnAction"),
                  tr("imports.page.columnResult"),
                ]}
                rows={rows.map((row) => {
                  const cell = (field: ImportField) => {
                    const column = summary.columns.find(
                      (c) => c.field === field,
                    );
                    return column ? keptCell(row.cells, column) : "";
                  };
                  const valid = row.errors.length === 0;
                  return [
                    row.rowNumber,
                    valid
                      ? row.orderName
                      : cell("orderName") || cell("orderId"),
                    valid
                      ? [row.sku, row.title].filter(Boolean).join(" · ")
                      : cell("sku") || cell("lineItemId"),
                    valid ? (row.quantity ?? "") : cell("quantity"),
                    valid
                      ? row.trackingNumbers.join(", ")
                      : cell("trackingNumbers"),
                    valid ? row.carrier : cell("carrier"),
                    valid
                      ? row.plannedShipmentId
                        ? tr("imports.plan.markShipped", {
                            shipment: row.plannedShipmentId,
                          })
                        : tr("imports.plan.create")
                      : "",
                    <RowResult key={row.rowNumber} row={row} />,
                  ];
                })}
              />
            )}
            <div
              style={{
                padding: "var(--p-space-300)",
                display: "flex",
                justifyContent: "center",
              }}
            >
              <Pagination
                hasPrevious={query.page > 1}
                onPrevious={() => setQuery({ page: query.page - 1 })}
                hasNext={hasNext}
                onNext={() => setQuery({ page: query.page + 1 })}
                previousTooltip={tr("imports.page.previous")}
                nextTooltip={tr("imports.page.next")}
              />
            </div>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type RowView = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];

function RowResult({ row }: { row: RowView }) {
  const locale = useLocale();
  const tr = useT();
  if (row.errors.length > 0) {
    return (
      <BlockStack gap="100">
        {row.errors.map((e, i) => (
          <Text as="p" tone="critical" key={i}>
            {storedText(locale, e.message)}
          </Text>
        ))}
      </BlockStack>
    );
  }
  return (
    <BlockStack gap="100">
      {row.shipment ? (
        <InlineStack gap="200" blockAlign="center">
          <ShipmentStatusBadge
            status={row.shipment.status}
            syncState={row.shipment.syncState}
            pendingOperation={row.shipment.pendingOperation}
            lastErrorClass={null}
          />
          <Link to={`/app/shipments/${row.shipment.id}`}>
            {tr("imports.page.shipmentLink", { id: row.shipment.id })}
          </Link>
          {row.shipment.lastErrorClass ? (
            <Text as="span" tone="critical" variant="bodySm">
              {errorTitle(row.shipment.lastErrorClass, locale)}
            </Text>
          ) : null}
        </InlineStack>
      ) : (
        <Text as="p" tone={row.committed ? "subdued" : "success"}>
          {row.committed
            ? tr("imports.page.shipmentDeleted")
            : tr("imports.page.resultValid")}
        </Text>
      )}
      {row.warnings.map((w, i) => (
        <Text as="p" tone="caution" variant="bodySm" key={i}>
          {storedText(locale, w)}
        </Text>
      ))}
    </BlockStack>
  );
}

// Thrown authentication responses (401 with the retry header, App Bridge redirects)
// keep their headers only if this route passes them on: see routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
