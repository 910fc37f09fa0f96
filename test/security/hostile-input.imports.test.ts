import fc from "fast-check";
import iconv from "iconv-lite";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_APP, setTestAppEnv } from "../helpers/app-env";
import { fetchRequest, routeArgs } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { csvFile, seedBulkOrders, yamatoNumber } from "../imports/helpers";
import { testPool } from "../support/database";
import { answerOf, databaseSnapshot, expectRefused, HOSTILE_COVERAGE, type HostileCase } from "./hostile";
import type * as UploadRoute from "~/routes/app.imports._index";
import type * as ImportRoute from "~/routes/app.imports.$id";
import type * as FailedCsvRoute from "~/routes/app.imports.$id.failed[.]csv";
import type * as TemplateRoute from "~/routes/app.imports.template[.]csv";

/**
 * Hostile input on the CSV import's routes (issue 15): the upload, an import's page and
 * its actions, the failed-rows export and the template, called through the real
 * authenticate.admin with signed session tokens. Files that cannot be a shipment list —
 * empty, binary, UTF-16, not CSV, too wide (65,000 empty columns a row), too large
 * (chunked, no length), random bytes — and ids that are not ids or are another shop's,
 * each get a 4xx with their own message in both languages, and nothing in the database
 * changes.
 */
const SHOP_A = "hostile-imports-a.myshopify.com";
const SHOP_B = "hostile-imports-b.myshopify.com";
const FIRST = 6100;
const HEADER = ["注文番号", "SKU", "数量", "追跡番号", "配送業者"];

const r = {} as {
  upload: typeof UploadRoute;
  detail: typeof ImportRoute;
  failedCsv: typeof FailedCsvRoute;
  template: typeof TemplateRoute;
  closeDatabase: () => Promise<void>;
};
let importA = 0;
let importB = 0;

beforeAll(async () => {
  setTestAppEnv();
  Object.assign(r, {
    upload: await import("~/routes/app.imports._index"),
    detail: await import("~/routes/app.imports.$id"),
    failedCsv: await import("~/routes/app.imports.$id.failed[.]csv"),
    template: await import("~/routes/app.imports.template[.]csv"),
    closeDatabase: (await import("~/db.server")).closeDatabase,
  });
  const { sessionStorage } = await import("~/shopify.server");
  // The country is known: no upload asks Shopify for it.
  await testPool().query(`insert into shops (shop, country_code) values ($1, 'JP'), ($2, 'JP')`, [SHOP_A, SHOP_B]);
  for (const shop of [SHOP_A, SHOP_B]) {
    await sessionStorage.storeSession(
      new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: `shpat_${shop}`, scope: TEST_APP.scopes.join(",") }),
    );
    await seedBulkOrders(testPool(), shop, { orders: 3, vendorsPerOrder: 2, firstOrderNumber: FIRST });
  }
  const { previewImport } = await import("~/imports/preview.server");
  const file = csvFile([HEADER, [`#${FIRST}`, "SKU-0", "1", yamatoNumber(1), "ヤマト運輸"], [`#${FIRST}`, "SKU-9", "1", yamatoNumber(2), "ヤマト運輸"]]);
  const a = await previewImport(testPool(), SHOP_A, { fileName: "a.csv", bytes: file });
  const b = await previewImport(testPool(), SHOP_B, { fileName: "b.csv", bytes: file });
  if (!a.ok || !b.ok) throw new Error("previews");
  importA = a.importId;
  importB = b.importId;
});

afterAll(async () => {
  await r.closeDatabase();
});

const token = () => signSessionToken({ shop: SHOP_A });

function uploadOf(bytes: Uint8Array, options: { name?: string; field?: string } = {}) {
  const body = new FormData();
  body.set(options.field ?? "file", new File([new Uint8Array(bytes)], options.name ?? "tracking.csv", { type: "text/csv" }));
  return () => r.upload.action(routeArgs(fetchRequest("/app/imports", token(), { method: "POST", body })));
}

/** A chunked body (no Content-Length) of `total` bytes, made as it is read. */
function chunkedUpload(total: number) {
  const boundary = "hostile-boundary";
  const head = new TextEncoder().encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER.join(",")}\r\n`,
  );
  const line = new TextEncoder().encode(`#${FIRST},SKU-0,1,${yamatoNumber(3)},ヤマト運輸\r\n`);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(head);
      if (sent >= total) return controller.close();
      const chunk = new Uint8Array(line.length * 1000);
      for (let i = 0; i < 1000; i++) chunk.set(line, i * line.length);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return () =>
    r.upload.action(
      routeArgs(
        fetchRequest("/app/imports", token(), {
          method: "POST",
          body,
          headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
          duplex: "half",
        } as RequestInit),
      ),
    );
}

const text = (s: string) => new TextEncoder().encode(s);

