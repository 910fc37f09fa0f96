import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t, type Message } from "~/i18n/messages";
import { TEST_APP, setTestAppEnv } from "../helpers/app-env";
import { fetchRequest, routeArgs, settle } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { waitUntil } from "../helpers/wait-until";
import { testPool } from "../support/database";
import {
  BULK_HEADER,
  csvFile,
  seedBulkOrders,
  tableCounts,
  yamatoNumber,
} from "./helpers";
import type * as UploadRoute from "~/routes/app.imports._index";
import type * as ImportRoute from "~/routes/app.imports.$id";
import type * as FailedCsvRoute from "~/routes/app.imports.$id.failed[.]csv";
import type * as TemplateRoute from "~/routes/app.imports.template[.]csv";

// The import routes called as Remix calls them, with real signed session tokens:
// authentication, shop scoping, the upload's validation answers, commit, retry, export.
const SHOP_A = "imports-a.myshopify.com";
const SHOP_B = "imports-b.myshopify.com";
const FIRST = 5000;

let upload: typeof UploadRoute;
let detail: typeof ImportRoute;
let failedCsv: typeof FailedCsvRoute;
let template: typeof TemplateRoute;
let closeDatabase: () => Promise<void>;

beforeAll(async () => {
  setTestAppEnv();
  upload = await import("~/routes/app.imports._index");
  detail = await import("~/routes/app.imports.$id");
  failedCsv = await import("~/routes/app.imports.$id.failed[.]csv");
  template = await import("~/routes/app.imports.template[.]csv");
  ({ closeDatabase } = await import("~/db.server"));
  const { sessionStorage } = await import("~/shopify.server");
  await testPool().query(`insert into shops (shop) values ($1), ($2)`, [
    SHOP_A,
    SHOP_B,
  ]);
  for (const shop of [SHOP_A, SHOP_B]) {
    await sessionStorage.storeSession(
      new Session({
        id: `offline_${shop}`,
        shop,
        state: "",
        isOnline: false,
        accessToken: `shpat_${shop}`,
        scope: TEST_APP.scopes.join(","),
      }),
    );
  }
  await seedBulkOrders(testPool(), SHOP_A, {
    orders: 10,
    vendorsPerOrder: 2,
    firstOrderNumber: FIRST,
  });
});

afterAll(async () => {
  await closeDatabase();
});

function uploadRequest(
  bytes: Uint8Array,
  options: { shop?: string; token?: string | null; name?: string } = {},
) {
  const body = new FormData();
  body.set(
    "file",
    new File([new Uint8Array(bytes)], options.name ?? "tracking.csv", {
      type: "text/csv",
    }),
  );
  body.set("locale", "ja");
  const token =
    options.token === undefined
      ? signSessionToken({ shop: options.shop ?? SHOP_A })
      : options.token;
  return token
    ? fetchRequest("/app/imports", token, { method: "POST", body })
    : new Request(new URL("/app/imports", TEST_APP.appUrl), {
        method: "POST",
        body,
      });
}

async function callUpload(request: Request) {
  const settled = await settle(() => upload.action(routeArgs(request)));
  if (settled.thrown)
    return { status: settled.thrown.status, thrown: settled.thrown };
  const value = settled.value as unknown;
  if (value instanceof Response)
    return { status: value.status, response: value };
  const result = value as {
    data: { error: Message; code: string };
    init: ResponseInit | null;
  };
  return { status: result.init?.status ?? 200, body: result.data };
}

async function uploadOk(rows: string[][]): Promise<number> {
  const result = await callUpload(
    uploadRequest(csvFile([BULK_HEADER, ...rows])),
  );
  expect(result.status).toBe(302);
  const location = result.response!.headers.get("Location")!;
  const id = /\/app\/imports\/(\d+)/.exec(location)?.[1];
  expect(id).toBeDefined();
  return Number(id);
}

