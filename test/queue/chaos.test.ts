import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBulkOrders, trackingFor } from "../helpers/bulk-orders";
import { DEMO_SHOP, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { killWorkerProcess, lockIdOfPid, spawnWorkerProcess, type WorkerProcess } from "../helpers/worker-process";
import { createPrng } from "../shopify-sim/faults";
import { testDatabaseUrl, testPool } from "../support/database";

/**
 * The product's promise under fire (issue 14, item 6). Shipments are synced by two
 * worker PROCESSES (spawned so their pid is the worker itself) while the simulator
 * fails a share of calls (5xx before and after the write, 429, THROTTLED, answers lost
 * after the write, connections dropped before it); both original workers are SIGKILLed
 * at different points, each while it holds a job with a call on the wire, and replaced;
 * operators revert, re-ship and correct tracking through the app's commands during the
 * storm. At quiescence Shopify must hold exactly each shipment's last intent: no
 * duplicate, no orphan, no fulfillment-order line over-fulfilled, nothing failed, no
 * attempt left open.
 *
 * The suite runs a CI size; `npm run chaos -- --shipments=1000 --faults=0.3` runs the
 * full size through this same file (CHAOS_* variables) and prints the figures.
 */
const SHIPMENTS = Number(process.env.CHAOS_SHIPMENTS ?? 120);
const FAULT_RATE = Number(process.env.CHAOS_FAULTS ?? 0.2);
const SEED = Number(process.env.CHAOS_SEED ?? 2026);
const SCALE = Math.max(1, SHIPMENTS / 120);

let world: SyncWorld;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  world = await startSyncWorld({ seed: SEED });
  world.sim.control.setPlan({ shop: DEMO_SHOP, plan: "advanced" });
});

afterAll(async () => {
  for (const worker of workers) worker.child.kill("SIGKILL");
  await world.close();
});

