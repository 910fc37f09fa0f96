/**
 * Many shops at once: S shops × N shipments across the plans (standard, advanced, plus in
 * turn), synced by W worker processes sharing one Postgres — with shop 0 throttled hard
 * (another app empties its bucket every 3 s) and shop 1 paused (its token revoked, so
 * its first call gets 401 and the circuit pauses it).
 *
 *   npm run bench:shops                                        # 200 shops × 50, 1 worker process
 *   npm run bench:shops -- --shops=60 --per-shop=20 --workers=1,2,4
 *   npm run bench:shops -- --concurrency=8                     # jobs at once per process
 *   npm run bench:shops -- --fifo                              # without per-shop priorities
 *
 * Every shop's shipments are queued up front, one bulk statement per shop, shop 0 and 1
 * first (the worst place for the others). Prints, for the other shops: fulfillments/s,
 * time from the first Admin API call to each shop's first fulfillment and to its last
 * (p50 / p95 / max per plan: a shop waiting behind another's backlog shows here), and
 * THROTTLED answers; for shop 0 its progress; for shop 1 the calls it cost. The
 * simulator runs in this process, the workers in child processes (tsx). Not a test.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { applyMigrations } from "../../app/db/migrate.server";
import { installQueueSchema } from "../../app/worker/queue-schema.server";
import { createBulkOrders } from "../helpers/bulk-orders";
import { startSimulator } from "../shopify-sim";
import { startPostgres } from "../support/postgres";
import { machineLine, percentile } from "./machine";
import { shopName, tokenFor } from "./shops-data";

type Plan = "standard" | "advanced" | "plus";
const PLANS: Plan[] = ["standard", "advanced", "plus"];

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const SHOPS = Number(arg("shops", "200"));
const PER_SHOP = Number(arg("per-shop", "50"));
const WORKERS = arg("workers", "1").split(",").map(Number);
const CONCURRENCY = Number(arg("concurrency", "8"));
const TIMEOUT_S = Number(arg("timeout", "1800"));
// Every job at priority 0, as before per-shop numbering (20261201000701): plain FIFO.
const FIFO = args.includes("--fifo");
if (SHOPS < 3 || PER_SHOP < 2 || PER_SHOP % 2 !== 0) throw new Error("--shops ≥ 3, --per-shop even ≥ 2");

const THROTTLED_SHOP = shopName(0);
const PAUSED_SHOP = shopName(1);
const planOf = (i: number): Plan => PLANS[i % PLANS.length]!;

const server = await startPostgres();
const summary: Record<string, string | number>[] = [];
const fairness: Record<string, string | number>[] = [];

async function run(workers: number, runIndex: number) {
  const sim = await startSimulator({ seed: 7 + runIndex });
  const db = `bench_shops_${runIndex}`;
  const admin = new pg.Client(server.adminUrl());
  await admin.connect();
  await admin.query(`create database ${db}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: server.adminUrl(db), max: 8 });
  pool.on("error", () => undefined);
  await applyMigrations(pool);
  await installQueueSchema(pool);

  const setupStarted = performance.now();
  for (let i = 0; i < SHOPS; i++) {
    const shop = shopName(i);
    sim.control.createShop({ shop, plan: planOf(i), token: tokenFor(shop) });
    await pool.query(`insert into shops (shop) values ($1)`, [shop]);
    await createBulkOrders(pool, sim, shop, { orders: PER_SHOP / 2, vendorsPerOrder: 2, firstOrderNumber: 100_000 + i * PER_SHOP });
  }
  sim.control.revokeTokens({ shop: PAUSED_SHOP });
  // Each shop's backlog in one statement (a bulk action or an import commit).
  for (let i = 0; i < SHOPS; i++) {
    await pool.query(
      `update shipments
          set status = 'shipped', shipped_at = now(), tracking_numbers = array[(400000000000 + id)::text],
              carrier = 'Yamato (JA)', sync_state = 'pending', pending_operation = 'create_fulfillment',
              revision = revision + 1
        where shop = $1`,
      [shopName(i)],
    );
  }
  if (FIFO) await pool.query(`update graphile_worker._private_jobs set priority = 0`);
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  // Another app on shop 0 takes its bucket every 3 s.
  const drain = setInterval(() => sim.control.setBucket({ shop: THROTTLED_SHOP, currentlyAvailable: 0 }), 3_000);
  const children: ChildProcess[] = [];
  for (let w = 0; w < workers; w++) {
    const child = fork(path.resolve("test/bench/shops-worker.ts"), [], {
      execArgv: ["--import", "tsx"],
      env: {
        ...process.env,
        BENCH_DATABASE_URL: server.adminUrl(db),
        BENCH_SIM_ORIGIN: sim.origin,
        BENCH_CONCURRENCY: String(CONCURRENCY),
      },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    children.push(child);
  }
  await Promise.all(children.map((c) => new Promise((resolve) => c.once("message", resolve))));

  const others = Array.from({ length: SHOPS - 2 }, (_, k) => shopName(k + 2));
  const deadline = Date.now() + TIMEOUT_S * 1000;
  let timedOut = false;
  for (;;) {
    const done = await pool.query<{ n: number }>(
      `select count(*)::int as n from shipments where shop = any($1::text[]) and sync_state = 'in_sync'`,
      [others],
    );
    if (done.rows[0]!.n === others.length * PER_SHOP) break;
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  clearInterval(drain);
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          c.once("exit", resolve);
          c.kill("SIGTERM");
        }),
    ),
  );

  const states = await pool.query<{ shop: string; sync_state: string; n: number }>(
    `select shop, sync_state::text, count(*)::int as n from shipments where shop = any($1::text[]) group by 1, 2`,
    [[THROTTLED_SHOP, PAUSED_SHOP]],
  );
  const stateOf = (shop: string) =>
    states.rows
      .filter((r) => r.shop === shop)
      .map((r) => `${r.sync_state} ${r.n}`)
      .join(", ");
  await pool.end();
  const log = sim.control.requestLog();
  await sim.close();

  const t0 = Date.parse(log[0]!.at);
  const creates = log.filter((r) => r.operationName === "FulfillmentCreate" && r.outcome === 200 && !r.throttled);
  const byShop = new Map<string, number[]>();
  for (const c of creates) {
    const list = byShop.get(c.shop!) ?? [];
    list.push((Date.parse(c.at) - t0) / 1000);
    byShop.set(c.shop!, list);
  }
  const otherCreates = creates.filter((c) => c.shop !== THROTTLED_SHOP && c.shop !== PAUSED_SHOP);
  const lastCreate = Math.max(...otherCreates.map((c) => (Date.parse(c.at) - t0) / 1000));
  const s = (x: number) => `${x.toFixed(1)} s`;
  summary.push({
    order: FIFO ? "FIFO" : "per shop",
    workers,
    "jobs/process": CONCURRENCY,
    shipments: others.length * PER_SHOP,
    seconds: lastCreate.toFixed(1),
    "fulfillments/s": (otherCreates.length / lastCreate).toFixed(1),
    "THROTTLED (others)": log.filter((r) => r.throttled && r.shop !== THROTTLED_SHOP).length,
    "throttled shop": `${stateOf(THROTTLED_SHOP)}; ${log.filter((r) => r.throttled && r.shop === THROTTLED_SHOP).length} THROTTLED`,
    "paused shop": `${stateOf(PAUSED_SHOP)}; ${log.filter((r) => r.shop === PAUSED_SHOP).length} calls`,
    ...(timedOut ? { note: "timed out" } : {}),
    setup: s(setupSeconds),
  });
  for (const plan of PLANS) {
    const shops = others.filter((shop) => planOf(Number(/(\d+)\.myshopify/.exec(shop)![1])) === plan);
    const first = shops.map((shop) => Math.min(...(byShop.get(shop) ?? [Number.NaN])));
    const last = shops.map((shop) => Math.max(...(byShop.get(shop) ?? [Number.NaN])));
    fairness.push({
      order: FIFO ? "FIFO" : "per shop",
      workers,
      plan,
      shops: shops.length,
      "first fulfillment p50": s(percentile(first, 50)),
      "p95": s(percentile(first, 95)),
      "max": s(Math.max(...first)),
      "shop done p50": s(percentile(last, 50)),
      "done p95": s(percentile(last, 95)),
      "done max": s(Math.max(...last)),
    });
  }
}

try {
  for (const [i, workers] of WORKERS.entries()) await run(workers, i);
} finally {
  await server.stop();
}

console.log(`\nMany shops — ${SHOPS} shops × ${PER_SHOP} shipments (plans in turn: ${PLANS.join(", ")}); shop 0 throttled hard, shop 1 paused`);
console.log(machineLine());
console.table(summary);
console.log("Per plan, the other shops (seconds from the first Admin API call):");
console.table(fairness);
console.log("Reproduce: npm run bench:shops" + (args.length ? ` -- ${args.join(" ")}` : ""));
process.exit(0);
