import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "~/db/migrate.server";
import { createTestDatabase, type TestDatabase } from "../support/database";

/**
 * 20261201000200_offline_token_lifetime.sql applied to a database that already holds
 * sessions: existing rows get an issue time, plaintext tokens are kept for the app to
 * re-encrypt, and from then on the trigger stamps each new token.
 */
const VERSION = "20261201000200";
let db: TestDatabase;
let client: pg.Client;
let before: string;

beforeAll(async () => {
  db = await createTestDatabase({ template: "template1" });
  client = new pg.Client(db.url);
  await client.connect();
  before = await mkdtemp(path.join(tmpdir(), "migrations-before-"));
  for (const file of await readdir("supabase/migrations")) {
    if (file.endsWith(".sql") && file.split("_")[0]! < VERSION) {
      await copyFile(path.join("supabase/migrations", file), path.join(before, file));
    }
  }
});

afterAll(async () => {
  await client.end();
  await db.drop();
  await rm(before, { recursive: true, force: true });
});

describe("the offline token lifetime migration, over existing sessions", () => {
  it("backfills the issue time of expiring tokens, keeps the rest, and stamps new tokens from then on", async () => {
    await applyMigrations(client, { dir: before });
    await client.query(
      `insert into shopify_sessions (id, shop, state, is_online, access_token, expires, refresh_token) values
         ('offline_a.myshopify.com', 'a.myshopify.com', '', false, 'shpat_plain_a', '2026-12-01 10:00:00', 'shprt_a'),
         ('offline_b.myshopify.com', 'b.myshopify.com', '', false, 'shpat_plain_b', null, null)`,
    );

    const { applied } = await applyMigrations(client);
    expect(applied).toContain(`${VERSION}_offline_token_lifetime.sql`);

    const rows = async () =>
      (
        await client.query<{ id: string; access_token: string; issued: string | null }>(
          `select id, access_token, to_char(access_token_issued_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as issued
             from shopify_sessions order by id`,
        )
      ).rows;
    expect(await rows()).toEqual([
      { id: "offline_a.myshopify.com", access_token: "shpat_plain_a", issued: "2026-12-01 09:00:00" },
      { id: "offline_b.myshopify.com", access_token: "shpat_plain_b", issued: null },
    ]);

    // Re-encryption (same expiry) leaves the stamp; a new token (new expiry) is stamped now.
    await client.query(`update shopify_sessions set access_token = 'enc1:k:x:y:z' where id = 'offline_a.myshopify.com'`);
    expect((await rows())[0]!.issued).toBe("2026-12-01 09:00:00");
    await client.query(
      `update shopify_sessions set access_token = 'enc1:k:new', expires = now() + interval '1 hour' where id = 'offline_b.myshopify.com'`,
    );
    const stamped = await client.query<{ fresh: boolean }>(
      `select access_token_issued_at > now() - interval '1 minute' as fresh from shopify_sessions where id = 'offline_b.myshopify.com'`,
    );
    expect(stamped.rows[0]!.fresh).toBe(true);
  });
});
