/**
 * The chaos run at full size (issue 14, item 6): the scenario of test/queue/chaos.test.ts
 * (test/queue/chaos-scenario.ts) on its own Postgres and simulator, with real worker
 * processes — both originals SIGKILLed and replaced — operators editing during the
 * storm and a share of Shopify's answers failing. Prints the figures; exits 1 when the
 * end state contradicts the operators' intent (with the shipments that do).
 *
 *   npm run chaos                                      # 1,000 shipments, 30% faults
 *   npm run chaos -- --shipments=1000 --faults=0.3 --seed=14
 *
 * Not a test: it prints figures (the suite runs the same scenario at a CI size).
 */
import pg from "pg";
import "@shopify/shopify-api/adapters/node";
import { applyMigrations } from "../../app/db/migrate.server";
import { installQueueSchema } from "../../app/worker/queue-schema.server";
import { startSyncWorldOn } from "../helpers/sync-world-core";
import { formatChaosReport, runChaos } from "../queue/chaos-scenario";
import { startPostgres } from "../support/postgres";
import { machineLine } from "./machine";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const SHIPMENTS = Number(arg("shipments", "1000"));
const FAULTS = Number(arg("faults", "0.3"));
const SEED = Number(arg("seed", "14"));
const PLAN = arg("plan", "advanced");

const server = await startPostgres();
const admin = new pg.Client(server.adminUrl());
await admin.connect();
await admin.query(`create database chaos`);
await admin.end();
const databaseUrl = server.adminUrl("chaos");
process.env.DATABASE_URL = databaseUrl;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
pool.on("error", () => undefined);
let exitCode = 1;
try {
  await applyMigrations(pool);
  await installQueueSchema(pool);
  const world = await startSyncWorldOn(pool, { seed: SEED });
  try {
    world.sim.control.setPlan({ shop: world.shop, plan: PLAN as "advanced" });
    console.log(`npm run chaos -- --shipments=${SHIPMENTS} --faults=${FAULTS} --seed=${SEED} --plan=${PLAN}`);
    console.log(machineLine());
    const report = await runChaos({
      pool,
      databaseUrl,
      sim: world.sim,
      shop: world.shop,
      shipments: SHIPMENTS,
      faultRate: FAULTS,
      seed: SEED,
      log: (line) => console.log(`  ${new Date().toISOString().slice(11, 23)} ${line}`),
    });
    console.log(formatChaosReport(report));
    const wrong = [...report.failed, ...report.offIntent.filter((v) => !report.failed.includes(v))];
    for (const v of wrong) console.log(`  ${JSON.stringify(v)}`);
    // Each shipment that went wrong, with its calls, to find out why.
    const suspects = new Set([...wrong.map((v) => String(v.id)), ...report.unsettledAttempts.map((a) => a.shipment_id)]);
    for (const id of suspects) {
      const calls = await pool.query(
        `select operation, outcome, error_class, left(message, 160) as message, fulfillment_id, started_at, finished_at
           from sync_attempts where shipment_id = $1 order by id`,
        [id],
      );
      console.log(`  shipment ${id}:\n${calls.rows.map((c) => `    ${JSON.stringify(c)}`).join("\n")}`);
    }
    if (report.orphans.length > 0) console.log(`  orphans: ${report.orphans.join(", ")}`);
    if (report.linesOverFulfilled.length > 0) console.log(`  over-fulfilled: ${report.linesOverFulfilled.join(", ")}`);
    const clean =
      wrong.length === 0 &&
      report.duplicates === 0 &&
      report.orphans.length === 0 &&
      report.linesOverFulfilled.length === 0 &&
      report.attemptsLeftOpen === 0 &&
      report.attemptsLeftUnknown === 0;
    exitCode = clean ? 0 : 1;
  } finally {
    await world.close();
  }
} finally {
  await pool.end();
  await server.stop();
}
process.exit(exitCode);
