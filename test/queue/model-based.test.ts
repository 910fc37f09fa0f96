import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBulkOrders } from "../helpers/bulk-orders";
import { DEMO_SHOP, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import {
  isWorkerProcess,
  killWorkerProcess,
  lockIdOfPid,
  spawnWorkerProcess,
  type WorkerProcess,
} from "../helpers/worker-process";
import { waitUntil } from "../helpers/wait-until";
import { testDatabaseUrl, testPool } from "../support/database";

/**
 * Model-based test of convergence (issue 14, item 5). fast-check generates interleavings
 * of operator commands on four shipments of two orders (ship, correct tracking, revert,
 * re-ship, bulk retry), Shopify faults at the HTTP layer (5xx before and after commit,
 * lost answers, THROTTLED, 429), fulfillment orders moved in Shopify admin, and SIGKILLs
 * of the worker process that runs the jobs (`node --import tsx app/worker/cli.ts`: the
 * pid killed is the worker's, checked against its heartbeat and /proc). Commands do not
 * wait for the worker: they land while its calls are in flight.
 *
 * After quiescence it checks against the model of the operator's intent:
 * - Shopify holds exactly the last intent of each shipment, tracking included, and the
 *   shipment is in sync (never a 同期エラー: every fault here is one that heals);
 * - no fulfillment-order line has more units fulfilled than ordered (no duplicate);
 * - no sync attempt is left open (no outcome, or an unsettled "unknown");
 * - the status shown never contradicts Shopify.
 *
 * MODEL_SEED and MODEL_RUNS reproduce or enlarge a run; the seed and the number of
 * cases are printed. Shrunk counterexamples are kept below as named regression cases.
 */
// A fixed default keeps CI reproducible; MODEL_SEED explores (seeds 2–5 were run while building this).
const SEED = Number(process.env.MODEL_SEED ?? 3);
const RUNS = Number(process.env.MODEL_RUNS ?? 8);
const HEARTBEAT_MS = 250;
const DEAD_AFTER_MS = 1_500;
const SHIPMENTS = 4; // two orders × two vendors

type FaultKind = "503" | "500_after_commit" | "lost_answer" | "throttled" | "429";
type Mutation = "fulfillmentCreate" | "fulfillmentCancel" | "fulfillmentTrackingInfoUpdate";

export type Step =
  | { kind: "ship"; s: number; variant: number }
  | { kind: "revert"; s: number }
  | { kind: "bulkRetry" }
  | { kind: "fault"; op: Mutation; fault: FaultKind; times: number }
  | { kind: "moveFulfillmentOrder"; order: number }
  | { kind: "crash" }
  | { kind: "wait"; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("ship" as const), s: fc.nat(SHIPMENTS - 1), variant: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("revert" as const), s: fc.nat(SHIPMENTS - 1) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "bulkRetry" as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("fault" as const),
      op: fc.constantFrom<Mutation>("fulfillmentCreate", "fulfillmentCancel", "fulfillmentTrackingInfoUpdate"),
      fault: fc.constantFrom<FaultKind>("503", "500_after_commit", "lost_answer", "throttled", "429"),
      times: fc.integer({ min: 1, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("moveFulfillmentOrder" as const), order: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "crash" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("wait" as const), ms: fc.constantFrom(0, 150, 600) }) },
);

let world: SyncWorld;
let worker: WorkerProcess | null = null;
const spawned: WorkerProcess[] = [];
const stats = { cases: 0, steps: 0, kills: 0, killsWithJobHeld: 0, faults: 0, moves: 0 };

function startWorker(name: string): WorkerProcess {
  const w = spawnWorkerProcess(name, {
    DATABASE_URL: testDatabaseUrl(),
    SHOPIFY_ADMIN_API_ORIGIN: world.sim.origin,
    WORKER_CONCURRENCY: "3",
    WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS),
    WORKER_DEAD_AFTER_MS: String(DEAD_AFTER_MS),
    SYNC_RETRY_BASE_MS: "100",
    // An unanswered create counts as possibly in flight for this deadline + 5 s.
    WORKER_CALL_TIMEOUT_MS: "3000",
  });
  spawned.push(w);
  return w;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  world = await startSyncWorld({ seed: SEED % 100_000 });
  await testPool().query(`update shops set auto_retry_enabled = true where shop = $1`, [DEMO_SHOP]);
  worker = startWorker("worker-0");
  await waitUntil("the first worker's heartbeat", () => lockIdOfPid(testPool(), worker!.pid), 90_000);
}, 120_000);