async function act(
  importId: number | string,
  fields: Record<string, string>,
  shop = SHOP_A,
) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  const request = fetchRequest(
    `/app/imports/${importId}`,
    signSessionToken({ shop }),
    { method: "POST", body },
  );
  const settled = await settle(() =>
    detail.action(routeArgs(request, { id: String(importId) })),
  );
  if (settled.thrown) return { status: settled.thrown.status, body: null };
  const result = settled.value as unknown as {
    data: Record<string, unknown>;
    init: ResponseInit | null;
  };
  return { status: result.init?.status ?? 200, body: result.data };
}

function load(importId: number | string, shop = SHOP_A, search = "") {
  const request = fetchRequest(
    `/app/imports/${importId}${search}`,
    signSessionToken({ shop }),
  );
  return settle(() =>
    detail.loader(routeArgs(request, { id: String(importId) })),
  );
}

/** The body with its BOM (Response.text() drops a leading BOM, as UTF-8 decoding does). */
async function bodyText(response: Response): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(
    await response.arrayBuffer(),
  );
}

const row = (
  n: number,
  sku: string,
  tracking: string,
  carrier = "ヤマト運輸",
) => [`#${n}`, sku, "", tracking, carrier, "", ""];

describe("authentication", () => {
  it("refuses an upload without a session token, or with a forged one, and writes nothing", async () => {
    const before = await tableCounts(testPool());
    const bytes = csvFile([BULK_HEADER, row(FIRST, "SKU-0", yamatoNumber(1))]);
    const anonymous = await callUpload(uploadRequest(bytes, { token: null }));
    expect(anonymous.thrown).toBeInstanceOf(Response);
    expect(anonymous.status).not.toBe(200);
    const forged = await callUpload(
      uploadRequest(bytes, {
        token: signSessionToken({ shop: SHOP_A, secret: "not-the-app-secret" }),
      }),
    );
    expect(forged.status).toBe(401);
    expect(await tableCounts(testPool())).toEqual(before);

    const expired = signSessionToken({ shop: SHOP_A, expiresIn: -120 });
    const loader = await settle(() =>
      upload.loader(routeArgs(fetchRequest("/app/imports", expired))),
    );
    expect(loader.thrown?.status).toBe(401);
  });
});

describe("upload", () => {
  it("previews a valid file and redirects to its page; the page shows the rows", async () => {
    const id = await uploadOk([
      row(FIRST, "SKU-0", yamatoNumber(1)),
      row(FIRST, "SKU-9", yamatoNumber(2)),
    ]);
    const page = await load(id);
    expect(page.value).toMatchObject({
      summary: {
        id,
        status: "previewed",
        rowCount: 2,
        validCount: 1,
        errorCount: 1,
      },
      progress: { shipments: 0 },
      query: { filter: "all", page: 1 },
    });
    expect(page.value!.rows.map((r) => r.errors.map((e) => e.code))).toEqual([
      [],
      ["sku_not_found"],
    ]);
    const errorsOnly = await load(id, SHOP_A, "?filter=errors");
    expect(errorsOnly.value!.rows.map((r) => r.rowNumber)).toEqual([3]);
    const list = await upload.loader(
      routeArgs(
        fetchRequest("/app/imports", signSessionToken({ shop: SHOP_A })),
      ),
    );
    expect(list.imports.map((i) => i.id)).toContain(id);
  });

  it("answers a file it cannot read with 400 and both languages, writing nothing", async () => {
    const before = await tableCounts(testPool());
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(), "empty"],
      [csvFile([BULK_HEADER]), "header_only"],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]), "binary"],
      [csvFile([["品名"], ["皿"]]), "missing_columns"],
    ];
    for (const [bytes, code] of cases) {
      const result = await callUpload(uploadRequest(bytes));
      expect(result.status, code).toBe(400);
      expect(result.body).toMatchObject({ code });
      expect(t("ja", result.body!.error)).toBeTruthy();
      expect(t("en", result.body!.error)).toBeTruthy();
    }
    const notMultipart = fetchRequest(
      "/app/imports",
      signSessionToken({ shop: SHOP_A }),
      {
        method: "POST",
        body: new URLSearchParams({ file: "x" }),
      },
    );
    expect(await callUpload(notMultipart)).toMatchObject({
      status: 400,
      body: { code: "upload_missing" },
    });
    expect(await tableCounts(testPool())).toEqual(before);
  });

  it("refuses a 20 MB upload with 413 while reading it, writing nothing", async () => {
    const before = await tableCounts(testPool());
    const line = `#${FIRST},SKU-0,,${yamatoNumber(3)},ヤマト運輸,,\r\n`;
    const text = `${BULK_HEADER.join(",")}\r\n${line.repeat(Math.ceil((20 * 1024 * 1024) / line.length))}`;
    const result = await callUpload(
      uploadRequest(new TextEncoder().encode(text)),
    );
    expect(result.status).toBe(413);
    expect(result.body).toMatchObject({ code: "too_large" });
    expect(t("ja", result.body!.error)).toContain("上限は 10 MB です");
    expect(await tableCounts(testPool())).toEqual(before);

    // A declared length past the limit is refused before the body is read.
    const declared = fetchRequest(
      "/app/imports",
      signSessionToken({ shop: SHOP_A }),
      {
        method: "POST",
        headers: {
          "Content-Length": String(20 * 1024 * 1024),
          "Content-Type": "multipart/form-data; boundary=x",
        },
        body: "--x--",
      },
    );
    expect(await callUpload(declared)).toMatchObject({ status: 413 });
  });
});

