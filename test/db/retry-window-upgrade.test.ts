import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseBefore } from "../helpers/schema-before";

// 20261201000400_retry_window replaces the attempt count (shops.max_sync_attempts) with
// a time budget and records when a shipment's run of failures began. Upgraded with data
// in place: shops keep their automatic-retry choice and get the default budget; a
// shipment failing at the upgrade gets the whole budget from then.
const RETRY_WINDOW = "20261201000400";

let before: Awaited<ReturnType<typeof databaseBefore>>;
let pool: pg.Pool;

beforeAll(async () => {
  before = await databaseBefore(RETRY_WINDOW);
  pool = before.pool;
});

afterAll(async () => {
  await before.close();
});

describe("upgrading to retries on a time budget", () => {
  it("keeps shops and shipments, gives every shop the default budget and failing shipments a start", async () => {
    await pool.query(
      `insert into shops (shop, auto_retry_enabled, max_sync_attempts) values
         ('a-upgrade.myshopify.com', true, 3), ('b-upgrade.myshopify.com', false, 25)`,
    );
    await pool.query(
      `insert into shipments (id, shop, order_id, order_name, tracking_numbers, status, shipped_at, sync_state,
                              pending_operation, sync_attempts, next_retry_at, last_error_class, last_error_message)
       overriding system value values
         (1, 'a-upgrade.myshopify.com', 'gid://shopify/Order/1', '#1', '{T1}', 'shipped', now(), 'pending',
          'create_fulfillment', 2, now() + interval '1 minute', 'transient', 'HTTP 503'),
         (2, 'a-upgrade.myshopify.com', 'gid://shopify/Order/2', '#2', '{T2}', 'shipped', now(), 'failed',
          'create_fulfillment', 3, null, 'transient', 'HTTP 503'),
         (3, 'b-upgrade.myshopify.com', 'gid://shopify/Order/3', '#3', '{}', 'unshipped', null, 'in_sync',
          null, 0, null, null, null)`,
    );

    const { applied } = await before.upgrade();
    expect(applied.some((file) => file.startsWith(RETRY_WINDOW))).toBe(true);

    const shops = await pool.query(
      `select shop, auto_retry_enabled, sync_retry_window_minutes from shops order by shop`,
    );
    expect(shops.rows).toEqual([
      { shop: "a-upgrade.myshopify.com", auto_retry_enabled: true, sync_retry_window_minutes: 360 },
      { shop: "b-upgrade.myshopify.com", auto_retry_enabled: false, sync_retry_window_minutes: 360 },
    ]);
    const column = await pool.query(
      `select 1 from information_schema.columns where table_name = 'shops' and column_name = 'max_sync_attempts'`,
    );
    expect(column.rowCount).toBe(0);

    const shipments = await pool.query(
      `select id, sync_state, sync_attempts, tracking_numbers, sync_failing_since is not null as failing
         from shipments order by id`,
    );
    expect(shipments.rows).toEqual([
      { id: "1", sync_state: "pending", sync_attempts: 2, tracking_numbers: ["T1"], failing: true },
      { id: "2", sync_state: "failed", sync_attempts: 3, tracking_numbers: ["T2"], failing: true },
      { id: "3", sync_state: "in_sync", sync_attempts: 0, tracking_numbers: [], failing: false },
    ]);
  });

  it("refuses a budget outside 1 hour to 3 days", async () => {
    await expect(
      pool.query(`update shops set sync_retry_window_minutes = 59 where shop = 'a-upgrade.myshopify.com'`),
    ).rejects.toThrow(/sync_retry_window_minutes_check/);
    await expect(
      pool.query(`update shops set sync_retry_window_minutes = 4321 where shop = 'a-upgrade.myshopify.com'`),
    ).rejects.toThrow(/sync_retry_window_minutes_check/);
  });
});
