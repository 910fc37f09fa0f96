/**
 * Benchmark of the index table's loader query (listShipments, keyset pagination) against
 * the same pages fetched with OFFSET, on a throwaway PostgreSQL 15 holding 1,000,000
 * shipments (100,000 of them in the measured shop).
 *
 *   npm run bench:index                   # the measurement (~2.5 min on 2 idle cores)
 *   npm run bench:index -- --try-query    # + the proposed query shape (proposedQuery)
 *   npm run bench:index -- --try-index    # + again with CANDIDATE_INDEXES added
 *   npm run bench:index -- --collation=C  # the test harness's collation, not Supabase's
 *   npm run bench:index -- --scale=0.1    # a quick run on a tenth of the data
 *
 * Not a test: it asserts nothing about timings. It prints the data-load time, a table of
 * p50 / p95 / max per case and a one-line EXPLAIN (ANALYZE, BUFFERS) summary per query,
 * and checks that every variant returns the same 50 rows as the OFFSET query. The
 * cluster (test/support/postgres.ts) lives in a temp dir and is stopped and removed at the
 * end, on error and on Ctrl-C. Timings are only as quiet as the machine: the load average
 * is printed with them.
 */
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { applyMigrations } from "../../app/db/migrate.server";
import type { Queryable } from "../../app/db/queryable";
import {
  decodeCursor,
  encodeCursor,
  listShipments,
  shipmentFilterSql,
  type ShipmentListOptions,
} from "../../app/shipments/shipment-list.server";
import { startPostgres, type RunningPostgres } from "../support/postgres";

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

