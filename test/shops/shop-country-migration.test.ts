import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertInstalledShop, markUninstalled } from "~/shops/shops.server";
import { databaseBefore } from "../helpers/schema-before";

// 20261201000300_shop_country adds shops.country_code to a database that has shops.
const SHOP_COUNTRY = "20261201000300";

let before: Awaited<ReturnType<typeof databaseBefore>>;
let pool: pg.Pool;

beforeAll(async () => {
  before = await databaseBefore(SHOP_COUNTRY);
  pool = before.pool;
});

afterAll(async () => {
  await before.close();
});

describe("upgrading to shops.country_code", () => {
  it("keeps the shops, with the country unknown until read", async () => {
    await pool.query(
      `insert into shops (shop, granted_scopes) values ('a.myshopify.com', '{read_orders}'),
                                                      ('b.myshopify.com', '{}')`,
    );
    await before.upgrade();
    const { rows } = await pool.query(
      `select shop, granted_scopes, country_code from shops order by shop`,
    );
    expect(rows).toEqual([
      {
        shop: "a.myshopify.com",
        granted_scopes: ["read_orders"],
        country_code: null,
      },
      { shop: "b.myshopify.com", granted_scopes: [], country_code: null },
    ]);
  });

  it("takes ISO 3166-1 alpha-2 codes only", async () => {
    await pool.query(
      `update shops set country_code = 'JP' where shop = 'a.myshopify.com'`,
    );
    for (const bad of ["jp", "JPN", ""]) {
      await expect(
        pool.query(
          `update shops set country_code = $1 where shop = 'b.myshopify.com'`,
          [bad],
        ),
      ).rejects.toThrow(/shops_country_code_format/);
    }
  });

  it("keeps the country while installed, forgets it at a reinstall", async () => {
    await upsertInstalledShop(pool, "a.myshopify.com", ["read_orders"]);
    const kept = await pool.query(
      `select country_code from shops where shop = 'a.myshopify.com'`,
    );
    expect(kept.rows[0].country_code).toBe("JP");
    await markUninstalled(pool, "a.myshopify.com");
    await upsertInstalledShop(pool, "a.myshopify.com", ["read_orders"]);
    const reread = await pool.query(
      `select country_code from shops where shop = 'a.myshopify.com'`,
    );
    expect(reread.rows[0].country_code).toBeNull();
  });
});
