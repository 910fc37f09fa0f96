import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedShopTimeZone } from "~/shops/shop-time-zone.server";
import { markUninstalled, upsertInstalledShop } from "~/shops/shops.server";
import { databaseBefore } from "../helpers/schema-before";

// 20261203000100_shop_time_zone adds shops.iana_timezone to a database that has shops
// (installed before the app read time zones) with their settings, country and shipments.
const SHOP_TIME_ZONE = "20261203000100";
const A = "upgrade-a.myshopify.com";
const B = "upgrade-b.myshopify.com";

let before: Awaited<ReturnType<typeof databaseBefore>>;
let pool: pg.Pool;

beforeAll(async () => {
  before = await databaseBefore(SHOP_TIME_ZONE);
  pool = before.pool;
});

afterAll(async () => {
  await before.close();
});

describe("upgrading to shops.iana_timezone", () => {
  it("keeps every shop as it was, with no zone until Shopify is asked (pages then use Asia/Tokyo)", async () => {
    const columns = await pool.query(
      `select 1 from information_schema.columns where table_name = 'shops' and column_name = 'iana_timezone'`,
    );
    expect(columns.rowCount).toBe(0);
    await pool.query(
      `insert into shops (shop, granted_scopes, country_code, auto_retry_enabled, installed_at)
       values ($1, '{read_orders,read_fulfillments}', 'JP', false, '2026-11-30T00:00:00Z'),
              ($2, '{}', null, true, '2026-12-01T00:00:00Z')`,
      [A, B],
    );
    await pool.query(
      `insert into shipments (shop, order_id, order_name, vendor) values ($1, 'gid://shopify/Order/1', '#1001', 'Arita')`,
      [A],
    );
    const shopsBefore = await pool.query(`select * from shops order by shop`);

    await before.upgrade();

    const after = await pool.query(`select * from shops order by shop`);
    expect(after.rows).toEqual(
      shopsBefore.rows.map((row) => ({ ...row, iana_timezone: null })),
    );
    expect(
      (
        await pool.query(`select order_name from shipments where shop = $1`, [
          A,
        ])
      ).rows,
    ).toEqual([{ order_name: "#1001" }]);
    expect(await storedShopTimeZone(pool, A)).toBeNull();
    expect(
      await storedShopTimeZone(pool, "never-installed.myshopify.com"),
    ).toBeNull();
  });

  it("takes IANA names, and refuses offsets, blanks and overlong text", async () => {
    for (const zone of [
      "America/New_York",
      "America/Argentina/Buenos_Aires",
      "Etc/GMT+5",
      "UTC",
      "Asia/Tokyo",
    ]) {
      await pool.query(`update shops set iana_timezone = $2 where shop = $1`, [
        A,
        zone,
      ]);
      expect(await storedShopTimeZone(pool, A)).toBe(zone);
    }
    for (const bad of [
      "+09:00",
      "",
      " Asia/Tokyo",
      "Asia/Tokyo; drop table shops",
      `Area/${"x".repeat(60)}`,
    ]) {
      await expect(
        pool.query(`update shops set iana_timezone = $2 where shop = $1`, [
          B,
          bad,
        ]),
      ).rejects.toThrow(/shops_iana_timezone_format/);
    }
  });

  it("keeps the zone across a re-authentication and a reinstall (until Shopify is read again)", async () => {
    await pool.query(
      `update shops set iana_timezone = 'America/New_York' where shop = $1`,
      [A],
    );
    await upsertInstalledShop(pool, A, ["read_orders"]);
    expect(await storedShopTimeZone(pool, A)).toBe("America/New_York");
    await markUninstalled(pool, A);
    await upsertInstalledShop(pool, A, ["read_orders"]);
    expect(await storedShopTimeZone(pool, A)).toBe("America/New_York");
  });
});
