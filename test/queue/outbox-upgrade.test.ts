import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installQueueSchema } from "~/worker/queue-schema.server";
import { databaseBefore } from "../helpers/schema-before";

// 20261201000700_batched_outbox replaces the row trigger (add_job per shipment) with
// statement triggers (one add_jobs per statement). Upgraded with data in place: jobs
// queued by the old trigger survive, and the new one queues exactly what the old did.
const BATCHED_OUTBOX = "20261201000700";
const SHOP = "upgrade-outbox.myshopify.com";

let db: Awaited<ReturnType<typeof databaseBefore>>;
let pool: pg.Pool;

async function jobs() {
  const result = await pool.query<{ key: string; run_at: Date; payload: { shop: string; shipmentId: number }; flags: Record<string, boolean> | null; revision: number }>(
    `select j.key, j.run_at, j.payload, j.flags, j.revision
       from graphile_worker._private_jobs j
       join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'sync_shipment' order by j.key`,
  );
  return result.rows;
}

async function newShipments(n: number, pending: boolean): Promise<number[]> {
  const result = await pool.query<{ id: string }>(
    `insert into shipments (shop, order_id, order_name, status, shipped_at, sync_state, pending_operation,
                            tracking_numbers)
     select $1, 'gid://shopify/Order/' || (900000 + g), '#' || (900000 + g),
            case when $3 then 'shipped'::shipment_status else 'unshipped'::shipment_status end,
            case when $3 then now() end,
            case when $3 then 'pending'::sync_state else 'in_sync'::sync_state end,
            case when $3 then 'create_fulfillment'::sync_operation end,
            case when $3 then array['T' || g] else '{}'::text[] end
       from generate_series(1, $2) g
     returning id`,
    [SHOP, n, pending],
  );
  return result.rows.map((r) => Number(r.id));
}

beforeAll(async () => {
  db = await databaseBefore(BATCHED_OUTBOX);
  pool = db.pool;
  await installQueueSchema(pool);
  await pool.query(`insert into shops (shop) values ($1)`, [SHOP]);
});

afterAll(async () => {
  await db.close();
});

