import { expect } from "vitest";
import { inEveryLocale, isMessageKey, type Message } from "~/i18n/messages";
import { testPool } from "../support/database";

/**
 * The hostile-input tests' harness (test/security/hostile-input.*.test.ts): call a route
 * module's loader or action as Remix would, read its answer whatever form it takes, and
 * check that a refused input got a 4xx with its own message and changed nothing in the
 * database — every row of every table in `public`, all shops, and the queue's jobs.
 */
export interface Answer {
  status: number;
  statusText: string;
  text: string;
  headers: Headers;
}

/** A returned value, a returned or thrown Response, `data()`, or an error (500). */
export async function answerOf(run: () => Promise<unknown>): Promise<Answer> {
  try {
    return toAnswer(await run());
  } catch (error) {
    if (error instanceof Response) return toAnswer(error);
    return {
      status: 500,
      statusText: "",
      text: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      headers: new Headers(),
    };
  }
}

async function toAnswer(value: unknown): Promise<Answer> {
  if (value instanceof Response) {
    let text = "";
    try {
      text = await value.clone().text();
    } catch {
      // a body already read or a stream that errors: the status says enough
    }
    if (value.headers.get("Content-Type")?.includes("application/json")) {
      try {
        text = JSON.stringify(worded(JSON.parse(text)));
      } catch {
        // not JSON after all: the text as sent
      }
    }
    return { status: value.status, statusText: value.statusText, text, headers: value.headers };
  }
  const init = (value as { init?: ResponseInit | null } | null)?.init;
  const data = (value as { type?: string; data?: unknown } | null)?.type === "DataWithResponseInit"
    ? (value as { data: unknown }).data
    : value;
  return {
    status: init?.status ?? 200,
    statusText: init?.statusText ?? "",
    text: JSON.stringify(worded(data)) ?? "",
    headers: new Headers(init?.headers),
  };
}

/**
 * Data as the page shows it: the messages in it (a key and its parameters, which the
 * page renders in the admin's language) replaced by their words in both languages, as
 * `{ ja, en }`.
 */
function worded(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(worded);
  if (value && typeof value === "object") {
    if (isMessageKey((value as { key?: unknown }).key))
      return inEveryLocale(value as Message);
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, worded(item)]),
    );
  }
  return value;
}

/** Every row of every public table (all shops) and every queued job, as text. */
export async function databaseSnapshot(): Promise<Record<string, string[]>> {
  const pool = testPool();
  const tables = await pool.query<{ table_name: string }>(
    `select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const snapshot: Record<string, string[]> = {};
  for (const { table_name } of tables.rows) {
    const { rows } = await pool.query<{ row: string }>(
      `select to_jsonb(t)::text as row from public."${table_name}" t order by 1`,
    );
    snapshot[table_name] = rows.map((r) => r.row);
  }
  const jobs = await pool.query<{ row: string }>(
    `select jsonb_build_object('key', key, 'task', task_identifier, 'run_at', run_at,
                               'attempts', attempts, 'revision', revision)::text as row
       from graphile_worker.jobs order by 1`,
  );
  snapshot["graphile_worker.jobs"] = jobs.rows.map((r) => r.row);
  return snapshot;
}

export interface HostileCase {
  /** What is sent, in a few words: the test's name. */
  name: string;
  call: () => Promise<unknown>;
  status: number;
  /** The specific message the answer must carry (its body, or a header for 401s). */
  message: RegExp;
  /** Where the message is: the body (default), a response header, or the status text
   * (the library's bare 401 for a webhook whose signature fails). */
  header?: string;
  statusText?: boolean;
}

/**
 * The case's answer is its 4xx with its message, and the database is exactly as before.
 * Returns the answer for further checks.
 */
export async function expectRefused(c: HostileCase): Promise<Answer> {
  expect(c.status, `${c.name}: a refusal is a 4xx`).toBeGreaterThanOrEqual(400);
  expect(c.status).toBeLessThan(500);
  const before = await databaseSnapshot();
  const answer = await answerOf(c.call);
  expect(
    { status: answer.status, text: answer.text.slice(0, 300) },
    c.name,
  ).toMatchObject({ status: c.status });
  const where = c.header
    ? (answer.headers.get(c.header) ?? "")
    : c.statusText
      ? answer.statusText
      : answer.text;
  expect(where, `${c.name}: the answer says why`).toMatch(c.message);
  expect(await databaseSnapshot(), `${c.name}: nothing changed`).toEqual(before);
  return answer;
}

/**
 * Where each route module under app/routes meets hostile input (the files
 * hostile-input.<area>.test.ts), or why it has no case of its own. A route added later
 * fails hostile-input.admin's completeness check until it is placed here.
 */
export const HOSTILE_COVERAGE: Record<string, "admin" | "imports" | "webhooks" | { none: string }> = {
  "app.tsx": "admin",
  "app._index.tsx": "admin",
  "app.shipments.$id.tsx": "admin",
  "app.shipments.$id_.pulse.tsx": "admin",
  "app.orders._index.tsx": "admin",
  "app.orders.$id.tsx": "admin",
  "app.queue.tsx": "admin",
  "app.settings.tsx": "admin",
  "app.reauthorize.tsx": "admin",
  "api.extension.orders.$orderId.tsx": "admin",
  "api.extension.orders.$orderId.shipments.$shipmentId.tsx": "admin",
  "app.imports._index.tsx": "imports",
  "app.imports.$id.tsx": "imports",
  "app.imports.$id.failed[.]csv.tsx": "imports",
  "app.imports.template[.]csv.tsx": "imports",
  "webhooks.orders.tsx": "webhooks",
  "webhooks.fulfillments.tsx": "webhooks",
  "webhooks.fulfillment_orders.tsx": "webhooks",
  "webhooks.compliance.tsx": "webhooks",
  "webhooks.app.uninstalled.tsx": "webhooks",
  "webhooks.app.scopes_update.tsx": "webhooks",
  "webhooks.shop.update.tsx": "webhooks",
  "_index/route.tsx": { none: "hands ?shop=… on to /app (which authenticates it); reads and writes nothing" },
  "auth.$.tsx": { none: "the library's own paths (authenticate.admin): test/app/authenticate-admin.test.ts" },
  "auth.login/route.tsx": { none: "the library's login: a bad shop domain is the form's error; its body limit is test/security/server-limits.test.ts" },
  "healthz.tsx": { none: "takes no input (GET, no parameters) and writes nothing" },
};
