import { describe, expect, it } from "vitest";
import { classifyShopifyOutcome } from "~/fulfillment/errors";
import { applyGrantedScopes, getShopSyncPause } from "~/shops/sync-circuit.server";
import { syncDependencies } from "~/sync/sync-deps.server";
import { testPool } from "../support/database";

// Shopify's requiredAccess lists alternatives: any one is enough. The pause asks the
// merchant for the one scope the app declares and resumes when ANY alternative arrives.
const FULFILLMENT_CREATE_ACCESS =
  "`write_assigned_fulfillment_orders` access scope, `write_merchant_managed_fulfillment_orders` access scope or `write_third_party_fulfillment_orders` access scope. Also: The user must have fulfill_and_ship_orders permission.";

const denied = classifyShopifyOutcome({
  kind: "graphql_errors",
  errors: [
    {
      message: `Access denied for fulfillmentCreate field. Required access: ${FULFILLMENT_CREATE_ACCESS}`,
      extensions: { code: "ACCESS_DENIED", requiredAccess: FULFILLMENT_CREATE_ACCESS },
    },
  ],
});

async function shopWithPendingShipment(shop: string) {
  const pool = testPool();
  await pool.query(`insert into shops (shop) values ($1)`, [shop]);
  await pool.query(
    `insert into shipments (shop, order_id, order_name, status, shipped_at, sync_state, pending_operation, tracking_numbers)
     values ($1, 'gid://shopify/Order/1', '#1001', 'shipped', now(), 'pending', 'create_fulfillment', array['T1'])`,
    [shop],
  );
}

async function pause(shop: string) {
  const deps = syncDependencies({
    pool: testPool(),
    loadSession: async () => null,
    callTimeoutMs: 1000,
    requestedScopes: ["read_orders", "read_merchant_managed_fulfillment_orders", "write_merchant_managed_fulfillment_orders"],
  });
  await deps.pauseShop!(shop, denied);
}

describe("alternative scopes", () => {
  it("reads the refusal as one requirement of three alternatives (the staff permission is no scope)", () => {
    expect(denied.errorClass).toBe("missing_scope");
    expect(denied.requiredAccess).toEqual([
      [
        "write_assigned_fulfillment_orders",
        "write_merchant_managed_fulfillment_orders",
        "write_third_party_fulfillment_orders",
      ],
    ]);
  });

  it("pauses asking for the one scope the app declares, and waits for any alternative", async () => {
    const shop = "alternatives-1.myshopify.com";
    await shopWithPendingShipment(shop);
    await pause(shop);
    const paused = await getShopSyncPause(testPool(), shop);
    expect(paused).toMatchObject({
      reason: "missing_scope",
      missingScopes: ["write_merchant_managed_fulfillment_orders"],
      missingAccess: denied.requiredAccess,
    });
    // A scope that is no alternative changes nothing.
    expect(await applyGrantedScopes(testPool(), shop, ["read_orders", "read_products"])).toBe(0);
    expect(await getShopSyncPause(testPool(), shop)).not.toBeNull();
    // Another alternative than the one asked for is enough.
    expect(await applyGrantedScopes(testPool(), shop, ["read_orders", "write_third_party_fulfillment_orders"])).toBe(1);
    expect(await getShopSyncPause(testPool(), shop)).toBeNull();
  });

  it("a repeated refusal does not add the requirement twice", async () => {
    const shop = "alternatives-2.myshopify.com";
    await shopWithPendingShipment(shop);
    await pause(shop);
    await pause(shop);
    const paused = await getShopSyncPause(testPool(), shop);
    expect(paused?.missingAccess).toHaveLength(1);
    expect(paused?.missingScopes).toEqual(["write_merchant_managed_fulfillment_orders"]);
  });
});

describe("read_all_orders granted", () => {
  it("queues again the shipments refused for an order older than 60 days, and only those", async () => {
    const shop = "old-orders.myshopify.com";
    const pool = testPool();
    await pool.query(`insert into shops (shop) values ($1)`, [shop]);
    const inserted = await pool.query<{ id: string; last_error_class: string }>(
      `insert into shipments (shop, order_id, order_name, status, shipped_at, sync_state, pending_operation,
                              tracking_numbers, last_error_class)
       values ($1, 'gid://shopify/Order/1', '#1001', 'shipped', now(), 'failed', 'create_fulfillment', array['T1'], 'order_too_old'),
              ($1, 'gid://shopify/Order/2', '#1002', 'shipped', now(), 'failed', 'create_fulfillment', array['T2'], 'invalid')
       returning id, last_error_class`,
      [shop],
    );
    expect(await applyGrantedScopes(pool, shop, ["read_orders"])).toBe(0);
    expect(await applyGrantedScopes(pool, shop, ["read_orders", "read_all_orders"])).toBe(1);
    const states = await pool.query<{ id: string; sync_state: string }>(
      `select id, sync_state from shipments where shop = $1 order by id`,
      [shop],
    );
    expect(states.rows.map((r) => r.sync_state)).toEqual(["pending", "failed"]);
    expect(inserted.rows[0]!.last_error_class).toBe("order_too_old");
  });
});
