import { prepareTrackingInfo, type CarrierContext } from "~/fulfillment/carriers";
import { describeTrackingNumberWarning } from "~/fulfillment/messages";
import type { Message } from "~/i18n/messages";

// Client-safe (no zod, no server code): the shipment page runs it as the operator types.

/** One per line; commas and Japanese commas also separate (pasted from spreadsheets). */
export function splitTrackingNumbers(text: string): string[] {
  return text
    .split(/[\r\n,、，]+/)
    .map((n) => n.trim())
    .filter(Boolean);
}

/**
 * The number warnings (a check digit that doesn't match, a length the carrier never
 * uses) for what is typed so far: the form shows them before 発送済みにする is pressed,
 * the same findings the server returns after.
 */
export function trackingNumberWarnings(
  input: { trackingNumbers: string; carrier: string },
  context: CarrierContext = {},
): Message[] {
  const numbers = splitTrackingNumbers(input.trackingNumbers);
  if (numbers.length === 0 || !input.carrier.trim()) return [];
  return prepareTrackingInfo({ carrier: input.carrier, trackingNumbers: numbers, trackingUrl: null }, context).numberWarnings.map(
    describeTrackingNumberWarning,
  );
}

