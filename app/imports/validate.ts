import {
  prepareTrackingInfo,
  type CarrierContext,
} from "~/fulfillment/carriers";
import {
  describeCarrierWarning,
  describeTrackingNumberWarning,
} from "~/fulfillment/messages";
import { list, message, type Message } from "~/i18n/messages";
import { fieldLabel } from "./messages";
import { issue, listOrNone, type ParsedRow, type RowIssue } from "./row-fields";

/**
 * The dry run's heart: rows checked against one shop's data, and the shipments they
 * would make. Pure: the shop's data comes in as a snapshot (shop-data.server.ts loads
 * it), so the preview and the commit's re-validation run the very same rules.
 *
 * Per row, in file order:
 * - the order exists in this shop (by name — "1001" also finds "#1001" — or by ID);
 * - the line exists in that order: by line item ID, or by SKU when exactly one line of
 *   the order has it (two lines with the SKU: an error asking for the line item ID);
 * - the quantity: as written, or when empty all that remains unshipped for the line:
 *   ordered − units in shipped shipments − units of earlier rows of this file;
 * - the carrier is normalised to Shopify's list and the tracking numbers cleaned
 *   (~/fulfillment/carriers, as the mark-shipped form does); findings are warnings;
 * - duplicates: the same order + line + tracking number in an earlier row, or in a
 *   shipment of this app that is already shipped.
 *
 * Then rows are grouped into shipments: one shipment per order + vendor + set of
 * tracking numbers (one parcel, or one multi-parcel consignment, per vendor). Rows of a
 * group must agree on carrier, URL and notification. A group either
 * - marks an existing unshipped shipment of the order shipped, when that shipment holds
 *   exactly the group's lines and quantities (the usual case: the app already made a
 *   shipment per vendor from the order, and the vendor's sheet names its lines), or
 * - creates a new shipment, when every line's quantity fits in what no shipment holds:
 *   ordered − shipped − held by unshipped shipments − taken by earlier new shipments of
 *   this file. An unshipped shipment's units are never silently taken from it: the
 *   error names the shipment and what to write to mark it shipped instead.
 */
export interface SnapshotLine {
  /** line_items.id */
  ref: number;
  /** gid://shopify/LineItem/… */
  lineItemId: string;
  orderId: string;
  orderName: string;
  sku: string | null;
  title: string;
  vendor: string | null;
  ordered: number;
}

export interface SnapshotShipment {
  id: number;
  orderId: string;
  status: "shipped" | "unshipped";
  trackingNumbers: string[];
  lines: { ref: number; quantity: number }[];
}

export interface ShopSnapshot {
  orders: Map<
    string,
    { orderId: string; orderName: string; lines: SnapshotLine[] }
  >;
  orderIdsByName: Map<string, string[]>;
  linesByRef: Map<number, SnapshotLine>;
  /** Every shipment holding a line, by line ref. */
  shipmentsByLine: Map<number, SnapshotShipment[]>;
}

export function buildSnapshot(
  lines: readonly SnapshotLine[],
  shipments: readonly SnapshotShipment[],
): ShopSnapshot {
  const snapshot: ShopSnapshot = {
    orders: new Map(),
    orderIdsByName: new Map(),
    linesByRef: new Map(),
    shipmentsByLine: new Map(),
  };
  for (const line of lines) {
    let order = snapshot.orders.get(line.orderId);
    if (!order) {
      order = { orderId: line.orderId, orderName: line.orderName, lines: [] };
      snapshot.orders.set(line.orderId, order);
      const ids = snapshot.orderIdsByName.get(line.orderName) ?? [];
      ids.push(line.orderId);
      snapshot.orderIdsByName.set(line.orderName, ids);
    }
    order.lines.push(line);
    snapshot.linesByRef.set(line.ref, line);
  }
  for (const shipment of shipments) {
    for (const line of shipment.lines) {
      const list = snapshot.shipmentsByLine.get(line.ref) ?? [];
      list.push(shipment);
      snapshot.shipmentsByLine.set(line.ref, list);
    }
  }
  return snapshot;
}

/** What a valid row resolved to: exactly what the commit writes. */
export interface ResolvedRow {
  orderId: string;
  orderName: string;
  lineRef: number;
  lineItemId: string;
  sku: string | null;
  title: string;
  vendor: string | null;
  quantity: number;
  /** Cleaned as they will be stored and sent. */
  trackingNumbers: string[];
  /** Shopify's company name when known, else as written. */
  carrier: string;
  trackingUrl: string | null;
  notifyCustomer: boolean;
}