describe("shop scoping", () => {
  it("answers another shop's import id with 404 on the page, the actions and the export", async () => {
    const id = await uploadOk([row(FIRST + 1, "SKU-0", yamatoNumber(4))]);
    expect((await load(id, SHOP_B)).thrown?.status).toBe(404);
    expect(await act(id, { intent: "commit" }, SHOP_B)).toMatchObject({
      status: 404,
      body: { ok: false, reason: "not_found" },
    });
    expect(await act(id, { intent: "retry_failed" }, SHOP_B)).toMatchObject({
      status: 404,
    });
    const csv = await settle(() =>
      failedCsv.loader(
        routeArgs(
          fetchRequest(
            `/app/imports/${id}/failed.csv`,
            signSessionToken({ shop: SHOP_B }),
          ),
          { id: String(id) },
        ),
      ),
    );
    expect(csv.thrown?.status).toBe(404);
    expect((await load("not-a-number")).thrown?.status).toBe(404);
    // Still untouched for its own shop.
    expect((await load(id)).value!.summary.status).toBe("previewed");
    const list = await upload.loader(
      routeArgs(
        fetchRequest("/app/imports", signSessionToken({ shop: SHOP_B })),
      ),
    );
    expect(list.imports).toEqual([]);
  });
});

describe("commit, retry and export", () => {
  it("commits by id, retries the failed syncs, and exports the failed rows neutralised", async () => {
    const id = await uploadOk([
      row(FIRST + 2, "SKU-0", yamatoNumber(5)),
      row(FIRST + 3, "SKU-0", yamatoNumber(6)),
      [`#${FIRST + 4}`, "=1+2", "", yamatoNumber(7), "ヤマト運輸", "", ""],
    ]);
    const committed = await act(id, { intent: "commit" });
    expect(committed).toMatchObject({
      status: 200,
      body: { ok: true, intent: "commit", committed: 2, marked: 2 },
    });
    expect(await act(id, { intent: "commit" })).toMatchObject({
      status: 409,
      body: { reason: "already_committed" },
    });
    expect(await act(id, { intent: "nonsense" })).toMatchObject({
      status: 400,
    });

    let page = await load(id);
    expect(page.value!.progress).toEqual({
      shipments: 2,
      synced: 0,
      pending: 2,
      failed: 0,
    });
    const [first] = page.value!.rows;
    expect(first.shipment).toMatchObject({
      status: "shipped",
      syncState: "pending",
      pendingOperation: "create_fulfillment",
    });

    // One sync gives up (as the worker records it).
    await testPool().query(
      `update shipments set sync_state = 'failed', last_error_class = 'invalid',
              last_error_message = 'Invalid fulfillment order line item quantity requested.'
        where id = $1`,
      [first.shipment!.id],
    );
    page = await load(id, SHOP_A, "?filter=sync_failed");
    expect(page.value!.rows.map((r) => r.rowNumber)).toEqual([2]);
    expect(page.value!.progress.failed).toBe(1);

    const csvResponse = await failedCsv.loader(
      routeArgs(
        fetchRequest(
          `/app/imports/${id}/failed.csv?locale=en`,
          signSessionToken({ shop: SHOP_A }),
        ),
        { id: String(id) },
      ),
    );
    expect(csvResponse.headers.get("Content-Type")).toBe(
      "text/csv; charset=utf-8",
    );
    expect(csvResponse.headers.get("Content-Disposition")).toContain(
      `import-${id}-failed-rows.csv`,
    );
    const csv = await bodyText(csvResponse);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).trim().split("\r\n");
    expect(lines[0]).toBe(
      "注文番号,SKU,数量,追跡番号,配送業者,追跡URL,顧客に通知,Error,Row",
    );
    expect(lines[1]).toContain(`#${FIRST + 2},SKU-0`);
    expect(lines[1]).toContain(
      "Sync error: Rejected by Shopify (Invalid fulfillment order line item quantity requested.)",
    );
    expect(lines[2]).toContain(`#${FIRST + 4},'=1+2,`);
    expect(lines[2]).toContain("looks like a spreadsheet formula");
    expect(lines).toHaveLength(3);

    const retried = await act(id, { intent: "retry_failed" });
    expect(retried).toMatchObject({
      status: 200,
      body: { ok: true, intent: "retry_failed", retried: 1 },
    });
    const row2 = await testPool().query(
      `select sync_state, pending_operation from shipments where id = $1`,
      [first.shipment!.id],
    );
    expect(row2.rows[0]).toEqual({
      sync_state: "pending",
      pending_operation: "create_fulfillment",
    });
    expect(await act(id, { intent: "retry_failed" })).toMatchObject({
      body: { retried: 0 },
    });
  });

  it("answers 202 for a commit that outlasts the request, and finishes it in the background", async () => {
    const id = await uploadOk([
      row(FIRST + 5, "SKU-0", yamatoNumber(8)),
      row(FIRST + 6, "SKU-0", yamatoNumber(9)),
    ]);
    const { performImportAction } =
      await import("~/imports/import-actions.server");
    const form = new FormData();
    form.set("intent", "commit");
    const answer = await performImportAction(
      { shop: SHOP_A, importId: id, form },
      { inlineCommitMs: 0 },
    );
    expect(answer).toEqual({
      status: 202,
      body: { ok: true, intent: "commit", running: true },
    });
    const page = await waitUntil(
      "the background commit to finish",
      async () => {
        const loaded = await load(id);
        return loaded.value!.summary.status === "committed" && loaded;
      },
      10_000,
    );
    expect(page.value!.summary).toMatchObject({
      status: "committed",
      committedCount: 2,
    });
    expect(page.value!.commitRunning).toBe(false);
  });

  it("serves the template in the admin's language", async () => {
    const ja = await template.loader(
      routeArgs(
        fetchRequest(
          "/app/imports/template.csv",
          signSessionToken({ shop: SHOP_A }),
        ),
      ),
    );
    expect(await bodyText(ja)).toBe(
      "\uFEFF注文番号,SKU,ラインアイテムID,数量,追跡番号,配送業者,追跡URL,顧客に通知\r\n",
    );
    const en = await template.loader(
      routeArgs(
        fetchRequest(
          "/app/imports/template.csv?locale=en",
          signSessionToken({ shop: SHOP_A }),
        ),
      ),
    );
    expect(await bodyText(en)).toBe(
      "\uFEFFOrder name,SKU,Line item ID,Quantity,Tracking number,Carrier,Tracking URL,Notify customer\r\n",
    );
    const anonymous = await settle(() =>
      template.loader(
        routeArgs(
          new Request(new URL("/app/imports/template.csv", TEST_APP.appUrl)),
        ),
      ),
    );
    expect(anonymous.thrown).toBeInstanceOf(Response);
  });
});
