import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "~/i18n/messages";
import { createBulkOrders, trackingFor } from "../helpers/bulk-orders";
import { DEMO_SHOP, shipmentRow, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";

// Refusals no install-screen scope fixes, through the real sync against the simulator:
// protected customer data withheld (a Partner Dashboard matter, never a pause) and an
// order older than 60 days (the optional read_all_orders scope, then it resumes).
let world: SyncWorld;
let nextOrder = 91_000;

beforeAll(async () => {
  world = await startSyncWorld({ seed: 47 });
});

afterAll(async () => {
  await world.close();
});

async function shippedShipment(createdAt?: string): Promise<number> {
  const number = nextOrder++;
  const [id] = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, {
    orders: 1,
    vendorsPerOrder: 1,
    firstOrderNumber: number,
    createdAt,
  });
  if (createdAt) {
    // The order as the app knows it (orders webhook / backfill): created long ago.
    const orderId = `gid://shopify/Order/${number}`;
    await testPool().query(
      `insert into orders (shop, order_id, order_name, shopify_created_at) values ($1, $2, $3, $4)
       on conflict (shop, order_id) do update set shopify_created_at = excluded.shopify_created_at`,
      [DEMO_SHOP, orderId, `#${number}`, createdAt],
    );
  }
  const { markShipped } = await import("~/shipments/shipment-commands.server");
  const { getPool } = await import("~/db.server");
  await markShipped(getPool(), DEMO_SHOP, id!, {
    trackingNumbers: [trackingFor(id!)],
    carrier: "Yamato (JA)",
    trackingUrl: null,
    notifyCustomer: false,
  });
  return id!;
}

async function sync(id: number) {
  const { syncShipment } = await import("~/sync/sync.server");
  const { syncDependencies } = await import("~/sync/sync-deps.server");
  const { loadOfflineSession } = await import("~/offline-session.server");
  const { getPool } = await import("~/db.server");
  return syncShipment(syncDependencies({ pool: getPool(), loadSession: loadOfflineSession, callTimeoutMs: 5000 }), DEMO_SHOP, id);
}

describe("protected customer data withheld", () => {
  it("fails the shipment with its own class and the Partner Dashboard step, and does not pause the shop", async () => {
    const id = await shippedShipment();
    world.sim.control.setSettings({ shop: DEMO_SHOP, protectedCustomerData: "none" });
    try {
      const outcome = await sync(id);
      expect(outcome).toMatchObject({ kind: "failed", retryAt: null });
      if (outcome.kind !== "failed") return;
      expect(outcome.paused).toBeFalsy();
      expect(outcome.error.errorClass).toBe("protected_customer_data");
      expect(t("en", outcome.error.guidance.action)).toContain("Partner Dashboard");
      expect(await shipmentRow(id)).toMatchObject({ sync_state: "failed", last_error_class: "protected_customer_data" });
      const shop = await testPool().query(`select sync_paused_reason from shops where shop = $1`, [DEMO_SHOP]);
      expect(shop.rows[0].sync_paused_reason).toBeNull();
    } finally {
      world.sim.control.setSettings({ shop: DEMO_SHOP, protectedCustomerData: "level1" });
    }
  });
});

describe("an order older than 60 days", () => {
  it("gets its own explanation without read_all_orders, and syncs once the scope is granted", async () => {
    world.sim.control.setSettings({ shop: DEMO_SHOP, enforceOrderAgeLimit: true });
    const now = Date.now();
    const old = new Date(now - 75 * 86_400_000).toISOString();
    const id = await shippedShipment(old);

    const refused = await sync(id);
    expect(refused.kind).toBe("failed");
    if (refused.kind !== "failed") return;
    expect(refused.error.errorClass).toBe("order_too_old");
    expect(refused.error.nextAction).toBe("request_scopes");
    expect(await shipmentRow(id)).toMatchObject({ sync_state: "failed", last_error_class: "order_too_old" });

    // The merchant grants the optional scope; Shopify sends app/scopes_update.
    const granted = [...world.sim.control.getShop({ shop: DEMO_SHOP }).scopes, "read_all_orders"];
    world.sim.control.setScopes({ shop: DEMO_SHOP, scopes: granted });
    const { applyGrantedScopes } = await import("~/shops/sync-circuit.server");
    expect(await applyGrantedScopes(testPool(), DEMO_SHOP, granted)).toBe(1);
    expect(await shipmentRow(id)).toMatchObject({ sync_state: "pending" });
    expect(await sync(id)).toMatchObject({ kind: "synced" });
  });
});
