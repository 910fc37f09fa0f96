import { fulfillmentChanged, fulfillmentOrderChanged, orderChanged } from "./events";
import { generatedTrackingUrl } from "./tracking-urls";
import {
  ControlError,
  fulfillmentOrdersOf,
  fulfillmentsOf,
  legacyId,
  type FulfillmentLineRecord,
  type FulfillmentOrderLineRecord,
  type FulfillmentOrderRecord,
  type FulfillmentOrderStatus,
  type FulfillmentRecord,
  type OrderRecord,
  type ShopRecord,
  type Store,
  type TrackingInfoRecord,
} from "./store";

/**
 * What Shopify enforces when fulfillments are created, cancelled or corrected, and how
 * fulfillment orders (FOs) change state. Used by the GraphQL mutations and by the control
 * API (which seeds data through the same rules, so seeded state is state Shopify could
 * have reached).
 *
 * userError messages: the ones the project's facts sheet lists are used verbatim
 * ("Invalid fulfillment order line item quantity requested.", "Fulfillment order <id> has
 * an unfulfillable status= <status>.", "Fulfillment order does not exist.", "Fulfillment
 * order line item does not exist.", "All fulfillment orders must belong to the same
 * order."); the others are worded precisely but could not be confirmed (see README.md).
 */

export interface UserError {
  field: string[] | null;
  message: string;
}

export interface TrackingInput {
  company?: string | null;
  number?: string | null;
  numbers?: string[] | null;
  url?: string | null;
  urls?: string[] | null;
}

export interface FulfillmentInput {
  lineItemsByFulfillmentOrder: {
    fulfillmentOrderId: string;
    fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null;
  }[];
  trackingInfo?: TrackingInput | null;
  notifyCustomer?: boolean | null;
}

export type MutationResult =
  | { fulfillment: FulfillmentRecord; userErrors: [] }
  | { fulfillment: null; userErrors: UserError[] };

const FULFILLABLE: readonly FulfillmentOrderStatus[] = ["OPEN", "IN_PROGRESS"];

function failure(field: string[] | null, message: string): MutationResult {
  return { fulfillment: null, userErrors: [{ field, message }] };
}

/** Both `number` and `numbers` (or `url` and `urls`): Shopify refuses the ambiguity. */
export function trackingInputErrors(input: TrackingInput | null | undefined, path: string[]): UserError[] {
  if (!input) return [];
  const errors: UserError[] = [];
  if (input.number != null && input.numbers != null) {
    errors.push({
      field: [...path, "numbers"],
      message: "Only one of number or numbers can be provided.",
    });
  }
  if (input.url != null && input.urls != null) {
    errors.push({ field: [...path, "urls"], message: "Only one of url or urls can be provided." });
  }
  return errors;
}

/**
 * The FulfillmentTrackingInfo list a tracking input produces: urls pair with numbers by
 * position; a number without a URL gets the link Shopify builds for its company (none
 * for a company Shopify does not know).
 */
export function trackingInfoFrom(input: TrackingInput | null | undefined): TrackingInfoRecord[] {
  if (!input) return [];
  const company = input.company ?? null;
  if (input.numbers) {
    return input.numbers.map((number, index) => ({
      company,
      number,
      url: input.urls?.[index] ?? generatedTrackingUrl(company, number),
    }));
  }
  if (input.number != null) {
    return [{ company, number: input.number, url: input.url ?? generatedTrackingUrl(company, input.number) }];
  }
  if (input.urls && input.urls.length > 0) {
    return input.urls.map((url) => ({ company, number: null, url }));
  }
  if (company !== null || input.url != null) return [{ company, number: null, url: input.url ?? null }];
  return [];
}

export interface CreateOptions {
  /** Whether the caller may see (and so act on) this FO; unseen FOs "do not exist". */
  canAccess?: (fulfillmentOrder: FulfillmentOrderRecord) => boolean;
  /** Seeding: the id and timestamp of a fulfillment that already exists in the real shop. */
  id?: string;
  createdAt?: string;
}

