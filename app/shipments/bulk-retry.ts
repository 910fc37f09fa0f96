import { z } from "zod";

/**
 * The index table's bulk retry form: either explicit ids (`ids`, repeated) or
 * `scope=all_matching` with the table's filter fields. At most 1000 ids at once: a
 * larger selection is what "all matching" is for.
 */
const idsSchema = z
  .array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER))
  .min(1, "Select at least one shipment.")
  .max(1000, "Select at most 1000 shipments, or use “all matching this filter”.");

export type BulkRetryRequest =
  | { ok: true; scope: "ids"; ids: number[] }
  | { ok: true; scope: "all_matching" }
  | { ok: false; error: string };

export function parseBulkRetry(form: FormData): BulkRetryRequest {
  if (form.get("intent") !== "retry") return { ok: false, error: "Unknown action." };
  if (form.get("scope") === "all_matching") return { ok: true, scope: "all_matching" };
  const parsed = idsSchema.safeParse(form.getAll("ids"));
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  return { ok: true, scope: "ids", ids: [...new Set(parsed.data)] };
}
