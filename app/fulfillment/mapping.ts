/**
 * Shipment → `lineItemsByFulfillmentOrder` for `fulfillmentCreate`, and recognising a
 * fulfillment that Shopify already holds for a shipment.
 *
 * Pure: no I/O. The caller reads the order's fulfillment orders (FOs) and fulfillments
 * from the Admin API and passes them in as GraphQL returned them.
 *
 * Facts this rests on (docs/shopify-admin-api.md, Admin API 2026-10 schema):
 * - A shipment line is the order's LineItem (`gid://shopify/LineItem/n`); it is matched
 *   to the FO line whose `lineItem.id` equals it. Never by SKU: two lines may share one.
 * - `fulfillmentCreate` sends FulfillmentOrderLineItem ids (not LineItem ids) and
 *   quantities; a quantity above `remainingQuantity` is refused.
 * - An FO accepts a fulfillment when its status is OPEN or IN_PROGRESS and its
 *   `supportedActions` contain CREATE_FULFILLMENT. ON_HOLD waits for a release,
 *   SCHEDULED for `fulfillAt`, CLOSED/CANCELLED/INCOMPLETE never.
 * - One `fulfillmentCreate` may name several FOs, but they must belong to the same order
 *   AND be assigned to the same location (the mutation's schema description). A
 *   shipment whose units can only come from FOs at different locations therefore cannot
 *   become one fulfillment: that is reported (`spans_multiple_locations`), not guessed.
 * - Locations are told apart by `assignedLocation`'s own fields (name and address),
 *   which need only the fulfillment-order scopes; `assignedLocation.location` is a
 *   `Location` and would need read_locations (README, Decisions). Two FOs at one
 *   location whose fingerprints differ (a location edited after one FO was taken into
 *   work) are kept apart — a refusal, never a wrong fulfillment; two locations with the
 *   same name and address are grouped, and Shopify refuses the create ("All fulfillment
 *   orders must be assigned to the same location.").
 */

export type FulfillmentOrderStatus =
  | "OPEN"
  | "IN_PROGRESS"
  | "CLOSED"
  | "CANCELLED"
  | "INCOMPLETE"
  | "ON_HOLD"
  | "SCHEDULED";

/** One line of a shipment: the order line it ships and how many units. */
export interface ShipmentLine {
  /** The order's LineItem gid (`line_items.line_item_id`). */
  lineItemId: string;
  /** Units in this shipment (`shipment_line_items.quantity`), a positive integer. */
  quantity: number;
  /** For messages only. */
  title?: string;
  /** For messages only; never used for matching. */
  sku?: string | null;
}

export interface ShipmentForMapping {
  lines: readonly ShipmentLine[];
}

export interface FulfillmentOrderLineItemSnapshot {
  id: string;
  remainingQuantity: number;
  totalQuantity: number;
  lineItem: { id: string; sku?: string | null };
}

/** A fulfillment order as `FulfillmentOrderFields` reads it. */
export interface FulfillmentOrderSnapshot {
  id: string;
  /** Typed as Shopify's enum; an unknown future value is treated as not fulfillable. */
  status: FulfillmentOrderStatus;
  fulfillAt?: string | null;
  supportedActions: readonly { action: string }[];
  /** Keeps one fulfillment on one location: its name and address are the fingerprint. */
  assignedLocation?: AssignedLocationSnapshot | null;
  lineItems: { nodes: readonly FulfillmentOrderLineItemSnapshot[] };
}

/** `FulfillmentOrderAssignedLocation`'s own fields (no `location`: that needs read_locations). */
export interface AssignedLocationSnapshot {
  name: string;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  zip?: string | null;
  countryCode?: string | null;
}

/** One element of `FulfillmentInput.lineItemsByFulfillmentOrder`. */
export interface LineItemsByFulfillmentOrder {
  fulfillmentOrderId: string;
  fulfillmentOrderLineItems: { id: string; quantity: number }[];
}

interface LineRef {
  lineItemId: string;
  title?: string;
}

/** Where an FO with units of a short line cannot take a fulfillment now. */
interface BlockedFulfillmentOrder extends LineRef {
  fulfillmentOrderId: string;
  /** This FO's remaining units of the line (what it holds back). */
  remaining: number;
  locationName: string | null;
}

/**
 * Why a shipment cannot be mapped. Every problem names the line (and FO) it concerns,
 * so the UI can point at it; `mappingProblemMessage` (./messages) words it.
 */
