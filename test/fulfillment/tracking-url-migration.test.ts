import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installQueueSchema } from "~/worker/queue-schema.server";
import { databaseBefore } from "../helpers/schema-before";

// 20261201000301_tracking_url_typed_only clears the Shopify links that reconcile and
// webhooks copied into shipments.tracking_url, and keeps the URLs merchants typed.
const VERSION = "20261201000301";
const SHOP = "url-upgrade.myshopify.com";
const SHOPIFY_LINK =
  "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=1";
const TYPED = "https://track.example.jp/?no=2";

let before: Awaited<ReturnType<typeof databaseBefore>>;
let pool: pg.Pool;

async function shipment(
  numbers: string[],
  url: string | null,
): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into shipments (shop, order_id, order_name, status, shipped_at, sync_state,
                            tracking_numbers, carrier, tracking_url, shopify_fulfillment_id)
     values ($1, 'gid://shopify/Order/1', '#1001', 'shipped', now(), 'in_sync', $2, 'Sagawa (JA)', $3,
             'gid://shopify/Fulfillment/' || (1000 + ($2::text[])[1]::int))
     returning id`,
    [SHOP, numbers, url],
  );
  return Number(rows[0]!.id);
}

async function note(shipmentId: number, kind: string, details: object) {
  await pool.query(
    `insert into shipment_notes (shop, order_id, shipment_id, kind, source, details)
     values ($1, 'gid://shopify/Order/1', $2, $3, 'webhook', $4)`,
    [SHOP, shipmentId, kind, details],
  );
}

beforeAll(async () => {
  before = await databaseBefore(VERSION);
  pool = before.pool;
  await installQueueSchema(pool);
  await pool.query(`insert into shops (shop) values ($1)`, [SHOP]);
});

afterAll(async () => {
  await before.close();
});

describe("upgrading to typed-only tracking URLs", () => {
  it("clears Shopify's links copied in, keeps what merchants typed", async () => {
    const copied = await shipment(["111"], SHOPIFY_LINK);
    await note(copied, "tracking_changed_in_shopify", {
      before: ["000"],
      after: ["111"],
    });
    const adopted = await shipment(["222"], SHOPIFY_LINK);
    await note(adopted, "fulfilled_in_shopify", {
      trackingNumbers: ["222"],
      carrier: "Sagawa (JA)",
    });
    const editedSince = await shipment(["333"], TYPED);
    await note(editedSince, "tracking_changed_in_shopify", {
      before: ["000"],
      after: ["999"],
    });
    const typed = await shipment(["444"], TYPED);

    await before.upgrade();

    const { rows } = await pool.query<{
      id: string;
      tracking_url: string | null;
    }>(`select id, tracking_url from shipments where shop = $1 order by id`, [
      SHOP,
    ]);
    expect(rows.map((r) => [Number(r.id), r.tracking_url])).toEqual([
      [copied, null],
      [adopted, null],
      [editedSince, TYPED],
      [typed, TYPED],
    ]);
  });
});