const args = process.argv.slice(2);
const TRY_INDEX = args.includes("--try-index");
const TRY_QUERY = args.includes("--try-query");
const argValue = (name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const SCALE = Number(argValue("scale") ?? "1");
/**
 * The database's collation. Hosted Supabase runs lc_collate C.UTF-8 (supabase/cli#1309),
 * and on PostgreSQL 15 only "C"/"POSIX" let a btree on text answer `like 'prefix%'`;
 * the test harness's cluster is initdb'd with C. `--collation=C` gives the harness's.
 */
const COLLATION = argValue("collation") ?? "C.UTF-8";
if (!/^[A-Za-z0-9_.@-]+$/.test(COLLATION))
  throw new Error("--collation: a locale name such as C.UTF-8 or C");
if (!(SCALE > 0 && SCALE <= 1)) throw new Error("--scale must be in (0, 1]");

const TOTAL_SHIPMENTS = Math.round(1_000_000 * SCALE);
/** Every 10th generated shipment belongs to the measured shop: 10 %. */
const MAIN_EVERY = 10;
const OTHER_SHOPS = 200;
const MAIN_SHOP = "bench-main.myshopify.com";
const DATABASE = "bench";
const PAGE_SIZE = 50;
/** "page ~1000" of the unfiltered sorts (scaled with the data). */
const DEEP_PAGE = Math.max(2, Math.round(1000 * SCALE));

/** Per query: up to 5 warm-up calls (at most ~1 s of them), then 50 timed calls or as many
 * as fit in 3 s, but at least 3: a slow OFFSET page gets a few runs, not a minute. */
const WARMUP_RUNS = 5;
const WARMUP_BUDGET_MS = 1_000;
const RUNS = 50;
const RUN_BUDGET_MS = 3_000;
const MIN_RUNS = 3;

// prettier-ignore
const VENDORS = [
  "Acme Apparel", "Alpine Outfitters", "Atlas Ceramics", "Birch & Bloom", "Blue Harbor Co",
  "Cedar Leather", "Copperline", "Driftwood Home", "Ember Candles", "Fieldnotes Paper",
  "Foxglove Botanics", "Granite Goods", "Harbor Knitwear", "Ironwood Tools",
  "Juniper Kids", "Kestrel Optics", "Lumen Lighting", "Maple & Moss", "Northwind Coffee",
  "Oakridge Furniture", "Pebble Pet Supply", "Quartz Jewelry", "Redwood Outdoor",
  "Saltwater Soap", "Tidepool Swim", "Umber Textiles", "Velvet Fern", "Willow Stationery",
  "Yarrow Tea", "Zephyr Cycling",
];

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

let server: RunningPostgres | undefined;
let pool: pg.Pool | undefined;
let interrupted = false;

async function cleanup() {
  const p = pool;
  pool = undefined;
  await p?.end().catch(() => undefined);
  await server?.stop();
}

function onSignal(signal: NodeJS.Signals) {
  interrupted = true;
  console.error(`\n${signal}: stopping PostgreSQL and removing its files…`);
  // Stopping the server first fails any query in flight; pool.end() could wait on it.
  void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
}
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

async function main() {
  const started = performance.now();
  printMachine();

  server = await startPostgres();
  const admin = new pg.Client(server.adminUrl());
  await admin.connect();
  try {
    try {
      // template0: a collation other than the template's needs it. (Supabase's grants
      // in template1 are not needed here: the benchmark connects as the superuser.)
      await admin.query(
        `create database ${DATABASE} template template0 encoding 'UTF8'
           lc_collate '${COLLATION}' lc_ctype '${COLLATION}'`,
      );
    } catch (error) {
      console.log(
        `(collation ${COLLATION} not available here: ${(error as Error).message}; using C)`,
      );
      await admin.query(`create database ${DATABASE}`);
    }
  } finally {
    await admin.end();
  }
  const migrationsDir = path.resolve(
    import.meta.dirname,
    "../../supabase/migrations",
  );
  await applyMigrations(server.adminUrl(DATABASE), { dir: migrationsDir });

  pool = new pg.Pool({ connectionString: server.adminUrl(DATABASE), max: 2 });
  // A server stopped under an idle client (Ctrl-C) must not crash the process.
  pool.on("error", () => undefined);

  const settings = await pool.query<{
    version: string;
    sb: string;
    wm: string;
    collate: string;
  }>(
    `select version() as version, current_setting('shared_buffers') as sb,
            current_setting('work_mem') as wm,
            (select datcollate from pg_database where datname = current_database()) as collate`,
  );
  const s = settings.rows[0];
  console.log(`PostgreSQL: ${s.version}`);
  console.log(
    `            shared_buffers=${s.sb} work_mem=${s.wm} collation=${s.collate} (fsync off)\n`,
  );

  await loadData(server.adminUrl(DATABASE));

  const cases = await prepareCases(pool);
  const db = pool;
  const app = appKeyset(db);
  const offset = offsetVariant(db);
  const proposed = proposedVariant(db);

  console.log(
    `\nMeasuring ${cases.length} cases: listShipments (keyset) and the same pages with OFFSET…`,
  );
  const baseline = await measureAll(cases, [app, offset]);
  printTable(
    "Baseline: the app's query, indexes of supabase/migrations",
    cases,
    baseline,
  );
  printPlans(cases, baseline);

  if (TRY_QUERY) {
    console.log(
      `\n--try-query: the proposed query shape (see proposedQuery), same indexes…`,
    );
    // The app's side is the baseline's measurement, not taken again.
    const measured = await measureAll(cases, [proposed]);
    const results = measured.map((row, i) => [baseline[i][0], ...row]);
    printTable(
      "Proposed query shape vs the app's (--try-query; keyset = the baseline's figures)",
      cases,
      results,
    );
    printPlans(cases, measured);
  }

  if (TRY_INDEX) {
    console.log(
      `\n--try-index: adding the candidate indexes to the benchmark database…`,
    );
    for (const sql of CANDIDATE_INDEXES) {
      const t = performance.now();
      await db.query(sql);
      console.log(
        `  ${secs(performance.now() - t).padStart(7)}  ${sql.replace(/\s+/g, " ")}`,
      );
    }
    await db.query("analyze shipments");
    const variants = TRY_QUERY ? [app, proposed] : [app];
    const results = await measureAll(cases, variants);
    printTable("With the candidate indexes (--try-index)", cases, results);
    printPlans(cases, results);
  }

  console.log(`\nTotal run time: ${secs(performance.now() - started)}`);
}

// ---------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------

/** Deterministic pseudo-random float in [0, 1) from (key, seed): reproducible data. */
const rnd = (key: string, seed: number) =>
  `((hashint8extended(${key}, ${seed}) & 2147483647)::float8 / 2147483648)`;

const sqlArray = (values: string[]) =>
  `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ")}]`;

async function loadData(url: string) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query("set maintenance_work_mem = '512MB'");
    await client.query("set work_mem = '256MB'");
    const mainCount = TOTAL_SHIPMENTS / MAIN_EVERY;
    console.log(
      `Generating ${fmt(TOTAL_SHIPMENTS)} shipments (${fmt(mainCount)} in ${MAIN_SHOP}, the rest ` +
        `over ${OTHER_SHOPS} other shops), their line items and shipment lines…`,
    );
    const t0 = performance.now();
    const step = async (label: string, sql: string) => {
      const t = performance.now();
      const r = await client.query(sql);
      const rows = r.rowCount ? `${fmt(r.rowCount)} rows` : "";
      console.log(
        `  ${label.padEnd(64)} ${rows.padStart(16)} ${secs(performance.now() - t).padStart(8)}`,
      );
    };

    // As pg_restore does: secondary indexes, unique and foreign keys go before the bulk
    // load and come back after it, built in one pass and validated over all rows (a row
    // breaking a constraint fails the run). The exact definitions are restored.
    const deferred = await deferConstraints(client);
    // The outbox trigger (shipments_enqueue_sync) queues a job per pending shipment when
    // graphile-worker's schema exists; here it does not, so it would only cost time.
    for (const table of LOADED_TABLES)
      await client.query(`alter table ${table} disable trigger user`);
    await step(
      "shops",
      `insert into shops (shop, name, granted_scopes, installed_at)
       select '${MAIN_SHOP}', 'Benchmark main shop',
              '{read_orders,write_merchant_managed_fulfillment_orders}'::text[], '2025-01-01'::timestamptz
       union all
       select format('bench-%s.myshopify.com', lpad(i::text, 3, '0')), format('Shop %s', i),
              '{read_orders,write_merchant_managed_fulfillment_orders}'::text[], '2025-01-01'::timestamptz
         from generate_series(1, ${OTHER_SHOPS}) i`,
    );

    // Rows are generated in time order, all shops interleaved, as a live multi-tenant
    // table fills: the measured shop's rows are spread over the whole heap.
    //   base:   g → shop, per-shop sequence k, the order (k·0.8: ~1.25 shipments per order)
    //   shaped: distributions (status 70 % shipped; sync 93/5/2 % in_sync/pending/failed)
    const ordersMain = Math.ceil((mainCount * 4) / 5);
    const ordersOther = Math.ceil(
      ((TOTAL_SHIPMENTS - mainCount) / OTHER_SHOPS) * 0.8,
    );
    await step(
      "shipments",
      `insert into shipments (shop, order_id, order_name, vendor, tracking_numbers, carrier,
         tracking_url, notify_customer, status, shipped_at, sync_state, pending_operation,
         sync_attempts, next_retry_at, last_error_class, last_error_message,
         shopify_fulfillment_id, synced_at, revision, created_at, updated_at)
       with base as (
         select g::bigint as g,
                g % ${MAIN_EVERY} = 0 as main,
                case when g % ${MAIN_EVERY} = 0 then 0
                     else 1 + (g - 1 - g / ${MAIN_EVERY}) % ${OTHER_SHOPS} end as shop_no,
                case when g % ${MAIN_EVERY} = 0 then g / ${MAIN_EVERY} - 1
                     else (g - 1 - g / ${MAIN_EVERY}) / ${OTHER_SHOPS} end as k
           from generate_series(1, ${TOTAL_SHIPMENTS}) g
       ), ordered as (
         select *, (k * 4) / 5 as order_idx,
                case when main then ${ordersMain} else ${ordersOther} end as orders_in_shop
           from base
       ), shaped as (
         select g, shop_no, order_idx,
                case when main then '${MAIN_SHOP}'
                     else format('bench-%s.myshopify.com', lpad(shop_no::text, 3, '0')) end as shop,
                -- every shipment of an order is created at the same instant (ties on created_at)
                timestamptz '2025-01-01 00:00:00+00'
                  + (order_idx::float8 / orders_in_shop) * interval '365 days' as created_at,
                (${sqlArray(VENDORS)})[1 + floor(${VENDORS.length} * power(${rnd("g", 1)}, 1.6))::int] as vendor,
                ${rnd("g", 2)} < 0.70 as shipped,
                case when ${rnd("g", 3)} < 0.02 then 'failed'
                     when ${rnd("g", 3)} < 0.07 then 'pending'
                     else 'in_sync' end as sync,
                ${rnd("g", 4)} as r_op,
                ${rnd("g", 5)} as r_tn,
                ${rnd("g", 6)} as r_carrier,
                ${rnd("g", 7)} as r_time,
                ${rnd("g", 8)} as r_err,
                ${rnd("g", 9)} < 0.5 as notify
           from ordered
       ), decided as (
         select *,
                case when shipped then case when r_tn < 0.15 then 2 else 1 end
                     else case when r_tn < 0.10 then 1 else 0 end end as n_tn,
                case when sync = 'in_sync' then null
                     when shipped and r_op < 0.8 then 'create_fulfillment'
                     when shipped then 'update_tracking'
                     else 'cancel_fulfillment' end as op,
                case when sync = 'failed'
                       then (array['invalid', 'not_found', 'missing_scope', 'outcome_unknown',
                                   'transient'])[1 + floor(r_err * 5)::int]
                     when sync = 'pending' and r_err < 0.4
                       then (array['throttled', 'transient'])[1 + floor(r_err * 5)::int % 2]
                end as err,
                -- 12-digit tracking numbers, unique (a bijection of g modulo 9·10^11)
                (100000000000 + (g * 2654435761) % 900000000000)::text as tn1,
                (100000000000 + ((g + 10000000) * 2654435761) % 900000000000)::text as tn2,
                case when shipped then created_at + (1 + r_time * 71) * interval '1 hour' end as shipped_at
           from shaped
       )
       select shop,
              'gid://shopify/Order/' || (5000000000000 + shop_no * 10000000 + order_idx),
              '#' || (1001 + order_idx),
              vendor,
              case n_tn when 0 then '{}'::text[] when 1 then array[tn1] else array[tn1, tn2] end,
              case when n_tn > 0 then (array['UPS', 'FedEx', 'DHL Express', 'USPS'])[1 + floor(r_carrier * 4)::int] end,
              case when n_tn > 0 then 'https://parcels.example.com/track/' || tn1 end,
              notify,
              (case when shipped then 'shipped' else 'unshipped' end)::shipment_status,
              shipped_at,
              sync::sync_state,
              op::sync_operation,
              case when sync = 'in_sync' then (case when shipped then 1 else 0 end)
                   when sync = 'failed' then (case when err in ('invalid', 'missing_scope') then 1 else 8 end)
                   when err is not null then 1 + floor(r_err * 3)::int
                   else 0 end,
              case when sync = 'pending' then timestamptz '2026-01-01 00:00:00+00' + r_time * interval '30 minutes' end,
              err::sync_error_class,
              case err when 'invalid' then 'Tracking number is invalid for carrier'
                       when 'not_found' then 'Fulfillment order not found'
                       when 'missing_scope' then 'Access denied for fulfillmentCreate'
                       when 'outcome_unknown' then 'Request timed out after it was sent'
                       when 'throttled' then 'Throttled'
                       when 'transient' then 'HTTP 502 from Shopify' end,
              case when (sync = 'in_sync' and shipped) or op in ('update_tracking', 'cancel_fulfillment')
                   then 'gid://shopify/Fulfillment/' || (4000000000000 + g) end,
              case when sync = 'in_sync' and shipped then shipped_at + interval '40 seconds' end,
              case when sync = 'in_sync' then 0 else 1 end,
              created_at,
              coalesce(shipped_at, created_at)
         from decided
        order by g`,
    );

    // 1–3 lines per shipment (50 / 30 / 20 %); the line's Shopify id encodes its shipment,
    // which is how shipment_line_items finds it back below.
    // prettier-ignore
    const products = [
      ["Linen", "Wool", "Organic", "Classic", "Vintage", "Everyday", "Travel", "Mini",
        "Deluxe", "Hand-thrown", "Recycled", "Limited"],
      ["Shirt", "Scarf", "Mug", "Candle", "Notebook", "Backpack", "Lamp", "Tea Set",
        "Bracelet", "Bike Light", "Dog Collar", "Throw Blanket", "Soap Bar", "Swim Short",
        "Coffee Beans"],
    ];
    await step(
      "line_items",
      `insert into line_items (shop, order_id, order_name, line_item_id, sku, title, quantity,
         vendor, created_at, updated_at)
       select s.shop, s.order_id, s.order_name,
              'gid://shopify/LineItem/' || (20000000000000 + s.id * 4 + n),
              'SKU-' || lpad(p::text, 5, '0'),
              (${sqlArray(products[0])})[1 + p % ${products[0].length}] || ' ' ||
                (${sqlArray(products[1])})[1 + (p / ${products[0].length}) % ${products[1].length}],
              case when ${rnd("s.id * 4 + n", 12)} < 0.8 then 1
                   when ${rnd("s.id * 4 + n", 12)} < 0.95 then 2 else 3 end,
              s.vendor, s.created_at, s.created_at
         from shipments s
        cross join lateral generate_series(1,
                 case when ${rnd("s.id", 10)} < 0.5 then 1
                      when ${rnd("s.id", 10)} < 0.8 then 2 else 3 end) n
        cross join lateral (select (hashint8extended(s.id * 4 + n, 11) & 2147483647) % 20000 as p) prod
        order by s.id, n`,
    );
    await step(
      "shipment_line_items",
      `insert into shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity, created_at)
       select li.shop, li.order_id,
              (substr(li.line_item_id, 24)::bigint - 20000000000000) / 4,
              li.id, li.quantity, li.created_at
         from line_items li
        order by li.id`,
    );
    for (const table of LOADED_TABLES)
      await client.query(`alter table ${table} enable trigger user`);
    for (const { label, sql } of deferred) await step(label, sql);
    await step("vacuum analyze", "vacuum analyze");
    console.log(`Data load took ${secs(performance.now() - t0)}`);

    const sizes = await client.query<{
      rel: string;
      rows: string;
      size: string;
    }>(
      `select c.relname as rel, to_char(c.reltuples, 'FM9,999,999,999') as rows,
              pg_size_pretty(pg_total_relation_size(c.oid)) as size
         from pg_class c
        where c.relname in ('shipments', 'line_items', 'shipment_line_items')
        order by c.relname`,
    );
    for (const r of sizes.rows) {
      console.log(
        `  ${r.rel.padEnd(20)} ${r.rows.padStart(12)} rows  ${r.size.padStart(8)} with indexes`,
      );
    }
  } finally {
    await client.end();
  }
}

