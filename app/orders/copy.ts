import { useLocale } from "~/i18n/use-locale";
import type { AppLocale } from "~/i18n/locale";

/**
 * Copy for the orders pages (orders list, backfill, reconcile, creating shipments), in
 * Japanese and English. Kept beside the feature; both locales have the same keys (a
 * test checks it). Placeholders: `{name}`.
 */
export const ordersCopy = {
  ja: {
    navOrders: "注文",
    ordersTitle: "注文",
    ordersSubtitle: "Shopify の注文から出荷を作成します",
    columnOrder: "注文",
    columnDate: "注文日",
    columnVendors: "ベンダー",
    columnLines: "商品",
    columnShipments: "出荷",
    columnUnassigned: "未割り当て",
    cancelledBadge: "キャンセル済み",
    closedBadge: "アーカイブ済み",
    noOrdersTitle: "注文がありません",
    noOrdersBody:
      "Shopify の注文は Webhook で届きます。過去の注文は「過去の注文を取り込む」で取り込めます。",
    searchOrders: "注文番号またはベンダーで検索",
    nextPage: "次へ",
    backfillTitle: "過去の注文の取り込み",
    backfillBody:
      "直近 {days} 日間の注文を Shopify から取り込みます。API の利用枠に合わせて少しずつ進みます。",
    backfillStart: "過去の注文を取り込む",
    backfillContinue: "続きを取り込む",
    backfillRunning: "取り込み中: {orders} 件の注文 ({pages} ページ)",
    backfillCompleted:
      "完了: {orders} 件の注文、{lines} 件の商品を取り込みました",
    backfillFailed: "取り込みに失敗しました: {error}",
    backfillPaused: "一時停止中 (自動で再開します): {error}",
    backfillReached: "{date} までの注文を取り込み済み",
    backfillWaited: "API 利用枠の回復待ち: {seconds} 秒",
    backfillNever: "まだ取り込みは行われていません。",
    backfillKeepOpen:
      "このページを開いている間、取り込みが続きます。閉じても、次に開いたときに続きから再開します。",
    reconcileTitle: "Shopify との照合",
    reconcileBody:
      "発送済みの出荷を Shopify のフルフィルメントと照合し、Shopify 側での変更 (キャンセル・追跡番号の修正) を反映します。",
    reconcileRun: "今すぐ照合する",
    reconcileNever: "まだ照合は行われていません。",
    reconcileSummary: "{time}: {checked} 件を照合、{repaired} 件を修正",
    reconcileFailed: "{time}: 照合に失敗しました: {error}",
    reconcileLimit:
      "件数の上限に達したため、残りは次回の定期照合で確認します。",
    driftFulfillmentCancelled: "Shopify でキャンセル → 未発送に戻しました",
    driftFulfillmentMissing: "Shopify に存在しない → 未発送に戻しました",
    driftTrackingChanged: "追跡番号を Shopify に合わせました",
    driftRevertSettled: "未発送に戻す処理が Shopify で完了済みでした",
    driftAdopted: "Shopify の発送を取り込みました",
    toastReconciled: "照合しました: {repaired} 件を修正",
    toastBackfillStarted: "取り込みを開始しました",
    orderBack: "注文一覧",
    orderLinesTitle: "注文の商品",
    columnItem: "商品",
    columnSku: "SKU",
    columnVendor: "ベンダー",
    columnOrdered: "注文数",
    columnAssigned: "出荷に割り当て済み",
    columnRemaining: "残り",
    createTitle: "出荷を作成",
    createBody:
      "ベンダーごとに 1 件の出荷を作成します。数量は変更でき、0 にした商品は含まれません。",
    createGroup: "{vendor} の出荷",
    noVendor: "ベンダー未設定",
    createSubmit: "出荷を作成",
    createNothingLeft: "すべての商品が出荷に割り当て済みです。",
    createCancelled:
      "この注文は Shopify でキャンセルされているため、出荷を作成できません。",
    toastCreated: "{count} 件の出荷を作成しました",
    errorOverRemaining:
      "他のスタッフが先に出荷を作成したため、数量が残りを超えています。画面を更新してください。",
    errorNotFound: "この注文は見つかりません。",
    shipmentsTitle: "この注文の出荷",
    noShipments: "まだ出荷はありません。",
    openShipment: "出荷を開く",
    statusUnshipped: "未発送",
    statusShipped: "発送済み",
    syncPending: "同期待ち",
    syncFailed: "同期エラー",
  },
  en: {
    navOrders: "Orders",
    ordersTitle: "Orders",
    ordersSubtitle: "Create shipments from Shopify orders",
    columnOrder: "Order",
    columnDate: "Date",
    columnVendors: "Vendors",
    columnLines: "Items",
    columnShipments: "Shipments",
    columnUnassigned: "Not in a shipment",
    cancelledBadge: "Cancelled",
    closedBadge: "Archived",
    noOrdersTitle: "No orders",
    noOrdersBody:
      "Shopify's orders arrive by webhook. Import earlier ones with “Import recent orders”.",
    searchOrders: "Search by order number or vendor",
    nextPage: "Next",
    backfillTitle: "Import recent orders",
    backfillBody:
      "Imports the orders of the last {days} days from Shopify, a page at a time within the API's rate limit.",
    backfillStart: "Import recent orders",
    backfillContinue: "Continue importing",
    backfillRunning: "Importing: {orders} orders ({pages} pages)",
    backfillCompleted: "Done: {orders} orders with {lines} items imported",
    backfillFailed: "The import failed: {error}",
    backfillPaused: "Paused (resumes by itself): {error}",
    backfillReached: "Orders back to {date} imported",
    backfillWaited: "Waited for the API rate limit: {seconds} s",
    backfillNever: "No import has run yet.",
    backfillKeepOpen:
      "The import goes on while this page is open. Closed, it resumes where it stopped next time.",
    reconcileTitle: "Reconcile with Shopify",
    reconcileBody:
      "Compares shipped shipments with their Shopify fulfillments and applies changes made in Shopify (cancellations, corrected tracking).",
    reconcileRun: "Reconcile now",
    reconcileNever: "No reconciliation has run yet.",
    reconcileSummary: "{time}: {checked} checked, {repaired} repaired",
    reconcileFailed: "{time}: reconciliation failed: {error}",
    reconcileLimit:
      "The limit was reached; the rest is checked by the next scheduled run.",
    driftFulfillmentCancelled: "Cancelled in Shopify → unshipped again",
    driftFulfillmentMissing: "Gone from Shopify → unshipped again",
    driftTrackingChanged: "Tracking taken over from Shopify",
    driftRevertSettled: "The revert was already done in Shopify",
    driftAdopted: "Fulfillment from Shopify adopted",
    toastReconciled: "Reconciled: {repaired} repaired",
    toastBackfillStarted: "Import started",
    orderBack: "Orders",
    orderLinesTitle: "Order items",
    columnItem: "Item",
    columnSku: "SKU",
    columnVendor: "Vendor",
    columnOrdered: "Ordered",
    columnAssigned: "In shipments",
    columnRemaining: "Remaining",
    createTitle: "Create shipments",
    createBody:
      "One shipment per vendor. Quantities can be changed; items set to 0 are left out.",
    createGroup: "Shipment from {vendor}",
    noVendor: "No vendor",
    createSubmit: "Create shipments",
    createNothingLeft: "Every item is already in a shipment.",
    createCancelled:
      "This order was cancelled in Shopify: no shipments can be created.",
    toastCreated: "{count} shipments created",
    errorOverRemaining:
      "Someone created shipments meanwhile and the quantities exceed what remains. Reload the page.",
    errorNotFound: "This order was not found.",
    shipmentsTitle: "Shipments of this order",
    noShipments: "No shipments yet.",
    openShipment: "Open shipment",
    statusUnshipped: "Unshipped",
    statusShipped: "Shipped",
    syncPending: "Sync pending",
    syncFailed: "Sync error",
  },
} as const;

export type OrdersCopyKey = keyof (typeof ordersCopy)["ja"];

export function ordersText(
  locale: AppLocale,
  key: OrdersCopyKey,
  values: Record<string, string | number> = {},
): string {
  return ordersCopy[locale][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    name in values ? String(values[name]) : `{${name}}`,
  );
}

/** `const tr = useOrdersT(); tr("ordersTitle")` */
export function useOrdersT() {
  const locale = useLocale();
  return (key: OrdersCopyKey, values?: Record<string, string | number>) =>
    ordersText(locale, key, values);
}

// Dates on the orders pages: the app's one formatter (shop time zone, labelled).
export { formatDate, formatDateTime } from "~/i18n/format-time";