/** fulfillmentCreate. Validates everything first, so a failed call changes nothing. */
export function createFulfillment(
  store: Store,
  shop: ShopRecord,
  input: FulfillmentInput,
  options: CreateOptions = {},
): MutationResult {
  const canAccess = options.canAccess ?? (() => true);
  const trackingErrors = trackingInputErrors(input.trackingInfo, ["fulfillment", "trackingInfo"]);
  if (trackingErrors.length > 0) return { fulfillment: null, userErrors: trackingErrors };

  const groups = input.lineItemsByFulfillmentOrder;
  if (groups.length === 0) {
    return failure(["fulfillment", "lineItemsByFulfillmentOrder"], "Line items by fulfillment order can't be blank.");
  }

  let order: OrderRecord | undefined;
  let locationId: string | undefined;
  // Planned decrements, per FO line; accumulated so that the same line listed twice
  // cannot exceed what remains.
  const planned = new Map<FulfillmentOrderLineRecord, number>();

  for (const group of groups) {
    const fulfillmentOrder = shop.fulfillmentOrders.get(group.fulfillmentOrderId);
    if (!fulfillmentOrder || !canAccess(fulfillmentOrder)) {
      return failure(["fulfillment"], "Fulfillment order does not exist.");
    }
    const owner = shop.orders.get(fulfillmentOrder.orderId)!;
    if (order && owner !== order) {
      return failure(["fulfillment"], "All fulfillment orders must belong to the same order.");
    }
    order = owner;
    if (!FULFILLABLE.includes(fulfillmentOrder.status)) {
      return failure(
        ["fulfillment"],
        `Fulfillment order ${legacyId(fulfillmentOrder.id)} has an unfulfillable status= ${fulfillmentOrder.status.toLowerCase()}.`,
      );
    }
    if (locationId && fulfillmentOrder.locationId !== locationId) {
      return failure(["fulfillment"], "All fulfillment orders must be assigned to the same location.");
    }
    locationId = fulfillmentOrder.locationId;

    const requested = group.fulfillmentOrderLineItems;
    if (requested == null || requested.length === 0) {
      // Omitted lines: everything that remains on the FO.
      const remaining = fulfillmentOrder.lines.filter((line) => line.remainingQuantity > 0);
      if (remaining.length === 0) {
        return failure(["fulfillment"], "Invalid fulfillment order line item quantity requested.");
      }
      for (const line of remaining) planned.set(line, (planned.get(line) ?? 0) + line.remainingQuantity);
      continue;
    }
    for (const item of requested) {
      const line = fulfillmentOrder.lines.find((candidate) => candidate.id === item.id);
      if (!line) return failure(["fulfillment"], "Fulfillment order line item does not exist.");
      const total = (planned.get(line) ?? 0) + item.quantity;
      if (item.quantity <= 0 || total > line.remainingQuantity) {
        return failure(["fulfillment"], "Invalid fulfillment order line item quantity requested.");
      }
      planned.set(line, total);
    }
  }
  // The loop returned unless both were set.
  const fulfilledOrder = order!;
  // The same FO listed twice without lines asks for its remaining units twice.
  for (const [line, quantity] of planned) {
    if (line.remainingQuantity < quantity) {
      return failure(["fulfillment"], "Invalid fulfillment order line item quantity requested.");
    }
  }

  const now = options.createdAt ?? store.nowIso();
  const id = store.ids.take("Fulfillment", options.id);
  const lines: FulfillmentLineRecord[] = [];
  const touched = new Set<FulfillmentOrderRecord>();
  for (const [line, quantity] of planned) {
    line.remainingQuantity -= quantity;
    const fulfillmentOrder = shop.fulfillmentOrders.get(line.fulfillmentOrderId)!;
    touched.add(fulfillmentOrder);
    lines.push({
      __typename: "FulfillmentLineItem",
      id: store.ids.next("FulfillmentLineItem"),
      lineItemId: line.lineItemId,
      fulfillmentOrderId: line.fulfillmentOrderId,
      fulfillmentOrderLineId: line.id,
      quantity,
    });
  }
  for (const fulfillmentOrder of touched) {
    fulfillmentOrder.status = fulfillmentOrder.lines.every((line) => line.remainingQuantity === 0)
      ? "CLOSED"
      : "IN_PROGRESS";
    fulfillmentOrder.updatedAt = now;
  }

  const fulfillment: FulfillmentRecord = {
    __typename: "Fulfillment",
    id,
    orderId: fulfilledOrder.id,
    name: `${fulfilledOrder.name}.${fulfilledOrder.fulfillmentIds.length + 1}`,
    status: "SUCCESS",
    locationId: locationId!,
    tracking: trackingInfoFrom(input.trackingInfo),
    lines,
    notifyCustomer: input.notifyCustomer ?? false,
    createdAt: now,
    updatedAt: now,
  };
  shop.fulfillments.set(id, fulfillment);
  fulfilledOrder.fulfillmentIds.push(id);
  fulfilledOrder.updatedAt = now;
  fulfillmentChanged(store, shop, fulfillment, "fulfillments/create");
  return { fulfillment, userErrors: [] };
}

