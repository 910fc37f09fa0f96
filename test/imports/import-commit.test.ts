import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { storedText } from "~/i18n/messages";
import { commitImport, isCommitRunning } from "~/imports/commit.server";
import { previewImport } from "~/imports/preview.server";
import {
  failedRows,
  getImport,
  importProgress,
  listImportRows,
} from "~/imports/store.server";
import { markShipped } from "~/shipments/shipment-commands.server";
import { testPool } from "../support/database";
import {
  BULK_HEADER,
  csvFile,
  seedBulkOrders,
  tableCounts,
  yamatoNumber,
} from "./helpers";

// The dry run and the commit on a real Postgres: what the preview stores, what the commit
// writes (and when it refuses), the outbox jobs it leaves. No Shopify here: the sync is
// test/imports/import-10k.e2e.test.ts's business.
const SHOP = "import-commit.myshopify.com";
const OTHER = "someone-else.myshopify.com";
let nextOrder = 1000;

beforeAll(async () => {
  await testPool().query(`insert into shops (shop) values ($1), ($2)`, [
    SHOP,
    OTHER,
  ]);
});

/** Fresh orders for each test: `count` orders with 2 lines each (SKU-0 ×1, SKU-1 ×2). */
async function orders(count: number, unshipped: boolean) {
  const first = nextOrder;
  nextOrder += count;
  await seedBulkOrders(testPool(), SHOP, {
    orders: count,
    vendorsPerOrder: 2,
    firstOrderNumber: first,
    unshippedShipments: () => unshipped,
  });
  return Array.from({ length: count }, (_, i) => first + i);
}

function preview(rows: string[][], shop = SHOP, header = BULK_HEADER) {
  return previewImport(testPool(), shop, {
    fileName: "tracking.csv",
    bytes: csvFile([header, ...rows]),
  });
}

async function shipment(id: number) {
  const result = await testPool().query(
    `select s.*, array(select li.sku || '×' || sli.quantity from shipment_line_items sli
                         join line_items li on li.id = sli.line_item_id
                        where sli.shipment_id = s.id order by li.sku) as lines
       from shipments s where s.id = $1`,
    [id],
  );
  return result.rows[0];
}

async function unshippedShipmentOf(
  orderNumber: number,
  sku: string,
): Promise<number> {
  const result = await testPool().query<{ id: string }>(
    `select s.id from shipments s join shipment_line_items sli on sli.shipment_id = s.id
       join line_items li on li.id = sli.line_item_id
      where s.shop = $1 and s.order_name = $2 and li.sku = $3`,
    [SHOP, `#${orderNumber}`, sku],
  );
  return Number(result.rows[0].id);
}

beforeEach(async () => {
  await testPool().query("delete from imports");
});

describe("the dry run", () => {
  it("stores what the operator is shown and writes nothing to shipments", async () => {
    const [a, b] = await orders(2, true);
    const before = await tableCounts(testPool());
    const result = await preview([
      [`#${a}`, "SKU-0", "", "1234-5678-9012", "ヤマト運輸", "", "はい"],
      [`${b}`, "SKU-1", "3", yamatoNumber(1), "佐川", "", ""],
      [`#${b}`, "SKU-9", "", yamatoNumber(2), "佐川", "", ""],
    ]);
    expect(result).toMatchObject({ ok: true, rowCount: 3, validCount: 1 });
    if (!result.ok) return;
    const after = await tableCounts(testPool());
    expect(after).toMatchObject({
      imports: before.imports + 1,
      import_rows: before.import_rows + 3,
      shipments: before.shipments,
      shipped: before.shipped,
      jobs: before.jobs,
    });

    const summary = await getImport(testPool(), SHOP, result.importId);
    expect(summary).toMatchObject({
      status: "previewed",
      encoding: "utf-8",
      rowCount: 3,
      validCount: 1,
      errorCount: 2,
      warningCount: 1,
    });
    const notice = summary!.notices[0]!;
    expect({ ja: storedText("ja", notice), en: storedText("en", notice) }).toEqual({
      ja: "文字コード: UTF-8",
      en: "Encoding: UTF-8",
    });

    const { rows } = await listImportRows(testPool(), SHOP, result.importId);
    expect(rows[0]).toMatchObject({
      rowNumber: 2,
      orderName: `#${a}`,
      sku: "SKU-0",
      quantity: 1,
      trackingNumbers: ["123456789012"],
      carrier: "Yamato (JA)",
      plannedShipmentId: await unshippedShipmentOf(a, "SKU-0"),
      errors: [],
      committed: false,
      shipment: null,
    });
    expect(storedText("ja", rows[0].warnings[0])).toContain("チェックデジット");
    expect(rows[1].errors.map((e) => e.code)).toEqual(["quantity_exceeds"]);
    expect(storedText("ja", rows[1].errors[0].message)).toContain(
      `未発送の出荷 #${await unshippedShipmentOf(b, "SKU-1")}`,
    );
    expect(rows[2].errors[0]).toMatchObject({ code: "sku_not_found" });
    expect(storedText("en", rows[2].errors[0].message)).toContain('no item with SKU "SKU-9"');
    // The row's mapped cells are kept verbatim, by column (empty ones left out).
    expect(rows[1].cells).toEqual({
      "0": `${b}`,
      "1": "SKU-1",
      "2": "3",
      "3": yamatoNumber(1),
      "4": "佐川",
    });
  });

  it("is scoped by shop: another shop's preview of the same file finds nothing", async () => {
    const [a] = await orders(1, false);
    const result = await preview(
      [[`#${a}`, "SKU-0", "", yamatoNumber(5), "ヤマト", "", ""]],
      OTHER,
    );
    expect(result).toMatchObject({ ok: true, validCount: 0 });
    if (!result.ok) return;
    const { rows } = await listImportRows(testPool(), OTHER, result.importId);
    expect(rows[0].errors[0].code).toBe("order_not_found");
    expect(await getImport(testPool(), SHOP, result.importId)).toBeNull();
  });
});