afterAll(async () => {
  for (const w of spawned) if (isWorkerProcess(w.pid)) w.child.kill("SIGKILL");
  await world?.close();
  console.log(
    `[model] seed=${SEED} runs=${RUNS} cases=${stats.cases} steps=${stats.steps} faults=${stats.faults} ` +
      `moves=${stats.moves} kills=${stats.kills} (with a job held: ${stats.killsWithJobHeld})`,
  );
});

interface Intent {
  shipped: boolean;
  trackingNumbers: string[];
}

let nextOrderNumber = 81_000 + (SEED % 1000) * 20;

/** Runs one generated case on fresh orders and checks the result against the model. */
async function runCase(steps: readonly Step[]): Promise<void> {
  stats.cases += 1;
  const first = nextOrderNumber;
  nextOrderNumber += 2;
  const ids = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, {
    orders: 2,
    vendorsPerOrder: 2,
    firstOrderNumber: first,
  });
  const orderIds = [`gid://shopify/Order/${first}`, `gid://shopify/Order/${first + 1}`];
  const intent: Intent[] = ids.map(() => ({ shipped: false, trackingNumbers: [] }));
  const { markShipped, revertShipment, retrySync } = await import("~/shipments/shipment-commands.server");
  const { getPool } = await import("~/db.server");
  const pool = getPool();
  const locations = world.sim.control.getShop({ shop: DEMO_SHOP }).locations.filter((l) => !l.fulfillmentService);

  for (const step of steps) {
    stats.steps += 1;
    switch (step.kind) {
      case "ship": {
        const id = ids[step.s]!;
        const trackingNumbers = [String(400_000_000_000 + id * 10 + step.variant)];
        const result = await markShipped(pool, DEMO_SHOP, id, {
          trackingNumbers,
          carrier: "Yamato (JA)",
          trackingUrl: null,
          notifyCustomer: false,
        });
        expect(result.ok).toBe(true);
        intent[step.s] = { shipped: true, trackingNumbers };
        break;
      }
      case "revert": {
        const result = await revertShipment(pool, DEMO_SHOP, ids[step.s]!);
        if (result.ok) intent[step.s] = { shipped: false, trackingNumbers: [] };
        else expect(intent[step.s]!.shipped).toBe(false);
        break;
      }
      case "bulkRetry":
        await retrySync(pool, DEMO_SHOP, ids);
        break;
      case "fault": {
        stats.faults += 1;
        const action =
          step.fault === "503"
            ? ({ type: "httpError", status: 503 } as const)
            : step.fault === "500_after_commit"
              ? ({ type: "httpError", status: 500, afterCommit: true } as const)
              : step.fault === "lost_answer"
                ? ({ type: "dropAfterCommit" } as const)
                : step.fault === "throttled"
                  ? ({ type: "throttled" } as const)
                  : ({ type: "rateLimited", retryAfterSeconds: 1 } as const);
        world.sim.control.injectFault({ shop: DEMO_SHOP, operation: step.op, action, times: step.times });
        break;
      }
      case "moveFulfillmentOrder": {
        // Shopify admin moves the order's open FO to the other location: a new FO takes
        // the remaining units and the old one closes (the app must re-map).
        const order = world.sim.control.getOrder({ shop: DEMO_SHOP, orderId: orderIds[step.order]! });
        const open = order.fulfillmentOrders.find(
          (fo) => fo.status === "OPEN" && fo.lines.some((l) => l.remainingQuantity > 0),
        );
        const to = locations.find((l) => l.id !== open?.locationId);
        if (open && to) {
          world.sim.control.changeFulfillmentOrder({
            shop: DEMO_SHOP,
            fulfillmentOrderId: open.id,
            action: "move",
            toLocationId: to.id,
          });
          stats.moves += 1;
        }
        break;
      }
      case "crash": {
        // Kill the worker while it holds a job when there is one (waiting briefly for it).
        const lockId = await lockIdOfPid(testPool(), worker!.pid);
        if (!lockId) break;
        const held = await waitUntil(
          "a job held by the worker",
          async () =>
            (
              await testPool().query(`select 1 from graphile_worker.jobs where locked_by = $1 limit 1`, [lockId])
            ).rowCount ?? 0,
          1_000,
        ).catch(() => 0);
        await killWorkerProcess(testPool(), worker!);
        stats.kills += 1;
        if (held) stats.killsWithJobHeld += 1;
        worker = startWorker(`worker-${stats.kills}`);
        break;
      }
      case "wait":
        await sleep(step.ms);
        break;
    }
  }

  // Quiescence: no more faults; every shipment settled and no job left for it.
  world.sim.control.clearFaults();
  await waitUntil(
    "quiescence",
    async () => {
      const pending = await testPool().query(
        `select 1 from shipments where id = any($1::bigint[]) and sync_state = 'pending'
         union all
         select 1 from graphile_worker.jobs where key = any($2::text[])
         limit 1`,
        [ids, ids.map((id) => `sync-shipment:${id}`)],
      );
      return pending.rowCount === 0;
    },
    120_000,
  );

  await checkAgainstModel(ids, orderIds, intent);
}

