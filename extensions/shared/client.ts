import {
  extensionApi,
  orderNumericId,
  type OrderShipmentsBody,
  type ShipmentCommandBody,
  type ShipmentCommandInput,
  type ShipmentTone,
} from "../../app/extension/contract";

/**
 * What both order-page extensions share: the admin's language, the calls to the app's
 * /api/extension routes and the few mappings to Polaris web components. Shopify adds
 * the session token to a fetch of a relative URL and resolves it against the app's
 * URL, so nothing here handles tokens.
 */
export type Lang = "ja" | "en";

/**
 * The language of the locale file Shopify loaded, which the admin's language chose
 * (ja.json for Japanese, en.default.json for anything else).
 */
export function adminLang(translate: (key: string) => string): Lang {
  return translate("lang") === "ja" ? "ja" : "en";
}

export class LoadError extends Error {}

export async function loadOrderShipments(
  orderGid: string,
  lang: Lang,
  options: { carriers?: boolean } = {},
): Promise<OrderShipmentsBody> {
  const id = orderNumericId(orderGid);
  if (!id) throw new LoadError(`not an order: ${orderGid}`);
  const response = await fetch(
    extensionApi.orderShipments(id, {
      locale: lang,
      carriers: options.carriers,
    }),
  );
  if (!response.ok) throw new LoadError(`HTTP ${response.status}`);
  return (await response.json()) as OrderShipmentsBody;
}

export async function sendShipmentCommand(
  orderGid: string,
  shipmentId: number,
  lang: Lang,
  input: ShipmentCommandInput,
): Promise<{ status: number; body: ShipmentCommandBody }> {
  const id = orderNumericId(orderGid) ?? "0";
  const response = await fetch(
    extensionApi.shipmentCommand(id, shipmentId, lang),
    {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(input),
    },
  );
  let body: ShipmentCommandBody;
  try {
    body = (await response.json()) as ShipmentCommandBody;
  } catch {
    body = {
      ok: false,
      error: { ja: `HTTP ${response.status}`, en: `HTTP ${response.status}` },
    };
  }
  return { status: response.status, body };
}

/** An app page as an `app:` link (Shopify opens it inside the embedded app). */
export function appLink(path: string): string {
  return `app:${path.replace(/^\//, "")}`;
}

/** The app's Polaris React tones as Polaris web component tones. */
export function badgeTone(
  tone: ShipmentTone,
): "success" | "caution" | "critical" | "info" | "neutral" {
  return tone === "attention" ? "caution" : tone;
}
