/**
 * Staff create shipments from an order's lines: by default one shipment per vendor
 * holding every unit not yet in a shipment, with each quantity editable (0 leaves a line
 * out; an empty shipment is not created). Pure: the form's field names and the default
 * plan (./shipment-plan-form validates what comes back).
 *
 * Field names: `line_<lineId>` (a quantity; line_items.id). A line belongs to its
 * vendor's group, so the quantities alone say which shipment each unit goes to, and a
 * group that vanished meanwhile (another staff member assigned its lines) cannot shift
 * quantities onto another vendor's lines.
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

export function quantityFieldName(lineId: number): string {
  return `line_${lineId}`;
}