export interface CancelOptions {
  canAccess?: (fulfillment: FulfillmentRecord) => boolean;
  /**
   * Shopify's documented behaviour (2026-10 schema, fulfillmentCancel): an FO that was
   * entirely fulfilled stays CLOSED and the cancelled items get a NEW fulfillment order
   * at the same location; a partially fulfilled FO gets its remaining quantities back.
   * `reopenSameFulfillmentOrder` instead puts every cancelled unit back on its original
   * FO (the behaviour many integrations assume) — a per-shop switch for comparing both.
   */
  reopenSameFulfillmentOrder?: boolean;
}

/** fulfillmentCancel. */
export function cancelFulfillment(
  store: Store,
  shop: ShopRecord,
  fulfillmentId: string,
  options: CancelOptions = {},
): MutationResult {
  const fulfillment = shop.fulfillments.get(fulfillmentId);
  if (!fulfillment || !(options.canAccess ?? (() => true))(fulfillment)) {
    return failure(["id"], "Fulfillment does not exist.");
  }
  if (fulfillment.status === "CANCELLED") {
    return failure(["id"], "Fulfillment has already been cancelled.");
  }
  const order = shop.orders.get(fulfillment.orderId)!;
  if (order.cancelledAt) return failure(["id"], "Fulfillment cannot be cancelled on a cancelled order.");

  const now = store.nowIso();
  fulfillment.status = "CANCELLED";
  fulfillment.updatedAt = now;

  // Cancelled units of fully fulfilled (CLOSED) FOs, per FO, for the new FOs.
  const toRecreate = new Map<FulfillmentOrderRecord, Map<string, number>>();
  for (const line of fulfillment.lines) {
    const fulfillmentOrder = shop.fulfillmentOrders.get(line.fulfillmentOrderId)!;
    const foLine = fulfillmentOrder.lines.find((candidate) => candidate.id === line.fulfillmentOrderLineId)!;
    const closedByFulfilment = fulfillmentOrder.status === "CLOSED" && !fulfillmentOrder.movedAway;
    if (closedByFulfilment && !options.reopenSameFulfillmentOrder) {
      const units = toRecreate.get(fulfillmentOrder) ?? new Map<string, number>();
      units.set(line.lineItemId, (units.get(line.lineItemId) ?? 0) + line.quantity);
      toRecreate.set(fulfillmentOrder, units);
      continue;
    }
    if (fulfillmentOrder.status === "CANCELLED" || fulfillmentOrder.movedAway) {
      // Nothing to give back to: the units come back on a new FO like a closed one's.
      const units = toRecreate.get(fulfillmentOrder) ?? new Map<string, number>();
      units.set(line.lineItemId, (units.get(line.lineItemId) ?? 0) + line.quantity);
      toRecreate.set(fulfillmentOrder, units);
      continue;
    }
    foLine.remainingQuantity += line.quantity;
    if (fulfillmentOrder.status === "CLOSED" || fulfillmentOrder.status === "IN_PROGRESS") {
      fulfillmentOrder.status = fulfillmentOrder.lines.every((l) => l.remainingQuantity === l.totalQuantity)
        ? "OPEN"
        : "IN_PROGRESS";
    }
    fulfillmentOrder.updatedAt = now;
  }
  for (const [original, units] of toRecreate) {
    addFulfillmentOrder(store, shop, order, {
      locationId: original.locationId,
      status: "OPEN",
      lines: [...units].map(([lineItemId, quantity]) => ({ lineItemId, quantity })),
    });
  }
  order.updatedAt = now;
  fulfillmentChanged(store, shop, fulfillment, "fulfillments/update");
  return { fulfillment, userErrors: [] };
}