const LOADED_TABLES = ["shipments", "line_items", "shipment_line_items"];

/**
 * Drops the loaded tables' foreign keys (and those pointing at them), unique constraints
 * and non-constraint indexes (primary keys stay) and returns the statements that put
 * them back, in dependency order.
 */
async function deferConstraints(
  client: pg.Client,
): Promise<{ label: string; sql: string }[]> {
  const tables = LOADED_TABLES.map((t) => `'public.${t}'::regclass`).join(", ");
  const constraints = await client.query<{
    tbl: string;
    name: string;
    type: string;
    def: string;
  }>(
    `select conrelid::regclass::text as tbl, conname as name, contype as type,
            pg_get_constraintdef(oid) as def
       from pg_constraint
      where (conrelid in (${tables}) and contype in ('u', 'f'))
         or (confrelid in (${tables}) and contype = 'f') -- e.g. shipment_notes → shipments
      order by conrelid::regclass::text, conname`,
  );
  const indexes = await client.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i
      where i.indrelid in (${tables})
        and not exists (select from pg_constraint c
                         where c.conindid = i.indexrelid and c.contype in ('p', 'u', 'x'))
      order by i.indrelid, name`,
  );
  const fks = constraints.rows.filter((c) => c.type === "f");
  const uniques = constraints.rows.filter((c) => c.type === "u");
  for (const c of [...fks, ...uniques]) {
    await client.query(`alter table ${c.tbl} drop constraint ${c.name}`);
  }
  for (const i of indexes.rows) await client.query(`drop index ${i.name}`);
  return [
    ...indexes.rows.map((i) => ({ label: `  index ${i.name}`, sql: i.def })),
    ...[...uniques, ...fks].map((c) => ({
      label: `  ${c.type === "u" ? "unique" : "foreign key"} ${c.name}`,
      sql: `alter table ${c.tbl} add constraint ${c.name} ${c.def}`,
    })),
  ];
}

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------

interface Case {
  name: string;
  options: ShipmentListOptions;
  /** 1-based page number; the page's first row is at offset (page - 1) · PAGE_SIZE. */
  page: number;
  /** Rows matching the filters (for the reader). */
  matching: number;
  /** Cursor that makes listShipments return exactly this page. */
  cursor: string | null;
  /** The page's row ids as the OFFSET query returns them: what every variant must return. */
  expectedIds: number[];
  /** How long that OFFSET query took (a first, cold call). */
  referenceMs: number;
}

type CaseSpec = Omit<
  Case,
  "page" | "matching" | "cursor" | "expectedIds" | "referenceMs"
> & {
  /** A page number, or "deep": the page at 90 % of the matching rows. */
  page: number | "deep";
};

async function prepareCases(db: pg.Pool): Promise<Case[]> {
  // The vendor of the filtered case: a mid-sized one (not the largest, not a tiny one).
  const vendors = await db.query<{ vendor: string; n: string }>(
    `select vendor, count(*) as n from shipments where shop = $1 group by vendor order by n desc`,
    [MAIN_SHOP],
  );
  const vendor = vendors.rows[Math.floor(vendors.rows.length / 2)].vendor;
  console.log(
    `\n${MAIN_SHOP}: ${vendors.rows.length} vendors, largest ${vendors.rows[0].vendor} ` +
      `(${fmt(Number(vendors.rows[0].n))}), filtered vendor ${vendor} ` +
      `(${fmt(Number(vendors.rows[Math.floor(vendors.rows.length / 2)].n))})`,
  );
  // A tracking number of a shipment about a third of the way down the list.
  const tn = await db.query<{ tn: string }>(
    `select tracking_numbers[1] as tn from shipments
      where shop = $1 and cardinality(tracking_numbers) > 0
      order by created_at desc, id desc offset $2 limit 1`,
    [MAIN_SHOP, Math.floor(TOTAL_SHIPMENTS / MAIN_EVERY / 3)],
  );
  const orders = await db.query<{ n: string }>(
    `select count(distinct order_name) as n from shipments where shop = $1`,
    [MAIN_SHOP],
  );
  // An order in the middle of the shop's range, typed without "#" as a merchant would.
  const exactOrder = String(
    1001 + Math.floor(Number(orders.rows[0].n) * 0.54321),
  );

  const specs: CaseSpec[] = [
    { name: "newest", options: {}, page: 1 },
    { name: "newest", options: {}, page: DEEP_PAGE },
    { name: "order name A→Z", options: { sort: "order_asc" }, page: 1 },
    { name: "order name A→Z", options: { sort: "order_asc" }, page: DEEP_PAGE },
    { name: "sync failed", options: { syncState: "failed" }, page: 1 },
    { name: "sync failed", options: { syncState: "failed" }, page: "deep" },
    { name: "unshipped", options: { status: "unshipped" }, page: 1 },
    {
      name: "unshipped + pending",
      options: { status: "unshipped", syncState: "pending" },
      page: 1,
    },
    { name: `vendor ${vendor}`, options: { vendor }, page: 1 },
    { name: `vendor ${vendor}`, options: { vendor }, page: "deep" },
    {
      name: `vendor + failed`,
      options: { vendor, syncState: "failed" },
      page: 1,
    },
    {
      name: `query tracking ${tn.rows[0].tn}`,
      options: { query: tn.rows[0].tn },
      page: 1,
    },
    {
      name: `query order "${exactOrder}"`,
      options: { query: exactOrder },
      page: 1,
    },
    { name: `query order prefix "#12"`, options: { query: "#12" }, page: 1 },
    { name: `query order prefix "#1"`, options: { query: "#1" }, page: 1 },
    { name: `query prefix "#1", deep`, options: { query: "#1" }, page: "deep" },
  ];

  const cases: Case[] = [];
  for (const spec of specs) {
    const { where, params } = shipmentFilterSql(MAIN_SHOP, spec.options);
    const count = await db.query<{ n: string }>(
      `select count(*) as n from shipments s where ${where}`,
      params,
    );
    const matching = Number(count.rows[0].n);
    const page =
      spec.page === "deep"
        ? Math.max(2, Math.floor((matching * 0.9) / PAGE_SIZE))
        : spec.page;
    const c: Case = {
      ...spec,
      page,
      matching,
      cursor: await cursorFor(db, spec.options, page),
      expectedIds: [],
      referenceMs: 0,
    };
    const reference = offsetQuery(c);
    const t = performance.now();
    const rows = await db.query<{ id: string }>(
      reference.text,
      reference.values,
    );
    c.referenceMs = performance.now() - t;
    c.expectedIds = rows.rows.slice(0, PAGE_SIZE).map((r) => Number(r.id));
    cases.push(c);
  }
  return cases;
}

const ORDER_SQL = {
  newest: { key: "s.created_at", dir: "desc" },
  oldest: { key: "s.created_at", dir: "asc" },
  order_asc: { key: "s.order_name", dir: "asc" },
  order_desc: { key: "s.order_name", dir: "desc" },
} as const;

/**
 * The cursor listShipments would have handed out at the end of page - 1: the sort key and
 * id of the row just before the page, computed directly instead of walking 1000 pages.
 */
async function cursorFor(
  db: Queryable,
  options: ShipmentListOptions,
  page: number,
) {
  if (page <= 1) return null;
  const { key, dir } = ORDER_SQL[options.sort ?? "newest"];
  const { where, params } = shipmentFilterSql(MAIN_SHOP, options);
  params.push((page - 1) * PAGE_SIZE - 1);
  const value =
    key === "s.created_at"
      ? `to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
      : "s.order_name";
  const r = await db.query<{ v: string; id: string }>(
    `select ${value} as v, s.id from shipments s where ${where}
      order by ${key} ${dir}, s.id ${dir} offset $${params.length} limit 1`,
    params,
  );
  if (!r.rows[0]) throw new Error(`page ${page} is past the end`);
  return encodeCursor({ v: r.rows[0].v, id: Number(r.rows[0].id) });
}

