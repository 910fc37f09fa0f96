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
  // A hidden character makes another tracking number (and Postgres refuses NUL in text):
  // asked to be removed, never stripped silently. New lines separate numbers.
  for (const [field, value] of [
    ["trackingNumbers", trackingNumbers.replace(/[\r\n]/g, "")],
    ["carrier", carrier],
    ["trackingUrl", trackingUrl],
  ] as const) {
    const control = CONTROL.exec(value);
    if (control) fieldErrors[field] = controlCharacter(field, control[0]);
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

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

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const FIELD_LABEL: Record<TrackingFormField, Localized> = {
  trackingNumbers: { ja: "追跡番号", en: "Tracking numbers" },
  carrier: { ja: "配送業者", en: "Carrier" },
  trackingUrl: { ja: "追跡 URL", en: "Tracking URL" },
};

function controlCharacter(field: TrackingFormField, character: string): Localized {
  const codepoint = `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  return {
    ja: `「${FIELD_LABEL[field].ja}」に制御文字 (${codepoint}) が含まれています。削除してから入力し直してください。`,
    en: `“${FIELD_LABEL[field].en}” contains a control character (${codepoint}). Remove it and try again.`,
  };
}

