import { normalizeHttpUrl } from "~/http/url";
import { z } from "zod";
import { prepareTrackingInfo, type CarrierContext } from "~/fulfillment/carriers";
import {
  describeCarrierWarning,
  describeTrackingNumberWarning,
} from "~/fulfillment/messages";
import { message, type Message } from "~/i18n/messages";
import type { TrackingDetails } from "./shipment-commands.server";
import { splitTrackingNumbers } from "./tracking-warnings";

/**
 * The mark-shipped / correct-tracking form → what markShipped stores, or field errors
 * for the form. Carrier and number-format findings are warnings (shown, never
 * blocking): Shopify accepts unknown carriers and numbers change format.
 */
export type TrackingFormField = "trackingNumbers" | "carrier" | "trackingUrl";

export type TrackingFormResult =
  | { ok: true; tracking: TrackingDetails; warnings: Message[] }
  | { ok: false; fieldErrors: Partial<Record<TrackingFormField, Message>> };

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
      fieldErrors: { [field]: message("shipments.form.tooLong") },
    };
  }
  const { trackingNumbers, carrier, trackingUrl, notifyCustomer } = raw.data;
  const fieldErrors: Partial<Record<TrackingFormField, Message>> = {};
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
    fieldErrors.trackingNumbers = message("shipments.form.trackingMissing");
  } else if (numbers.length > MAX_NUMBERS) {
    fieldErrors.trackingNumbers = message("shipments.form.tooManyTracking", {
      max: MAX_NUMBERS,
    });
  }
  if (!carrier.trim()) {
    fieldErrors.carrier = message("shipments.form.carrierMissing");
  }
  const url = normalizeHttpUrl(trackingUrl.trim()) ?? "";
  if (trackingUrl.trim() && !url) {
    fieldErrors.trackingUrl = message("shipments.form.urlInvalid");
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

function controlCharacter(field: TrackingFormField, character: string): Message {
  const codepoint = `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  // The field by the form's own label.
  return message("shipments.form.controlCharacter", {
    field: message(`shipments.${field}`),
    codepoint,
  });
}

