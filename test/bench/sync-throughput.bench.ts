/**
 * How fast the queue turns shipments into Shopify fulfillments, per Shopify plan, against
 * the physical limit: a fulfillmentCreate costs 10 points, so a plan restoring R points/s
 * can never make more than R/10 fulfillments/s (Standard 100 pts/s → 10/s). Prints
 * fulfillments/s over the whole run and in the steady state (the second half of the
 * creates, once the bucket's initial points are spent), the share of the limit, Admin
 * API points and calls per shipment (from the simulator's request log) and THROTTLED
 * answers received.
 *
 *   npm run bench:sync                                   # 300 shipments on standard, advanced and plus
 *   npm run bench:sync -- --shipments=1000 --plans=standard
 *   npm run bench:sync -- --shipments=1000 --plans=standard --baseline
 *
 * `--baseline` also runs the seed's naive loop on its own shop of the same plan, in the
 * same run: one shipment after another, read the order's fulfillment orders, create,
 * and on THROTTLED (or 429) wait 1 s and send again — and prints the ratio.
 *
 * Not a test: it prints figures. Everything runs on a throwaway PostgreSQL 15 and an
 * in-process simulator; both are stopped at the end.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import "@shopify/shopify-api/adapters/node";
import { applyMigrations } from "../../app/db/migrate.server";
import { mapShipmentToFulfillmentOrders, type FulfillmentOrderSnapshot } from "../../app/fulfillment/mapping";
import { installAdminApiOrigin } from "../../app/shopify/admin-api-origin.server";
import { FULFILLMENT_CREATE_MUTATION, ORDER_FULFILLMENT_ORDERS_QUERY } from "../../app/shopify/documents";
import { markShipped } from "../../app/shipments/shipment-commands.server";
import { installQueueSchema } from "../../app/worker/queue-schema.server";
import { startSyncWorker } from "../../app/worker/runner.server";
import { createBulkOrders, trackingFor } from "../helpers/bulk-orders";
import { startSimulator, type Simulator } from "../shopify-sim";
import { adminGraphql } from "../shopify-sim/client";
import type { RequestLogEntry } from "../shopify-sim/control";
import { startPostgres } from "../support/postgres";
import { machineLine } from "./machine";

type Plan = "standard" | "advanced" | "plus";
const RESTORE_RATE: Record<Plan, number> = { standard: 100, advanced: 200, plus: 1000 };
const MUTATION_COST = 10;

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const SHIPMENTS = Number(arg("shipments", "300"));
const PLANS = arg("plans", "standard,advanced,plus").split(",") as Plan[];
const CONCURRENCY = Number(arg("concurrency", "8"));
const BASELINE = args.includes("--baseline");

const server = await startPostgres();
const sim = await startSimulator({ seed: 1 });
installAdminApiOrigin(sim.origin);
const results: Record<string, string | number>[] = [];
let databases = 0;

async function freshPool(): Promise<pg.Pool> {
  const db = `bench_sync_${databases++}`;
  const admin = new pg.Client(server.adminUrl());
  await admin.connect();
  await admin.query(`create database ${db}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: server.adminUrl(db), max: CONCURRENCY + 6 });
  pool.on("error", () => undefined);
  await applyMigrations(pool);
  await installQueueSchema(pool);
  return pool;
}

/** The figures of one run, from the simulator's log of the shop's requests. */
function figures(label: string, plan: Plan, shipments: number, seconds: number, log: RequestLogEntry[]) {
  const creates = log.filter((r) => r.operationName === "FulfillmentCreate" && !r.throttled && r.outcome === 200);
  // Steady state: the second half of the creates, after the bucket's initial points.
  const half = creates.slice(Math.floor(creates.length / 2));
  const span = (Date.parse(half.at(-1)!.at) - Date.parse(half[0]!.at)) / 1000;
  // Only steady once the bucket's initial points are spent before the second half begins.
  const bucketSize = log.find((r) => r.throttleStatus)?.throttleStatus?.maximumAvailable ?? 0;
  const spentBefore = log
    .filter((r) => r.id < half[0]!.id)
    .reduce((sum, r) => sum + (r.actualQueryCost ?? 0), 0);
  const steady = span > 0 && spentBefore >= bucketSize ? (half.length - 1) / span : Number.NaN;
  const limit = RESTORE_RATE[plan] / MUTATION_COST;
  const actual = log.reduce((sum, r) => sum + (r.actualQueryCost ?? 0), 0);
  const requested = log.reduce((sum, r) => sum + (r.requestedQueryCost ?? 0), 0);
  return {
    run: label,
    plan,
    shipments,
    seconds: seconds.toFixed(1),
    "fulfillments/s": (shipments / seconds).toFixed(2),
    "steady /s": Number.isNaN(steady) ? "n/a (fits the bucket)" : steady.toFixed(2),
    "limit /s": limit,
    "steady % of limit": Number.isNaN(steady) ? "n/a" : `${((steady / limit) * 100).toFixed(0)}%`,
    "calls/shipment": (log.length / shipments).toFixed(2),
    "requested pts/shipment": (requested / shipments).toFixed(1),
    "actual pts/shipment": (actual / shipments).toFixed(1),
    throttled: log.filter((r) => r.throttled).length,
  };
}