async function checkAgainstModel(ids: number[], orderIds: string[], intent: Intent[]) {
  const rows = (
    await testPool().query<{
      id: string;
      status: string;
      sync_state: string;
      last_error_message: string | null;
      shopify_fulfillment_id: string | null;
      tracking_numbers: string[];
    }>(
      `select id, status, sync_state, last_error_message, shopify_fulfillment_id, tracking_numbers
         from shipments where id = any($1::bigint[]) order by id`,
      [ids],
    )
  ).rows;
  const lineOf = new Map<number, string>();
  for (const r of (
    await testPool().query<{ shipment_id: string; line_item_id: string }>(
      `select sli.shipment_id, li.line_item_id from shipment_line_items sli join line_items li on li.id = sli.line_item_id
        where sli.shipment_id = any($1::bigint[])`,
      [ids],
    )
  ).rows) {
    lineOf.set(Number(r.shipment_id), r.line_item_id);
  }
  const orders = orderIds.map((orderId) => world.sim.control.getOrder({ shop: DEMO_SHOP, orderId }));
  const fulfillments = orders.flatMap((o) => o.fulfillments);
  const live = fulfillments.filter((f) => f.status !== "CANCELLED");

  ids.forEach((id, s) => {
    const row = rows.find((r) => Number(r.id) === id)!;
    const want = intent[s]!;
    const line = lineOf.get(id)!;
    const holding = live.filter((f) => f.lines.some((l) => l.lineItemId === line && l.quantity > 0));
    const label = `shipment ${id} (intent ${want.shipped ? `shipped ${want.trackingNumbers.join(",")}` : "unshipped"})`;
    // The intent is reached and shown as reached.
    expect(row.sync_state, `${label}: ${row.last_error_message ?? ""}`).toBe("in_sync");
    expect(row.status, label).toBe(want.shipped ? "shipped" : "unshipped");
    if (want.shipped) {
      expect(row.tracking_numbers, label).toEqual(want.trackingNumbers);
      expect(holding.map((f) => f.id), `${label}: live fulfillments of its line`).toEqual([row.shopify_fulfillment_id]);
      expect(holding[0]!.trackingInfo.map((t) => t.number), label).toEqual(want.trackingNumbers);
    } else {
      expect(row.shopify_fulfillment_id, label).toBeNull();
      expect(holding.map((f) => f.id), `${label}: live fulfillments of its line`).toEqual([]);
    }
  });

  // No FO line has more units fulfilled than ordered.
  for (const order of orders) {
    for (const line of order.lineItems) {
      const fulfilled = live
        .flatMap((f) => f.lines)
        .filter((l) => l.lineItemId === line.id)
        .reduce((sum, l) => sum + l.quantity, 0);
      expect(fulfilled, `${order.name} ${line.id}`).toBeLessThanOrEqual(line.quantity);
    }
  }

  // No attempt left open.
  const open = await testPool().query(
    `select shipment_id, operation, outcome, message from sync_attempts
      where shipment_id = any($1::bigint[]) and (outcome is null or outcome = 'unknown')`,
    [ids],
  );
  expect(open.rows, JSON.stringify(open.rows)).toEqual([]);
}

