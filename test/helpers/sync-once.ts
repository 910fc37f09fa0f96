import { expect } from "vitest";
import { createBulkOrders } from "./bulk-orders";
import { DEMO_SHOP, type SyncWorld } from "./sync-world";
import { testPool } from "../support/database";

/** One in-process sync run of a shipment, as a worker runs it (retry jitter 0). */
export async function syncOnce(id: number, options: { callTimeoutMs?: number; inFlightHorizonMs?: number } = {}) {
  const { syncShipment } = await import("~/sync/sync.server");
  const { syncDependencies } = await import("~/sync/sync-deps.server");
  const { loadOfflineSession } = await import("~/offline-session.server");
  const { getPool } = await import("~/db.server");
  const deps = syncDependencies({
    pool: getPool(),
    loadSession: loadOfflineSession,
    callTimeoutMs: options.callTimeoutMs ?? 5_000,
  });
  const horizon = options.inFlightHorizonMs ? { inFlightHorizonMs: options.inFlightHorizonMs } : {};
  return syncShipment({ ...deps, random: () => 0, ...horizon }, DEMO_SHOP, id);
}

/** A new one-vendor order in the simulator and the app, its shipment marked shipped with `tracking`. */
export async function shipNewOrder(
  world: SyncWorld,
  orderNumber: number,
  tracking: string,
): Promise<{ id: number; orderId: string }> {
  const [id] = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, {
    orders: 1,
    vendorsPerOrder: 1,
    firstOrderNumber: orderNumber,
  });
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  const { getPool } = await import("~/db.server");
  const shipped = await markShipped(getPool(), DEMO_SHOP, id!, {
    trackingNumbers: [tracking],
    carrier: "Yamato (JA)",
    trackingUrl: null,
    notifyCustomer: false,
  });
  expect(shipped.ok).toBe(true);
  return { id: id!, orderId: `gid://shopify/Order/${orderNumber}` };
}
