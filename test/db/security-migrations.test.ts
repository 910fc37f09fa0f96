import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "~/db/migrate.server";
import { createTestDatabase, type TestDatabase } from "../support/database";

/**
 * The upgrade to 20261201000600 (webhook delivery keys) and 20261201000601 (least
 * privilege) from the schema before them, with data in it: a database migrated up to the
 * previous file, given shops, shipments and logged webhook deliveries, then migrated to
 * the end. The data survives, old log rows keep working, the new keys hold, and the API
 * roles lose every privilege — on tables that exist and on tables created afterwards.
 */
const MIGRATIONS = path.resolve("supabase/migrations");
const FIRST_NEW = "20261201000600";
let db: TestDatabase;
let client: pg.Client;
let before: string;

beforeAll(async () => {
  db = await createTestDatabase({ template: "template1" });
  before = await mkdtemp(path.join(tmpdir(), "migrations-before-"));
  for (const file of await readdir(MIGRATIONS)) {
    if (file.split("_")[0]! < FIRST_NEW)
      await copyFile(path.join(MIGRATIONS, file), path.join(before, file));
  }
  await applyMigrations(db.url, { dir: before });
  client = new pg.Client(db.url);
  await client.connect();
  await client.query(
    `insert into shops (shop) values ('hokuto-zakka.myshopify.com'), ('other.myshopify.com')`,
  );
  await client.query(
    `insert into shipments (shop, order_id, order_name, vendor)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1001', '岩鋳')`,
  );
  await client.query(
    `insert into webhook_events (shop, topic, webhook_id, outcome)
     values ('hokuto-zakka.myshopify.com', 'orders/create', 'w-old-1', 'applied'),
            ('other.myshopify.com', 'orders/create', 'w-old-1', 'applied')`,
  );
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
  await rm(before, { recursive: true, force: true });
});

describe("upgrade to the security migrations, with data", () => {
  it("before: Supabase's default grants give anon every table privilege", async () => {
    const { rows } = await client.query(
      `select has_table_privilege('anon', 'public.shipments', 'select, truncate') as anon`,
    );
    expect(rows[0].anon).toBe(true);
  });

  it("keeps every row and applies the new keys and the revocations", async () => {
    await applyMigrations(db.url, { dir: MIGRATIONS });

    const shipments = await client.query(
      `select shop, order_name, vendor from shipments`,
    );
    expect(shipments.rows).toEqual([
      { shop: "hokuto-zakka.myshopify.com", order_name: "#1001", vendor: "岩鋳" },
    ]);
    const events = await client.query(
      `select shop, webhook_id, event_id, body_sha256 from webhook_events order by shop`,
    );
    expect(events.rows).toEqual([
      {
        shop: "hokuto-zakka.myshopify.com",
        webhook_id: "w-old-1",
        event_id: null,
        body_sha256: null,
      },
      {
        shop: "other.myshopify.com",
        webhook_id: "w-old-1",
        event_id: null,
        body_sha256: null,
      },
    ]);

    // A body is logged once across shops and topics; an event id once per topic.
    const sha = "a".repeat(64);
    const insert = (shop: string, topic: string, id: string, event: string) =>
      client.query(
        `insert into webhook_events (shop, topic, webhook_id, event_id, body_sha256, outcome)
         values ($1, $2, $3, $4, $5, 'in_progress') on conflict do nothing returning id`,
        [shop, topic, id, event, sha],
      );
    expect((await insert("hokuto-zakka.myshopify.com", "orders/create", "w1", "e1")).rowCount).toBe(1);
    expect((await insert("other.myshopify.com", "shop/redact", "w2", "e2")).rowCount).toBe(0);
    await expect(
      client.query(
        `insert into webhook_events (shop, topic, webhook_id, event_id, outcome)
         values ('other.myshopify.com', 'orders/create', 'w3', 'e1', 'applied')`,
      ),
    ).rejects.toThrow(/webhook_events_topic_event_id_key/);
    await expect(
      client.query(
        `insert into webhook_events (shop, topic, webhook_id, body_sha256, outcome)
         values ('other.myshopify.com', 'orders/create', 'w4', 'not-a-digest', 'applied')`,
      ),
    ).rejects.toThrow(/body_sha256/);

    const privileges = await client.query(
      `select c.relname, r.role_name
         from pg_class c
        cross join unnest(array['anon', 'authenticated']) as r(role_name)
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
          and has_table_privilege(r.role_name, c.oid, 'select, insert, update, delete, truncate, references, trigger')`,
    );
    expect(privileges.rows).toEqual([]);
    const definer = await client.query(
      `select proconfig from pg_proc where oid = 'public.enqueue_shipment_sync(text, bigint, timestamptz)'::regprocedure`,
    );
    expect(definer.rows[0].proconfig).toEqual([
      "search_path=pg_catalog, pg_temp",
    ]);
  });

  it("a table a later migration creates starts without privileges for anon and authenticated", async () => {
    await client.query(`create table public.later_table (id int)`);
    const { rows } = await client.query(
      `select has_table_privilege('anon', 'public.later_table', 'select') as anon_select,
              has_table_privilege('anon', 'public.later_table', 'truncate') as anon_truncate,
              has_table_privilege('authenticated', 'public.later_table', 'insert') as auth_insert`,
    );
    expect(rows[0]).toEqual({
      anon_select: false,
      anon_truncate: false,
      auth_insert: false,
    });
  });
});