/** fulfillmentTrackingInfoUpdate. */
export function updateTracking(
  store: Store,
  shop: ShopRecord,
  fulfillmentId: string,
  tracking: TrackingInput,
  notifyCustomer: boolean | null | undefined,
  canAccess: (fulfillment: FulfillmentRecord) => boolean = () => true,
): MutationResult {
  const errors = trackingInputErrors(tracking, ["trackingInfoInput"]);
  if (errors.length > 0) return { fulfillment: null, userErrors: errors };
  const fulfillment = shop.fulfillments.get(fulfillmentId);
  if (!fulfillment || !canAccess(fulfillment)) {
    return failure(["fulfillmentId"], "Fulfillment does not exist.");
  }
  if (fulfillment.status === "CANCELLED") {
    return failure(["fulfillmentId"], "Tracking information cannot be updated on a cancelled fulfillment.");
  }
  fulfillment.tracking = trackingInfoFrom(tracking);
  if (notifyCustomer != null) fulfillment.notifyCustomer = notifyCustomer;
  fulfillment.updatedAt = store.nowIso();
  fulfillmentChanged(store, shop, fulfillment, "fulfillments/update");
  return { fulfillment, userErrors: [] };
}

// ---------------------------------------------------------------------------------------
// Fulfillment-order lifecycle (merchant actions; the control API and the race faults).

export interface NewFulfillmentOrder {
  id?: string;
  locationId: string;
  status?: FulfillmentOrderStatus;
  fulfillAt?: string | null;
  lines: { id?: string; lineItemId: string; quantity: number }[];
}

export function addFulfillmentOrder(
  store: Store,
  shop: ShopRecord,
  order: OrderRecord,
  input: NewFulfillmentOrder,
): FulfillmentOrderRecord {
  const location = shop.locations.get(input.locationId);
  if (!location) throw new ControlError(`unknown location ${input.locationId} on ${shop.domain}`);
  const now = store.nowIso();
  const id = store.ids.take("FulfillmentOrder", input.id);
  const status = input.status ?? "OPEN";
  const fulfillmentOrder: FulfillmentOrderRecord = {
    __typename: "FulfillmentOrder",
    id,
    orderId: order.id,
    locationId: location.id,
    locationName: location.name,
    status,
    statusBeforeHold: status === "ON_HOLD" || status === "SCHEDULED" ? "OPEN" : null,
    fulfillAt:
      input.fulfillAt ?? (status === "SCHEDULED" ? new Date(store.now() + 86_400_000).toISOString() : null),
    lines: input.lines.map((line) => {
      if (!order.lineItems.some((item) => item.id === line.lineItemId)) {
        throw new ControlError(`line item ${line.lineItemId} is not on order ${order.id}`);
      }
      if (!(Number.isInteger(line.quantity) && line.quantity > 0)) {
        throw new ControlError(`fulfillment order line quantity must be a positive integer, got ${line.quantity}`);
      }
      return {
        __typename: "FulfillmentOrderLineItem" as const,
        id: store.ids.take("FulfillmentOrderLineItem", line.id),
        fulfillmentOrderId: id,
        lineItemId: line.lineItemId,
        totalQuantity: line.quantity,
        remainingQuantity: line.quantity,
      };
    }),
    movedAway: false,
    createdAt: now,
    updatedAt: now,
  };
  shop.fulfillmentOrders.set(id, fulfillmentOrder);
  order.fulfillmentOrderIds.push(id);
  return fulfillmentOrder;
}

