import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseBefore } from "../helpers/schema-before";

// 20261201000101_access_refusals adds two sync_error_class values and shops.missing_access.
// Upgraded with data in place: a shop paused for a scope keeps its pause, its listed
// scopes become one requirement (alternatives), and the new classes can be stored.
const ACCESS_REFUSALS = "20261201000101";

let before: Awaited<ReturnType<typeof databaseBefore>>;
let pool: pg.Pool;

beforeAll(async () => {
  before = await databaseBefore(ACCESS_REFUSALS);
  pool = before.pool;
  await pool.query(
    `insert into shops (shop, sync_paused_reason, sync_paused_at, missing_scopes) values
       ('scope-paused.myshopify.com', 'missing_scope', now(),
        array['write_merchant_managed_fulfillment_orders', 'write_third_party_fulfillment_orders']),
       ('token-paused.myshopify.com', 'reauth_required', now(), '{}'),
       ('running.myshopify.com', null, null, '{}')`,
  );
  // This migration alone: what is checked is what it does to the data.
  await before.upgrade(ACCESS_REFUSALS);
});

afterAll(async () => {
  await before.close();
});

describe("upgrading to access refusals", () => {
  it("turns a scope pause's listed scopes into one requirement, and leaves other shops at []", async () => {
    const rows = await pool.query<{ shop: string; missing_scopes: string[]; missing_access: string[][]; sync_paused_reason: string | null }>(
      `select shop, missing_scopes, missing_access, sync_paused_reason from shops order by shop`,
    );
    expect(rows.rows).toEqual([
      { shop: "running.myshopify.com", missing_scopes: [], missing_access: [], sync_paused_reason: null },
      {
        shop: "scope-paused.myshopify.com",
        missing_scopes: ["write_merchant_managed_fulfillment_orders", "write_third_party_fulfillment_orders"],
        missing_access: [["write_merchant_managed_fulfillment_orders", "write_third_party_fulfillment_orders"]],
        sync_paused_reason: "missing_scope",
      },
      { shop: "token-paused.myshopify.com", missing_scopes: [], missing_access: [], sync_paused_reason: "reauth_required" },
    ]);
  });

  it("stores the new error classes and refuses a missing_access that is not an array", async () => {
    const values = await pool.query<{ v: string }>(`select unnest(enum_range(null::sync_error_class))::text as v`);
    expect(values.rows.map((r) => r.v).slice(-2)).toEqual(["protected_customer_data", "order_too_old"]);
    await expect(
      pool.query(`update shops set missing_access = '{}'::jsonb where shop = 'running.myshopify.com'`),
    ).rejects.toThrow(/check/);
  });
});