export type RowPlan =
  { kind: "create" } | { kind: "mark_shipped"; shipmentId: number };

export interface ValidatedRow {
  rowNumber: number;
  errors: RowIssue[];
  warnings: Message[];
  /** Valid rows only. */
  resolved: ResolvedRow | null;
  groupKey: string | null;
  plan: RowPlan | null;
}

/** Order names as the file may write them, to look up: "1001" is also "#1001". */
export function orderNameCandidates(name: string): string[] {
  return /^\d+$/.test(name) ? [name, `#${name}`] : [name];
}

/** Tracking numbers compare without case, spaces and hyphens ("1234-5678" = "12345678"). */
export function trackingKey(number: string): string {
  return number
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-‐－ー―]/g, "");
}

export function validateRows(
  rows: readonly ParsedRow[],
  snapshot: ShopSnapshot,
  context: CarrierContext = {},
): ValidatedRow[] {
  const out: ValidatedRow[] = rows.map((row) => ({
    rowNumber: row.rowNumber,
    errors: row.ok ? [] : [...row.issues],
    warnings: [],
    resolved: null,
    groupKey: null,
    plan: null,
  }));

  // Phase 1: each row on its own (plus what earlier rows took).
  const usedByEarlierRows = new Map<number, number>();
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    if (!row.ok) return;
    const result = out[i];
    const f = row.fields;

    const order = resolveOrder(f.orderName, f.orderId, snapshot);
    if ("issue" in order) {
      result.errors.push(order.issue);
      return;
    }
    const line = resolveLine(f.sku, f.lineItemId, order.value);
    if ("issue" in line) {
      result.errors.push(line.issue);
      return;
    }
    const l = line.value;
    const held = holdings(snapshot, l.ref);

    const prepared = prepareTrackingInfo(
      {
        carrier: f.carrier,
        trackingNumbers: f.trackingNumbers,
        trackingUrl: f.trackingUrl,
      },
      context,
    );
    result.warnings.push(
      ...prepared.carrierWarnings.map(describeCarrierWarning),
      ...prepared.numberWarnings.map(describeTrackingNumberWarning),
    );
    const numbers = prepared.numbers;
    const keys = numbers.map(trackingKey);

    for (const shipment of held.shipments) {
      if (shipment.status !== "shipped") continue;
      const existing = new Set(shipment.trackingNumbers.map(trackingKey));
      const clash = numbers.find((_, k) => existing.has(keys[k]));
      if (clash !== undefined) {
        result.errors.push(
          issue("duplicate_existing", "imports.rows.duplicateExisting", {
            order: l.orderName,
            item: l.title,
            tracking: clash,
            shipment: shipment.id,
          }),
        );
        return;
      }
    }
    for (let k = 0; k < keys.length; k++) {
      const earlierRow = seen.get(`${l.ref}\u001f${keys[k]}`);
      if (earlierRow !== undefined) {
        result.errors.push(
          issue("duplicate_in_file", "imports.rows.duplicateInFile", {
            row: earlierRow,
            tracking: numbers[k],
          }),
        );
        return;
      }
    }

    const earlier = usedByEarlierRows.get(l.ref) ?? 0;
    let quantity = f.quantity;
    if (quantity === null) {
      quantity = l.ordered - held.shipped - earlier;
      if (quantity <= 0) {
        result.errors.push(
          issue("nothing_to_ship", "imports.rows.nothingToShip", {
            order: l.orderName,
            item: l.title,
            ordered: l.ordered,
          }),
        );
        return;
      }
    }

    for (const key of keys) seen.set(`${l.ref}\u001f${key}`, row.rowNumber);
    usedByEarlierRows.set(l.ref, earlier + quantity);
    result.resolved = {
      orderId: l.orderId,
      orderName: l.orderName,
      lineRef: l.ref,
      lineItemId: l.lineItemId,
      sku: l.sku,
      title: l.title,
      vendor: l.vendor,
      quantity,
      trackingNumbers: numbers,
      carrier:
        prepared.carrier.kind === "empty"
          ? f.carrier
          : prepared.carrier.company,
      trackingUrl: f.trackingUrl,
      notifyCustomer: f.notifyCustomer,
    };
  });

  // Phase 2: groups (one shipment each), whose rows must agree.
  const groups = new Map<string, ValidatedRow[]>();
  for (const row of out) {
    const r = row.resolved;
    if (!r || row.errors.length > 0) continue;
    const key = groupKeyOf(r);
    const members = groups.get(key);
    if (!members) {
      groups.set(key, [row]);
      row.groupKey = key;
      continue;
    }
    const first = members[0].resolved!;
    const differs = (
      [
        ["carrier", first.carrier !== r.carrier],
        ["trackingUrl", first.trackingUrl !== r.trackingUrl],
        ["notifyCustomer", first.notifyCustomer !== r.notifyCustomer],
      ] as const
    ).filter(([, d]) => d);
    if (differs.length > 0) {
      row.errors.push(
        issue("group_conflict", "imports.rows.groupConflict", {
          row: members[0].rowNumber,
          fields: listOrNone(differs.map(([field]) => fieldLabel(field))),
        }),
      );
      row.resolved = null;
      continue;
    }
    members.push(row);
    row.groupKey = key;
  }

  // Phase 3: what each group does, in the order of its first row.
  const claimed = new Set<number>();
  const takenByNewShipments = new Map<number, number>();
  for (const members of groups.values()) {
    const wanted = new Map(
      members.map((m) => [m.resolved!.lineRef, m.resolved!.quantity]),
    );
    const match = exactUnshippedMatch(snapshot, wanted, claimed);
    if (match !== null) {
      claimed.add(match);
      for (const m of members)
        m.plan = { kind: "mark_shipped", shipmentId: match };
      continue;
    }
    for (const m of members) {
      const r = m.resolved!;
      const line = snapshot.linesByRef.get(r.lineRef)!;
      const held = holdings(snapshot, r.lineRef);
      const taken = takenByNewShipments.get(r.lineRef) ?? 0;
      const available = line.ordered - held.shipped - held.unshipped - taken;
      if (r.quantity <= available) {
        m.plan = { kind: "create" };
        takenByNewShipments.set(r.lineRef, taken + r.quantity);
        continue;
      }
      m.errors.push(
        quantityExceeds(
          snapshot,
          line,
          r.quantity,
          Math.max(0, available),
          held,
          taken,
        ),
      );
      m.resolved = null;
      m.groupKey = null;
    }
  }
  return out;
}