function startWorker(name: string): WorkerProcess {
  const worker = spawnWorkerProcess(name, {
    DATABASE_URL: testDatabaseUrl(),
    SHOPIFY_ADMIN_API_ORIGIN: world.sim.origin,
    WORKER_CONCURRENCY: "4",
    WORKER_HEARTBEAT_MS: "300",
    WORKER_DEAD_AFTER_MS: "2000",
    SYNC_RETRY_BASE_MS: "100",
  });
  void worker.exited.then(({ code }) => {
    if (code) console.error(`worker ${name} exited ${code}:\n${worker.output().slice(-4000)}`);
  });
  workers.push(worker);
  return worker;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const result = await testPool().query<{ n: number }>(sql, params);
  return Number(result.rows[0]!.n);
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Intent = { shipped: true; tracking: string } | { shipped: false };

describe(`chaos: ${SHIPMENTS} shipments, ${Math.round(FAULT_RATE * 100)}% faults, both workers killed, operators editing`, () => {
  it("ends with every shipment at its operator's last intent, exactly once", async () => {
    const started = Date.now();
    const ids = await createBulkOrders(testPool(), world.sim, DEMO_SHOP, {
      orders: Math.ceil(SHIPMENTS / 2),
      vendorsPerOrder: 2,
    });
    const { markShipped, revertShipment } = await import("~/shipments/shipment-commands.server");
    const { getPool } = await import("~/db.server");
    const intent = new Map<number, Intent>();
    const ship = async (id: number, tracking: string) => {
      const result = await markShipped(getPool(), DEMO_SHOP, id, {
        trackingNumbers: [tracking],
        carrier: "Yamato (JA)",
        trackingUrl: null,
        notifyCustomer: false,
      });
      if (result.ok) intent.set(id, { shipped: true, tracking });
      return result.ok;
    };
    for (const id of ids) await ship(id, trackingFor(id));

    // Each kind of fault fires independently, so that together about FAULT_RATE of
    // calls fail; a little latency keeps calls in flight for the kills to land on.
    const kinds = [
      { type: "httpError", status: 503 },
      { type: "httpError", status: 502, afterCommit: true },
      { type: "rateLimited", retryAfterSeconds: 1 },
      { type: "throttled" },
      { type: "dropAfterCommit", mode: "destroy" },
      { type: "dropBeforeCommit" },
    ] as const;
    const perKind = 1 - Math.pow(1 - FAULT_RATE, 1 / kinds.length);
    for (const action of kinds) world.sim.control.injectFault({ shop: DEMO_SHOP, action, probability: perKind });
    world.sim.control.injectFault({ shop: DEMO_SHOP, action: { type: "latency", ms: 40 } });

    // Operators at work during the storm: revert, re-ship, correct tracking.
    const random = createPrng(SEED);
    const edits = { revert: 0, reship: 0, correct: 0 };
    let operatorsStop = false;
    let version = 0;
    const operators = (async () => {
      while (!operatorsStop) {
        const id = ids[Math.floor(random() * ids.length)]!;
        const want = intent.get(id)!;
        const newTracking = String(500_000_000_000 + id * 1000 + (++version % 1000));
        if (want.shipped && random() < 0.5) {
          const result = await revertShipment(getPool(), DEMO_SHOP, id);
          if (result.ok) {
            intent.set(id, { shipped: false });
            edits.revert++;
          }
        } else if (want.shipped) {
          if (await ship(id, newTracking)) edits.correct++;
        } else if (await ship(id, newTracking)) edits.reship++;
        await new Promise((r) => setTimeout(r, 20 + random() * 60));
      }
    })();

    const settled = () =>
      count(`select count(*) as n from shipments where id = any($1::bigint[]) and sync_state <> 'pending'`, [ids]);
    /** The worker holds a job whose call is on the wire (an attempt without outcome). */
    const busyWith = async (worker: WorkerProcess) => {
      const lockId = await lockIdOfPid(testPool(), worker.pid);
      return (
        lockId !== null &&
        (await count(
          `select count(*) as n from graphile_worker.jobs j
             join sync_attempts a on a.outcome is null and j.key = 'sync-shipment:' || a.shipment_id
            where j.locked_by = $1`,
          [lockId],
        )) > 0
      );
    };

    const a = startWorker("A");
    const b = startWorker("B");
    const kills: { worker: string; pid: number; lockId: string; settled: number }[] = [];
    const killWhenBusy = async (worker: WorkerProcess, share: number) => {
      await waitUntil(
        `${worker.name} busy after ${share * 100}% settled`,
        async () => (await settled()) >= ids.length * share && (await busyWith(worker)),
        300_000 * SCALE,
      );
      const { lockId } = await killWorkerProcess(testPool(), worker);
      kills.push({ worker: worker.name, pid: worker.pid, lockId, settled: await settled() });
    };
    await killWhenBusy(a, 0.25);
    startWorker("A2");
    await killWhenBusy(b, 0.5);
    startWorker("B2");
    // A few more edits after the kills, then the operators go home.
    await new Promise((r) => setTimeout(r, 3_000));
    operatorsStop = true;
    await operators;

    await waitUntil(
      "quiescence: nothing pending, no call open",
      async () =>
        (await settled()) === ids.length &&
        (await count(`select count(*) as n from sync_attempts where outcome is null`)) === 0,
      600_000 * SCALE,
    );

    // What Shopify holds, per order line (each shipment has one line).
    const rows = (
      await testPool().query<{
        id: string;
        order_id: string;
        status: string;
        sync_state: string;
        shopify_fulfillment_id: string | null;
        line_item_id: string;
        last_error_message: string | null;
      }>(
        `select s.id, s.order_id, s.status, s.sync_state, s.shopify_fulfillment_id, li.line_item_id, s.last_error_message
           from shipments s
           join shipment_line_items sli on sli.shipment_id = s.id
           join line_items li on li.id = sli.line_item_id
          where s.id = any($1::bigint[])`,
        [ids],
      )
    ).rows;
    const liveByLine = new Map<string, { id: string; tracking: string | null }[]>();
    const referenced = new Set(rows.map((r) => r.shopify_fulfillment_id).filter(Boolean));
    let orphans = 0;
    let overFulfilledLines = 0;
    for (const orderId of new Set(rows.map((r) => r.order_id))) {
      const order = world.sim.control.getOrder({ shop: DEMO_SHOP, orderId });
      for (const f of order.fulfillments) {
        if (f.status !== "SUCCESS") continue;
        if (!referenced.has(f.id)) orphans++;
        for (const line of f.lines) {
          const list = liveByLine.get(line.lineItemId) ?? [];
          list.push({ id: f.id, tracking: f.trackingInfo[0]?.number ?? null });
          liveByLine.set(line.lineItemId, list);
        }
      }
      for (const fo of order.fulfillmentOrders) {
        for (const line of fo.lines) {
          const fulfilled = (order.fulfillmentsByFulfillmentOrderLine[line.id] ?? [])
            .filter((f) => f.status === "SUCCESS")
            .reduce((sum, f) => sum + f.quantity, 0);
          if (fulfilled > line.totalQuantity) overFulfilledLines++;
        }
      }
    }
    let duplicates = 0;
    const notAsIntended: string[] = [];
    for (const row of rows) {
      const want = intent.get(Number(row.id))!;
      const live = liveByLine.get(row.line_item_id) ?? [];
      duplicates += Math.max(0, live.length - 1);
      const shownShipped = row.status === "shipped";
      const ok = want.shipped
        ? live.length === 1 &&
          live[0]!.tracking === want.tracking &&
          row.shopify_fulfillment_id === live[0]!.id &&
          shownShipped
        : live.length === 0 && !shownShipped;
      if (!ok) notAsIntended.push(`${row.id} wants ${JSON.stringify(want)}, Shopify ${JSON.stringify(live)}, row ${row.status}/${row.sync_state} ${row.last_error_message ?? ""}`);
    }

    const faultLog = world.sim.control.faultLog().filter((f) => f.action.type !== "latency");
    const faultsByKind: Record<string, number> = {};
    for (const f of faultLog) {
      const kind = f.action.type === "httpError" ? `http${f.action.status}` : f.action.type;
      faultsByKind[kind] = (faultsByKind[kind] ?? 0) + 1;
    }
    const figures = {
      shipments: ids.length,
      faultRate: FAULT_RATE,
      seed: SEED,
      adminApiRequests: world.sim.control.requestLog().length,
      faultsFired: faultLog.length,
      faultsByKind,
      kills: kills.length,
      killedWhileHolding: kills,
      operatorEdits: edits,
      adoptedLostAnswers: await count(`select count(*) as n from sync_attempts where outcome = 'adopted'`),
      duplicates,
      orphans,
      overFulfilledFoLines: overFulfilledLines,
      failed: rows.filter((r) => r.sync_state === "failed").length,
      notAsIntended: notAsIntended.length,
      openAttempts: await count(`select count(*) as n from sync_attempts where outcome is null`),
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(`[chaos] ${JSON.stringify(figures)}`);
    if (notAsIntended.length) {
      console.log(`[chaos] not as intended:\n${notAsIntended.slice(0, 20).join("\n")}`);
      if (process.env.CHAOS_DEBUG) {
        const bad = notAsIntended.slice(0, 5).map((line) => Number(line.split(" ")[0]));
        const attempts = await testPool().query(
          `select shipment_id, operation, outcome, error_class, left(message, 120) as message, fulfillment_id, started_at
             from sync_attempts where shipment_id = any($1::bigint[]) order by shipment_id, id`,
          [bad],
        );
        console.log(attempts.rows.map((r) => JSON.stringify(r)).join("\n"));
      }
    }
    if (process.env.CHAOS_FIGURES) {
      mkdirSync("test-results", { recursive: true });
      writeFileSync(process.env.CHAOS_FIGURES, JSON.stringify({ ...figures, notAsIntendedSample: notAsIntended.slice(0, 20) }, null, 2));
    }

    expect(kills.map((k) => k.worker)).toEqual(["A", "B"]);
    expect(Object.keys(faultsByKind).sort()).toEqual(
      ["dropAfterCommit", "dropBeforeCommit", "http502", "http503", "rateLimited", "throttled"].sort(),
    );
    expect(figures.adoptedLostAnswers).toBeGreaterThan(0);
    expect(edits.revert + edits.reship + edits.correct).toBeGreaterThan(0);
    expect(notAsIntended.slice(0, 10)).toEqual([]);
    expect(duplicates).toBe(0);
    expect(orphans).toBe(0);
    expect(overFulfilledLines).toBe(0);
    expect(figures.failed).toBe(0);
    expect(figures.openAttempts).toBe(0);
  }, 900_000 * SCALE);
});
