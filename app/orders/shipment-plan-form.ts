import { z } from "zod";
import { message, type Message } from "~/i18n/messages";
import {
  defaultPlan,
  quantityFieldName,
  type PlanGroup,
  type PlanLine,
} from "./shipment-plan";

/**
 * The create-shipments form, validated (zod) against the order's lines as they are now,
 * with field-level errors. Server side only (kept apart from ./shipment-plan so the page
 * does not ship zod to the browser).
 */
export type PlanParseResult =
  | { ok: true; shipments: PlanGroup[] }
  | {
      ok: false;
      fieldErrors: Record<string, Message>;
      formError?: Message;
    };

const quantitySchema = z
  .string()
  .trim()
  .transform((value) => (value === "" ? "0" : value.normalize("NFKC")))
  .pipe(z.string().regex(/^[0-9]{1,5}$/))
  .transform(Number);

/**
 * Reads the submitted plan against the order's lines as they are now. Groups and lines
 * are taken from the server's own default plan (a line id typed into the form by hand
 * cannot add a line of another order); only the quantities come from the form, a
 * missing one counting as 0. No quantity may exceed what remains unassigned.
 */
export function parseShipmentPlanForm(
  form: FormData,
  lines: readonly PlanLine[],
): PlanParseResult {
  const plan = defaultPlan(lines);
  const fieldErrors: Record<string, Message> = {};
  const remaining = new Map(lines.map((l) => [l.id, l.remaining]));
  const shipments: PlanGroup[] = [];
  for (const group of plan) {
    const chosen: PlanGroup = { vendor: group.vendor, lines: [] };
    for (const line of group.lines) {
      const name = quantityFieldName(line.lineId);
      const raw = form.get(name);
      const parsed = quantitySchema.safeParse(
        typeof raw === "string" ? raw : "0",
      );
      if (!parsed.success) {
        fieldErrors[name] = message("orders.form.notANumber");
        continue;
      }
      if (parsed.data === 0) continue;
      const left = remaining.get(line.lineId) ?? 0;
      if (parsed.data > left) {
        fieldErrors[name] = message("orders.form.tooMany", { remaining: left });
        continue;
      }
      remaining.set(line.lineId, left - parsed.data);
      chosen.lines.push({ lineId: line.lineId, quantity: parsed.data });
    }
    if (chosen.lines.length > 0) shipments.push(chosen);
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  if (shipments.length === 0)
    return {
      ok: false,
      fieldErrors: {},
      formError: message("orders.form.nothing"),
    };
  return { ok: true, shipments };
}
