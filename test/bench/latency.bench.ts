/**
 * Pickup latency: from a shipment queued (the transaction that made it pending, and so
 * wrote its outbox job, has committed) to the first Admin API request of its sync
 * arriving at Shopify, with an idle worker. graphile-worker hears the job through
 * LISTEN/NOTIFY (add_jobs notifies `jobs:insert`), so no poll interval is in the path.
 *
 *   npm run bench:latency                    # 200 shipments, one at a time
 *   npm run bench:latency -- --samples=500
 *
 * Each sample waits until the previous sync has finished, so the worker is idle when
 * the next shipment is queued. The request's arrival is the simulator's log time
 * (Date.now() when its body was read; ms resolution), the commit time is Date.now()
 * right after COMMIT returned. Not a test: it prints figures.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import "@shopify/shopify-api/adapters/node";
import { applyMigrations } from "../../app/db/migrate.server";
import { installAdminApiOrigin } from "../../app/shopify/admin-api-origin.server";
import { markShipped } from "../../app/shipments/shipment-commands.server";
import { installQueueSchema } from "../../app/worker/queue-schema.server";
import { startSyncWorker } from "../../app/worker/runner.server";
import { createBulkOrders, trackingFor } from "../helpers/bulk-orders";
import { startSimulator } from "../shopify-sim";
import { startPostgres } from "../support/postgres";
import { machineLine, percentile } from "./machine";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const SAMPLES = Number(arg("samples", "200"));
const WARMUP = 10;

const server = await startPostgres();
const sim = await startSimulator({ seed: 3 });
installAdminApiOrigin(sim.origin);
const shop = "bench-latency.myshopify.com";
const token = "shpat_bench_latency";

const admin = new pg.Client(server.adminUrl());
await admin.connect();
await admin.query(`create database bench_latency`);
await admin.end();
const pool = new pg.Pool({ connectionString: server.adminUrl("bench_latency"), max: 16 });
pool.on("error", () => undefined);
await applyMigrations(pool);
await installQueueSchema(pool);
sim.control.createShop({ shop, plan: "plus", token });
await pool.query(`insert into shops (shop) values ($1)`, [shop]);
const ids = await createBulkOrders(pool, sim, shop, { orders: SAMPLES + WARMUP, vendorsPerOrder: 1 });

const worker = await startSyncWorker({
  pool,
  loadSession: async () => ({ shop, accessToken: token }),
  concurrency: 8,
});

const latencies: number[] = [];
const pickups: number[] = [];
const preambles: number[] = [];
let jobStartedAt = 0;
worker.runner.events.on("job:start", () => {
  jobStartedAt = Date.now();
});
try {
  for (const [i, id] of ids.entries()) {
    const logBefore = sim.control.requestLog({ shop }).length;
    await markShipped(pool, shop, id, {
      trackingNumbers: [trackingFor(id)],
      carrier: "Yamato (JA)",
      trackingUrl: null,
      notifyCustomer: false,
    });
    const committedAt = Date.now();
    // Wait for the sync to finish: the next sample starts with an idle worker.
    for (;;) {
      const row = await pool.query<{ sync_state: string }>(`select sync_state from shipments where id = $1`, [id]);
      if (row.rows[0]!.sync_state !== "pending") break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const first = sim.control.requestLog({ shop })[logBefore];
    if (!first) throw new Error(`shipment ${id} synced without an Admin API request`);
    if (i >= WARMUP) {
      latencies.push(Date.parse(first.at) - committedAt);
      pickups.push(jobStartedAt - committedAt);
      preambles.push(Date.parse(first.at) - jobStartedAt);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
} finally {
  await worker.stop();
  await pool.end();
  await sim.close();
  await server.stop();
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
console.log("\nPickup latency: outbox row committed → first Admin API request (idle worker, LISTEN/NOTIFY)");
console.log(machineLine());
console.table([
  {
    samples: latencies.length,
    p50: fmt(percentile(latencies, 50)),
    p95: fmt(percentile(latencies, 95)),
    p99: fmt(percentile(latencies, 99)),
    max: fmt(Math.max(...latencies)),
    "target p50 / p95": "≤ 10 ms / ≤ 50 ms",
  },
  {
    samples: pickups.length,
    p50: fmt(percentile(pickups, 50)),
    p95: fmt(percentile(pickups, 95)),
    p99: fmt(percentile(pickups, 99)),
    max: fmt(Math.max(...pickups)),
    "target p50 / p95": "(of which: commit → job started)",
  },
  {
    samples: preambles.length,
    p50: fmt(percentile(preambles, 50)),
    p95: fmt(percentile(preambles, 95)),
    p99: fmt(percentile(preambles, 99)),
    max: fmt(Math.max(...preambles)),
    "target p50 / p95": "(and job started → first request)",
  },
]);
console.log(`Run time ${(performance.now() / 1000).toFixed(1)} s`);
console.log("Reproduce: npm run bench:latency" + (args.length ? ` -- ${args.join(" ")}` : ""));
process.exit(0);