async function runApp(plan: Plan, planIndex: number) {
  const pool = await freshPool();
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
  return figures("app (queue)", plan, ids.length, seconds, sim.control.requestLog({ shop }).slice(requestsBefore));
}

/** The seed's loop: serial, read then create, 1 s sleep and resend on THROTTLED / 429. */
async function runBaseline(plan: Plan, planIndex: number, simulator: Simulator) {
  const shop = `baseline-${plan}.myshopify.com`;
  const token = `shpat_baseline_${plan}`;
  simulator.control.createShop({ shop, plan, token });
  const orders: { orderId: string; lines: { id: string; quantity: number }[] }[] = [];
  for (let o = 0; o < SHIPMENTS / 2; o++) {
    const number = 500_000 + 100_000 * planIndex + o;
    const lines = [0, 1].map((v) => ({ id: `gid://shopify/LineItem/${number * 10 + v}`, sku: `SKU-${v}`, title: `商品 ${v + 1}`, quantity: 1 + v, vendor: `v${v}` }));
    simulator.control.createOrder({ shop, id: `gid://shopify/Order/${number}`, name: `#${number}`, lines });
    orders.push({ orderId: `gid://shopify/Order/${number}`, lines });
  }
  const send = async <T>(query: string, variables: Record<string, unknown>) => {
    for (;;) {
      const response = await adminGraphql<{ data?: T; errors?: { extensions?: { code?: string } }[] }>({
        origin: simulator.origin,
        shop,
        token,
        query,
        variables,
      });
      const throttled = response.status === 429 || response.body.errors?.some((e) => e.extensions?.code === "THROTTLED");
      if (!throttled) return response.body.data!;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  };
  const requestsBefore = simulator.control.requestLog({ shop }).length;
  const started = performance.now();
  let shipments = 0;
  for (const order of orders) {
    for (const line of order.lines) {
      const read = await send<{ order: { fulfillmentOrders: { nodes: FulfillmentOrderSnapshot[] } } }>(
        ORDER_FULFILLMENT_ORDERS_QUERY,
        { id: order.orderId },
      );
      const mapping = mapShipmentToFulfillmentOrders(
        { lines: [{ lineItemId: line.id, quantity: line.quantity }] },
        read.order.fulfillmentOrders.nodes,
      );
      if (!mapping.ok) throw new Error(`baseline could not map ${order.orderId}`);
      await send(FULFILLMENT_CREATE_MUTATION, {
        fulfillment: {
          lineItemsByFulfillmentOrder: mapping.lineItemsByFulfillmentOrder,
          notifyCustomer: false,
          trackingInfo: { company: "Yamato (JA)", numbers: [String(700000000000 + shipments)] },
        },
      });
      shipments++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return figures("baseline (seed loop)", plan, shipments, seconds, simulator.control.requestLog({ shop }).slice(requestsBefore));
}

try {
  for (const [planIndex, plan] of PLANS.entries()) {
    const app = await runApp(plan, planIndex);
    results.push(app);
    if (BASELINE) {
      const baseline = await runBaseline(plan, planIndex, sim);
      results.push(baseline);
      results.push({
        run: "ratio app / baseline",
        plan,
        "fulfillments/s": `${(Number(app["fulfillments/s"]) / Number(baseline["fulfillments/s"])).toFixed(2)}×`,
        "steady /s": Number.isNaN(Number(app["steady /s"]) / Number(baseline["steady /s"]))
          ? "n/a"
          : `${(Number(app["steady /s"]) / Number(baseline["steady /s"])).toFixed(2)}×`,
      });
    }
  }
} finally {
  await sim.close();
  await server.stop();
}

console.log(`\nSync throughput — concurrency ${CONCURRENCY}, 2 shipments (vendors) per order`);
console.log(machineLine());
console.table(results);
console.log("Reproduce: npm run bench:sync" + (args.length ? ` -- ${args.join(" ")}` : ""));
process.exit(0);
