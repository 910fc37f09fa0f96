import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadShipment,
  recordShopPaused,
  recordSyncFailure,
  recordSyncSuccess,
  revert,
  settleFromShopify,
  stopForCancelledOrder,
} from "~/fulfillment/shipment-store.server";
import { message, t, type Message } from "~/i18n/messages";
import { databaseBefore } from "../helpers/schema-before";

// 20261204000100_shipments_last_error_detail adds shipments.last_error_detail (the app's
// message for an error it words itself) to a database whose shipments hold the sync's
// findings as words, both languages in last_error_message ("<ja>\n<en>").
const LAST_ERROR_DETAIL = "20261204000100";
const SHOP = "upgrade-detail.myshopify.com";
const ORDER = "gid://shopify/Order/4242";
const OLD_MESSAGE =
  "「有田焼 豆皿」を 2 点発送しようとしていますが、Shopify 上で未発送なのは 1 点です (今すぐ発送できるのは 1 点)。\n" +
  'This shipment ships 2 of "有田焼 豆皿", but only 1 remain unfulfilled in Shopify (1 can be fulfilled now).';

let before: Awaited<ReturnType<typeof databaseBefore>>;
let pool: pg.Pool;
let failedId: number;
let syncedId: number;

beforeAll(async () => {
  before = await databaseBefore(LAST_ERROR_DETAIL);
  pool = before.pool;
});

afterAll(async () => {
  await before.close();
});

async function revisionOf(id: number): Promise<number> {
  const { rows } = await pool.query<{ revision: number }>(
    `select revision from shipments where id = $1`,
    [id],
  );
  return rows[0]!.revision;
}

async function errorOf(id: number) {
  const { rows } = await pool.query<{
    last_error_message: string | null;
    last_error_detail: unknown;
  }>(
    `select last_error_message, last_error_detail from shipments where id = $1`,
    [id],
  );
  return rows[0]!;
}

describe("upgrading to shipments.last_error_detail", () => {
  it("keeps every shipment as it was, the old words included, with no detail", async () => {
    const columns = await pool.query(
      `select 1 from information_schema.columns where table_name = 'shipments' and column_name = 'last_error_detail'`,
    );
    expect(columns.rowCount).toBe(0);
    await pool.query(`insert into shops (shop) values ($1)`, [SHOP]);
    const inserted = await pool.query<{ id: string }>(
      `insert into shipments (shop, order_id, order_name, vendor, tracking_numbers, carrier, status, shipped_at,
                              sync_state, pending_operation, sync_attempts, last_error_class, last_error_message)
       values ($1, $2, '#4242', '有田焼 窯元', '{445566778899}', 'ヤマト運輸', 'shipped', now(),
               'failed', 'create_fulfillment', 1, 'invalid', $3),
              ($1, $2, '#4242', '今治タオル工房', '{}', null, 'unshipped', null,
               'in_sync', null, 0, null, null)
       returning id`,
      [SHOP, ORDER, OLD_MESSAGE],
    );
    [failedId, syncedId] = inserted.rows.map((r) => Number(r.id)) as [
      number,
      number,
    ];
    const rowsBefore = await pool.query(`select * from shipments order by id`);

    await before.upgrade();

    const after = await pool.query(`select * from shipments order by id`);
    expect(after.rows).toEqual(
      rowsBefore.rows.map((row) => ({ ...row, last_error_detail: null })),
    );
    // Read back as before: the old words, no detail (the page shows the words).
    expect(await loadShipment(pool, SHOP, failedId)).toMatchObject({
      lastErrorClass: "invalid",
      lastErrorMessage: OLD_MESSAGE,
      lastErrorDetail: null,
    });
    expect(await loadShipment(pool, SHOP, syncedId)).toMatchObject({
      lastErrorMessage: null,
      lastErrorDetail: null,
    });
  });

  it("takes a message (a key, with or without parameters) and refuses any other json", async () => {
    const problem = message("fulfillment.problems.alreadyFulfilled", {
      item: "有田焼 豆皿",
    });
    for (const detail of [problem, message("fulfillment.problems.noLines")]) {
      await pool.query(
        `update shipments set last_error_detail = $2 where id = $1`,
        [failedId, JSON.stringify(detail)],
      );
      expect(
        (await loadShipment(pool, SHOP, failedId))!.lastErrorDetail,
      ).toEqual(detail);
    }
    for (const bad of [
      '"words"',
      "[]",
      "42",
      '{"ja": "言葉", "en": "words"}',
      '{"key": 7}',
      '{"params": {}}',
    ]) {
      await expect(
        pool.query(
          `update shipments set last_error_detail = $2::jsonb where id = $1`,
          [failedId, bad],
        ),
      ).rejects.toThrow(/shipments_last_error_detail_message/);
    }
  });
});