// Shrunk counterexamples, kept as regression cases (run on every suite run).
const REGRESSIONS: { name: string; steps: Step[] }[] = [
  {
    // seed 2: the first create still in flight while the operator corrects, reverts and
    // ships again; the create's answer links its fulfillment to a shipment whose pending
    // operation is a create → "no unit remains unfulfilled", 同期エラー.
    name: "ship, correct while the create is in flight, revert, ship again (seed 2)",
    steps: [
      { kind: "ship", s: 0, variant: 1 },
      { kind: "ship", s: 0, variant: 0 },
      { kind: "revert", s: 0 },
      { kind: "ship", s: 0, variant: 0 },
    ],
  },
  {
    // seed 2: reverted before the in-flight create's call was recorded, so the revert
    // went straight to "unshipped, in sync"; the create then made a fulfillment that
    // nothing cancelled (Shopify fulfilled, the app showing 未発送).
    name: "ship, correct, revert while the create is about to be sent (seed 2)",
    steps: [
      { kind: "ship", s: 0, variant: 0 },
      { kind: "ship", s: 0, variant: 0 },
      { kind: "revert", s: 0 },
      { kind: "ship", s: 1, variant: 0 },
    ],
  },
  {
    // seed 2: the worker killed during a read; the read's attempt stayed "unknown"
    // forever (only creates were ever settled).
    name: "revert, ship two shipments, SIGKILL the worker mid-run (seed 2)",
    steps: [
      { kind: "revert", s: 3 },
      { kind: "ship", s: 2, variant: 0 },
      { kind: "ship", s: 0, variant: 1 },
      { kind: "crash" },
    ],
  },
  {
    // seed 4: a tracking correction's answer lost (503 on the mutation), the retry read
    // Shopify and sent the update again; the first attempt stayed "unknown".
    name: "correct tracking, 503 on the update, 503 on a create, revert another (seed 4)",
    steps: [
      { kind: "ship", s: 2, variant: 0 },
      { kind: "wait", ms: 600 },
      { kind: "ship", s: 2, variant: 1 },
      { kind: "fault", op: "fulfillmentTrackingInfoUpdate", fault: "503", times: 1 },
      { kind: "wait", ms: 0 },
      { kind: "fault", op: "fulfillmentCreate", fault: "503", times: 1 },
      { kind: "wait", ms: 0 },
      { kind: "revert", s: 0 },
    ],
  },
  {
    // seed 3 (path "1:20:3:7:1"): the worker SIGKILLed after Shopify answered a create
    // and the answer was recorded, before the shipment was linked; the attempt was no
    // longer unknown, so the next run created again: "no unit remains unfulfilled",
    // 同期エラー (deterministic: test/sync/unlinked-create-answers.test.ts).
    name: "move an FO, ship, revert another, SIGKILL the worker twice, revert again (seed 3)",
    steps: [
      { kind: "moveFulfillmentOrder", order: 1 },
      { kind: "wait", ms: 150 },
      { kind: "ship", s: 3, variant: 0 },
      { kind: "revert", s: 0 },
      { kind: "wait", ms: 150 },
      { kind: "crash" },
      { kind: "crash" },
      { kind: "revert", s: 0 },
    ],
  },
];

describe("model-based regressions (shrunk counterexamples)", () => {
  it.each(REGRESSIONS)("$name", async ({ steps }) => {
    await runCase(steps);
  }, 180_000);
});

describe("model-based: any interleaving converges to the operator's last intent (issue 14)", () => {
  it(
    `generated interleavings (seed ${SEED}, ${RUNS} runs)`,
    async () => {
      console.log(`[model] seed=${SEED} runs=${RUNS} (MODEL_SEED=${SEED} reproduces)`);
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 4, maxLength: 14 }), async (steps) => {
          await runCase(steps);
        }),
        { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 10 * 60_000, markInterruptAsFailure: true },
      );
    },
    15 * 60_000,
  );
});
