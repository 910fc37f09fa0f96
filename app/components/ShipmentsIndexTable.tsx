import { useCallback, useEffect, useState } from "react";
import { useNavigate, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
  ChoiceList,
  EmptySearchResult,
  IndexFilters,
  IndexTable,
  InlineStack,
  Link as PolarisLink,
  Text,
  useIndexResourceState,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
  type TabProps,
} from "@shopify/polaris";
import type { ShipmentListRow } from "~/shipments/shipment-list.server";
import { carrierShownName } from "~/fulfillment/carriers";
import { useLocale, useT } from "~/i18n/use-locale";
import { ShipmentStatusBadge } from "./ShipmentStatusBadge";
import { errorTitle, isSyncErrorClass } from "./error-copy";

interface Props {
  rows: ShipmentListRow[];
  vendors: string[];
  nextCursor: string | null;
  previousCursor: string | null;
}

const MAX_ITEMS_SHOWN = 3;
const TWO_LINES = {
  display: "-webkit-box",
  WebkitLineClamp: 2,
  WebkitBoxOrient: "vertical",
  overflow: "hidden",
} as const;

// Quick views over the two filters merchants use most.
const TABS = [
  { id: "all", params: {} },
  { id: "unshipped", params: { status: "unshipped" } },
  { id: "pending", params: { sync: "pending" } },
  { id: "failed", params: { sync: "failed" } },
] as const;

/**
 * The shipments IndexTable. Filters, search, sort and pages live in the URL, so the
 * loader does the work and a reload or a shared link shows the same rows.
 */
