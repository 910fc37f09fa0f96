import { normalizeHttpUrl } from "~/http/url";
import { z } from "zod";
import { prepareTrackingInfo, type CarrierContext } from "~/fulfillment/carriers";
import {
  describeCarrierWarning,
  describeTrackingNumberWarning,
  type Localized,
} from "~/fulfillment/messages";
import type { TrackingDetails } from "./shipment-commands.server";
import { splitTrackingNumbers } from "./tracking-warnings";

/**
 * The mark-shipped / correct-tracking form → what markShipped stores, or field errors
 * for the form. Carrier and number-format findings are warnings (shown, never
 * blocking): Shopify accepts unknown carriers and numbers change format.
 */
export type TrackingFormField = "trackingNumbers" | "carrier" | "trackingUrl";

export type TrackingFormResult =
  | { ok: true; tracking: TrackingDetails; warnings: Localized[] }
  | { ok: false; fieldErrors: Partial<Record<TrackingFormField, Localized>> };

const MAX_NUMBERS = 20;

const formSchema = z.object({
  trackingNumbers: z.string().max(2000),
  carrier: z.string().max(200),
  trackingUrl: z.string().max(2000),
  notifyCustomer: z.boolean(),
});

export function parseTrackingForm(form: FormData, context: CarrierContext = {}): TrackingFormResult {
  const raw = formSchema.safeParse({
    trackingNumbers: String(form.get("trackingNumbers") ?? ""),
    carrier: String(form.get("carrier") ?? ""),
    trackingUrl: String(form.get("trackingUrl") ?? ""),
    notifyCustomer: form.get("notifyCustomer") === "on" || form.get("notifyCustomer") === "true",
  });
  if (!raw.success) {
    const field = raw.error.issues[0]?.path[0] as TrackingFormField;
    return {
      ok: false,
      fieldErrors: { [field]: { ja: "入力が長すぎます。", en: "This value is too long." } },
    };
  }
  const { trackingNumbers, carrier, trackingUrl, notifyCustomer } = raw.data;
  const fieldErrors: Partial<Record<TrackingFormField, Localized>> = {};

  const numbers = splitTrackingNumbers(trackingNumbers);
  if (numbers.length === 0) {
    fieldErrors.trackingNumbers = {
      ja: "追跡番号を入力してください。",
      en: "Enter a tracking number.",
    };
  } else if (numbers.length > MAX_NUMBERS) {
    fieldErrors.trackingNumbers = {
      ja: `追跡番号は ${MAX_NUMBERS} 件までです。`,
      en: `Enter at most ${MAX_NUMBERS} tracking numbers.`,
    };
  }
  if (!carrier.trim()) {
    fieldErrors.carrier = { ja: "配送業者を選択してください。", en: "Choose a carrier." };
  }
  const url = normalizeHttpUrl(trackingUrl.trim()) ?? "";
  if (trackingUrl.trim() && !url) {
    fieldErrors.trackingUrl = {
      ja: "追跡 URL は http:// または https:// で始まる URL を入力してください（スペースや \\ は使えません）。",
      en: "Enter a tracking URL that starts with http:// or https:// (no spaces or backslashes).",
    };
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

  const prepared = prepareTrackingInfo(
    { carrier, trackingNumbers: numbers, trackingUrl: url || null },
    context,
  );
  return {
    ok: true,
    tracking: {
      trackingNumbers: prepared.numbers,
      carrier: prepared.carrier.kind === "empty" ? null : prepared.carrier.company,
      trackingUrl: url || null,
      notifyCustomer,
    },
    warnings: [
      ...prepared.carrierWarnings.map(describeCarrierWarning),
      ...prepared.numberWarnings.map(describeTrackingNumberWarning),
    ],
  };
}
