/**
 * How fast the queue syncs one shop's shipments through the simulator, by Shopify plan:
 * shipments per second, Admin API points per shipment (requested and actual, from the
 * simulator's request log), THROTTLED answers received, and the pacing's waits.
 *
 *   npm run bench:sync                      # 300 shipments on standard, advanced and plus
 *   npm run bench:sync -- --shipments=1000 --plans=standard
 *
 * Not a test: it prints figures. Everything runs on a throwaway PostgreSQL 15 and an
 * in-process simulator; both are stopped at the end.
 */
import os from "node:os";
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

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const SHIPMENTS = Number(arg("shipments", "300"));
const PLANS = arg("plans", "standard,advanced,plus").split(",") as ("standard" | "advanced" | "plus")[];
const CONCURRENCY = Number(arg("concurrency", "8"));

const server = await startPostgres();
const sim = await startSimulator({ seed: 1 });
installAdminApiOrigin(sim.origin);
const results: Record<string, string | number>[] = [];

try {
  for (const [planIndex, plan] of PLANS.entries()) {
    const db = `bench_${plan}`;
    const admin = new pg.Client(server.adminUrl());
    await admin.connect();
    await admin.query(`create database ${db}`);
    await admin.end();
    const pool = new pg.Pool({ connectionString: server.adminUrl(db), max: CONCURRENCY + 6 });
    pool.on("error", () => undefined);
    await applyMigrations(pool);
    await installQueueSchema(pool);

    const shop = `bench-${plan}.myshopify.com`;
    const token = `shpat_bench_${plan}`;
    sim.control.createShop({ shop, plan, token });
    await pool.query(`insert into shops (shop) values ($1)`, [shop]);
    const ids = await createBulkOrders(pool, sim, shop, {
      orders: SHIPMENTS / 2,
      vendorsPerOrder: 2,
      firstOrderNumber: 100_000 * (planIndex + 1),
    });

    for (const id of ids) {
      await markShipped(pool, shop, id, {
        trackingNumbers: [trackingFor(id)],
        carrier: "Yamato (JA)",
        trackingUrl: null,
        notifyCustomer: false,
      });
    }
    const requestsBefore = sim.control.requestLog({ shop }).length;
    const started = performance.now();
    const worker = await startSyncWorker({
      pool,
      loadSession: async () => ({ shop, accessToken: token }),
      concurrency: CONCURRENCY,
    });
    for (;;) {
      const done = await pool.query<{ n: number }>(
        `select count(*)::int as n from shipments where shop = $1 and sync_state = 'in_sync' and status = 'shipped'`,
        [shop],
      );
      if (done.rows[0]!.n === ids.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    await pool.end();

    const log = sim.control.requestLog({ shop }).slice(requestsBefore);
    const requested = log.reduce((sum, r) => sum + (r.requestedQueryCost ?? 0), 0);
    const actual = log.reduce((sum, r) => sum + (r.actualQueryCost ?? 0), 0);
    results.push({
      plan,
      shipments: ids.length,
      seconds: seconds.toFixed(1),
      "shipments/s": (ids.length / seconds).toFixed(1),
      calls: log.length,
      "requested pts/shipment": (requested / ids.length).toFixed(1),
      "actual pts/shipment": (actual / ids.length).toFixed(1),
      throttled: log.filter((r) => r.throttled).length,
    });
  }
} finally {
  await sim.close();
  await server.stop();
}

console.log(`\nSync throughput — ${os.cpus().length} cores, Node ${process.versions.node}, concurrency ${CONCURRENCY}`);
console.table(results);
console.log("Reproduce: npm run bench:sync" + (args.length ? ` -- ${args.join(" ")}` : ""));
process.exit(0);
