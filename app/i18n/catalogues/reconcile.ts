import type { Translation } from "../catalogue";

/** What Shopify changed behind a shipment's back: its notes (~/reconcile/note-copy). */
const ja = {
  notes: {
    fulfillment_cancelled_in_shopify:
      "Shopify 管理画面でフルフィルメントがキャンセルされたため、未発送に戻しました (追跡番号: {tracking})。再度発送する場合は「発送済みにする」を使ってください。",
    fulfillment_missing_in_shopify:
      "Shopify にフルフィルメントが見つからないため、未発送に戻しました (追跡番号: {tracking})。",
    tracking_changed_in_shopify:
      "Shopify 管理画面で追跡番号が変更されたため、こちらにも反映しました ({before} → {after})。",
    fulfilled_in_shopify:
      "Shopify 管理画面で同じ商品と数量が発送済みにされたため、発送済みとして取り込みました (追跡番号: {tracking})。",
    lines_fulfilled_in_shopify:
      "この出荷の商品の一部が Shopify 管理画面で発送済みにされています。発送済みにする前に数量を確認してください。",
    order_cancelled_in_shopify:
      "Shopify で注文がキャンセルされたため、保留中の同期を停止しました。Shopify には何も送信していません。",
  },
} as const;

const en: Translation<typeof ja> = {
  notes: {
    fulfillment_cancelled_in_shopify:
      "The fulfillment was cancelled in Shopify admin, so this shipment is unshipped again (tracking: {tracking}). Mark it shipped again if it did ship.",
    fulfillment_missing_in_shopify:
      "Shopify no longer has this shipment's fulfillment, so it is unshipped again (tracking: {tracking}).",
    tracking_changed_in_shopify:
      "Tracking was changed in Shopify admin and is taken over here ({before} → {after}).",
    fulfilled_in_shopify:
      "The same items and quantities were fulfilled in Shopify admin; the shipment was marked shipped from it (tracking: {tracking}).",
    lines_fulfilled_in_shopify:
      "Some of this shipment's items were fulfilled in Shopify admin. Check the quantities before marking it shipped.",
    order_cancelled_in_shopify:
      "The order was cancelled in Shopify, so the pending sync was stopped. Nothing was sent to Shopify.",
  },
};

export const reconcile = { ja, en };