/**
 * The same page with OFFSET: the SELECT of listShipments (same columns, same lateral join
 * for the items), the same WHERE (shipmentFilterSql) and ORDER BY, `offset N limit 51`.
 */
function offsetQuery(c: Case): SqlQuery {
  const { key, dir } = ORDER_SQL[c.options.sort ?? "newest"];
  const { where, params } = shipmentFilterSql(MAIN_SHOP, c.options);
  params.push((c.page - 1) * PAGE_SIZE, PAGE_SIZE + 1);
  const text = `
    select s.id, s.order_id, s.order_name, s.vendor, s.tracking_numbers, s.carrier,
           s.tracking_url, s.status, s.sync_state, s.pending_operation, s.sync_attempts,
           s.next_retry_at, s.last_error_class, s.last_error_message, s.created_at,
           coalesce(items.items, '[]'::json) as items
      from shipments s
      left join lateral (
        select json_agg(json_build_object('title', li.title, 'sku', li.sku, 'quantity', sli.quantity)
                        order by li.id) as items
          from shipment_line_items sli
          join line_items li on li.id = sli.line_item_id
         where sli.shipment_id = s.id
      ) items on true
     where ${where}
     order by ${key} ${dir}, s.id ${dir}
     offset $${params.length - 1} limit $${params.length}`;
  return { text, values: params };
}