describe("every write of the last error, after the upgrade", () => {
  const detail: Message = message(
    "fulfillment.problems.quantityExceedsRemaining",
    {
      item: "有田焼 豆皿",
      requested: 2,
      remaining: 1,
      fulfillable: 1,
    },
  );

  /** Shipped, its create refused by the app's check: failed, or pending a retry. */
  async function failWithDetail(id: number, retryAt: Date | null = null) {
    await pool.query(
      `update shipments set status = 'shipped', shipped_at = now(), shopify_fulfillment_id = null,
                            sync_state = 'pending', pending_operation = 'create_fulfillment'
        where id = $1`,
      [id],
    );
    await recordSyncFailure(
      pool,
      { shop: SHOP, id, revision: await revisionOf(id) },
      {
        attempts: 1,
        retryAt,
        errorClass: "invalid",
        message: t("en", detail),
        detail,
        now: new Date(),
      },
    );
    expect(await errorOf(id)).toEqual({
      last_error_message: t("en", detail),
      last_error_detail: detail,
    });
  }

  it("a failure with Shopify's words replaces an earlier detail with none", async () => {
    await failWithDetail(failedId);
    await recordSyncFailure(
      pool,
      { shop: SHOP, id: failedId, revision: await revisionOf(failedId) },
      {
        attempts: 2,
        retryAt: null,
        errorClass: "invalid",
        message: "Fulfillment order is closed.",
        now: new Date(),
      },
    );
    expect(await errorOf(failedId)).toEqual({
      last_error_message: "Fulfillment order is closed.",
      last_error_detail: null,
    });
  });

  it("a shop-wide refusal sets both, a success clears both", async () => {
    await failWithDetail(failedId);
    await recordShopPaused(
      pool,
      { shop: SHOP, id: failedId, revision: await revisionOf(failedId) },
      {
        errorClass: "missing_scope",
        message: "Access denied for fulfillmentCreate field.",
      },
    );
    expect(await errorOf(failedId)).toEqual({
      last_error_message: "Access denied for fulfillmentCreate field.",
      last_error_detail: null,
    });
    await failWithDetail(failedId);
    const done = await recordSyncSuccess(
      pool,
      { shop: SHOP, id: failedId, revision: await revisionOf(failedId) },
      "gid://shopify/Fulfillment/4242",
    );
    expect(done).toBe(true);
    expect(await errorOf(failedId)).toEqual({
      last_error_message: null,
      last_error_detail: null,
    });
  });

  it("the operator's revert, Shopify's cancellation and a cancelled order each leave no stale detail", async () => {
    await failWithDetail(failedId);
    expect(await revert(pool, SHOP, failedId)).toMatchObject({ ok: true });
    expect(await errorOf(failedId)).toEqual({
      last_error_message: null,
      last_error_detail: null,
    });

    await failWithDetail(failedId);
    expect(
      await settleFromShopify(pool, {
        shop: SHOP,
        id: failedId,
        revision: await revisionOf(failedId),
      }),
    ).toBe(true);
    expect(await errorOf(failedId)).toEqual({
      last_error_message: null,
      last_error_detail: null,
    });

    await failWithDetail(failedId, new Date(Date.now() + 60_000));
    await stopForCancelledOrder(
      pool,
      SHOP,
      ORDER,
      "Order #4242 was cancelled in Shopify.",
    );
    expect(await errorOf(failedId)).toEqual({
      last_error_message: "Order #4242 was cancelled in Shopify.",
      last_error_detail: null,
    });
  });
});
