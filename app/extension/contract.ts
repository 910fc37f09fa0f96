/**
 * What the order-page extensions (extensions/vendor-shipments-*) and the app's
 * /api/extension routes say to each other. Types and paths only: the extensions import
 * this file, so it may import nothing that would end up in their bundle (type imports
 * are erased).
 */
import type { Locale } from "../i18n/locale";

/** One text in both languages; the extension shows the admin's. */
export interface LocalizedText {
  ja: string;
  en: string;
}

/** A key of the app's status badge words (`fulfillment.badge.*` of ~/i18n/catalogues/fulfillment). */
export type ShipmentStatusKey =
  | "unshipped"
  | "shipped"
  | "shippedNotSynced"
  | "unshippedNotSynced"
  | "syncError";

export type ShipmentTone =
  "success" | "attention" | "critical" | "info" | "neutral";

export interface OrderShipmentView {
  id: number;
  vendor: string | null;
  status: ShipmentStatusKey;
  tone: ShipmentTone;
  /** Shipped (in Shopify or on its way): the action offers it for a tracking correction. */
  shipped: boolean;
  lines: { title: string; sku: string | null; quantity: number }[];
  trackingNumbers: string[];
  carrier: string | null;
  /**
   * Set for a shipment whose sync failed: the app's guidance, one line (what the app's
   * own check found wrong, when it found it, else the error's title).
   */
  guidance: LocalizedText | null;
  /** A failed sync the operator may retry (「再試行」). */
  canRetry: boolean;
  /** The shipment's page in the app (for an `app:` link). */
  appPath: string;
}

export interface OrderShipmentsBody {
  /** The order's name when this shop's app knows the order. */
  order: { name: string | null };
  shipments: OrderShipmentView[];
  /** The app's page of this order, where shipments are created. */
  createPath: string;
  /** Only with `?include=carriers`: the app's carrier list for the autocomplete. */
  carriers?: { value: string; label: string; keywords: string[] }[];
}

export type ShipmentCommandBody =
  | {
      ok: true;
      /** The app's toast for what happened (the same words as the shipment page). */
      message: LocalizedText;
      /** Non-blocking findings (unknown carrier, odd tracking number). */
      warnings: LocalizedText[];
    }
  | {
      ok: false;
      /** Field errors of the tracking form: the app's own validation. */
      fieldErrors?: Partial<
        Record<"trackingNumbers" | "carrier" | "trackingUrl", LocalizedText>
      >;
      error?: LocalizedText;
    };

export interface ShipmentCommandInput {
  intent: "mark_shipped" | "retry";
  trackingNumbers?: string;
  carrier?: string;
  trackingUrl?: string;
  notifyCustomer?: boolean;
}

/** "gid://shopify/Order/123" → "123" (the app's URL form). */
export function orderNumericId(orderGid: string): string | null {
  const match = /^gid:\/\/shopify\/Order\/([0-9]{1,20})$/.exec(orderGid);
  return match ? match[1]! : null;
}

export const extensionApi = {
  orderShipments: (
    orderNumeric: string,
    options: { locale: Locale; carriers?: boolean },
  ) =>
    `/api/extension/orders/${orderNumeric}?locale=${options.locale}${options.carriers ? "&include=carriers" : ""}`,
  shipmentCommand: (
    orderNumeric: string,
    shipmentId: number,
    locale: Locale,
  ) =>
    `/api/extension/orders/${orderNumeric}/shipments/${shipmentId}?locale=${locale}`,
};