export type FulfillmentOrderChange =
  | { action: "hold" }
  | { action: "releaseHold" }
  | { action: "schedule"; fulfillAt?: string }
  | { action: "open" }
  | { action: "close" }
  | { action: "cancel" }
  | {
      action: "move";
      toLocationId: string;
      /**
       * `newFulfillmentOrder` (default): the original FO is closed and a new one at the
       * destination takes the remaining units (what happens when an FO with fulfilled items
       * is moved, and what breaks an app that kept the old FO id). `inPlace`: the same FO
       * changes location.
       */
      mode?: "newFulfillmentOrder" | "inPlace";
    };

/** Applies a merchant-side change to an FO. Returns the FO holding the units afterwards. */
export function changeFulfillmentOrder(
  store: Store,
  shop: ShopRecord,
  fulfillmentOrderId: string,
  change: FulfillmentOrderChange,
): FulfillmentOrderRecord {
  const fulfillmentOrder = shop.fulfillmentOrders.get(fulfillmentOrderId);
  if (!fulfillmentOrder) throw new ControlError(`unknown fulfillment order ${fulfillmentOrderId} on ${shop.domain}`);
  const now = store.nowIso();
  fulfillmentOrder.updatedAt = now;
  switch (change.action) {
    case "hold":
      if (fulfillmentOrder.status !== "ON_HOLD") fulfillmentOrder.statusBeforeHold = fulfillmentOrder.status;
      fulfillmentOrder.status = "ON_HOLD";
      fulfillmentOrderChanged(store, shop, "fulfillment_orders/placed_on_hold", fulfillmentOrder);
      return fulfillmentOrder;
    case "releaseHold":
    case "open": {
      const was = fulfillmentOrder.status;
      fulfillmentOrder.status = fulfillmentOrder.statusBeforeHold ?? "OPEN";
      fulfillmentOrder.statusBeforeHold = null;
      // Marking a scheduled FO as open ahead of time fires no "ready" topic (chosen: Shopify
      // documents it for an FO that "becomes due"); a held one is released.
      if (was === "ON_HOLD") fulfillmentOrderChanged(store, shop, "fulfillment_orders/hold_released", fulfillmentOrder);
      return fulfillmentOrder;
    }
    case "schedule":
      if (fulfillmentOrder.status !== "SCHEDULED") fulfillmentOrder.statusBeforeHold = fulfillmentOrder.status;
      fulfillmentOrder.status = "SCHEDULED";
      fulfillmentOrder.fulfillAt = change.fulfillAt ?? new Date(store.now() + 86_400_000).toISOString();
      fulfillmentOrderChanged(store, shop, "fulfillment_orders/rescheduled", fulfillmentOrder);
      return fulfillmentOrder;
    case "close":
      fulfillmentOrder.status = "CLOSED";
      return fulfillmentOrder;
    case "cancel":
      fulfillmentOrder.status = "CANCELLED";
      fulfillmentOrderChanged(store, shop, "fulfillment_orders/cancelled", fulfillmentOrder);
      return fulfillmentOrder;
    case "move": {
      const destination = shop.locations.get(change.toLocationId);
      if (!destination) throw new ControlError(`unknown location ${change.toLocationId} on ${shop.domain}`);
      if (change.mode === "inPlace") {
        const source = fulfillmentOrder.locationId;
        fulfillmentOrder.locationId = destination.id;
        fulfillmentOrder.locationName = destination.name;
        fulfillmentOrderChanged(store, shop, "fulfillment_orders/moved", fulfillmentOrder, { sourceLocationId: source });
        return fulfillmentOrder;
      }
      const order = shop.orders.get(fulfillmentOrder.orderId)!;
      const remaining = fulfillmentOrder.lines.filter((line) => line.remainingQuantity > 0);
      const moved = addFulfillmentOrder(store, shop, order, {
        locationId: destination.id,
        status: fulfillmentOrder.status === "ON_HOLD" || fulfillmentOrder.status === "SCHEDULED" ? fulfillmentOrder.status : "OPEN",
        fulfillAt: fulfillmentOrder.fulfillAt,
        lines: remaining.map((line) => ({ lineItemId: line.lineItemId, quantity: line.remainingQuantity })),
      });
      for (const line of remaining) line.remainingQuantity = 0;
      fulfillmentOrder.status = "CLOSED";
      fulfillmentOrder.movedAway = true;
      fulfillmentOrderChanged(store, shop, "fulfillment_orders/moved", fulfillmentOrder, { moved });
      return moved;
    }
  }
}