/**
 * A proposed shape of listShipments' query (forward keyset pages), measured with
 * --try-query. Two changes, each aimed at a plan seen in the baseline:
 *  1. The page is chosen first (WHERE, ORDER BY, LIMIT on shipments alone) and only its
 *     ≤ 51 rows get their items: in the app's query the lateral items join sits below any
 *     Sort, so a sorted plan (bitmap scans, search, OFFSET) aggregates items for every
 *     matching row, not just the page.
 *  2. The search (`query`) finds its candidates first, in a MATERIALIZED CTE: an order-name
 *     prefix range on shipments_shop_order_name_idx (index-only) plus the exact tracking
 *     number on the GIN index. The app's `(like … or @> …)` gets a default 0.5 % estimate
 *     for @> (tracking numbers are unique: no element statistics), so the planner walks
 *     shipments_shop_created_idx expecting a match soon, and reads the whole shop. The
 *     CTE costs in proportion to the matches instead: little for a tracking number or an
 *     order number, more for a short prefix ("#1": 14 % of the shop), on every page. The
 *     prefix is a range only where order_name compares in "C" (see CANDIDATE_INDEXES);
 *     otherwise it filters the shop's whole (shop, order_name, id) index, index-only.
 */
function proposedQuery(c: Case): SqlQuery {
  const sort = ORDER_SQL[c.options.sort ?? "newest"];
  const { query, ...filters } = c.options;
  const { where, params } = shipmentFilterSql(MAIN_SHOP, filters);
  const clauses = [where];
  let cte = "";
  const q = query?.trim();
  if (q) {
    const orderName = q.startsWith("#") ? q : `#${q}`;
    params.push(`${orderName.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`, [q]);
    // The tracking branch leaves out the shop: the outer query checks it, and with it the
    // planner ANDs the GIN bitmap with all of the shop's 100,000 index entries.
    cte = `with matched as materialized (
             select id from shipments where shop = $1 and order_name like $${params.length - 1}
             union
             select id from shipments where tracking_numbers @> $${params.length}::text[])`;
    clauses.push("s.id in (select id from matched)");
  }
  const cursor = decodeCursor(c.cursor);
  const valueType = sort.key === "s.created_at" ? "timestamptz" : "text";
  if (cursor) {
    params.push(cursor.v, cursor.id);
    const op = sort.dir === "desc" ? "<" : ">";
    clauses.push(
      `(${sort.key}, s.id) ${op} ($${params.length - 1}::${valueType}, $${params.length}::bigint)`,
    );
  }
  params.push(PAGE_SIZE + 1);
  const outerKey = sort.key.replace("s.", "p.");
  const text = `${cte}
    select p.*, coalesce(items.items, '[]'::json) as items
      from (
        select s.id, s.order_id, s.order_name, s.vendor, s.tracking_numbers, s.carrier,
               s.tracking_url, s.status, s.sync_state, s.pending_operation, s.sync_attempts,
               s.next_retry_at, s.last_error_class, s.last_error_message, s.created_at,
               to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at_key
          from shipments s
         where ${clauses.join(" and ")}
         order by ${sort.key} ${sort.dir}, s.id ${sort.dir}
         limit $${params.length}
      ) p
      left join lateral (
        select json_agg(json_build_object('title', li.title, 'sku', li.sku, 'quantity', sli.quantity)
                        order by li.id) as items
          from shipment_line_items sli
          join line_items li on li.id = sli.line_item_id
         where sli.shipment_id = p.id
      ) items on true
     order by ${outerKey} ${sort.dir}, p.id ${sort.dir}`;
  return { text, values: params };
}

