import { getPool } from "~/db.server";
import { loadOfflineSession } from "~/shopify/offline-session.server";
import { syncShipment, type SyncDependencies, type SyncOutcome } from "./sync.server";

/**
 * The synchronous path of a route action: try the sync now with a short deadline, so
 * the operator usually sees 発送済み at once. Whatever is not done stays pending in the
 * database (発送済み (未同期)) for the queue to finish.
 */
export const INLINE_CALL_TIMEOUT_MS = 8_000;

export function appSyncDependencies(overrides: Partial<SyncDependencies> = {}): SyncDependencies {
  return {
    pool: getPool(),
    loadSession: loadOfflineSession,
    callTimeoutMs: INLINE_CALL_TIMEOUT_MS,
    ...overrides,
  };
}

export async function syncNow(shop: string, shipmentId: number): Promise<SyncOutcome> {
  return syncShipment(appSyncDependencies(), shop, shipmentId);
}