/** Rows with the same key become one shipment. */
export function groupKeyOf(
  r: Pick<ResolvedRow, "orderId" | "vendor" | "trackingNumbers">,
): string {
  const tracking = [...new Set(r.trackingNumbers.map(trackingKey))]
    .sort()
    .join("\u001e");
  return `${r.orderId}\u001f${r.vendor ?? ""}\u001f${tracking}`;
}

/** A plan for people: 新しい出荷を作成 / 出荷 #12 を発送済みにする. */
export function describePlan(plan: RowPlan): Message {
  return plan.kind === "create"
    ? message("imports.plan.create")
    : message("imports.plan.markShipped", { shipment: plan.shipmentId });
}

function resolveOrder(
  name: string | null,
  id: string | null,
  snapshot: ShopSnapshot,
):
  | { value: { orderId: string; orderName: string; lines: SnapshotLine[] } }
  | { issue: RowIssue } {
  let byName: string | undefined;
  if (name) {
    for (const candidate of orderNameCandidates(name)) {
      byName = snapshot.orderIdsByName.get(candidate)?.[0];
      if (byName) break;
    }
    if (!byName && !id) {
      return {
        issue: issue("order_not_found", "imports.rows.orderNotFound", {
          value: name,
        }),
      };
    }
  }
  if (id) {
    const order = snapshot.orders.get(id);
    if (!order) {
      return {
        issue: issue("order_not_found", "imports.rows.orderNotFound", {
          value: name ?? id.replace(/^gid:\/\/shopify\/Order\//, ""),
        }),
      };
    }
    if (name && byName !== id) {
      return {
        issue: issue("order_conflict", "imports.rows.orderConflict", {
          name,
          id: id.replace(/^gid:\/\/shopify\/Order\//, ""),
        }),
      };
    }
    return { value: order };
  }
  return { value: snapshot.orders.get(byName!)! };
}

function resolveLine(
  sku: string | null,
  lineItemId: string | null,
  order: { orderName: string; lines: SnapshotLine[] },
): { value: SnapshotLine } | { issue: RowIssue } {
  const numeric = (gid: string) =>
    gid.replace(/^gid:\/\/shopify\/LineItem\//, "");
  if (lineItemId) {
    const line = order.lines.find((l) => l.lineItemId === lineItemId);
    if (!line) {
      return {
        issue: issue("line_not_found", "imports.rows.lineNotFound", {
          value: numeric(lineItemId),
          order: order.orderName,
        }),
      };
    }
    if (sku && !sameSku(line.sku, sku)) {
      return {
        issue: issue("sku_mismatch", "imports.rows.skuMismatch", {
          lineItemId: numeric(lineItemId),
          actual: line.sku ?? message("imports.rows.none"),
          sku,
        }),
      };
    }
    return { value: line };
  }
  const wanted = sku!;
  let matches = order.lines.filter((l) => l.sku === wanted);
  if (matches.length === 0)
    matches = order.lines.filter((l) => sameSku(l.sku, wanted));
  if (matches.length === 1) return { value: matches[0] };
  if (matches.length === 0) {
    const skus = [
      ...new Set(order.lines.map((l) => l.sku).filter((s): s is string => !!s)),
    ].slice(0, 10);
    return {
      issue: issue("sku_not_found", "imports.rows.skuNotFound", {
        order: order.orderName,
        sku: wanted,
        skus: listOrNone(skus),
      }),
    };
  }
  return {
    issue: issue("sku_ambiguous", "imports.rows.skuAmbiguous", {
      order: order.orderName,
      sku: wanted,
      count: matches.length,
      ids: listOrNone(matches.map((l) => numeric(l.lineItemId))),
    }),
  };
}

function sameSku(a: string | null, b: string): boolean {
  if (a === null) return false;
  const norm = (s: string) => s.normalize("NFKC").trim().toUpperCase();
  return norm(a) === norm(b);
}

interface Holdings {
  shipped: number;
  unshipped: number;
  shipments: SnapshotShipment[];
}

function holdings(snapshot: ShopSnapshot, ref: number): Holdings {
  const shipments = snapshot.shipmentsByLine.get(ref) ?? [];
  let shipped = 0;
  let unshipped = 0;
  for (const s of shipments) {
    const q = s.lines.find((l) => l.ref === ref)?.quantity ?? 0;
    if (s.status === "shipped") shipped += q;
    else unshipped += q;
  }
  return { shipped, unshipped, shipments };
}

/** The lowest-id unshipped shipment that holds exactly these lines and quantities. */
function exactUnshippedMatch(
  snapshot: ShopSnapshot,
  wanted: Map<number, number>,
  claimed: Set<number>,
): number | null {
  const [firstRef] = wanted.keys();
  const candidates = (snapshot.shipmentsByLine.get(firstRef) ?? [])
    .filter((s) => s.status === "unshipped" && !claimed.has(s.id))
    .sort((a, b) => a.id - b.id);
  for (const s of candidates) {
    if (s.lines.length !== wanted.size) continue;
    if (s.lines.every((l) => wanted.get(l.ref) === l.quantity)) return s.id;
  }
  return null;
}

function quantityExceeds(
  snapshot: ShopSnapshot,
  line: SnapshotLine,
  quantity: number,
  available: number,
  held: Holdings,
  taken: number,
): RowIssue {
  const base = issue("quantity_exceeds", "imports.rows.quantityExceeds", {
    order: line.orderName,
    item: line.title,
    quantity,
    available,
    ordered: line.ordered,
    shipped: held.shipped,
    held: held.unshipped,
    earlier: taken,
  });
  const holders = held.shipments.filter((s) => s.status === "unshipped");
  if (holders.length === 0) return base;
  const hint = message("imports.rows.heldHint", {
    shipments: listOrNone(holders.map((s) => `#${s.id}`)),
    lines: list(
      holders.map((s) =>
        listOrNone(
          s.lines.map((l) => {
            const item = snapshot.linesByRef.get(l.ref);
            return `${item?.sku ?? item?.title ?? l.ref} × ${l.quantity}`;
          }),
        ),
      ),
      "imports.rows.shipmentSeparator",
    ),
  });
  return {
    code: base.code,
    message: message("common.twoSentences", {
      first: base.message,
      second: hint,
    }),
  };
}
