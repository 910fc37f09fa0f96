import type { Pool } from "pg";
import type { Simulator } from "../shopify-sim";
import { createPrng, type FaultAction } from "../shopify-sim/faults";
import { createBulkOrders, trackingFor } from "../helpers/bulk-orders";
import { waitUntil as waitFor } from "../helpers/wait-until";
import {
  isWorkerProcess,
  killWorkerProcess,
  lockIdOfPid,
  spawnWorkerProcess,
  type WorkerProcess,
} from "../helpers/worker-process";

/**
 * The chaos scenario (issue 14, item 6), shared by test/queue/chaos.test.ts (a size that
 * fits CI) and `npm run chaos` (test/bench/chaos.ts, the full size, prints the figures).
 *
 * Shipments of two-vendor orders are marked shipped and synced by two worker PROCESSES
 * (`node --import tsx app/worker/cli.ts`: the pid held is the worker itself) while the
 * simulator fails a fraction of calls — 5xx before and after the write, answers lost
 * after the write, connections dropped before it, 429 and THROTTLED — and:
 * - the first worker is SIGKILLed early, holding a job; the second later, with a
 *   mutation of one of its jobs on the wire; each is replaced by a new process;
 * - operators edit during the storm through the app's commands: revert synced
 *   shipments and re-ship them (later, or each the moment its cancel is on the wire),
 *   correct tracking of synced and of still-pending shipments, revert pending ones.
 *
 * After quiescence (no shipment pending, no job left) it measures everything against
 * the operators' last intent; the callers assert or print the figures.
 */