// ---------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------

interface SqlQuery {
  text: string;
  values: unknown[];
}

/** One way of fetching a case's page. */
interface Variant {
  name: string;
  /** The OFFSET query made each case's expected rows, and warmed its cache doing so. */
  isReference?: boolean;
  /** Fetches the page; returns its row ids (at most PAGE_SIZE). */
  run(c: Case): Promise<number[]>;
  /** The SQL sent, for EXPLAIN. */
  sql(c: Case): Promise<SqlQuery>;
}

const pageOptions = (c: Case): ShipmentListOptions => ({
  ...c.options,
  cursor: c.cursor,
  limit: PAGE_SIZE,
});

function appKeyset(db: pg.Pool): Variant {
  return {
    name: "keyset",
    run: async (c) =>
      (await listShipments(db, MAIN_SHOP, pageOptions(c))).rows.map(
        (r) => r.id,
      ),
    sql: async (c) => {
      // The SQL listShipments sends, caught on its way to the pool.
      let captured: SqlQuery | undefined;
      const spy: Queryable = {
        query: (text, values) => {
          captured = { text, values: values ?? [] };
          return db.query(text, values);
        },
      };
      await listShipments(spy, MAIN_SHOP, pageOptions(c));
      return captured!;
    },
  };
}

function rawVariant(
  db: pg.Pool,
  name: string,
  build: (c: Case) => SqlQuery,
): Variant {
  return {
    name,
    run: async (c) => {
      const q = build(c);
      const r = await db.query<{ id: string }>(q.text, q.values);
      return r.rows.slice(0, PAGE_SIZE).map((row) => Number(row.id));
    },
    sql: async (c) => build(c),
  };
}

