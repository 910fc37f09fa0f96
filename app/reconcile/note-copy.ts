import { message, type Message } from "~/i18n/messages";

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

/** The note as a message for staff; an unknown kind (a newer version's) shows as itself. */
export function describeShipmentNote(note: {
  kind: string;
  details: Record<string, unknown>;
}): Message {
  const d = note.details;
  const tracking = (value: unknown) =>
    Array.isArray(value) && value.length > 0 ? value.join(", ") : "—";
  switch (note.kind) {
    case "fulfillment_cancelled_in_shopify":
    case "fulfillment_missing_in_shopify":
    case "fulfilled_in_shopify":
      return message(`reconcile.notes.${note.kind}`, {
        tracking: tracking(d.trackingNumbers),
      });
    case "tracking_changed_in_shopify":
      return message("reconcile.notes.tracking_changed_in_shopify", {
        before: tracking(d.before),
        after: tracking(d.after),
      });
    case "lines_fulfilled_in_shopify":
    case "order_cancelled_in_shopify":
      return message(`reconcile.notes.${note.kind}`);
    default:
      return message("common.verbatim", { text: note.kind });
  }
}