/** Closes (archives) or cancels an order; its unfinished FOs can no longer be fulfilled. */
export function setOrderState(
  store: Store,
  shop: ShopRecord,
  orderId: string,
  state: "open" | "closed" | "cancelled",
): OrderRecord {
  const order = shop.orders.get(orderId);
  if (!order) throw new ControlError(`unknown order ${orderId} on ${shop.domain}`);
  const now = store.nowIso();
  order.updatedAt = now;
  if (state === "open") {
    if (order.cancelledAt) throw new ControlError("a cancelled order cannot be reopened");
    order.closedAt = null;
    orderChanged(store, shop, order, "orders/updated");
    return order;
  }
  const wasCancelled = order.cancelledAt !== null;
  order.closedAt = order.closedAt ?? now;
  if (state === "cancelled") order.cancelledAt = order.cancelledAt ?? now;
  for (const fulfillmentOrder of fulfillmentOrdersOf(shop, order)) {
    if (fulfillmentOrder.status === "CLOSED" || fulfillmentOrder.status === "CANCELLED") continue;
    fulfillmentOrder.status = state === "cancelled" ? "CANCELLED" : "CLOSED";
    fulfillmentOrder.updatedAt = now;
  }
  if (state === "cancelled" && !wasCancelled) orderChanged(store, shop, order, "orders/cancelled");
  orderChanged(store, shop, order, "orders/updated");
  return order;
}

/** Fulfillments of an order that include a given FO line, with the units of that line. */
export function fulfillmentsByFulfillmentOrderLine(shop: ShopRecord, order: OrderRecord) {
  const result: Record<string, { fulfillmentId: string; status: string; quantity: number }[]> = {};
  for (const fulfillment of fulfillmentsOf(shop, order)) {
    for (const line of fulfillment.lines) {
      (result[line.fulfillmentOrderLineId] ??= []).push({
        fulfillmentId: fulfillment.id,
        status: fulfillment.status,
        quantity: line.quantity,
      });
    }
  }
  return result;
}

/**
 * Scheduled FOs whose fulfillAt has come: they open, and Shopify announces each with
 * fulfillment_orders/scheduled_fulfillment_order_ready. Returns the FOs opened.
 */
export function releaseDueFulfillmentOrders(store: Store, shop: ShopRecord): FulfillmentOrderRecord[] {
  const now = store.now();
  const opened: FulfillmentOrderRecord[] = [];
  for (const fulfillmentOrder of shop.fulfillmentOrders.values()) {
    if (fulfillmentOrder.status !== "SCHEDULED") continue;
    if (!fulfillmentOrder.fulfillAt || Date.parse(fulfillmentOrder.fulfillAt) > now) continue;
    fulfillmentOrder.status = fulfillmentOrder.statusBeforeHold ?? "OPEN";
    fulfillmentOrder.statusBeforeHold = null;
    fulfillmentOrder.updatedAt = store.nowIso();
    fulfillmentOrderChanged(store, shop, "fulfillment_orders/scheduled_fulfillment_order_ready", fulfillmentOrder);
    opened.push(fulfillmentOrder);
  }
  return opened;
}
