/**
 * GET /healthz (app/routes/healthz.tsx) against this file's migrated database: 200 with
 * every check when all is well; 503 naming what is wrong and how to fix it for each
 * failure — the database unreachable or missing, a migration not applied, the queue schema
 * missing, each malformed Shopify credential, an invalid environment — and never a value
 * (URL, password, key, secret) in the answer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setTestAppEnv, TEST_APP } from "../helpers/app-env";
import { routeArgs } from "../helpers/requests";
import { testDatabaseUrl, testPool } from "../support/database";
import type { HealthReport } from "~/health.server";

// Shaped as the Partner Dashboard issues them (the other tests' stand-ins are not).
const CLIENT_ID = "3f1c5a9e0b7d4c2e8a6f1b3d5c7e9a0b";
const CLIENT_SECRET = `shpss_${"9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"}`;
const GOOD_ENV = { SHOPIFY_API_KEY: CLIENT_ID, SHOPIFY_API_SECRET: CLIENT_SECRET, SHOPIFY_APP_URL: "https://shipments.example.com" };

/** Values that must never appear in an answer. */
const SECRETS = [CLIENT_SECRET, CLIENT_ID, TEST_APP.tokenEncryptionKeys.split(":")[1]!, "s3cret-pw"];

beforeEach(() => {
  setTestAppEnv(GOOD_ENV);
  process.env.DATABASE_URL = testDatabaseUrl();
  // The app validates (and caches) its environment once; each case starts afresh.
  vi.resetModules();
});

afterEach(async () => {
  // The pool of the URL this case used (the app keeps one per connection string).
  const { closeDatabase } = await import("~/db.server");
  await closeDatabase();
});

async function health(): Promise<{ status: number; report: HealthReport; text: string }> {
  const { loader } = await import("~/routes/healthz");
  const response = await loader(routeArgs(new Request("https://shipments.example.com/healthz")));
  const text = await response.text();
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return { status: response.status, report: JSON.parse(text) as HealthReport, text };
}

function failing(report: HealthReport): string[] {
  return Object.entries(report.checks)
    .filter(([, check]) => !check.ok)
    .map(([name]) => name);
}

