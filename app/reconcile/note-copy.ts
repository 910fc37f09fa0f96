import type { Localized } from "~/fulfillment/messages";

/**
 * Shipment notes' kinds and their text for staff. Pure, so pages can render them
 * (the rows are written and read by ./notes.server).
 */
export type ShipmentNoteKind =
  | "fulfillment_cancelled_in_shopify"
  | "fulfillment_missing_in_shopify"
  | "tracking_changed_in_shopify"
  | "fulfilled_in_shopify"
  | "lines_fulfilled_in_shopify"
  | "order_cancelled_in_shopify";

export type NoteSource = "webhook" | "reconcile";

export interface ShipmentNote {
  id: number;
  kind: ShipmentNoteKind;
  source: NoteSource;
  details: Record<string, unknown>;
  createdAt: string;
}

/** The note's text for staff, in both languages. */
export function describeShipmentNote(note: {
  kind: string;
  details: Record<string, unknown>;
}): Localized {
  const d = note.details;
  const tracking = (value: unknown) =>
    Array.isArray(value) && value.length > 0 ? value.join(", ") : "—";
  switch (note.kind) {
    case "fulfillment_cancelled_in_shopify":
      return {
        ja: `Shopify 管理画面でフルフィルメントがキャンセルされたため、未発送に戻しました (追跡番号: ${tracking(d.trackingNumbers)})。再度発送する場合は「発送済みにする」を使ってください。`,
        en: `The fulfillment was cancelled in Shopify admin, so this shipment is unshipped again (tracking: ${tracking(d.trackingNumbers)}). Mark it shipped again if it did ship.`,
      };
    case "fulfillment_missing_in_shopify":
      return {
        ja: `Shopify にフルフィルメントが見つからないため、未発送に戻しました (追跡番号: ${tracking(d.trackingNumbers)})。`,
        en: `Shopify no longer has this shipment's fulfillment, so it is unshipped again (tracking: ${tracking(d.trackingNumbers)}).`,
      };
    case "tracking_changed_in_shopify":
      return {
        ja: `Shopify 管理画面で追跡番号が変更されたため、こちらにも反映しました (${tracking(d.before)} → ${tracking(d.after)})。`,
        en: `Tracking was changed in Shopify admin and is taken over here (${tracking(d.before)} → ${tracking(d.after)}).`,
      };
    case "fulfilled_in_shopify":
      return {
        ja: `Shopify 管理画面で同じ商品と数量が発送済みにされたため、発送済みとして取り込みました (追跡番号: ${tracking(d.trackingNumbers)})。`,
        en: `The same items and quantities were fulfilled in Shopify admin; the shipment was marked shipped from it (tracking: ${tracking(d.trackingNumbers)}).`,
      };
    case "lines_fulfilled_in_shopify":
      return {
        ja: "この出荷の商品の一部が Shopify 管理画面で発送済みにされています。発送済みにする前に数量を確認してください。",
        en: "Some of this shipment's items were fulfilled in Shopify admin. Check the quantities before marking it shipped.",
      };
    case "order_cancelled_in_shopify":
      return {
        ja: "Shopify で注文がキャンセルされたため、保留中の同期を停止しました。Shopify には何も送信していません。",
        en: "The order was cancelled in Shopify, so the pending sync was stopped. Nothing was sent to Shopify.",
      };
    default:
      return { ja: note.kind, en: note.kind };
  }
}
