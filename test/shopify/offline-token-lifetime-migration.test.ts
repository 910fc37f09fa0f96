import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseBefore } from "../helpers/schema-before";

/**
 * 20261201000200_offline_token_lifetime.sql applied to a database that already holds
 * sessions: existing rows get an issue time, plaintext tokens are kept for the app to
 * re-encrypt, and from then on the trigger stamps each new token.
 */
const VERSION = "20261201000200";
let before: Awaited<ReturnType<typeof databaseBefore>>;
let pool: pg.Pool;

beforeAll(async () => {
  before = await databaseBefore(VERSION);
  pool = before.pool;
});

afterAll(async () => {
  await before.close();
});

describe("the offline token lifetime migration, over existing sessions", () => {
  it("backfills the issue time of expiring tokens, keeps the rest, and stamps new tokens from then on", async () => {
    await pool.query(
      `insert into shopify_sessions (id, shop, state, is_online, access_token, expires, refresh_token) values
         ('offline_a.myshopify.com', 'a.myshopify.com', '', false, 'shpat_plain_a', '2026-12-01 10:00:00', 'shprt_a'),
         ('offline_b.myshopify.com', 'b.myshopify.com', '', false, 'shpat_plain_b', null, null)`,
    );

    const { applied } = await before.upgrade();
    expect(applied).toContain(`${VERSION}_offline_token_lifetime.sql`);

    const rows = async () =>
      (
        await pool.query<{ id: string; access_token: string; issued: string | null }>(
          `select id, access_token, to_char(access_token_issued_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as issued
             from shopify_sessions order by id`,
        )
      ).rows;
    expect(await rows()).toEqual([
      { id: "offline_a.myshopify.com", access_token: "shpat_plain_a", issued: "2026-12-01 09:00:00" },
      { id: "offline_b.myshopify.com", access_token: "shpat_plain_b", issued: null },
    ]);

    // Re-encryption (same expiry) leaves the stamp; a new token (new expiry) is stamped now.
    await pool.query(`update shopify_sessions set access_token = 'enc1:k:x:y:z' where id = 'offline_a.myshopify.com'`);
    expect((await rows())[0]!.issued).toBe("2026-12-01 09:00:00");
    await pool.query(
      `update shopify_sessions set access_token = 'enc1:k:new', expires = now() + interval '1 hour' where id = 'offline_b.myshopify.com'`,
    );
    const stamped = await pool.query<{ fresh: boolean }>(
      `select access_token_issued_at > now() - interval '1 minute' as fresh from shopify_sessions where id = 'offline_b.myshopify.com'`,
    );
    expect(stamped.rows[0]!.fresh).toBe(true);
  });
});
