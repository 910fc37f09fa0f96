import { parseCrontab, run as runWorker, type Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  shipmentRow,
  startSyncWorld,
  type SyncWorld,
} from "../helpers/sync-world";
import { testPool } from "../support/database";
import { cancelInShopifyAdmin } from "./fixtures";

// The periodic reconcile as the worker would run it: reconcileTaskList registered with
// graphile-worker exactly as app/worker/runner.server.ts is asked to, a job queued, and
// the drift in the simulator repaired by the worker.
let world: SyncWorld;
let runner: Runner | undefined;

beforeAll(async () => {
  world = await startSyncWorld();
});

afterAll(async () => {
  await runner?.stop();
  await world.close();
});

describe("reconcileTaskList", () => {
  it("the suggested crontab line parses", () => {
    expect(parseCrontab("15 * * * * reconcile_shops ?max=1")).toHaveLength(1);
  });

  it("reconcile_shops, run by graphile-worker, repairs every installed shop's drift and prunes the webhook log", async () => {
    const { getPool } = await import("~/db.server");
    const { loadOfflineSession } =
      await import("~/offline-session.server");
    const { sharedPacer } = await import("~/shopify/paced-query.server");
    const { reconcileTaskList } = await import("~/reconcile/reconcile.server");
    const { quietLogger } = await import("~/worker/queue-schema.server");
    const pool = getPool();

    // A shipment the demo seed shipped and synced, cancelled in Shopify admin since.
    const { rows } = await testPool().query<{
      id: string;
      shopify_fulfillment_id: string;
    }>(
      `select id, shopify_fulfillment_id from shipments
        where shop = $1 and shopify_fulfillment_id is not null order by id limit 1`,
      [world.shop],
    );
    const shipment = rows[0]!;
    await cancelInShopifyAdmin(world, shipment.shopify_fulfillment_id);
    await testPool().query(
      `insert into webhook_events (shop, topic, webhook_id, outcome, received_at)
       values ($1, 'orders/create', 'ancient', 'applied', now() - interval '40 days'),
              ($1, 'orders/create', 'recent', 'applied', now())`,
      [world.shop],
    );

    runner = await runWorker({
      pgPool: pool,
      concurrency: 1,
      noHandleSignals: true,
      pollInterval: 200,
      logger: quietLogger(),
      taskList: reconcileTaskList({
        pool,
        loadSession: loadOfflineSession,
        pacer: sharedPacer(),
      }),
    });
    await testPool().query(
      `select graphile_worker.add_job('reconcile_shops', '{}'::json)`,
    );

    const deadline = Date.now() + 20_000;
    let run:
      | {
          status: string;
          repaired: number;
          report: { drift: { kind: string; shipmentId: number }[] };
        }
      | undefined;
    while (Date.now() < deadline) {
      const found = await testPool().query(
        `select status, repaired, report from reconcile_runs where shop = $1 and trigger = 'scheduled' and status <> 'running'`,
        [world.shop],
      );
      run = found.rows[0];
      const left = await testPool().query(
        `select 1 from graphile_worker.jobs where task_identifier = 'reconcile_shops'`,
      );
      if (run && left.rowCount === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await runner.stop();
    runner = undefined;

    expect(run).toMatchObject({ status: "completed", repaired: 1 });
    expect(run!.report.drift).toEqual([
      expect.objectContaining({
        shipmentId: Number(shipment.id),
        kind: "fulfillment_cancelled",
      }),
    ]);
    expect(await shipmentRow(Number(shipment.id))).toMatchObject({
      status: "unshipped",
      shopify_fulfillment_id: null,
    });
    const events = await testPool().query(
      `select webhook_id from webhook_events where shop = $1 order by id`,
      [world.shop],
    );
    expect(events.rows).toEqual([{ webhook_id: "recent" }]);
  });
});
