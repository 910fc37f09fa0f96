import { z } from "zod";
import type { Localized } from "~/fulfillment/messages";

/**
 * Staff create shipments from an order's lines: by default one shipment per vendor
 * holding every unit not yet in a shipment, with each quantity editable (0 leaves a line
 * out; an empty shipment is not created). Pure: the form's field names, the default plan
 * and the validation, with field-level errors for the form.
 *
 * Field names: `s<group>_vendor` (hidden) and `s<group>_line_<lineId>` (a quantity),
 * where <group> is the vendor group's index in `defaultPlan` and <lineId> line_items.id.
 */
export interface PlanLine {
  id: number;
  vendor: string | null;
  remaining: number;
}

export interface PlanGroup {
  vendor: string | null;
  lines: { lineId: number; quantity: number }[];
}

/** One group per vendor (lines without a vendor form their own group), in line order. */
export function defaultPlan(lines: readonly PlanLine[]): PlanGroup[] {
  const groups: PlanGroup[] = [];
  for (const line of lines) {
    if (line.remaining <= 0) continue;
    let group = groups.find((g) => g.vendor === line.vendor);
    if (!group) {
      group = { vendor: line.vendor, lines: [] };
      groups.push(group);
    }
    group.lines.push({ lineId: line.id, quantity: line.remaining });
  }
  return groups;
}

export function quantityFieldName(group: number, lineId: number): string {
  return `s${group}_line_${lineId}`;
}

export function vendorFieldName(group: number): string {
  return `s${group}_vendor`;
}

export type PlanParseResult =
  | { ok: true; shipments: PlanGroup[] }
  | { ok: false; fieldErrors: Record<string, Localized>; formError?: Localized };

const quantitySchema = z
  .string()
  .trim()
  .transform((value) => (value === "" ? "0" : value.normalize("NFKC")))
  .pipe(z.string().regex(/^[0-9]{1,5}$/))
  .transform(Number);

const MESSAGES = {
  notANumber: { ja: "0 以上の整数を入力してください。", en: "Enter a whole number, 0 or more." },
  tooMany: (remaining: number): Localized => ({
    ja: `未割り当ての数量 (${remaining}) を超えています。`,
    en: `More than the ${remaining} not yet in a shipment.`,
  }),
  nothing: {
    ja: "出荷する数量を 1 つ以上入力してください。",
    en: "Enter a quantity for at least one item.",
  },
} as const;

/**
 * Reads the submitted plan against the order's lines as they are now. Groups and lines
 * are taken from the server's own default plan (a vendor or a line id typed into the
 * form by hand cannot add lines of another order); only the quantities come from the
 * form. A line's quantities over all groups may not exceed what remains unassigned.
 */
export function parseShipmentPlanForm(form: FormData, lines: readonly PlanLine[]): PlanParseResult {
  const plan = defaultPlan(lines);
  const fieldErrors: Record<string, Localized> = {};
  const remaining = new Map(lines.map((l) => [l.id, l.remaining]));
  const shipments: PlanGroup[] = [];
  for (const [index, group] of plan.entries()) {
    const chosen: PlanGroup = { vendor: group.vendor, lines: [] };
    for (const line of group.lines) {
      const name = quantityFieldName(index, line.lineId);
      const raw = form.get(name);
      const parsed = quantitySchema.safeParse(typeof raw === "string" ? raw : "0");
      if (!parsed.success) {
        fieldErrors[name] = MESSAGES.notANumber;
        continue;
      }
      if (parsed.data === 0) continue;
      const left = remaining.get(line.lineId) ?? 0;
      if (parsed.data > left) {
        fieldErrors[name] = MESSAGES.tooMany(left);
        continue;
      }
      remaining.set(line.lineId, left - parsed.data);
      chosen.lines.push({ lineId: line.lineId, quantity: parsed.data });
    }
    if (chosen.lines.length > 0) shipments.push(chosen);
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  if (shipments.length === 0) return { ok: false, fieldErrors: {}, formError: MESSAGES.nothing };
  return { ok: true, shipments };
}