describe("the upload (app.imports._index)", () => {
  it("covers every import route module (upload, page, export, template)", () => {
    expect(Object.entries(HOSTILE_COVERAGE).filter(([, area]) => area === "imports").map(([file]) => file).sort()).toEqual(
      ["app.imports._index.tsx", "app.imports.$id.tsx", "app.imports.$id.failed[.]csv.tsx", "app.imports.template[.]csv.tsx"].sort(),
    );
  });

  it("refuses every file that cannot be a shipment list with 4xx and its own message, storing nothing", async () => {
    const good = `${HEADER.join(",")}\r\n#${FIRST},SKU-0,1,${yamatoNumber(4)},ヤマト運輸\r\n`;
    const cases: HostileCase[] = [
      { name: "not multipart", call: () => r.upload.action(routeArgs(fetchRequest("/app/imports", token(), { method: "POST", body: "file=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } }))), status: 400, message: /CSV ファイルを選択してください/ },
      { name: "no file field", call: uploadOf(text(good), { field: "attachment" }), status: 400, message: /CSV ファイルを選択してください/ },
      { name: "an empty file", call: uploadOf(new Uint8Array()), status: 400, message: /ファイルが空です/ },
      { name: "an .xlsx", call: uploadOf(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])), status: 400, message: /CSV ファイルではありません \(Excel ブック/ },
      { name: "a PNG", call: uploadOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10])), status: 400, message: /画像ファイル/ },
      { name: "UTF-16", call: uploadOf(new Uint8Array([0xff, 0xfe, 0x41, 0x00])), status: 400, message: /UTF-16/ },
      { name: "bytes of no encoding", call: uploadOf(new Uint8Array([...text(`${HEADER.join(",")}\n#1,A,1,1,`), 0x81, 0x7f, 0xff, 0x0a])), status: 400, message: /文字コードを読み取れません/ },
      { name: "65,000 empty columns in the header", call: uploadOf(text(`${HEADER.join(",")}${",".repeat(65_000)}\r\n#1,A,1,1,ヤマト\r\n`)), status: 400, message: /1 行目の列が多すぎます \(65,005 列\)。読み込めるのは 200 列まで/ },
      { name: "65,000 empty columns in every row", call: uploadOf(text(`${HEADER.join(",")}\r\n${`#${FIRST},SKU-0,1,${yamatoNumber(5)},ヤマト運輸${",".repeat(65_000)}\r\n`.repeat(40)}`)), status: 400, message: /2 行目の列が多すぎます/ },
      { name: "201 columns in one row of many", call: uploadOf(text(`${HEADER.join(",")}\r\n#${FIRST},SKU-0,1,${yamatoNumber(6)},ヤマト運輸\r\n#${FIRST},SKU-1,1,${yamatoNumber(7)},ヤマト運輸${",".repeat(196)}\r\n`)), status: 400, message: /3 行目の列が多すぎます \(201 列\)/ },
      { name: "a header only", call: uploadOf(text(`${HEADER.join(",")}\r\n`)), status: 400, message: /データ行がありません/ },
      { name: "no tracking column", call: uploadOf(text("注文番号,SKU,配送業者\r\n#1,A,ヤマト\r\n")), status: 400, message: /必要な列がありません: 追跡番号/ },
      { name: "two order columns", call: uploadOf(text(`注文番号,Order name,${HEADER.slice(1).join(",")}\r\n#1,#1,A,1,1,ヤマト\r\n`)), status: 400, message: /同じ項目の列が 2 つあります/ },
      { name: "a quote never closed", call: uploadOf(text(`${HEADER.join(",")}\r\n"#1,A,1,1,ヤマト\r\n`)), status: 400, message: /CSV の形式が正しくありません/ },
      { name: "a CP932 file of garbage columns", call: uploadOf(new Uint8Array(iconv.encode("氏名,住所,電話\r\n山田,東京,03\r\n", "cp932"))), status: 400, message: /必要な列がありません/ },
      { name: "300 MB, chunked, no length", call: chunkedUpload(300 * 1024 * 1024), status: 413, message: /上限は 10 MB です/ },
    ];
    for (const c of cases) await expectRefused(c);
  }, 120_000);

  it("random bytes are refused with a 4xx and a message, never a 500, never stored (property)", async () => {
    const before = await databaseSnapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 2_000 }),
          // Text with the needed header's words shuffled among others.
          fc
            .array(fc.constantFrom("注文番号", "SKU", "追跡番号", "配送業者", "氏名", "", '"', ",", "\n", "\r", "=1+1", "\u0000"), { maxLength: 40 })
            .map((parts) => text(parts.join(""))),
        ),
        async (bytes) => {
          const answer = await answerOf(uploadOf(bytes));
          if (answer.status === 302) return; // a readable shipment list: previewed (checked below)
          expect(answer.status, answer.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          const body = JSON.parse(answer.text) as { error: { ja: string; en: string }; code: string };
          expect(body.error.ja.length).toBeGreaterThan(5);
          expect(body.error.en.length).toBeGreaterThan(5);
        },
      ),
      { numRuns: 80 },
    );
    const after = await databaseSnapshot();
    // Only readable lists may have added a preview; random input never does in practice.
    expect(after.imports).toEqual(before.imports);
    expect(after.import_rows).toEqual(before.import_rows);
  }, 120_000);
});