describe("GET /healthz", () => {
  it("answers 200 with every check passed", async () => {
    const { status, report } = await health();
    expect(status).toBe(200);
    expect(report.ok).toBe(true);
    expect(failing(report)).toEqual([]);
    expect(report.checks.database.detail?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(report.checks.queue.detail?.schemaVersion).toBeGreaterThan(0);
  });

  it("503 when the database does not answer, naming the cause and never the URL or password", async () => {
    process.env.DATABASE_URL = "postgresql://postgres:s3cret-pw@127.0.0.1:9/postgres";
    const { status, report, text } = await health();
    expect(status).toBe(503);
    expect(failing(report)).toEqual(["database", "migrations", "queue"]);
    expect(report.checks.database.problem).toMatch(/did not answer \(ECONNREFUSED\)/);
    expect(report.checks.database.fix).toMatch(/port/);
    expect(report.checks.migrations.problem).toMatch(/not checked/);
    expect(text).not.toContain("127.0.0.1:9");
  });

  it("503 when the database named does not exist", async () => {
    const url = new URL(testDatabaseUrl());
    url.pathname = "/no_such_database";
    process.env.DATABASE_URL = url.toString();
    const { status, report } = await health();
    expect(status).toBe(503);
    expect(report.checks.database.problem).toMatch(/3D000/);
    expect(report.checks.database.fix).toMatch(/does not exist/);
  });

  it("503 when DATABASE_URL is missing", async () => {
    delete process.env.DATABASE_URL;
    const { status, report } = await health();
    expect(status).toBe(503);
    expect(report.checks.database.problem).toMatch(/DATABASE_URL is missing/);
    expect(failing(report)).toContain("environment");
  });

  it("503 when a migration is not applied, naming it and the command that applies it", async () => {
    const pool = testPool();
    const { rows } = await pool.query<{ version: string; name: string; statements: string[] }>(
      "select version, name, statements from supabase_migrations.schema_migrations order by version desc limit 1",
    );
    const newest = rows[0]!;
    await pool.query("delete from supabase_migrations.schema_migrations where version = $1", [newest.version]);
    try {
      const { status, report } = await health();
      expect(status).toBe(503);
      expect(failing(report)).toEqual(["migrations"]);
      expect(report.checks.migrations.problem).toBe(`1 migration(s) not applied: ${newest.version}_${newest.name}.sql`);
      expect(report.checks.migrations.fix).toMatch(/supabase@2\.117\.0 db push.*npm run db:migrate/);
    } finally {
      await pool.query("insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)", [
        newest.version,
        newest.name,
        newest.statements,
      ]);
    }
  });

  it("503 when the queue schema is not installed", async () => {
    const pool = testPool();
    await pool.query("alter schema graphile_worker rename to graphile_worker_hidden");
    try {
      const { status, report } = await health();
      expect(status).toBe(503);
      expect(failing(report)).toEqual(["queue"]);
      expect(report.checks.queue.problem).toMatch(/graphile_worker/);
      expect(report.checks.queue.fix).toMatch(/npm run worker/);
    } finally {
      await pool.query("alter schema graphile_worker_hidden rename to graphile_worker");
    }
  });

  describe("503 for each malformed Shopify credential, naming it and where to copy it from", () => {
    const cases: [string, Record<string, string | undefined>, RegExp, RegExp][] = [
      ["the client ID missing", { SHOPIFY_API_KEY: undefined }, /SHOPIFY_API_KEY is missing/, /Client ID/],
      ["the client ID still the placeholder", { SHOPIFY_API_KEY: "0".repeat(32) }, /placeholder/, /Client ID/],
      ["the client ID malformed", { SHOPIFY_API_KEY: `${CLIENT_ID}"` }, /not a client ID/, /Client ID/],
      ["the secret missing", { SHOPIFY_API_SECRET: undefined }, /SHOPIFY_API_SECRET is missing/, /Client secret/],
      ["the secret copied with a line break", { SHOPIFY_API_SECRET: `${CLIENT_SECRET}\n` }, /not a client secret/, /Client secret/],
      ["the secret truncated", { SHOPIFY_API_SECRET: CLIENT_SECRET.slice(0, 20) }, /not a client secret/, /Client secret/],
      ["the secret equal to the client ID", { SHOPIFY_API_SECRET: CLIENT_ID }, /equals SHOPIFY_API_KEY/, /Client secret/],
      ["the app URL http", { SHOPIFY_APP_URL: "http://shipments.example.com" }, /SHOPIFY_APP_URL is not an https URL/, /application_url/],
      ["the app URL missing", { SHOPIFY_APP_URL: undefined }, /SHOPIFY_APP_URL is missing/, /application_url/],
    ];
    for (const [what, env, problem, fix] of cases) {
      it(what, async () => {
        setTestAppEnv({ ...GOOD_ENV, ...env });
        const { status, report } = await health();
        expect(status).toBe(503);
        expect(failing(report)).toContain("shopify");
        expect(failing(report).filter((name) => name !== "environment")).toEqual(["shopify"]);
        expect(report.checks.shopify.problem).toMatch(problem);
        expect(report.checks.shopify.fix).toMatch(fix);
      });
    }
  });

  it("503 when the rest of the environment is invalid (token keys), naming the variable, not its value", async () => {
    setTestAppEnv({ ...GOOD_ENV, TOKEN_ENCRYPTION_KEYS: "k1:c2hvcnQ=" });
    const { status, report } = await health();
    expect(status).toBe(503);
    expect(failing(report)).toEqual(["environment"]);
    expect(report.checks.environment.problem).toMatch(/TOKEN_ENCRYPTION_KEYS/);
    expect(report.checks.environment.problem).not.toContain("c2hvcnQ=");
  });
});
