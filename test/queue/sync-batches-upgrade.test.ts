import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseBefore } from "../helpers/schema-before";

// 20261201000500_sync_batches_walk lets "retry all matching" be walked by the queue in
// batches. Upgraded with data in place: bulk runs recorded before read as finished walks.
const SYNC_BATCHES_WALK = "20261201000500";
const SHOP = "upgrade-batches.myshopify.com";

let before: Awaited<ReturnType<typeof databaseBefore>>;
let pool: pg.Pool;

beforeAll(async () => {
  before = await databaseBefore(SYNC_BATCHES_WALK);
  pool = before.pool;
});

afterAll(async () => {
  await before.close();
});

describe("upgrading sync_batches to walked bulk runs", () => {
  it("keeps earlier bulk runs as finished walks and walks only 'all matching'", async () => {
    await pool.query(`insert into shops (shop) values ($1)`, [SHOP]);
    await pool.query(
      `insert into sync_batches (shop, shipment_ids, scope, created_at)
       values ($1, array[11, 12, 13]::bigint[], 'selection', '2026-11-30T10:00:00Z'),
              ($1, array[21]::bigint[], 'all_matching', '2026-11-30T11:00:00Z')`,
      [SHOP],
    );

    await before.upgrade();

    const rows = await pool.query(
      `select scope, total, batches_done, walked_at, walked_to_id, filters from sync_batches order by id`,
    );
    expect(rows.rows).toEqual([
      { scope: "selection", total: 3, batches_done: 1, walked_at: new Date("2026-11-30T10:00:00Z"), walked_to_id: null, filters: null },
      { scope: "all_matching", total: 1, batches_done: 1, walked_at: new Date("2026-11-30T11:00:00Z"), walked_to_id: null, filters: null },
    ]);
    // A walk starts empty, with its filter; a selection is never left unwalked.
    await pool.query(`insert into sync_batches (shop, scope, filters) values ($1, 'all_matching', '{"syncState":"failed"}')`, [
      SHOP,
    ]);
    await expect(pool.query(`insert into sync_batches (shop, scope) values ($1, 'selection')`, [SHOP])).rejects.toThrow(
      /sync_batches_walk_check/,
    );
  });
});