describe("an import's page, actions and export (app.imports.$id, failed.csv)", () => {
  const NOT_FOUND = /この取り込みは見つかりません/;
  const ids = (): [string, string][] => [
    ["letters", "abc"],
    ["zero", "0"],
    ["an exponent", "1e3"],
    ["16 digits", "1".repeat(16)],
    ["another shop's", String(importB)],
  ];

  it("answers ids it cannot use, and another shop's import, with 404 everywhere", async () => {
    const cases: HostileCase[] = [];
    for (const [what, id] of ids()) {
      cases.push(
        { name: `page, ${what}`, call: () => r.detail.loader(routeArgs(fetchRequest(`/app/imports/${id}`, token()), { id })), status: 404, message: NOT_FOUND },
        { name: `export, ${what}`, call: () => r.failedCsv.loader(routeArgs(fetchRequest(`/app/imports/${id}/failed.csv`, token()), { id })), status: 404, message: NOT_FOUND },
      );
      for (const intent of ["commit", "retry_failed"]) {
        const body = new FormData();
        body.set("intent", intent);
        cases.push({
          name: `${intent}, ${what}`,
          call: () => r.detail.action(routeArgs(fetchRequest(`/app/imports/${id}`, token(), { method: "POST", body }), { id })),
          status: 404,
          message: NOT_FOUND,
        });
      }
    }
    cases.push({
      name: "page, en",
      call: () => r.detail.loader(routeArgs(fetchRequest(`/app/imports/${importB}?locale=en`, token()), { id: String(importB) })),
      status: 404,
      message: /This import was not found/,
    });
    for (const c of cases) await expectRefused(c);
  });

  it("refuses a page number it never wrote, an unknown action and an oversized body", async () => {
    const id = String(importA);
    const page = (query: string) => () => r.detail.loader(routeArgs(fetchRequest(`/app/imports/${id}${query}`, token()), { id }));
    const act = (body: FormData | string, headers: Record<string, string> = {}) => () =>
      r.detail.action(routeArgs(fetchRequest(`/app/imports/${id}`, token(), { method: "POST", body, headers }), { id }));
    const drop = new FormData();
    drop.set("intent", "delete_everything");
    const cases: HostileCase[] = [
      { name: "page=abc", call: page("?page=abc"), status: 400, message: /ページ番号（page）が正しくありません: abc/ },
      { name: "page=0", call: page("?page=0"), status: 400, message: /ページ番号（page）が正しくありません/ },
      { name: "page=-1", call: page("?page=-1"), status: 400, message: /ページ番号（page）が正しくありません/ },
      { name: "page=10001 (en)", call: page("?page=10001&locale=en"), status: 400, message: /The page number \(page\) is not valid: 10001/ },
      { name: "page as markup", call: page("?page=%3Cscript%3E"), status: 400, message: /&lt;script&gt;/ },
      { name: "unknown intent", call: act(drop), status: 400, message: /不明な操作です/ },
      { name: "oversized body", call: act(`intent=commit&x=${"a".repeat(300 * 1024)}`, { "Content-Type": "application/x-www-form-urlencoded" }), status: 413, message: /リクエストの本文が大きすぎます/ },
    ];
    for (const c of cases) await expectRefused(c);
    // An unknown filter opens all rows (a stale bookmark still works): not a refusal.
    expect((await answerOf(page("?filter=bogus"))).status).toBe(200);
  });

  it("every import route refuses a tampered session token with 401 and the retry header", async () => {
    const forged = signSessionToken({ shop: SHOP_A, secret: "not-the-app-secret" });
    const expired = signSessionToken({ shop: SHOP_A, expiresIn: -120 });
    const id = String(importA);
    for (const jwt of [forged, expired]) {
      const calls: [string, () => Promise<unknown>][] = [
        ["upload list", () => r.upload.loader(routeArgs(fetchRequest("/app/imports", jwt)))],
        ["upload", () => r.upload.action(routeArgs(fetchRequest("/app/imports", jwt, { method: "POST", body: new FormData() })))],
        ["page", () => r.detail.loader(routeArgs(fetchRequest(`/app/imports/${id}`, jwt), { id }))],
        ["commit", () => r.detail.action(routeArgs(fetchRequest(`/app/imports/${id}`, jwt, { method: "POST", body: new URLSearchParams({ intent: "commit" }) }), { id }))],
        ["export", () => r.failedCsv.loader(routeArgs(fetchRequest(`/app/imports/${id}/failed.csv`, jwt), { id }))],
        ["template", () => r.template.loader(routeArgs(fetchRequest("/app/imports/template.csv", jwt)))],
      ];
      for (const [name, call] of calls)
        await expectRefused({ name, call, status: 401, header: "X-Shopify-Retry-Invalid-Session-Request", message: /^1$/ });
    }
  });
});
