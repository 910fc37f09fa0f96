import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_SHOP,
  startSyncWorld,
  type SyncWorld,
} from "../helpers/sync-world";
import { waitUntil } from "../helpers/wait-until";
import { testPool } from "../support/database";
import {
  BULK_HEADER,
  bulkImportRows,
  csvFile,
  seedBulkOrders,
  tableCounts,
  yamatoNumber,
} from "./helpers";
import type { SyncWorker } from "~/worker/runner.server";

// 10,000 rows end to end on the real parts: a Shift_JIS file validated against 5,000
// orders (10,000 lines) in Postgres, committed in batches, and synced by the queue worker
// to the Shopify simulator. Syncing all 10,000 takes minutes at the simulator's Plus-plan
// rate (see test/bench/import.bench.ts, which does the whole run), so this test lets the
// worker sync the first 500 and checks each of those in "Shopify"; every one of the
// 10,000 is validated, committed and queued.
const ROWS = 10_000;
const FIRST = 200_000;
const SYNCED_IN_TEST = 500;

let world: SyncWorld;
let worker: SyncWorker | null = null;

beforeAll(async () => {
  world = await startSyncWorld({ seed: 31 });
  world.sim.control.setPlan({ shop: DEMO_SHOP, plan: "plus" });
  await seedBulkOrders(testPool(), DEMO_SHOP, {
    orders: ROWS / 2,
    vendorsPerOrder: 2,
    firstOrderNumber: FIRST,
    sim: world.sim,
    // Three orders in four have an unshipped shipment per line; the fourth has none.
    unshippedShipments: (n) => n % 4 !== 0,
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await world.close();
});

describe("an import of 10,000 rows", () => {
  it("is validated, committed and queued in full, and syncs through the simulator", async () => {
    const { previewImport } = await import("~/imports/preview.server");
    const { commitImport } = await import("~/imports/commit.server");
    const { importProgress, listImportRows } =
      await import("~/imports/store.server");
    const { getPool } = await import("~/db.server");

    const bytes = csvFile(
      [BULK_HEADER, ...bulkImportRows(FIRST, ROWS / 2, 2)],
      { encoding: "cp932" },
    );
    const before = await tableCounts(testPool());

    let started = performance.now();
    const preview = await previewImport(getPool(), DEMO_SHOP, {
      fileName: "追跡番号_10000.csv",
      bytes,
      carrierContext: { locale: "ja" },
    });
    const validationSeconds = (performance.now() - started) / 1000;
    expect(preview).toMatchObject({
      ok: true,
      rowCount: ROWS,
      validCount: ROWS,
    });
    if (!preview.ok) return;
    // The dry run wrote the preview only.
    const afterPreview = await tableCounts(testPool());
    expect(afterPreview).toMatchObject({
      imports: before.imports + 1,
      import_rows: before.import_rows + ROWS,
      shipments: before.shipments,
      shipped: before.shipped,
      jobs: before.jobs,
    });

    started = performance.now();
    const commit = await commitImport(getPool(), DEMO_SHOP, preview.importId);
    const commitSeconds = (performance.now() - started) / 1000;
    // 3,750 orders × 2 lines had unshipped shipments; 1,250 × 2 lines get new ones.
    expect(commit).toEqual({
      ok: true,
      committed: ROWS,
      created: 2_500,
      marked: 7_500,
    });
    console.info(
      `10,000 rows: validation ${validationSeconds.toFixed(2)} s, commit ${commitSeconds.toFixed(2)} s`,
    );

    const afterCommit = await tableCounts(testPool());
    expect(afterCommit.shipments - before.shipments).toBe(2_500);
    expect(afterCommit.shipped - before.shipped).toBe(ROWS);
    const pending = await testPool().query<{ n: number; jobs: number }>(
      `select count(*)::int as n,
              count(*) filter (where exists (select 1 from graphile_worker.jobs j
                                              where j.key = 'sync-shipment:' || s.id))::int as jobs
         from shipments s
        where s.shop = $1 and s.order_name >= $2 and s.status = 'shipped' and s.sync_state = 'pending'
          and s.pending_operation = 'create_fulfillment'`,
      [DEMO_SHOP, `#${FIRST}`],
    );
    expect(pending.rows[0]).toEqual({ n: ROWS, jobs: ROWS });
    // Every row records the shipment it wrote.
    const unlinked = await testPool().query<{ n: number }>(
      `select count(*)::int as n from import_rows where import_id = $1 and shipment_id is null`,
      [preview.importId],
    );
    expect(unlinked.rows[0].n).toBe(0);

    // Sync: the queue worker against the simulator.
    const { startSyncWorker } = await import("~/worker/runner.server");
    const { loadOfflineSession } =
      await import("~/offline-session.server");
    started = performance.now();
    worker = await startSyncWorker({
      pool: getPool(),
      loadSession: loadOfflineSession,
      concurrency: 8,
    });
    let progress = await importProgress(getPool(), DEMO_SHOP, preview.importId);
    await waitUntil(
      () => `${SYNCED_IN_TEST} synced (${progress.synced} were)`,
      async () => {
        progress = await importProgress(getPool(), DEMO_SHOP, preview.importId);
        return progress.synced >= SYNCED_IN_TEST;
      },
      90_000,
      250,
    );
    await worker.stop();
    worker = null;
    progress = await importProgress(getPool(), DEMO_SHOP, preview.importId);
    console.info(
      `synced ${progress.synced} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(progress.failed).toBe(0);
    expect(progress.synced + progress.pending).toBe(ROWS);

    // Each synced shipment is exactly one fulfillment in "Shopify", with its tracking and lines.
    const synced = await testPool().query<{
      order_id: string;
      shopify_fulfillment_id: string;
      tracking_numbers: string[];
      carrier: string;
      line_item_id: string;
      quantity: number;
    }>(
      `select s.order_id, s.shopify_fulfillment_id, s.tracking_numbers, s.carrier, li.line_item_id, sli.quantity
         from import_rows r
         join shipments s on s.id = r.shipment_id
         join shipment_line_items sli on sli.shipment_id = s.id
         join line_items li on li.id = sli.line_item_id
        where r.import_id = $1 and s.sync_state = 'in_sync'`,
      [preview.importId],
    );
    expect(synced.rows.length).toBeGreaterThanOrEqual(SYNCED_IN_TEST);
    for (const row of synced.rows) {
      const order = world.sim.control.getOrder({
        shop: DEMO_SHOP,
        orderId: row.order_id,
      });
      const mine = order.fulfillments.filter((f) =>
        f.trackingInfo.some((t) => t.number === row.tracking_numbers[0]),
      );
      expect(mine.map((f) => f.id)).toEqual([row.shopify_fulfillment_id]);
      expect(mine[0].trackingInfo[0].company).toBe("Yamato (JA)");
      expect(mine[0].lines).toEqual([
        expect.objectContaining({
          lineItemId: row.line_item_id,
          quantity: row.quantity,
        }),
      ]);
      const seq = Number(row.line_item_id.split("/").pop());
      expect(row.tracking_numbers).toEqual([yamatoNumber(seq)]);
    }

    // The import page's rows show the outcome per row.
    const page = await listImportRows(getPool(), DEMO_SHOP, preview.importId, {
      filter: "all",
      limit: 5,
    });
    expect(page.rows.every((r) => r.committed && r.shipment !== null)).toBe(
      true,
    );
  }, 240_000);
});
