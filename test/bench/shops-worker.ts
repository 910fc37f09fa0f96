/**
 * One worker process of `npm run bench:shops` (spawned by shops.bench.ts): the app's
 * sync worker on the benchmark's database, Admin API calls sent to the benchmark's
 * simulator. Tokens are the benchmark's own (tokenFor), so nothing here depends on how
 * the app stores sessions. Stops on SIGTERM: running jobs finish.
 */
import "@shopify/shopify-api/adapters/node";
import pg from "pg";
import { installAdminApiOrigin } from "../../app/shopify/admin-api-origin.server";
import { startSyncWorker } from "../../app/worker/runner.server";
import { tokenFor } from "./shops-data";

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
installAdminApiOrigin(process.env.BENCH_SIM_ORIGIN!);
// The connection budget of one worker process: a job holds two connections at most
// (its advisory-lock connection and a query), plus LISTEN, heartbeats and sweeps.
const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 2 * concurrency + 4 });
pool.on("error", () => undefined);
const worker = await startSyncWorker({
  pool,
  loadSession: async (shop) => ({ shop, accessToken: tokenFor(shop) }),
  concurrency,
});
process.send?.("ready");
process.on("SIGTERM", () => {
  void worker
    .stop()
    .then(() => pool.end())
    .finally(() => process.exit(0));
});