export type MappingProblem =
  /** The shipment has no lines at all. */
  | { kind: "no_lines" }
  /** A line's quantity is not a positive integer. */
  | ({ kind: "invalid_quantity"; quantity: number } & LineRef)
  /** The same order line appears twice (the database forbids it: an upstream bug). */
  | ({ kind: "duplicate_line" } & LineRef)
  /** No FO of the order has this line: wrong order, or the line was edited away. */
  | ({ kind: "line_not_found"; sku?: string | null } & LineRef)
  /** The line is in the order's FOs, but no unit of it remains unfulfilled anywhere. */
  | ({ kind: "already_fulfilled"; requested: number } & LineRef)
  /**
   * Fewer units remain unfulfilled (in all FOs, whatever their status) than requested.
   * `fulfillableRemaining` is what could be fulfilled right now.
   */
  | ({
      kind: "quantity_exceeds_remaining";
      requested: number;
      remaining: number;
      fulfillableRemaining: number;
    } & LineRef)
  /** Units of a short line sit on an FO that is on hold. */
  | ({ kind: "fulfillment_order_on_hold" } & BlockedFulfillmentOrder)
  /** Units of a short line sit on an FO scheduled for later (`fulfillAt`). */
  | ({
      kind: "fulfillment_order_scheduled";
      fulfillAt: string | null;
    } & BlockedFulfillmentOrder)
  /** Units of a short line sit on an FO that is CLOSED, CANCELLED or INCOMPLETE. */
  | ({
      kind: "fulfillment_order_closed";
      status: "CLOSED" | "CANCELLED" | "INCOMPLETE";
    } & BlockedFulfillmentOrder)
  /**
   * Units of a short line sit on an OPEN/IN_PROGRESS FO that does not offer
   * CREATE_FULFILLMENT (typically a fulfillment service's FO), or on an FO whose status
   * this code does not know.
   */
  | ({
      kind: "fulfillment_order_not_fulfillable";
      status: string;
      supportedActions: string[];
    } & BlockedFulfillmentOrder)
  /**
   * Every line could be fulfilled, but not from FOs at one location; Shopify creates
   * one fulfillment per location. `locations` shows what each location would ship.
   */
  | {
      kind: "spans_multiple_locations";
      locations: {
        locationName: string | null;
        fulfillmentOrderIds: string[];
        lines: { lineItemId: string; title?: string; quantity: number }[];
      }[];
    };

export type MappingProblemKind = MappingProblem["kind"];

export type MappingResult =
  | {
      ok: true;
      lineItemsByFulfillmentOrder: LineItemsByFulfillmentOrder[];
      /** The location every FO in the result is assigned to (null when not read). */
      locationName: string | null;
    }
  | { ok: false; problems: MappingProblem[] };

const FULFILLABLE_STATUSES: ReadonlySet<string> = new Set([
  "OPEN",
  "IN_PROGRESS",
]);

/** True when Shopify would accept a fulfillment on this FO now. */
export function isFulfillable(fo: FulfillmentOrderSnapshot): boolean {
  return (
    FULFILLABLE_STATUSES.has(fo.status) &&
    fo.supportedActions.some((a) => a.action === "CREATE_FULFILLMENT")
  );
}

interface Candidate {
  fo: FulfillmentOrderSnapshot;
  foli: FulfillmentOrderLineItemSnapshot;
  locationKey: string;
}

/**
 * Builds `lineItemsByFulfillmentOrder` for one shipment from the order's FOs.
 *
 * Rules:
 * - Lines match FO lines by `lineItem.id` only.
 * - A line's quantity may be spread over several FOs (a split); FOs are filled in
 *   ascending id order, FO lines likewise, and a quantity of 0 is never sent.
 * - Only OPEN/IN_PROGRESS FOs offering CREATE_FULFILLMENT count. When a line is short,
 *   every held, scheduled, closed or otherwise blocked FO holding units of it is named.
 * - All FOs of the result are at one location: the first location (in FO id order)
 *   that can cover every line is chosen; if none can, `spans_multiple_locations`.
 * - Deterministic: the same lines and FOs, in any input order, give the same result.
 *
 * Limits: it sees only the FOs passed in (a paged read that stopped early makes lines
 * look missing), and it cannot see holds' reasons or a fulfillment service's rules.
 */