export function ShipmentsIndexTable({ rows, vendors, nextCursor, previousCursor }: Props) {
  const tr = useT();
  const locale = useLocale();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { mode, setMode } = useSetIndexFiltersMode();

  const [query, setQuery] = useState(searchParams.get("q") ?? "");
  useEffect(() => setQuery(searchParams.get("q") ?? ""), [searchParams]);

  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(searchParams);
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      // A filter change starts again from the first page.
      next.delete("cursor");
      next.delete("direction");
      setSearchParams(next);
    },
    [searchParams, setSearchParams],
  );

  // Search is applied after typing pauses, not on every key.
  useEffect(() => {
    const current = searchParams.get("q") ?? "";
    if (query === current) return;
    const timer = setTimeout(() => update({ q: query || null }), 350);
    return () => clearTimeout(timer);
  }, [query, searchParams, update]);

  const tabLabels: Record<(typeof TABS)[number]["id"], string> = {
    all: tr("shipments.tabAll"),
    unshipped: tr("shipments.statusUnshipped"),
    pending: tr("shipments.syncPending"),
    failed: tr("shipments.syncFailed"),
  };
  const selectedTab = Math.max(
    0,
    TABS.findIndex(
      (tab) =>
        (searchParams.get("status") ?? undefined) === ("status" in tab.params ? tab.params.status : undefined) &&
        (searchParams.get("sync") ?? undefined) === ("sync" in tab.params ? tab.params.sync : undefined),
    ),
  );
  const tabs: TabProps[] = TABS.map((tab, index) => ({
    id: tab.id,
    content: tabLabels[tab.id],
    index,
    isLocked: index === 0,
    onAction: () =>
      update({
        status: "status" in tab.params ? tab.params.status : null,
        sync: "sync" in tab.params ? tab.params.sync : null,
      }),
  }));

  const sortOptions: IndexFiltersProps["sortOptions"] = [
    { label: tr("shipments.sortNewest"), value: "created desc", directionLabel: tr("shipments.sortNewest") },
    { label: tr("shipments.sortOldest"), value: "created asc", directionLabel: tr("shipments.sortOldest") },
    { label: tr("shipments.columnOrder"), value: "order asc", directionLabel: tr("shipments.sortOrderAsc") },
    { label: tr("shipments.columnOrder"), value: "order desc", directionLabel: tr("shipments.sortOrderDesc") },
  ];
  const sortToParam: Record<string, string> = {
    "created desc": "newest",
    "created asc": "oldest",
    "order asc": "order_asc",
    "order desc": "order_desc",
  };
  const paramToSort = Object.fromEntries(Object.entries(sortToParam).map(([k, v]) => [v, k]));
  const sortSelected = [paramToSort[searchParams.get("sort") ?? "newest"] ?? "created desc"];

  const status = searchParams.get("status");
  const sync = searchParams.get("sync");
  const vendor = searchParams.get("vendor");
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "status",
      label: tr("shipments.filterStatus"),
      filter: (
        <ChoiceList
          title={tr("shipments.filterStatus")}
          titleHidden
          choices={[
            { label: tr("shipments.statusUnshipped"), value: "unshipped" },
            { label: tr("shipments.statusShipped"), value: "shipped" },
          ]}
          selected={status ? [status] : []}
          onChange={(value) => update({ status: value[0] ?? null })}
        />
      ),
      shortcut: true,
    },
    {
      key: "sync",
      label: tr("shipments.filterSync"),
      filter: (
        <ChoiceList
          title={tr("shipments.filterSync")}
          titleHidden
          choices={[
            { label: tr("shipments.syncInSync"), value: "in_sync" },
            { label: tr("shipments.syncPending"), value: "pending" },
            { label: tr("shipments.syncFailed"), value: "failed" },
          ]}
          selected={sync ? [sync] : []}
          onChange={(value) => update({ sync: value[0] ?? null })}
        />
      ),
      shortcut: true,
    },
    {
      key: "vendor",
      label: tr("shipments.filterVendor"),
      filter: (
        <ChoiceList
          title={tr("shipments.filterVendor")}
          titleHidden
          choices={vendors.map((v) => ({ label: v, value: v }))}
          selected={vendor ? [vendor] : []}
          onChange={(value) => update({ vendor: value[0] ?? null })}
        />
      ),
      shortcut: true,
    },
  ];
  const statusLabel = (v: string) => (v === "shipped" ? tr("shipments.statusShipped") : tr("shipments.statusUnshipped"));
  const syncLabel = (v: string) =>
    v === "failed" ? tr("shipments.syncFailed") : v === "pending" ? tr("shipments.syncPending") : tr("shipments.syncInSync");
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [
    ...(status ? [{ key: "status", label: `${tr("shipments.filterStatus")}: ${statusLabel(status)}`, onRemove: () => update({ status: null }) }] : []),
    ...(sync ? [{ key: "sync", label: `${tr("shipments.filterSync")}: ${syncLabel(sync)}`, onRemove: () => update({ sync: null }) }] : []),
    ...(vendor ? [{ key: "vendor", label: `${tr("shipments.filterVendor")}: ${vendor}`, onRemove: () => update({ vendor: null }) }] : []),
  ];

  const resourceName = {
    singular: tr("shipments.resourceSingular"),
    plural: tr("shipments.resourcePlural"),
  };
  const resources = rows.map((row) => ({ ...row, id: String(row.id) }));
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(resources);

  // Clear the selection when other rows are shown (a new page or filter) — not when the
  // same rows are revalidated as the queue moves, which would drop it every few seconds.
  const rowIds = rows.map((row) => row.id).join(",");
  useEffect(() => clearSelection(), [rowIds, clearSelection]);

  const retrySelected = () => {
    const form = new FormData();
    form.set("intent", "retry");
    if (allResourcesSelected && (nextCursor || previousCursor)) {
      // "All matching this filter": the server re-applies the filter, not the page.
      form.set("scope", "all_matching");
      for (const key of ["status", "sync", "vendor", "q"]) {
        const value = searchParams.get(key);
        if (value) form.set(key, value);
      }
    } else {
      for (const id of selectedResources) form.append("ids", id);
    }
    submit(form, { method: "post" });
  };

  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app";

  const rowMarkup = rows.map((row, index) => {
    // One item a line, each at most two lines (the full text on hover); past three
    // items, a count — a row stays short at the ~900 px Shopify admin gives an app.
    const shownItems = row.items.slice(0, MAX_ITEMS_SHOWN);
    const moreItems = row.items.length - shownItems.length;
    return (
      <IndexTable.Row
        id={String(row.id)}
        key={row.id}
        position={index}
        selected={selectedResources.includes(String(row.id))}
        onClick={() => navigate(`/app/shipments/${row.id}`)}
      >
        <IndexTable.Cell>
          <PolarisLink
            url={`/app/shipments/${row.id}`}
            removeUnderline
            dataPrimaryLink
            monochrome
          >
            <Text as="span" variant="bodyMd" fontWeight="semibold">
              {row.orderName}
            </Text>
          </PolarisLink>
        </IndexTable.Cell>
        <IndexTable.Cell>{row.vendor ?? "—"}</IndexTable.Cell>
        <IndexTable.Cell>
          {shownItems.length === 0 ? (
            <Text as="span" tone="subdued" variant="bodySm">
              —
            </Text>
          ) : (
            <div style={{ minWidth: 180, maxWidth: 260, whiteSpace: "normal" }}>
              {shownItems.map((item, i) => (
                <div key={i} title={`${item.title} × ${item.quantity}`} style={TWO_LINES}>
                  <Text as="span" variant="bodySm">
                    {item.title} × {item.quantity}
                  </Text>
                </div>
              ))}
              {moreItems > 0 ? (
                <Text as="span" variant="bodySm" tone="subdued">
                  {tr("shipments.moreItems", { count: moreItems })}
                </Text>
              ) : null}
            </div>
          )}
        </IndexTable.Cell>
        <IndexTable.Cell>
          {row.trackingNumbers.length > 0 ? (
            <div style={{ whiteSpace: "nowrap" }}>
              {row.trackingNumbers.map((number) => (
                <div key={number}>
                  <Text as="span" variant="bodySm" numeric>
                    {number}
                  </Text>
                </div>
              ))}
            </div>
          ) : (
            <Text as="span" tone="subdued" variant="bodySm">
              —
            </Text>
          )}
        </IndexTable.Cell>
        <IndexTable.Cell>{row.carrier ? carrierShownName(row.carrier, locale) : "—"}</IndexTable.Cell>
        <IndexTable.Cell>
          <ShipmentStatusBadge
            status={row.status}
            syncState={row.syncState}
            pendingOperation={row.pendingOperation}
            lastErrorClass={isSyncErrorClass(row.lastErrorClass) ? row.lastErrorClass : null}
          />
        </IndexTable.Cell>
        <IndexTable.Cell>
          {row.lastErrorClass ? (
            <InlineStack gap="100" wrap={false}>
              <Badge tone={row.syncState === "failed" ? "critical" : "warning"} size="small">
                {errorTitle(row.lastErrorClass, locale)}
              </Badge>
            </InlineStack>
          ) : null}
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  return (
    <>
      <IndexFilters
        sortOptions={sortOptions}
        sortSelected={sortSelected}
        onSort={(value) => update({ sort: sortToParam[value[0] ?? ""] ?? null })}
        queryValue={query}
        queryPlaceholder={tr("shipments.searchPlaceholder")}
        onQueryChange={setQuery}
        onQueryClear={() => {
          setQuery("");
          update({ q: null });
        }}
        tabs={tabs}
        selected={selectedTab}
        onSelect={() => undefined}
        filters={filters}
        appliedFilters={appliedFilters}
        onClearAll={() => update({ status: null, sync: null, vendor: null, q: null })}
        mode={mode}
        setMode={setMode}
        loading={loading}
        canCreateNewView={false}
        cancelAction={{ onAction: () => undefined, disabled: false, loading: false }}
      />
      <IndexTable
        resourceName={resourceName}
        itemCount={rows.length}
        selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
        onSelectionChange={handleSelectionChange}
        hasMoreItems={Boolean(nextCursor || previousCursor)}
        promotedBulkActions={[
          {
            content:
              allResourcesSelected && (nextCursor || previousCursor)
                ? tr("shipments.bulkRetryAllMatching")
                : tr("shipments.bulkRetry"),
            onAction: retrySelected,
          },
        ]}
        emptyState={
          <EmptySearchResult title={tr("shipments.emptyTitle")} description={tr("shipments.emptyBody")} withIllustration />
        }
        headings={[
          { title: tr("shipments.columnOrder") },
          { title: tr("shipments.columnVendor") },
          { title: tr("shipments.columnItems") },
          { title: tr("shipments.columnTracking") },
          { title: tr("shipments.columnCarrier") },
          { title: tr("shipments.columnStatus") },
          { title: tr("shipments.columnLastError") },
        ]}
        pagination={{
          hasPrevious: Boolean(previousCursor),
          hasNext: Boolean(nextCursor),
          onPrevious: () => {
            const next = new URLSearchParams(searchParams);
            next.set("cursor", previousCursor!);
            next.set("direction", "previous");
            setSearchParams(next);
          },
          onNext: () => {
            const next = new URLSearchParams(searchParams);
            next.set("cursor", nextCursor!);
            next.set("direction", "next");
            setSearchParams(next);
          },
        }}
      >
        {rowMarkup}
      </IndexTable>
    </>
  );
}
