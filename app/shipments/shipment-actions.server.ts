import type { CarrierContext } from "~/fulfillment/carriers";
import { loadShipment } from "~/fulfillment/shipment-store.server";
import { syncNow } from "~/sync/sync-runner.server";
import type { SyncOutcome } from "~/sync/sync.server";
import { getPool } from "~/db.server";
import { message, type Message, type MessageKey } from "~/i18n/messages";
import { markShipped, retrySync, revertShipment } from "./shipment-commands.server";
import { parseTrackingForm, type TrackingFormField } from "./tracking-form";

/**
 * What the shipment page's action does, kept out of the route so the route stays a
 * parse → authorize → call → render shell. Every branch writes the operator's intent
 * first, then tries the sync inline; a sync that fails or times out stays pending and
 * the answer says so (発送済み (未同期)), never "done".
 */
export type ShipmentActionBody =
  | {
      ok: true;
      toast: ShipmentToast;
      toastIsError?: boolean;
      warnings: Message[];
      sync: SyncSummary;
    }
  | { ok: false; fieldErrors: Partial<Record<TrackingFormField, Message>> }
  | { ok: false; error: Message };

/** The toast a command ends with. */
export type ShipmentToast = Extract<
  MessageKey,
  | "shipments.toastShippedSynced"
  | "shipments.toastShippedPending"
  | "shipments.toastSyncFailed"
  | "shipments.toastReverted"
  | "shipments.toastRevertPending"
  | "shipments.toastTrackingUpdated"
  | "shipments.toastNothingToRetry"
>;

export interface SyncSummary {
  kind: SyncOutcome["kind"];
  errorClass?: string;
  retryAt?: string | null;
}

export function parseShipmentId(raw: string | undefined): number | null {
  if (!raw || !/^\d{1,15}$/.test(raw)) return null;
  const id = Number(raw);
  return id > 0 ? id : null;
}

// The queue waits this long before picking up what the action is syncing itself.
const INLINE = { inlineGraceSeconds: 20 };

export const SHIPMENT_NOT_FOUND: Message = message("shipments.shipmentNotFound");

export async function performShipmentAction({
  shop,
  shipmentId,
  form,
  carrierContext,
}: {
  shop: string;
  shipmentId: number | null;
  form: FormData;
  carrierContext: CarrierContext;
}): Promise<{ status: number; body: ShipmentActionBody }> {
  if (!shipmentId) return { status: 404, body: { ok: false, error: SHIPMENT_NOT_FOUND } };
  const pool = getPool();
  const intent = form.get("intent");

  switch (intent) {
    case "mark_shipped": {
      const parsed = parseTrackingForm(form, carrierContext);
      if (!parsed.ok) return { status: 400, body: { ok: false, fieldErrors: parsed.fieldErrors } };
      const written = await markShipped(pool, shop, shipmentId, parsed.tracking, INLINE);
      if (!written.ok) return { status: 404, body: { ok: false, error: SHIPMENT_NOT_FOUND } };
      const outcome = await syncNow(shop, shipmentId);
      const correction = written.pendingOperation === "update_tracking";
      return {
        status: 200,
        body: {
          ok: true,
          toast: isDone(outcome)
            ? correction
              ? "shipments.toastTrackingUpdated"
              : "shipments.toastShippedSynced"
            : isStuck(outcome)
              ? "shipments.toastSyncFailed"
              : "shipments.toastShippedPending",
          toastIsError: outcome.kind === "failed",
          warnings: parsed.warnings,
          sync: summarize(outcome),
        },
      };
    }
    case "revert": {
      const written = await revertShipment(pool, shop, shipmentId, INLINE);
      if (!written.ok) {
        return written.reason === "not_found"
          ? { status: 404, body: { ok: false, error: SHIPMENT_NOT_FOUND } }
          : {
              status: 409,
              body: {
                ok: false,
                error: message("shipments.alreadyUnshipped"),
              },
            };
      }
      const outcome = written.pendingOperation ? await syncNow(shop, shipmentId) : null;
      return {
        status: 200,
        body: {
          ok: true,
          toast: !outcome || isDone(outcome) ? "shipments.toastReverted" : isStuck(outcome) ? "shipments.toastSyncFailed" : "shipments.toastRevertPending",
          toastIsError: outcome?.kind === "failed",
          warnings: [],
          sync: outcome ? summarize(outcome) : { kind: "nothing_to_do" },
        },
      };
    }
    case "retry": {
      const queued = await retrySync(pool, shop, [shipmentId], INLINE);
      if (queued.length === 0 && !(await loadShipment(pool, shop, shipmentId)))
        return { status: 404, body: { ok: false, error: SHIPMENT_NOT_FOUND } };
      if (queued.length === 0) {
        return { status: 200, body: { ok: true, toast: "shipments.toastNothingToRetry", warnings: [], sync: { kind: "nothing_to_do" } } };
      }
      const outcome = await syncNow(shop, shipmentId);
      return {
        status: 200,
        body: {
          ok: true,
          toast: isDone(outcome) ? "shipments.toastShippedSynced" : isStuck(outcome) ? "shipments.toastSyncFailed" : "shipments.toastShippedPending",
          toastIsError: outcome.kind === "failed",
          warnings: [],
          sync: summarize(outcome),
        },
      };
    }
    default:
      return {
        status: 400,
        body: { ok: false, error: message("common.unknownAction") },
      };
  }
}

/** Failed for good (an operator must act): not "pending", whatever the local status. */
function isStuck(outcome: SyncOutcome): boolean {
  return outcome.kind === "failed" && outcome.retryAt === null && !outcome.paused;
}

function isDone(outcome: SyncOutcome): boolean {
  return outcome.kind === "synced" && !outcome.stillPending;
}

function summarize(outcome: SyncOutcome): SyncSummary {
  if (outcome.kind === "failed") {
    return {
      kind: "failed",
      errorClass: outcome.error.errorClass,
      retryAt: outcome.retryAt?.toISOString() ?? null,
    };
  }
  return { kind: outcome.kind };
}