export function mapShipmentToFulfillmentOrders(
  shipment: ShipmentForMapping,
  fulfillmentOrders: readonly FulfillmentOrderSnapshot[],
): MappingResult {
  const problems: MappingProblem[] = [];
  if (shipment.lines.length === 0)
    return { ok: false, problems: [{ kind: "no_lines" }] };

  const orderedFos = [...fulfillmentOrders].sort((a, b) =>
    compareGid(a.id, b.id),
  );
  const seen = new Set<string>();
  const lines: ShipmentLine[] = [];
  for (const line of shipment.lines) {
    const ref = lineRef(line);
    if (seen.has(line.lineItemId)) {
      problems.push({ kind: "duplicate_line", ...ref });
      continue;
    }
    seen.add(line.lineItemId);
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      problems.push({
        kind: "invalid_quantity",
        quantity: line.quantity,
        ...ref,
      });
      continue;
    }
    lines.push(line);
  }

  // Per line: every FO line of it (any status), in FO id then FO line id order.
  const candidatesByLine = new Map<string, Candidate[]>();
  for (const line of lines) {
    const candidates: Candidate[] = [];
    for (const fo of orderedFos) {
      const folis = fo.lineItems.nodes
        .filter((n) => n.lineItem.id === line.lineItemId)
        .sort((a, b) => compareGid(a.id, b.id));
      for (const foli of folis)
        candidates.push({ fo, foli, locationKey: locationKey(fo) });
    }
    candidatesByLine.set(line.lineItemId, candidates);
  }

  const shortLines = new Set<string>();
  for (const line of lines) {
    const ref = lineRef(line);
    const candidates = candidatesByLine.get(line.lineItemId) ?? [];
    if (candidates.length === 0) {
      problems.push({ kind: "line_not_found", sku: line.sku, ...ref });
      shortLines.add(line.lineItemId);
      continue;
    }
    const remaining = sum(
      candidates.map((c) => positive(c.foli.remainingQuantity)),
    );
    if (remaining === 0) {
      problems.push({
        kind: "already_fulfilled",
        requested: line.quantity,
        ...ref,
      });
      shortLines.add(line.lineItemId);
      continue;
    }
    const fulfillable = candidates.filter((c) => isFulfillable(c.fo));
    const fulfillableRemaining = sum(
      fulfillable.map((c) => positive(c.foli.remainingQuantity)),
    );
    if (fulfillableRemaining >= line.quantity) continue;

    shortLines.add(line.lineItemId);
    for (const c of candidates) {
      if (isFulfillable(c.fo) || positive(c.foli.remainingQuantity) === 0)
        continue;
      problems.push(blockedProblem(c, ref));
    }
    if (remaining < line.quantity) {
      problems.push({
        kind: "quantity_exceeds_remaining",
        requested: line.quantity,
        remaining,
        fulfillableRemaining,
        ...ref,
      });
    }
  }
  if (problems.length > 0 || shortLines.size > 0)
    return { ok: false, problems };

  // Every line is coverable by the fulfillable FOs as a whole; now keep it to one location.
  const locationOrder: string[] = [];
  for (const fo of orderedFos) {
    if (!isFulfillable(fo)) continue;
    const key = locationKey(fo);
    if (!locationOrder.includes(key)) locationOrder.push(key);
  }
  for (const key of locationOrder) {
    const allocation = allocate(
      lines,
      candidatesByLine,
      (c) => c.locationKey === key,
    );
    if (allocation.complete) {
      const fo = orderedFos.find((f) => locationKey(f) === key);
      return {
        ok: true,
        lineItemsByFulfillmentOrder: toInput(allocation.entries),
        locationName: fo?.assignedLocation?.name ?? null,
      };
    }
  }

  const spread = allocate(lines, candidatesByLine, () => true);
  const byLocation = new Map<
    string,
    {
      locationName: string | null;
      fulfillmentOrderIds: string[];
      lines: { lineItemId: string; title?: string; quantity: number }[];
    }
  >();
  for (const key of locationOrder) {
    const entries = spread.entries.filter((e) => e.locationKey === key);
    if (entries.length === 0) continue;
    const perLine = new Map<
      string,
      { lineItemId: string; title?: string; quantity: number }
    >();
    for (const e of entries) {
      const existing = perLine.get(e.line.lineItemId);
      if (existing) existing.quantity += e.quantity;
      else
        perLine.set(e.line.lineItemId, {
          ...lineRef(e.line),
          quantity: e.quantity,
        });
    }
    byLocation.set(key, {
      locationName: entries[0].fo.assignedLocation?.name ?? null,
      fulfillmentOrderIds: unique(entries.map((e) => e.fo.id)),
      lines: [...perLine.values()],
    });
  }
  return {
    ok: false,
    problems: [
      { kind: "spans_multiple_locations", locations: [...byLocation.values()] },
    ],
  };
}