describe("upgrading to the batched outbox", () => {
  let before: number[];
  let untouched: number[];

  it("keeps the jobs the row trigger queued", async () => {
    before = await newShipments(3, true);
    untouched = await newShipments(2, false);
    const queued = await jobs();
    expect(queued.map((j) => j.key).sort()).toEqual(before.map((id) => `sync-shipment:${id}`).sort());

    const result = await db.upgrade();
    expect(result.applied.some((f) => f.startsWith(BATCHED_OUTBOX))).toBe(true);

    const after = await jobs();
    expect(after).toEqual(queued);
    const triggers = await pool.query<{ tgname: string }>(
      `select tgname from pg_trigger where tgrelid = 'public.shipments'::regclass and not tgisinternal order by tgname`,
    );
    expect(triggers.rows.map((r) => r.tgname)).toEqual(
      expect.arrayContaining(["shipments_enqueue_sync_insert", "shipments_enqueue_sync_update"]),
    );
    expect(triggers.rows.map((r) => r.tgname)).not.toContain("shipments_enqueue_sync");
  });

  it("queues every shipment one multi-row insert makes pending, one job each, with the shop flag", async () => {
    const ids = await newShipments(250, true);
    const queued = (await jobs()).filter((j) => ids.includes(j.payload.shipmentId));
    expect(queued).toHaveLength(250);
    for (const job of queued) {
      expect(job.key).toBe(`sync-shipment:${job.payload.shipmentId}`);
      expect(job.payload.shop).toBe(SHOP);
      expect(job.flags).toEqual({ [`shop:${SHOP}`]: true });
    }
  });

  it("an update that changes nothing the queue cares about queues nothing", async () => {
    await pool.query(`delete from graphile_worker._private_jobs`);
    await pool.query(`update shipments set carrier = 'Yamato (JA)' where shop = $1`, [SHOP]);
    expect(await jobs()).toEqual([]);
  });

  it("an update queues the rows it made pending (and a new revision of pending ones), not the rest", async () => {
    // `untouched` become pending; two of `before` get a new revision; the rest stay.
    await pool.query(
      `update shipments
          set status = 'shipped', shipped_at = now(), tracking_numbers = array['U' || id],
              sync_state = 'pending', pending_operation = 'create_fulfillment', revision = revision + 1
        where id = any($1::bigint[])`,
      [untouched],
    );
    await pool.query(`update shipments set revision = revision + 1 where id = any($1::bigint[])`, [before.slice(0, 2)]);
    const keys = (await jobs()).map((j) => j.key).sort();
    expect(keys).toEqual([...untouched, ...before.slice(0, 2)].map((id) => `sync-shipment:${id}`).sort());
  });

  it("a repeat replaces the waiting job; next_retry_at and the inline grace set its run_at", async () => {
    const [id] = before;
    const retryAt = new Date(Date.now() + 60_000);
    await pool.query(`update shipments set next_retry_at = $2 where id = $1`, [id, retryAt]);
    const job = (await jobs()).find((j) => j.key === `sync-shipment:${id}`)!;
    expect(Math.abs(job.run_at.getTime() - retryAt.getTime())).toBeLessThan(1_000);
    expect(job.revision).toBeGreaterThan(0);

    const client = await pool.connect();
    try {
      await client.query("begin");
      await client.query(`select set_config('app.inline_sync_grace', '20 seconds', true)`);
      await client.query(`update shipments set next_retry_at = null, revision = revision + 1 where id = $1`, [id]);
      const inTx = await client.query<{ grace: boolean }>(
        `select run_at > now() + interval '15 seconds' as grace from graphile_worker._private_jobs where key = $1`,
        [`sync-shipment:${id}`],
      );
      expect(inTx.rows[0]!.grace).toBe(true);
      await client.query("commit");
    } finally {
      client.release();
    }
  });

  it("numbers each shop's jobs of one statement from 0 (priority), so shops' backlogs interleave", async () => {
    const other = "upgrade-outbox-2.myshopify.com";
    await pool.query(`insert into shops (shop) values ($1)`, [other]);
    await pool.query(`delete from graphile_worker._private_jobs`);
    const inserted = await pool.query<{ id: string; shop: string }>(
      `insert into shipments (shop, order_id, order_name, status, shipped_at, sync_state, pending_operation, tracking_numbers)
       select s, 'gid://shopify/Order/' || (910000 + g), '#' || (910000 + g), 'shipped', now(), 'pending',
              'create_fulfillment', array['F' || g]
         from generate_series(1, 4) g, unnest(array[$1, $2]) s
       returning id, shop`,
      [SHOP, other],
    );
    const priorities = await pool.query<{ shop: string; priority: number }>(
      `select j.payload->>'shop' as shop, j.priority from graphile_worker._private_jobs j order by j.priority, j.id`,
    );
    expect(priorities.rows).toHaveLength(inserted.rows.length);
    for (const shop of [SHOP, other]) {
      expect(priorities.rows.filter((r) => r.shop === shop).map((r) => r.priority)).toEqual([0, 1, 2, 3]);
    }
    // The order workers take them in alternates between the shops.
    expect(priorities.rows.map((r) => r.shop).slice(0, 4).sort()).toEqual([SHOP, SHOP, other, other].sort());
  });

  it("a shipment leaving pending keeps no new job; a rolled-back statement queues nothing", async () => {
    await pool.query(`delete from graphile_worker._private_jobs`);
    await pool.query(
      `update shipments set status = 'unshipped', shipped_at = null, tracking_numbers = '{}',
              sync_state = 'in_sync', pending_operation = null where id = $1`,
      [before[2]],
    );
    const client = await pool.connect();
    try {
      await client.query("begin");
      await client.query(`update shipments set revision = revision + 1 where shop = $1 and sync_state = 'pending'`, [SHOP]);
      await client.query("rollback");
    } finally {
      client.release();
    }
    expect(await jobs()).toEqual([]);
  });
});
