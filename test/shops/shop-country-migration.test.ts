import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "~/db/migrate.server";
import { upsertInstalledShop, markUninstalled } from "~/shops/shops.server";
import { createTestDatabase, type TestDatabase } from "../support/database";

// 20261201000300_shop_country adds shops.country_code to a database that has shops.
const SHOP_COUNTRY = "20261201000300";

let db: TestDatabase;
let pool: pg.Pool;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase({ template: "template1" });
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on("error", () => undefined);
  const source = path.resolve("supabase/migrations");
  dir = await mkdtemp(path.join(tmpdir(), "shop-country-upgrade-"));
  for (const file of await readdir(source)) {
    if (file.endsWith(".sql") && file.split("_")[0]! < SHOP_COUNTRY)
      await copyFile(path.join(source, file), path.join(dir, file));
  }
  await applyMigrations(pool, { dir });
});

afterAll(async () => {
  await pool.end();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("upgrading to shops.country_code", () => {
  it("keeps the shops, with the country unknown until read", async () => {
    await pool.query(
      `insert into shops (shop, granted_scopes) values ('a.myshopify.com', '{read_orders}'),
                                                      ('b.myshopify.com', '{}')`,
    );
    await applyMigrations(pool, { dir: path.resolve("supabase/migrations") });
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
