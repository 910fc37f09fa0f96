import { message, type Message } from "~/i18n/messages";

/**
 * The orders pages' messages that depend on data: what a reconcile run found for a
 * shipment (reconcile_runs.report.drift[].kind), as the orders page lists it. The
 * words are the `orders` catalogue's (~/i18n/catalogues/orders); an unknown kind (a
 * newer version's) shows as itself.
 */
export function driftMessage(kind: string): Message {
  switch (kind) {
    case "fulfillment_cancelled":
      return message("orders.driftFulfillmentCancelled");
    case "fulfillment_missing":
      return message("orders.driftFulfillmentMissing");
    case "tracking_changed":
      return message("orders.driftTrackingChanged");
    case "revert_settled":
      return message("orders.driftRevertSettled");
    case "adopted":
      return message("orders.driftAdopted");
    default:
      return message("common.verbatim", { text: kind });
  }
}

// Dates on the orders pages: the app's one formatter (shop time zone, labelled).
export { formatDate, formatDateTime } from "~/i18n/format-time";