describe("the commit", () => {
  it("writes exactly the previewed rows: marks matching unshipped shipments, creates the rest, queues every sync", async () => {
    const [a] = await orders(1, true);
    const [c] = await orders(1, false);
    const claimed = await unshippedShipmentOf(a, "SKU-0");
    const untouched = await unshippedShipmentOf(a, "SKU-1");
    const result = await preview([
      [
        `#${a}`,
        "SKU-0",
        "",
        yamatoNumber(10),
        "ヤマト運輸",
        "https://track.example/10",
        "はい",
      ],
      [`#${c}`, "SKU-0", "", yamatoNumber(11), "佐川急便", "", ""],
      [`#${c}`, "SKU-1", "1", yamatoNumber(11), "佐川急便", "", ""],
      [`#${c}`, "SKU-1", "1", yamatoNumber(12), "日本郵便", "", ""],
      [`#${c}`, "SKU-1", "1", yamatoNumber(13), "日本郵便", "", ""], // nothing left: an error row
    ]);
    expect(result).toMatchObject({ ok: true, validCount: 4 });
    if (!result.ok) return;
    const before = await tableCounts(testPool());

    const outcome = await commitImport(testPool(), SHOP, result.importId);
    expect(outcome).toEqual({ ok: true, committed: 4, created: 3, marked: 1 });

    expect(await shipment(claimed)).toMatchObject({
      status: "shipped",
      sync_state: "pending",
      pending_operation: "create_fulfillment",
      tracking_numbers: [yamatoNumber(10)],
      carrier: "Yamato (JA)",
      tracking_url: "https://track.example/10",
      notify_customer: true,
      lines: ["SKU-0×1"],
    });
    expect(await shipment(untouched)).toMatchObject({
      status: "unshipped",
      sync_state: "in_sync",
    });

    const { rows } = await listImportRows(testPool(), SHOP, result.importId);
    expect(rows.map((r) => r.committed)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(rows[0].shipment?.id).toBe(claimed);
    // Rows 3 and 4 share a tracking number but not a vendor (SKU-0 and SKU-1 come from
    // different vendors): two shipments; row 5 is another parcel: a third.
    const created = [
      rows[1].shipment!.id,
      rows[2].shipment!.id,
      rows[3].shipment!.id,
    ];
    expect(new Set(created).size).toBe(3);
    expect(await shipment(rows[1].shipment!.id)).toMatchObject({
      order_name: `#${c}`,
      vendor: "有田焼 窯元まるぶん",
      status: "shipped",
      sync_state: "pending",
      pending_operation: "create_fulfillment",
      carrier: "Sagawa (JA)",
      lines: ["SKU-0×1"],
    });
    expect(await shipment(rows[3].shipment!.id)).toMatchObject({
      carrier: "Japan Post (JA)",
      lines: ["SKU-1×1"],
    });

    const after = await tableCounts(testPool());
    expect(after.shipments - before.shipments).toBe(3);
    expect(after.shipped - before.shipped).toBe(4);
    // The outbox trigger queued one job per shipment made pending, in the same transactions.
    const jobs = await testPool().query<{ key: string }>(
      `select key from graphile_worker.jobs where key = any($1::text[])`,
      [[claimed, ...created].map((id) => `sync-shipment:${id}`)],
    );
    expect(jobs.rows).toHaveLength(4);

    expect(await getImport(testPool(), SHOP, result.importId)).toMatchObject({
      status: "committed",
      committedCount: 4,
      shipmentsCreated: 3,
      shipmentsMarked: 1,
    });
    expect(await importProgress(testPool(), SHOP, result.importId)).toEqual({
      shipments: 4,
      synced: 0,
      pending: 4,
      failed: 0,
    });
  });

  it("groups rows of one order, vendor and tracking number into one shipment", async () => {
    await testPool().query(
      `insert into line_items (shop, order_id, order_name, line_item_id, sku, title, quantity, vendor)
       values ($1, 'gid://shopify/Order/777001', '#777001', 'gid://shopify/LineItem/77700101', 'MUG', 'マグ', 2, '窯元'),
              ($1, 'gid://shopify/Order/777001', '#777001', 'gid://shopify/LineItem/77700102', 'PLATE', '皿', 1, '窯元')`,
      [SHOP],
    );
    const result = await preview([
      ["#777001", "MUG", "", "5555-6666-7777", "ヤマト", "", ""],
      ["#777001", "PLATE", "", "555566667777", "ヤマト", "", ""],
    ]);
    if (!result.ok) throw new Error("preview");
    const outcome = await commitImport(testPool(), SHOP, result.importId);
    expect(outcome).toMatchObject({
      ok: true,
      committed: 2,
      created: 1,
      marked: 0,
    });
    const { rows } = await listImportRows(testPool(), SHOP, result.importId);
    expect(rows[0].shipment!.id).toBe(rows[1].shipment!.id);
    expect(await shipment(rows[0].shipment!.id)).toMatchObject({
      lines: ["MUG×2", "PLATE×1"],
    });
  });

  it("refuses a preview the shop's data no longer fits, and writes nothing", async () => {
    const [a] = await orders(1, true);
    const claimed = await unshippedShipmentOf(a, "SKU-0");
    const result = await preview([
      [`#${a}`, "SKU-0", "", yamatoNumber(20), "ヤマト", "", ""],
      [`#${a}`, "SKU-1", "", yamatoNumber(21), "ヤマト", "", ""],
    ]);
    if (!result.ok) throw new Error("preview");
    // Someone marks the shipment shipped in the app between the preview and the commit.
    await markShipped(testPool(), SHOP, claimed, {
      trackingNumbers: ["999999999999"],
      carrier: "Yamato (JA)",
      trackingUrl: null,
      notifyCustomer: false,
    });
    const before = await tableCounts(testPool());

    const outcome = await commitImport(testPool(), SHOP, result.importId);
    expect(outcome).toMatchObject({
      ok: false,
      reason: "changed",
      committed: 0,
    });
    expect(await tableCounts(testPool())).toEqual(before);

    const summary = await getImport(testPool(), SHOP, result.importId);
    expect(summary).toMatchObject({ status: "refused", committedCount: 0 });
    expect(storedText("ja", summary!.refusal!.message)).toContain(
      "1 行が当てはまらなくなりました",
    );
    expect(summary!.refusal!.rows).toHaveLength(1);
    expect(summary!.refusal!.rows[0].row).toBe(2);
    expect(storedText("en", summary!.refusal!.rows[0].message)).toContain("Row 2:");
    // And it stays refused: upload the file again.
    expect(await commitImport(testPool(), SHOP, result.importId)).toMatchObject(
      { ok: false, reason: "refused" },
    );
  });

  it("commits whole batches and stops at the first batch that no longer fits", async () => {
    const numbers = await orders(6, false);
    const rows = numbers.map((n, i) => [
      `#${n}`,
      "SKU-1",
      "2",
      yamatoNumber(100 + i),
      "ヤマト",
      "",
      "",
    ]);
    const result = await preview(rows);
    if (!result.ok) throw new Error("preview");
    const outcome = await commitImport(testPool(), SHOP, result.importId, {
      batchRows: 2,
      beforeBatch: async (index) => {
        if (index !== 2) return;
        // Another shipment takes a unit of the 5th row's line while batch 2 is about to run.
        await testPool().query(
          `with li as (select id, order_id, order_name from line_items
                        where shop = $1 and order_name = $2 and sku = 'SKU-1'),
                s as (insert into shipments (shop, order_id, order_name) select $1, order_id, order_name from li returning id)
           insert into shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
           select $1, li.order_id, s.id, li.id, 1 from li, s`,
          [SHOP, `#${numbers[4]}`],
        );
      },
    });
    expect(outcome).toMatchObject({
      ok: false,
      reason: "changed",
      committed: 4,
    });
    const summary = await getImport(testPool(), SHOP, result.importId);
    expect(summary).toMatchObject({ status: "refused", committedCount: 4 });
    expect(storedText("ja", summary!.refusal!.message)).toContain(
      "4 行は確定済みです",
    );
    expect(summary!.refusal!.rows.map((r) => r.row)).toEqual([6]);
    const { rows: stored } = await listImportRows(
      testPool(),
      SHOP,
      result.importId,
    );
    expect(stored.map((r) => r.committed)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it("resumes a commit that died part way, writing each row once", async () => {
    const numbers = await orders(3, true);
    const rows = numbers.map((n, i) => [
      `#${n}`,
      "SKU-0",
      "",
      yamatoNumber(200 + i),
      "ヤマト",
      "",
      "",
    ]);
    const result = await preview(rows);
    if (!result.ok) throw new Error("preview");
    await expect(
      commitImport(testPool(), SHOP, result.importId, {
        batchRows: 1,
        beforeBatch: async (index) => {
          if (index === 1) throw new Error("the process died");
        },
      }),
    ).rejects.toThrow("the process died");
    expect(await getImport(testPool(), SHOP, result.importId)).toMatchObject({
      status: "committing",
      committedCount: 1,
    });
    expect(await isCommitRunning(testPool(), result.importId)).toBe(false);

    const resumed = await commitImport(testPool(), SHOP, result.importId, {
      batchRows: 1,
    });
    expect(resumed).toEqual({ ok: true, committed: 2, created: 0, marked: 2 });
    expect(await getImport(testPool(), SHOP, result.importId)).toMatchObject({
      status: "committed",
      committedCount: 3,
    });
    const shipped = await testPool().query<{ n: number }>(
      `select count(*)::int as n from shipments where tracking_numbers && $1::text[]`,
      [rows.map((r) => r[3])],
    );
    expect(shipped.rows[0].n).toBe(3);
  });

  it("commits once: a second commit, or one running at the same time, is refused", async () => {
    const [a, b] = await orders(2, true);
    const result = await preview([
      [`#${a}`, "SKU-0", "", yamatoNumber(30), "ヤマト", "", ""],
      [`#${b}`, "SKU-0", "", yamatoNumber(31), "ヤマト", "", ""],
    ]);
    if (!result.ok) throw new Error("preview");
    const [first, second] = await Promise.all([
      commitImport(testPool(), SHOP, result.importId),
      commitImport(testPool(), SHOP, result.importId),
    ]);
    const outcomes = [first, second].map((o) => (o.ok ? "ok" : o.reason));
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
    expect(
      outcomes.filter((o) => o === "already_committed" || o === "busy"),
    ).toHaveLength(1);
    expect(await commitImport(testPool(), SHOP, result.importId)).toMatchObject(
      { reason: "already_committed" },
    );
    const shipped = await testPool().query<{ n: number }>(
      `select count(*)::int as n from shipments where tracking_numbers && $1::text[]`,
      [[yamatoNumber(30), yamatoNumber(31)]],
    );
    expect(shipped.rows[0].n).toBe(2);
  });

  it("is scoped by shop: another shop cannot commit it", async () => {
    const [a] = await orders(1, true);
    const result = await preview([
      [`#${a}`, "SKU-0", "", yamatoNumber(40), "ヤマト", "", ""],
    ]);
    if (!result.ok) throw new Error("preview");
    expect(
      await commitImport(testPool(), OTHER, result.importId),
    ).toMatchObject({ ok: false, reason: "not_found" });
    expect(await getImport(testPool(), SHOP, result.importId)).toMatchObject({
      status: "previewed",
    });
  });

  it("refuses an old preview and one with nothing valid", async () => {
    const [a] = await orders(1, true);
    const result = await preview([
      [`#${a}`, "SKU-0", "", yamatoNumber(50), "ヤマト", "", ""],
    ]);
    if (!result.ok) throw new Error("preview");
    const later = () => new Date(Date.now() + 25 * 3_600_000);
    expect(
      await commitImport(testPool(), SHOP, result.importId, { now: later }),
    ).toMatchObject({ reason: "expired" });

    const invalid = await preview([
      ["#0", "SKU-0", "", yamatoNumber(51), "ヤマト", "", ""],
    ]);
    if (!invalid.ok) throw new Error("preview");
    expect(
      await commitImport(testPool(), SHOP, invalid.importId),
    ).toMatchObject({ reason: "nothing_to_commit" });
  });

  it("finds the committed rows as already shipped when the same file is uploaded again", async () => {
    const [a] = await orders(1, true);
    const rows = [[`#${a}`, "SKU-0", "", yamatoNumber(60), "ヤマト", "", ""]];
    const first = await preview(rows);
    if (!first.ok) throw new Error("preview");
    await commitImport(testPool(), SHOP, first.importId);
    const again = await preview(rows);
    expect(again).toMatchObject({ ok: true, validCount: 0 });
    if (!again.ok) return;
    const { rows: stored } = await listImportRows(
      testPool(),
      SHOP,
      again.importId,
    );
    expect(stored[0].errors[0].code).toBe("duplicate_existing");
    const failed = await failedRows(testPool(), SHOP, again.importId);
    expect(storedText("ja", failed[0].reasons[0])).toContain("すでに発送済みです");
  });
});