const offsetVariant = (db: pg.Pool): Variant => ({
  ...rawVariant(db, "OFFSET", offsetQuery),
  isReference: true,
});
const proposedVariant = (db: pg.Pool) =>
  rawVariant(db, "proposed", proposedQuery);

interface Stats {
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

interface Measured {
  variant: string;
  stats: Stats;
  plan: string;
  /** The page holds the rows of the OFFSET reference page, in order. */
  rowsOk: boolean;
}

async function measureAll(
  cases: Case[],
  variants: Variant[],
): Promise<Measured[][]> {
  const results: Measured[][] = [];
  for (const c of cases) {
    if (interrupted) break;
    const row: Measured[] = [];
    for (const v of variants) {
      // The first call checks the rows and counts as the first warm-up call (the
      // reference already had its first call: it made expectedIds).
      const t = performance.now();
      const ids = v.isReference ? c.expectedIds : await v.run(c);
      const firstMs = v.isReference ? c.referenceMs : performance.now() - t;
      const rowsOk =
        ids.length === c.expectedIds.length &&
        ids.every((id, i) => id === c.expectedIds[i]);
      const stats = await time(() => v.run(c), firstMs);
      const plan = await explain(pool!, await v.sql(c));
      row.push({ variant: v.name, stats, plan, rowsOk });
    }
    results.push(row);
    process.stdout.write(".");
  }
  process.stdout.write("\n");
  return results;
}

async function time(
  fn: () => Promise<unknown>,
  firstWarmupMs: number,
): Promise<Stats> {
  const warmupEnd = performance.now() + WARMUP_BUDGET_MS - firstWarmupMs;
  for (let i = 1; i < WARMUP_RUNS && performance.now() < warmupEnd; i++)
    await fn();
  const samples: number[] = [];
  const deadline = performance.now() + RUN_BUDGET_MS;
  while (
    samples.length < RUNS &&
    (samples.length < MIN_RUNS || performance.now() < deadline)
  ) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const pct = (p: number) =>
    samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)];
  return {
    runs: samples.length,
    p50: pct(0.5),
    p95: pct(0.95),
    max: samples[samples.length - 1],
  };
}