export interface ChaosOptions {
  /** A pool on the scenario's database: observation and the operators' commands. */
  pool: Pool;
  databaseUrl: string;
  sim: Simulator;
  shop: string;
  shipments: number;
  /** Share of Admin API calls that fail, spread evenly over the fault kinds. */
  faultRate: number;
  /** Drives which shipments the operators edit. */
  seed: number;
  firstOrderNumber?: number;
  concurrency?: number;
  /** Quiescence must come within this long after the last edit. */
  settleTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ChaosKill {
  name: string;
  pid: number;
  lockId: string;
  /** Shipments whose first fulfillment was made when the kill came. */
  progressAtKill: number;
  jobsHeld: number;
  /** Calls of its jobs sent and not answered (sync_attempts without outcome) at the kill. */
  callsOnTheWire: { id: string; operation: string }[];
  /** The calls open a moment before the SIGKILL (some may have been answered in between). */
  openAtKill: { id: string; operation: string }[];
  /** /proc showed the pid running app/worker/cli.ts before the kill, and nothing after. */
  wasWorkerBefore: boolean;
  runsAfter: boolean;
  replacedBy: { name: string; pid: number };
}

export interface ShipmentVerdict {
  id: number;
  intent: Intent;
  status: string;
  syncState: string;
  trackingNumbers: string[];
  fulfillmentId: string | null;
  /** Live fulfillments in Shopify holding the shipment's line. */
  shopifyHolding: { id: string; tracking: (string | null)[] }[];
  lastError: string | null;
  offIntent: string | null;
}

export interface ChaosReport {
  shipments: number;
  orders: number;
  faultRate: number;
  faultsFired: Record<string, number>;
  callsToShopify: number;
  kills: ChaosKill[];
  edits: Record<string, number>;
  /** Lost creates whose fulfillment the retry found and adopted. */
  adoptedLostAnswers: number;
  /** Lost cancels / tracking updates a read found already done. */
  lostAnswersFoundDone: number;
  /** Calls a killed worker left without an answer, settled since by a read. */
  cutCallsSettled: number;
  duplicates: number;
  orphans: string[];
  linesOverFulfilled: string[];
  failed: ShipmentVerdict[];
  offIntent: ShipmentVerdict[];
  attemptsLeftOpen: number;
  attemptsLeftUnknown: number;
  /** The attempts left open or unknown, for the message. */
  unsettledAttempts: { shipment_id: string; operation: string; outcome: string | null; message: string | null }[];
  verdicts: ShipmentVerdict[];
  wallMs: number;
  settleMs: number;
  /** What happened when (kills, edits, quiescence), seconds from the start. */
  timeline: string[];
}

export interface Intent {
  shipped: boolean;
  trackingNumbers: string[];
}

const HEARTBEAT_MS = 300;
const DEAD_AFTER_MS = 2_000;
const FAULT_KINDS: { name: string; action: FaultAction }[] = [
  { name: "503 before commit", action: { type: "httpError", status: 503 } },
  { name: "502 after commit", action: { type: "httpError", status: 502, afterCommit: true } },
  { name: "lost answer", action: { type: "dropAfterCommit", mode: "destroy" } },
  { name: "dropped before commit", action: { type: "dropBeforeCommit" } },
  { name: "429", action: { type: "rateLimited", retryAfterSeconds: 1 } },
  { name: "THROTTLED", action: { type: "throttled" } },
];

const MUTATIONS = ["fulfillmentCreate", "fulfillmentCancel", "fulfillmentTrackingInfoUpdate"];
const MUTATIONS_LOGGED = ["create_fulfillment", "cancel_fulfillment", "update_tracking"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polled often: kills and re-ships aim at calls that are on the wire for ~50 ms. */
const waitUntil = <T>(what: string, probe: () => Promise<T | null | false>, timeoutMs: number) =>
  waitFor(`chaos: ${what}`, probe, timeoutMs, 20);

/** The fault kind of a fault log entry, as named in FAULT_KINDS. */
export function faultKindName(action: FaultAction): string {
  return FAULT_KINDS.find((k) => JSON.stringify(k.action) === JSON.stringify(action))?.name ?? action.type;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { pool, sim, shop } = options;
  const started = Date.now();
  const timeline: string[] = [];
  const log = (line: string) => {
    timeline.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${line}`);
    options.log?.(line);
  };
  const random = createPrng(options.seed);
  const workers: WorkerProcess[] = [];
  const kills: ChaosKill[] = [];
  const edits: Record<string, number> = {};
  const { markShipped, revertShipment } = await import("~/shipments/shipment-commands.server");

  const orders = Math.ceil(options.shipments / 2);
  const firstOrder = options.firstOrderNumber ?? 60_000;
  const ids = (
    await createBulkOrders(pool, sim, shop, { orders, vendorsPerOrder: 2, firstOrderNumber: firstOrder })
  ).slice(0, options.shipments);
  const orderIds = Array.from({ length: orders }, (_, o) => `gid://shopify/Order/${firstOrder + o}`);
  const intent = new Map<number, Intent>(ids.map((id) => [id, { shipped: false, trackingNumbers: [] }]));
  const versions = new Map<number, number>();

  // Each kind fires on faultRate / kinds of the calls: a rule is only rolled when no
  // earlier one fired, so each later rule's chance is raised to keep the shares equal.
  const share = options.faultRate / FAULT_KINDS.length;
  FAULT_KINDS.forEach(({ action }, i) => {
    if (share > 0) sim.control.injectFault({ shop, action, probability: Math.min(1, share / (1 - i * share)) });
  });
  // Some latency keeps calls on the wire, so kills and edits land mid-call.
  sim.control.injectFault({ shop, action: { type: "latency", ms: 40 } });
  const logBefore = sim.control.requestLog({ shop }).length;
  const faultsBefore = sim.control.faultLog().length;

  const ship = async (id: number, trackingNumbers: string[]) => {
    const result = await markShipped(pool, shop, id, {
      trackingNumbers,
      carrier: "Yamato (JA)",
      trackingUrl: null,
      notifyCustomer: false,
    });
    if (!result.ok) throw new Error(`chaos: marking shipment ${id} shipped failed: ${result.reason}`);
    intent.set(id, { shipped: true, trackingNumbers });
  };
  /** Another tracking number for the shipment (a correction or a re-ship). */
  const nextTracking = (id: number) => {
    const version = (versions.get(id) ?? 0) + 1;
    versions.set(id, version);
    return [String(410_000_000_000 + id * 10 + (version % 10))];
  };
  const edit = async (kind: string, chosen: number[], act: (id: number) => Promise<void>) => {
    for (const id of chosen) await act(id);
    edits[kind] = (edits[kind] ?? 0) + chosen.length;
    if (chosen.length > 0) log(`edit: ${kind} × ${chosen.length}`);
  };
  const revert = async (id: number) => {
    const result = await revertShipment(pool, shop, id);
    if (result.ok) intent.set(id, { shipped: false, trackingNumbers: [] });
  };
  const pick = (from: number[], n: number) => {
    const pool = [...from];
    const chosen: number[] = [];
    while (chosen.length < n && pool.length > 0) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
    return chosen;
  };
  const some = (fraction: number) => Math.max(2, Math.round(options.shipments * fraction));
  const idsWhere = async (condition: string) =>
    (
      await pool.query<{ id: string }>(
        `select id from shipments where id = any($1::bigint[]) and ${condition} order by id`,
        [ids],
      )
    ).rows.map((r) => Number(r.id));
  /** Shipments whose fulfillment was made at least once: grows monotonically. */
  const progress = async () =>
    Number(
      (
        await pool.query<{ n: string }>(
          `select count(distinct shipment_id) as n from sync_attempts
            where shipment_id = any($1::bigint[]) and operation = 'create_fulfillment'
              and outcome in ('succeeded', 'adopted')`,
          [ids],
        )
      ).rows[0]!.n,
    );
  const progressReaches = (fraction: number) => async () => (await progress()) >= options.shipments * fraction;

  /**
   * Re-ships reverted shipments, each the moment its cancel is on the wire (sent, no
   * answer yet: the re-ship meets a fulfillment Shopify is cancelling) or else once it
   * was answered; those whose cancel never left within a minute, then.
   */
  const reshipAsCancelsLeave = async (reverted: number[]) => {
    const waiting = new Set(reverted);
    const deadline = Date.now() + 60_000;
    while (waiting.size > 0) {
      const cancels = await pool.query<{ shipment_id: string; open: boolean }>(
        `select shipment_id, bool_or(outcome is null) as open from sync_attempts
          where shipment_id = any($1::bigint[]) and operation = 'cancel_fulfillment' group by shipment_id`,
        [[...waiting]],
      );
      const late = Date.now() > deadline;
      for (const id of [...waiting]) {
        const cancel = cancels.rows.find((r) => Number(r.shipment_id) === id);
        const kind = cancel?.open
          ? "re-ship while its cancel is on the wire"
          : cancel
            ? "re-ship after its cancel was answered"
            : late
              ? "re-ship before its cancel was sent"
              : null;
        if (!kind) continue;
        waiting.delete(id);
        await ship(id, nextTracking(id));
        edits[kind] = (edits[kind] ?? 0) + 1;
      }
      if (waiting.size > 0) await sleep(10);
    }
    log(`edit: re-shipped × ${reverted.length} as their cancels left`);
  };

  const startWorker = (name: string) => {
    const worker = spawnWorkerProcess(name, {
      DATABASE_URL: options.databaseUrl,
      SHOPIFY_ADMIN_API_ORIGIN: sim.origin,
      WORKER_CONCURRENCY: String(options.concurrency ?? 4),
      WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS),
      WORKER_DEAD_AFTER_MS: String(DEAD_AFTER_MS),
      SYNC_RETRY_BASE_MS: "100",
      // An unanswered create counts as possibly in flight for this deadline + 5 s.
      WORKER_CALL_TIMEOUT_MS: "3000",
    });
    workers.push(worker);
    void worker.exited.then(({ code }) => {
      if (code) log(`worker ${worker.name} (pid ${worker.pid}) exited ${code}:\n${worker.output().slice(-3000)}`);
    });
    log(`worker ${name} started (pid ${worker.pid})`);
    return worker;
  };
  const jobsHeldBy = async (lockId: string) =>
    Number(
      (
        await pool.query<{ n: string }>(`select count(*) as n from graphile_worker.jobs where locked_by = $1`, [lockId])
      ).rows[0]!.n,
    );
  const callsOnTheWire = async (lockId: string) =>
    (
      await pool.query<{ id: string; operation: string }>(
        `select a.id, a.operation from sync_attempts a
           join graphile_worker.jobs j on j.key = 'sync-shipment:' || a.shipment_id
          where a.outcome is null and j.locked_by = $1 order by a.id`,
        [lockId],
      )
    ).rows;
  /** SIGKILLs the worker once `ready` says so, checks the pid, and starts its replacement. */
  const kill = async (victim: WorkerProcess, ready: (lockId: string) => Promise<boolean>, timeoutMs: number) => {
    const lockId = await waitUntil(`${victim.name}'s heartbeat`, () => lockIdOfPid(pool, victim.pid), 90_000);
    log(`${victim.name} beats as ${lockId}; ${await progress()} made`);
    await waitUntil(`the moment to kill ${victim.name}`, () => ready(lockId), timeoutMs);
    const wasWorkerBefore = isWorkerProcess(victim.pid);
    // The calls open at the kill, by attempt id (a job's key can move to a fresh job that
    // an operator's edit queued behind the running one, so the join is read only now).
    const openAtKill = await callsOnTheWire(lockId);
    await killWorkerProcess(pool, victim);
    const runsAfter = isWorkerProcess(victim.pid);
    // Read right after the kill: its jobs stay locked by it until a live worker releases
    // them (after the dead-after time), and the calls open at the kill still without an
    // answer are the ones the kill cut.
    const stillOpen = await pool.query<{ id: string }>(
      `select id from sync_attempts where id = any($1::bigint[]) and outcome is null`,
      [openAtKill.map((c) => c.id)],
    );
    const cut = new Set(stillOpen.rows.map((r) => String(r.id)));
    const wire = openAtKill.filter((c) => cut.has(String(c.id)));
    const [jobsHeld, progressAtKill] = [await jobsHeldBy(lockId), await progress()];
    const replacement = startWorker(`${victim.name}2`);
    kills.push({
      name: victim.name,
      pid: victim.pid,
      lockId,
      progressAtKill,
      jobsHeld,
      callsOnTheWire: wire,
      openAtKill,
      wasWorkerBefore,
      runsAfter,
      replacedBy: { name: replacement.name, pid: replacement.pid },
    });
    log(
      `SIGKILL ${victim.name} (pid ${victim.pid}, ${lockId}) at ${progressAtKill}/${options.shipments}: ` +
        `${jobsHeld} jobs held, calls on the wire: ${wire.map((c) => c.operation).join(", ") || "none"}`,
    );
  };

  try {
    for (const id of ids) await ship(id, [trackingFor(id)]);
    log(`${ids.length} shipments marked shipped`);
    const a = startWorker("A");
    const b = startWorker("B");

    // Kill 1, early: A holds a job.
    await kill(a, async (lockId) => (await progressReaches(0.03)()) && (await jobsHeldBy(lockId)) > 0, 180_000);

    // Operators while A's jobs are being released: revert synced shipments, correct the
    // tracking of shipments still waiting for their create.
    const reverted1 = pick(await idsWhere(`status = 'shipped' and sync_state = 'in_sync'`), some(0.08));
    await edit("revert a synced shipment", reverted1, revert);
    await edit("correct tracking before the create", pick(await idsWhere(`status = 'shipped' and sync_state = 'pending'`), some(0.08)), (id) =>
      ship(id, nextTracking(id)),
    );

    await waitUntil("a quarter synced", progressReaches(0.25), 240_000);
    // Re-ship half of those reverted (their cancels done or on the way); correct the
    // tracking of synced ones.
    const reshipped1 = reverted1.slice(0, Math.ceil(reverted1.length / 2));
    await edit("re-ship a reverted shipment", reshipped1, (id) =>
      ship(id, nextTracking(id)),
    );
    await edit("correct tracking of a synced shipment", pick(await idsWhere(`status = 'shipped' and sync_state = 'in_sync'`), some(0.05)), (id) =>
      ship(id, nextTracking(id)),
    );

    // Kill 2: B with a mutation of one of its jobs on the wire. Mutations are slowed for
    // the moment, so the one seen on the wire is still there when the kill lands (2 s:
    // at 500 ms a loaded machine sometimes finished the call between the look and the
    // kill; below the tests' 3 s call timeout).
    await waitUntil("two fifths synced", progressReaches(0.4), 240_000);
    const slow = MUTATIONS.map((operation) => sim.control.injectFault({ shop, operation, action: { type: "latency", ms: 2_000 } }));
    // Only a mutation whose attempt was logged after the slowing counts (the attempt is
    // logged before its call is sent): one already on its way when the rule went in is
    // not slowed and may be answered between the look and the kill.
    const attemptsBefore = Number(
      (await pool.query<{ n: string | null }>(`select max(id) as n from sync_attempts`)).rows[0]!.n ?? 0,
    );
    await kill(
      b,
      async (lockId) =>
        (await callsOnTheWire(lockId)).some((c) => MUTATIONS_LOGGED.includes(c.operation) && Number(c.id) > attemptsBefore),
      240_000,
    );
    for (const rule of slow) sim.control.clearFaults({ id: rule.id });

    // Operators once more: revert pending shipments (their creates may be on the wire),
    // correct the re-shipped ones again.
    await edit("revert a pending shipment", pick(await idsWhere(`status = 'shipped' and sync_state = 'pending'`), some(0.05)), revert);
    await edit("correct tracking again", pick(reshipped1, Math.ceil(reshipped1.length / 2)), (id) =>
      ship(id, nextTracking(id)),
    );

    // Near the end, when a cancel leaves soon after its revert: revert synced shipments
    // and re-ship each while its cancel is on the wire.
    await waitUntil("most synced", progressReaches(0.85), 300_000);
    const flipped = pick(await idsWhere(`status = 'shipped' and sync_state = 'in_sync'`), some(0.05));
    await edit("revert a synced shipment", flipped, revert);
    await reshipAsCancelsLeave(flipped);

    const settleFrom = Date.now();
    await waitUntil(
      "quiescence",
      async () =>
        (
          await pool.query(
            `select 1 from shipments where id = any($1::bigint[]) and sync_state = 'pending'
             union all
             select 1 from graphile_worker.jobs where key = any($2::text[])
             limit 1`,
            [ids, ids.map((id) => `sync-shipment:${id}`)],
          )
        ).rowCount === 0,
      options.settleTimeoutMs ?? 600_000,
    );
    const settleMs = Date.now() - settleFrom;
    log("quiescence");
    sim.control.clearFaults({ shop });

    const report = await measure({ pool, sim, shop, ids, orderIds, intent });
    const fired = sim.control.faultLog().slice(faultsBefore).filter((f) => f.action.type !== "latency");
    const faultsFired: Record<string, number> = {};
    for (const entry of fired) faultsFired[faultKindName(entry.action)] = (faultsFired[faultKindName(entry.action)] ?? 0) + 1;
    const cutIds = kills.flatMap((k) => k.callsOnTheWire.map((c) => c.id));
    const cutCallsSettled = Number(
      (
        await pool.query<{ n: string }>(`select count(*) as n from sync_attempts where id = any($1::bigint[]) and outcome is not null`, [
          cutIds,
        ])
      ).rows[0]!.n,
    );
    return {
      ...report,
      shipments: ids.length,
      orders,
      faultRate: options.faultRate,
      faultsFired,
      callsToShopify: sim.control.requestLog({ shop }).length - logBefore,
      kills,
      edits,
      cutCallsSettled,
      wallMs: Date.now() - started,
      settleMs,
      timeline,
    };
  } finally {
    sim.control.clearFaults({ shop });
    for (const worker of workers) if (isWorkerProcess(worker.pid)) worker.child.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
  }
}

/** Every shipment, Shopify and the attempt log against the operators' last intent. */
async function measure(input: {
  pool: Pool;
  sim: Simulator;
  shop: string;
  ids: number[];
  orderIds: string[];
  intent: Map<number, Intent>;
}) {
  const { pool, sim, shop, ids, intent } = input;
  const rows = (
    await pool.query<{
      id: string;
      status: string;
      sync_state: string;
      tracking_numbers: string[];
      shopify_fulfillment_id: string | null;
      last_error_message: string | null;
      line_item_id: string;
    }>(
      `select s.id, s.status, s.sync_state, s.tracking_numbers, s.shopify_fulfillment_id, s.last_error_message,
              li.line_item_id
         from shipments s
         join shipment_line_items sli on sli.shipment_id = s.id
         join line_items li on li.id = sli.line_item_id
        where s.id = any($1::bigint[]) order by s.id`,
      [ids],
    )
  ).rows;
  const orders = input.orderIds.map((orderId) => sim.control.getOrder({ shop, orderId }));
  const live = orders.flatMap((o) => o.fulfillments).filter((f) => f.status !== "CANCELLED");
  const linked = new Set(rows.map((r) => r.shopify_fulfillment_id).filter(Boolean));

  const verdicts: ShipmentVerdict[] = rows.map((row) => {
    const want = intent.get(Number(row.id))!;
    const holding = live
      .filter((f) => f.lines.some((l) => l.lineItemId === row.line_item_id && l.quantity > 0))
      .map((f) => ({ id: f.id, tracking: f.trackingInfo.map((t) => t.number) }));
    const same = (a: readonly (string | null)[], b: readonly string[]) => JSON.stringify(a) === JSON.stringify(b);
    let offIntent: string | null = null;
    if (row.status !== (want.shipped ? "shipped" : "unshipped")) offIntent = `status ${row.status}`;
    else if (want.shipped && !same(row.tracking_numbers, want.trackingNumbers)) offIntent = "tracking in the app";
    else if (want.shipped && (holding.length !== 1 || holding[0]!.id !== row.shopify_fulfillment_id))
      offIntent = "Shopify does not hold exactly its fulfillment";
    else if (want.shipped && !same(holding[0]!.tracking, want.trackingNumbers)) offIntent = "tracking in Shopify";
    else if (!want.shipped && (holding.length > 0 || row.shopify_fulfillment_id)) offIntent = "fulfilled in Shopify";
    return {
      id: Number(row.id),
      intent: want,
      status: row.status,
      syncState: row.sync_state,
      trackingNumbers: row.tracking_numbers,
      fulfillmentId: row.shopify_fulfillment_id,
      shopifyHolding: holding,
      lastError: row.last_error_message,
      offIntent,
    };
  });

  // A line held by more than one live fulfillment: a duplicate.
  const holders = new Map<string, number>();
  for (const f of live) for (const l of f.lines) if (l.quantity > 0) holders.set(l.lineItemId, (holders.get(l.lineItemId) ?? 0) + 1);
  const duplicates = [...holders.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);

  // A fulfillment-order line (or an order line) with more units fulfilled than it has.
  const overFulfilled: string[] = [];
  for (const order of orders) {
    const units = new Map<string, number>();
    const lineUnits = new Map<string, number>();
    for (const f of order.fulfillments.filter((x) => x.status !== "CANCELLED")) {
      for (const l of f.lines) {
        units.set(l.fulfillmentOrderLineId, (units.get(l.fulfillmentOrderLineId) ?? 0) + l.quantity);
        lineUnits.set(l.lineItemId, (lineUnits.get(l.lineItemId) ?? 0) + l.quantity);
      }
    }
    for (const fo of order.fulfillmentOrders) {
      for (const line of fo.lines) {
        if ((units.get(line.id) ?? 0) > line.totalQuantity) overFulfilled.push(`${order.name} ${line.id}`);
      }
    }
    for (const line of order.lineItems) {
      if ((lineUnits.get(line.id) ?? 0) > line.quantity) overFulfilled.push(`${order.name} ${line.id}`);
    }
  }

  const attempts = (
    await pool.query<{ open: string; unknown: string; adopted: string; found_done: string }>(
      `select count(*) filter (where outcome is null) as open,
              count(*) filter (where outcome = 'unknown') as unknown,
              count(*) filter (where outcome = 'adopted') as adopted,
              count(*) filter (where outcome = 'succeeded' and operation in ('cancel_fulfillment', 'update_tracking')
                                 and error_class = 'outcome_unknown') as found_done
         from sync_attempts where shipment_id = any($1::bigint[])`,
      [ids],
    )
  ).rows[0]!;

  const unsettled = await pool.query<ChaosReport["unsettledAttempts"][number]>(
    `select shipment_id, operation, outcome, message from sync_attempts
      where shipment_id = any($1::bigint[]) and (outcome is null or outcome = 'unknown') order by id`,
    [ids],
  );

  return {
    verdicts,
    duplicates,
    unsettledAttempts: unsettled.rows,
    orphans: live.filter((f) => !linked.has(f.id)).map((f) => f.id),
    linesOverFulfilled: [...new Set(overFulfilled)],
    failed: verdicts.filter((v) => v.syncState === "failed"),
    offIntent: verdicts.filter((v) => v.offIntent !== null || v.syncState !== "in_sync"),
    attemptsLeftOpen: Number(attempts.open),
    attemptsLeftUnknown: Number(attempts.unknown),
    adoptedLostAnswers: Number(attempts.adopted),
    lostAnswersFoundDone: Number(attempts.found_done),
  };
}

/** The figures, one per line, as `npm run chaos` prints them. */
export function formatChaosReport(report: ChaosReport): string {
  const faults = Object.entries(report.faultsFired)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ");
  const total = Object.values(report.faultsFired).reduce((a, b) => a + b, 0);
  return [
    `shipments            ${report.shipments} (${report.orders} orders × 2 vendors)`,
    `calls to Shopify     ${report.callsToShopify}`,
    `faults fired         ${total} (${faults})`,
    `kills                ${report.kills
      .map(
        (k) =>
          `${k.name} pid ${k.pid} at ${k.progressAtKill} made (${k.jobsHeld} jobs held, ${k.callsOnTheWire.length} calls on the wire) → ${k.replacedBy.name} pid ${k.replacedBy.pid}`,
      )
      .join("; ")}`,
    `operator edits       ${Object.entries(report.edits)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(", ")}`,
    `adopted lost answers ${report.adoptedLostAnswers} creates adopted, ${report.lostAnswersFoundDone} cancels/updates found done`,
    `cut calls settled    ${report.cutCallsSettled}/${report.kills.reduce((n, k) => n + k.callsOnTheWire.length, 0)}`,
    `duplicates           ${report.duplicates}`,
    `orphans              ${report.orphans.length}`,
    `lines over-fulfilled ${report.linesOverFulfilled.length}`,
    `failed               ${report.failed.length}`,
    `off-intent           ${report.offIntent.length}`,
    `attempts left open   ${report.attemptsLeftOpen} (unknown left: ${report.attemptsLeftUnknown})`,
    `wall time            ${(report.wallMs / 1000).toFixed(1)} s (settled ${(report.settleMs / 1000).toFixed(1)} s after the last edit)`,
  ].join("\n");
}
