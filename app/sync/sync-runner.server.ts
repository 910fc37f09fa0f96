import { getPool } from "~/db.server";
import { loadOfflineSession } from "~/offline-session.server";
import { resumeShopSync } from "~/shops/sync-circuit.server";
import { syncDependencies } from "~/sync/sync-deps.server";
import { syncShipment, type SyncOutcome } from "./sync.server";

/**
 * The synchronous path of a route action: try the sync now with a short deadline, so
 * the operator usually sees 発送済み at once. Whatever is not done stays pending in the
 * database (発送済み (未同期)) and its queued job finishes it.
 */
export const INLINE_CALL_TIMEOUT_MS = 8_000;

export async function syncNow(shop: string, shipmentId: number): Promise<SyncOutcome> {
  const deps = syncDependencies({
    pool: getPool(),
    loadSession: loadOfflineSession,
    callTimeoutMs: INLINE_CALL_TIMEOUT_MS,
  });
  const outcome = await syncShipment(deps, shop, shipmentId);
  // Shopify just accepted this shop's token and scopes: a pause is over.
  if (outcome.kind === "synced") await resumeShopSync(getPool(), shop);
  return outcome;
}