interface AllocationEntry {
  line: ShipmentLine;
  fo: FulfillmentOrderSnapshot;
  foli: FulfillmentOrderLineItemSnapshot;
  locationKey: string;
  quantity: number;
}

function allocate(
  lines: readonly ShipmentLine[],
  candidatesByLine: ReadonlyMap<string, Candidate[]>,
  allowed: (c: Candidate) => boolean,
): { complete: boolean; entries: AllocationEntry[] } {
  const entries: AllocationEntry[] = [];
  let complete = true;
  for (const line of lines) {
    let need = line.quantity;
    for (const c of candidatesByLine.get(line.lineItemId) ?? []) {
      if (need === 0) break;
      if (!isFulfillable(c.fo) || !allowed(c)) continue;
      const take = Math.min(need, positive(c.foli.remainingQuantity));
      if (take <= 0) continue;
      entries.push({
        line,
        fo: c.fo,
        foli: c.foli,
        locationKey: c.locationKey,
        quantity: take,
      });
      need -= take;
    }
    if (need > 0) complete = false;
  }
  return { complete, entries };
}

function toInput(
  entries: readonly AllocationEntry[],
): LineItemsByFulfillmentOrder[] {
  const byFo = new Map<string, Map<string, number>>();
  for (const e of entries) {
    const folis = byFo.get(e.fo.id) ?? new Map<string, number>();
    folis.set(e.foli.id, (folis.get(e.foli.id) ?? 0) + e.quantity);
    byFo.set(e.fo.id, folis);
  }
  return [...byFo.entries()]
    .sort(([a], [b]) => compareGid(a, b))
    .map(([fulfillmentOrderId, folis]) => ({
      fulfillmentOrderId,
      fulfillmentOrderLineItems: [...folis.entries()]
        .sort(([a], [b]) => compareGid(a, b))
        .map(([id, quantity]) => ({ id, quantity })),
    }));
}

function blockedProblem(c: Candidate, ref: LineRef): MappingProblem {
  const base: BlockedFulfillmentOrder = {
    fulfillmentOrderId: c.fo.id,
    remaining: positive(c.foli.remainingQuantity),
    locationName: c.fo.assignedLocation?.name ?? null,
    ...ref,
  };
  const status: string = c.fo.status;
  if (status === "ON_HOLD")
    return { kind: "fulfillment_order_on_hold", ...base };
  if (status === "SCHEDULED") {
    return {
      kind: "fulfillment_order_scheduled",
      fulfillAt: c.fo.fulfillAt ?? null,
      ...base,
    };
  }
  if (
    status === "CLOSED" ||
    status === "CANCELLED" ||
    status === "INCOMPLETE"
  ) {
    return { kind: "fulfillment_order_closed", status, ...base };
  }
  return {
    kind: "fulfillment_order_not_fulfillable",
    status,
    supportedActions: c.fo.supportedActions.map((a) => a.action),
    ...base,
  };
}

// ---------------------------------------------------------------------------
// Recognising a fulfillment Shopify already has
// ---------------------------------------------------------------------------

/** A fulfillment as `FulfillmentFields` reads it. */
export interface RecordedFulfillment {
  id: string;
  /** FulfillmentStatus: SUCCESS, CANCELLED, ERROR, FAILURE (OPEN, PENDING deprecated). */
  status: string;
  trackingInfo: readonly {
    number: string | null;
    company?: string | null;
    url?: string | null;
  }[];
  fulfillmentLineItems: {
    nodes: readonly { lineItem: { id: string }; quantity: number | null }[];
  };
}

/** What a shipment asked Shopify for: its tracking numbers and its lines. */
export interface ShipmentForMatching {
  trackingNumbers: readonly string[];
  lines: readonly Pick<ShipmentLine, "lineItemId" | "quantity">[];
}

/** Fulfillment statuses that do not hold items: never adopted. */
const DEAD_FULFILLMENT_STATUSES: ReadonlySet<string> = new Set([
  "CANCELLED",
  "ERROR",
  "FAILURE",
]);

/** A cancelled, failed or errored fulfillment holds no items any more. */
export function isDeadFulfillmentStatus(status: string): boolean {
  return DEAD_FULFILLMENT_STATUSES.has(status);
}