interface PlanNode {
  "Node Type": string;
  "Parent Relationship"?: string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  "Sort Method"?: string;
  "Subplan Name"?: string;
  "Heap Fetches"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

/** One line: the plan's spine (the lateral items lookup left out), time and buffers. */
async function explain(
  db: Queryable,
  q: { text: string; values: unknown[] },
): Promise<string> {
  const r = await db.query<{
    "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number }];
  }>(`explain (analyze, buffers, format json) ${q.text}`, q.values);
  const { Plan: plan, "Execution Time": exec } = r.rows[0]["QUERY PLAN"][0];
  const describe = (n: PlanNode): string => {
    let label = n["Node Type"];
    if (n["Index Name"]) label += ` ${n["Index Name"]}`;
    else if (n["Relation Name"] && label.includes("Scan"))
      label += ` ${n["Relation Name"]}`;
    if (n["Node Type"] === "Sort" && n["Sort Method"])
      label += ` (${n["Sort Method"]})`;
    const details: string[] = [];
    if (label.includes("Scan"))
      details.push(
        `rows=${fmt((n["Actual Rows"] ?? 0) * (n["Actual Loops"] ?? 1))}`,
      );
    if (n["Rows Removed by Filter"])
      details.push(`filtered out=${fmt(n["Rows Removed by Filter"])}`);
    if (n["Rows Removed by Index Recheck"])
      details.push(`recheck out=${fmt(n["Rows Removed by Index Recheck"])}`);
    if (details.length) label += ` [${details.join(", ")}]`;
    const all = n.Plans ?? [];
    // CTEs (InitPlans) are shown first, in braces.
    const init = all
      .filter((p) => p["Parent Relationship"] === "InitPlan")
      .map((p) => `{${p["Subplan Name"] ?? "InitPlan"}: ${describe(p)}} `)
      .join("");
    let children = all.filter((p) => p["Parent Relationship"] !== "InitPlan");
    // The lateral items lookup (an Aggregate inside a nested loop) is the same in every
    // plan: left out, the loop's outer side is what chooses the rows.
    if (
      n["Node Type"] === "Nested Loop" &&
      children[1]?.["Node Type"] === "Aggregate"
    ) {
      label += " (+items)";
      children = children.slice(0, 1);
    }
    if (children.length === 0) return init + label;
    if (children.length === 1)
      return `${init}${label} > ${describe(children[0])}`;
    return `${init}${label} (${children.map(describe).join(" | ")})`;
  };
  const hit = plan["Shared Hit Blocks"] ?? 0;
  const read = plan["Shared Read Blocks"] ?? 0;
  return `${describe(plan)}  — exec ${exec.toFixed(2)} ms, buffers hit=${fmt(hit)} read=${fmt(read)}`;
}

// ---------------------------------------------------------------------------
// Candidate indexes (--try-index): see the report printed with the plans.
// ---------------------------------------------------------------------------

const CANDIDATE_INDEXES: string[] = [
  // 1. The sync-state views ("failed", "pending"), newest first. The migrations' indexes
  //    cannot give that order: (shop, status, sync_state, created_at, id) starts with
  //    status, and (shop, sync_state) where sync_state <> 'in_sync' has no created_at. So
  //    the plan walks shipments_shop_created_idx and drops ~98 % of what it reads, or
  //    sorts every failed row. A partial (shop, sync_state, created_at, id) index does the
  //    queue panel's counting too, and status (30 / 70 %) is too unselective to need an
  //    index: it becomes a filter. So it replaces both.
  `create index shipments_shop_sync_created_idx
     on shipments (shop, sync_state, created_at desc, id desc) where sync_state <> 'in_sync'`,
  `drop index if exists shipments_shop_status_created_idx`,
  `drop index if exists shipments_shop_sync_state_idx`,
  // (Tried and left out: a btree_gin (shop, tracking_numbers) index instead of the global
  //  GIN one. The app's query still walked shipments_shop_created_idx with it (~200 ms
  //  for one tracking number at full scale): `tracking_numbers @> array[…]` keeps its
  //  default 0.5 % estimate (unique elements leave ANALYZE no element statistics). The
  //  proposed query's lookup is as fast on the global index: tracking numbers are all but
  //  unique across shops, and the outer query checks the shop.)
  // 2. Order names are identifiers ("#1001"), not prose: with collation "C" the
  //    (shop, order_name, id) index answers `order_name like '#12%'` as a range, whatever
  //    the database's collation (C.UTF-8 on hosted Supabase cannot), and sorts the same.
  `alter table shipments alter column order_name type text collate "C"`,
];

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

function printMachine() {
  const cpus = os.cpus();
  console.log("Index table loader benchmark (listShipments: keyset vs OFFSET)");
  console.log(
    `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}, ` +
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );
  console.log(`Node:    ${process.version}`);
  console.log(
    `Command: npm run bench:index${args.length ? ` -- ${args.join(" ")}` : ""}`,
  );
}

function printTable(title: string, cases: Case[], results: Measured[][]) {
  const names = results[0]?.map((m) => m.variant) ?? [];
  const header = ["case", "page", "offset", "matching"];
  for (const name of names) header.push(`${name} p50`, "p95", "max", "n");
  if (names.length === 2) header.push(`${names[1]}/${names[0]}`);
  header.push("rows ok");
  const rows = results.map((measured, i) => {
    const c = cases[i];
    const cells = [
      c.name,
      fmt(c.page),
      fmt((c.page - 1) * PAGE_SIZE),
      fmt(c.matching),
    ];
    for (const { stats: t } of measured)
      cells.push(ms(t.p50), ms(t.p95), ms(t.max), String(t.runs));
    if (measured.length === 2)
      cells.push(
        `${(measured[1].stats.p50 / measured[0].stats.p50).toFixed(1)}×`,
      );
    cells.push(measured.every((m) => m.rowsOk) ? "yes" : "NO");
    return cells;
  });
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => r[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]),
      )
      .join("  ");
  console.log(`\n${title}`);
  console.log(
    `ms of wall time per call from Node (pg Pool, localhost); n = timed runs after warm-up; ` +
      `rows ok = same ${PAGE_SIZE} rows as the OFFSET reference`,
  );
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

function printPlans(cases: Case[], results: Measured[][]) {
  console.log(
    "\nEXPLAIN (ANALYZE, BUFFERS) of one call, the plan's spine (+items = the lateral items join):",
  );
  results.forEach((measured, i) => {
    console.log(`  ${cases[i].name} · page ${fmt(cases[i].page)}`);
    for (const m of measured)
      console.log(`    ${`${m.variant}:`.padEnd(9)} ${m.plan}`);
  });
}

const fmt = (n: number) => n.toLocaleString("en-US");
const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);
const secs = (n: number) => `${(n / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------

main()
  .catch((error: unknown) => {
    if (!interrupted) {
      console.error(error);
      process.exitCode = 1;
    }
  })
  .finally(() => (interrupted ? undefined : cleanup()));
