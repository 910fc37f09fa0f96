import { message, type Message } from "~/i18n/messages";

/**
 * The index table's bulk retry form: either explicit ids (`ids`, repeated) or
 * `scope=all_matching` with the table's filter fields. At most 1000 ids at once: a
 * larger selection is what "all matching" is for. An id is what the table writes — a
 * positive whole number within JavaScript's safe integers, in plain digits ("1e3",
 * "0x10", " 12" are not ids).
 */
export const MAX_SELECTED = 1000;

export type BulkRetryRequest =
  | { ok: true; scope: "ids"; ids: number[] }
  | { ok: true; scope: "all_matching" }
  | { ok: false; error: Message };

export const BULK_RETRY_ERRORS = {
  unknownIntent: message("common.unknownAction"),
  noneSelected: message("queue.errors.noneSelected"),
  tooMany: message("queue.errors.tooMany", { max: MAX_SELECTED }),
  badId: (value: string) =>
    message("queue.errors.badId", { value: value.slice(0, 40) }),
} as const;

export function parseBulkRetry(form: FormData): BulkRetryRequest {
  if (form.get("intent") !== "retry")
    return { ok: false, error: BULK_RETRY_ERRORS.unknownIntent };
  if (form.get("scope") === "all_matching") return { ok: true, scope: "all_matching" };
  const raw = form.getAll("ids").map(String);
  if (raw.length === 0) return { ok: false, error: BULK_RETRY_ERRORS.noneSelected };
  if (raw.length > MAX_SELECTED) return { ok: false, error: BULK_RETRY_ERRORS.tooMany };
  const bad = raw.find((id) => !/^[1-9][0-9]{0,15}$/.test(id) || !Number.isSafeInteger(Number(id)));
  if (bad !== undefined) return { ok: false, error: BULK_RETRY_ERRORS.badId(bad) };
  return { ok: true, scope: "ids", ids: [...new Set(raw.map(Number))] };
}
