/**
 * Benchmark of the CSV import end to end: a Shift_JIS file of N rows is validated (the
 * dry run, stored as a preview), committed, and every shipment it makes is synced to the
 * Shopify simulator by the queue worker — on a throwaway PostgreSQL 15 and an in-process
 * simulator, the same parts the tests use.
 *
 *   npm run bench:import                      # 10,000 rows (5,000 orders × 2 vendors)
 *   npm run bench:import -- --rows=50000      # the row limit
 *   npm run bench:import -- --no-sync         # validation and commit only
 *   npm run bench:import -- --concurrency=16  # worker jobs at once (default 8)
 *
 * Three orders in four already have one unshipped shipment per line (the import marks
 * them shipped); the fourth has none (the import creates shipments). The shop is on the
 * Plus plan in the simulator (1,000 cost points/s).
 *
 * Prints validation, commit and sync seconds and the peak RSS (sampled every 20 ms, per
 * phase and overall). Not a test: it asserts nothing about timings, but it does check
 * that every row was committed and every shipment synced, and fails loudly if not.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { applyMigrations } from "../../app/db/migrate.server";
import { t as appText } from "../../app/i18n/messages";
import { installQueueSchema } from "../../app/worker/queue-schema.server";
import { TEST_APP, setTestAppEnv } from "../helpers/app-env";
import { startSimulator, type Simulator } from "../shopify-sim";
import { startPostgres, type RunningPostgres } from "../support/postgres";
import { machineLine } from "./machine";
import {
  BULK_HEADER,
  bulkImportRows,
  csvFile,
  seedBulkOrders,
} from "../imports/helpers";

const args = process.argv.slice(2);
const arg = (name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const ROWS = Number(arg("rows") ?? "10000");
const CONCURRENCY = Number(arg("concurrency") ?? "8");
const SYNC = !args.includes("--no-sync");
if (!(ROWS >= 2 && ROWS % 2 === 0 && ROWS <= 50_000))
  throw new Error("--rows must be even, 2…50000");

const SHOP = "bench-import.myshopify.com";
const TOKEN = "shpat_bench_import_offline_token";
const FIRST_ORDER = 100_000;
const DATABASE = "bench_import";

let server: RunningPostgres | undefined;
let pool: pg.Pool | undefined;
let sim: Simulator | undefined;
let stopWorker: (() => Promise<void>) | undefined;

// ---------------------------------------------------------------------------
// Memory: RSS sampled every 20 ms; a phase's peak and the run's peak.
// ---------------------------------------------------------------------------
let runPeak = 0;
let phasePeak = 0;
const sample = () => {
  const rss = process.memoryUsage().rss;
  runPeak = Math.max(runPeak, rss);
  phasePeak = Math.max(phasePeak, rss);
};
const sampler = setInterval(sample, 20);
sampler.unref();

async function phase<T>(
  work: () => Promise<T>,
): Promise<{ value: T; seconds: number; peakRss: number }> {
  sample();
  phasePeak = process.memoryUsage().rss;
  const started = performance.now();
  const value = await work();
  sample();
  return {
    value,
    seconds: (performance.now() - started) / 1000,
    peakRss: phasePeak,
  };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const s = (seconds: number) => `${seconds.toFixed(2)} s`;

async function main() {
  const started = performance.now();
  console.log(
    "CSV import benchmark: validate (dry run) → commit → sync through the simulator",
  );
  console.log(machineLine());

  server = await startPostgres();
  const admin = new pg.Client(server.adminUrl());
  await admin.connect();
  await admin.query(`create database ${DATABASE}`);
  await admin.end();
  await applyMigrations(server.adminUrl(DATABASE), {
    dir: path.resolve(import.meta.dirname, "../../supabase/migrations"),
  });
  pool = new pg.Pool({
    connectionString: server.adminUrl(DATABASE),
    max: CONCURRENCY + 4,
  });
  pool.on("error", () => undefined);
  await installQueueSchema(pool);

  sim = await startSimulator({
    apiKey: TEST_APP.apiKey,
    apiSecret: TEST_APP.apiSecret,
    seed: 7,
  });
  sim.control.createShop({
    shop: SHOP,
    name: "ベンチ雑貨店",
    plan: "plus",
    token: TOKEN,
    locations: [{ name: "倉庫" }],
  });
  // The app's own configuration, pointed at the simulator by its one setting.
  setTestAppEnv({ SHOPIFY_ADMIN_API_ORIGIN: sim.origin });
  process.env.DATABASE_URL = server.adminUrl(DATABASE);
  await pool.query(`insert into shops (shop, granted_scopes) values ($1, $2)`, [
    SHOP,
    [
      "read_orders",
      "read_merchant_managed_fulfillment_orders",
      "write_merchant_managed_fulfillment_orders",
    ],
  ]);

  const orders = ROWS / 2;
  const seedStarted = performance.now();
  await seedBulkOrders(pool, SHOP, {
    orders,
    vendorsPerOrder: 2,
    firstOrderNumber: FIRST_ORDER,
    // Without the sync phase the simulator's copy of the orders is never read: leave it
    // out, so the peak RSS is the import's (the simulator shares this process).
    sim: SYNC ? sim : undefined,
    unshippedShipments: (n) => n % 4 !== 0,
  });
  await pool.query("analyze");
  const bytes = csvFile(
    [BULK_HEADER, ...bulkImportRows(FIRST_ORDER, orders, 2)],
    { encoding: "cp932" },
  );
  console.log(
    `Data:    ${orders.toLocaleString("en-US")} orders × 2 lines in Postgres${SYNC ? " and the simulator" : ""} ` +
      `(${s((performance.now() - seedStarted) / 1000)}); the file: ${ROWS.toLocaleString("en-US")} rows, ` +
      `Shift_JIS, ${(bytes.length / 2 ** 20).toFixed(2)} MB\n`,
  );

  // The app's one configured Shopify instance (it installs the Node fetch adapter the
  // Admin API client sends through).
  await import("../../app/shopify.server");
  const { previewImport } = await import("../../app/imports/preview.server");
  const { commitImport } = await import("../../app/imports/commit.server");

  const validation = await phase(() =>
    previewImport(pool!, SHOP, {
      fileName: "追跡番号.csv",
      bytes,
      carrierContext: { locale: "ja" },
    }),
  );
  if (!validation.value.ok)
    throw new Error(`preview refused: ${appText("en", validation.value.message)}`);
  const preview = validation.value;
  if (preview.validCount !== ROWS)
    throw new Error(`only ${preview.validCount} of ${ROWS} rows valid`);

  const commit = await phase(() => commitImport(pool!, SHOP, preview.importId));
  if (!commit.value.ok)
    throw new Error(`commit refused: ${appText("en", commit.value.message)}`);
  const shipments = commit.value.created + commit.value.marked;

  let sync: { seconds: number; peakRss: number } | null = null;
  if (SYNC) {
    const { startSyncWorker } = await import("../../app/worker/runner.server");
    sync = await phase(async () => {
      const worker = await startSyncWorker({
        pool: pool!,
        loadSession: async (shop) => ({ shop, accessToken: TOKEN }),
        concurrency: CONCURRENCY,
      });
      stopWorker = () => worker.stop();
      let last = "";
      for (;;) {
        const { rows } = await pool!.query<{
          pending: number;
          synced: number;
          failed: number;
        }>(
          `select count(*) filter (where sync_state = 'pending')::int as pending,
                  count(*) filter (where sync_state = 'in_sync' and status = 'shipped')::int as synced,
                  count(*) filter (where sync_state = 'failed')::int as failed
             from shipments where shop = $1`,
          [SHOP],
        );
        const line = `  synced ${rows[0].synced} / failed ${rows[0].failed} / pending ${rows[0].pending}`;
        if (line !== last && process.stdout.isTTY)
          process.stdout.write(`\r${line}   `);
        last = line;
        if (rows[0].pending === 0) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      if (process.stdout.isTTY) process.stdout.write("\n");
      await worker.stop();
      stopWorker = undefined;
    });
    const check = await pool.query<{ synced: number; failed: number }>(
      `select count(*) filter (where sync_state = 'in_sync' and shopify_fulfillment_id is not null)::int as synced,
              count(*) filter (where sync_state = 'failed')::int as failed
         from shipments where shop = $1 and status = 'shipped'`,
      [SHOP],
    );
    if (check.rows[0].synced !== shipments || check.rows[0].failed !== 0) {
      const errors = await pool.query(
        `select last_error_class, last_error_message, count(*)::int as n from shipments
          where shop = $1 and sync_state = 'failed' group by 1, 2 order by n desc limit 5`,
        [SHOP],
      );
      throw new Error(
        `expected ${shipments} synced shipments, got ${JSON.stringify(check.rows[0])}: ${JSON.stringify(errors.rows)}`,
      );
    }
  }

  const t = preview.timings;
  console.log(
    `Rows:        ${ROWS.toLocaleString("en-US")} (all valid), shipments: ${commit.value.marked.toLocaleString("en-US")} marked shipped + ${commit.value.created.toLocaleString("en-US")} created`,
  );
  console.log("");
  console.log("phase        seconds   peak RSS   detail");
  console.log(
    `validation   ${s(validation.seconds).padStart(8)}   ${mb(validation.peakRss).padStart(8)}   ` +
      `decode+parse ${s(t.readMs / 1000)}, check against the shop ${s(t.validateMs / 1000)}, store preview ${s(t.storeMs / 1000)}`,
  );
  console.log(
    `commit       ${s(commit.seconds).padStart(8)}   ${mb(commit.peakRss).padStart(8)}   ` +
      `${Math.ceil(ROWS / 1000)} batches of ~1,000 rows, re-validated under lock; ${(ROWS / commit.seconds).toFixed(0)} rows/s`,
  );
  if (sync) {
    console.log(
      `sync         ${s(sync.seconds).padStart(8)}   ${mb(sync.peakRss).padStart(8)}   ` +
        `${shipments.toLocaleString("en-US")} fulfillments created in the simulator, worker concurrency ${CONCURRENCY}; ` +
        `${(shipments / sync.seconds).toFixed(0)} shipments/s`,
    );
  } else {
    console.log("sync         (skipped: --no-sync)");
  }
  console.log(
    `\nPeak RSS of the whole run: ${mb(runPeak)} (process.memoryUsage().rss every 20 ms; includes the simulator)`,
  );
  console.log(`Total run time: ${s((performance.now() - started) / 1000)}`);
}

async function cleanup() {
  await stopWorker?.().catch(() => undefined);
  await sim?.close().catch(() => undefined);
  const p = pool;
  pool = undefined;
  await p?.end().catch(() => undefined);
  await server?.stop();
}

function onSignal(signal: NodeJS.Signals) {
  console.error(`\n${signal}: stopping PostgreSQL and removing its files…`);
  void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
}
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

main()
  .then(cleanup)
  .then(() => process.exit(0))
  .catch(async (error) => {
    console.error(error);
    await cleanup().catch(() => undefined);
    process.exit(1);
  });