/**
 * All fulfillments that match the shipment, oldest (lowest id) first.
 *
 * A match has the same SET of tracking numbers (compared without case, spaces, hyphens
 * or full-width forms; empty numbers ignored) and the same quantity per order line
 * (summed over its fulfillment line items), and is not CANCELLED, ERROR or FAILURE
 * (those hold no items; adopting one would leave the shipment unfulfilled in Shopify).
 * Carrier and URL are not compared: the operator may have corrected them meanwhile.
 *
 * Limits: a shipment without tracking numbers matches any live fulfillment of the same
 * lines that has none either; only the fulfillments passed in are considered.
 */
export function findMatchingFulfillments<F extends RecordedFulfillment>(
  shipment: ShipmentForMatching,
  fulfillments: readonly F[],
  excludeIds: ReadonlySet<string> = new Set(),
): F[] {
  const wantNumbers = trackingNumberSet(shipment.trackingNumbers);
  const wantLines = quantitiesByLine(
    shipment.lines.map((l) => ({
      lineItemId: l.lineItemId,
      quantity: l.quantity,
    })),
  );
  return fulfillments
    .filter(
      (f) => !excludeIds.has(f.id) && !DEAD_FULFILLMENT_STATUSES.has(f.status),
    )
    .filter((f) =>
      sameSet(
        wantNumbers,
        trackingNumberSet(f.trackingInfo.map((t) => t.number ?? "")),
      ),
    )
    .filter((f) =>
      sameQuantities(
        wantLines,
        quantitiesByLine(
          f.fulfillmentLineItems.nodes.map((n) => ({
            lineItemId: n.lineItem.id,
            quantity: n.quantity ?? 0,
          })),
        ),
      ),
    )
    .sort((a, b) => compareGid(a.id, b.id));
}

/**
 * The fulfillment to adopt for a shipment whose create answer was lost, or null.
 * Used instead of creating a duplicate; see `findMatchingFulfillments` for the rules.
 * `excludeIds`: fulfillments already linked to other shipments (never adopted twice).
 * When several match (a duplicate already happened), the oldest is returned.
 */
export function findMatchingFulfillment<F extends RecordedFulfillment>(
  shipment: ShipmentForMatching,
  fulfillments: readonly F[],
  excludeIds?: ReadonlySet<string>,
): F | null {
  return (
    findMatchingFulfillments(shipment, fulfillments, excludeIds)[0] ?? null
  );
}

/**
 * The form in which two tracking numbers are compared: NFKC (full-width → ASCII),
 * upper case, without whitespace or dashes. For comparison only, never for sending.
 */
export function trackingNumberComparisonKey(value: string): string {
  return value
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―−ー]/g, "");
}

function trackingNumberSet(values: readonly string[]): Set<string> {
  return new Set(
    values.map(trackingNumberComparisonKey).filter((v) => v.length > 0),
  );
}

function quantitiesByLine(
  lines: readonly { lineItemId: string; quantity: number }[],
): Map<string, number> {
  const map = new Map<string, number>();
  for (const l of lines)
    map.set(l.lineItemId, (map.get(l.lineItemId) ?? 0) + l.quantity);
  for (const [k, v] of map) if (v === 0) map.delete(k);
  return map;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((v) => b.has(v));
}

function sameQuantities(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/**
 * Orders Shopify gids by their numeric tail (creation order), then as strings, so
 * `FulfillmentOrder/9` comes before `FulfillmentOrder/10`.
 */
export function compareGid(a: string, b: string): number {
  const na = /(\d+)$/.exec(a)?.[1];
  const nb = /(\d+)$/.exec(b)?.[1];
  if (na !== undefined && nb !== undefined) {
    const prefixA = a.slice(0, a.length - na.length);
    const prefixB = b.slice(0, b.length - nb.length);
    if (prefixA === prefixB) {
      const diff = BigInt(na) - BigInt(nb);
      if (diff !== 0n) return diff < 0n ? -1 : 1;
    }
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The location fingerprint: assignedLocation's name and address, as Shopify gives them. */
function locationKey(fo: FulfillmentOrderSnapshot): string {
  const loc = fo.assignedLocation;
  if (!loc) return "";
  return JSON.stringify(
    [
      loc.name,
      loc.address1,
      loc.address2,
      loc.city,
      loc.province,
      loc.zip,
      loc.countryCode,
    ].map((v) => v ?? null),
  );
}

function lineRef(line: ShipmentLine): LineRef {
  return line.title === undefined
    ? { lineItemId: line.lineItemId }
    : { lineItemId: line.lineItemId, title: line.title };
}

function positive(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
