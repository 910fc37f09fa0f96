import type pg from "pg";
import { pendingMigrations } from "~/db/migrate.server";
import { getEnv } from "~/env.server";
import { isHttpsOrLoopback } from "~/http/url";

/**
 * What GET /healthz checks (app/routes/healthz.tsx), for a deploy's last step and for
 * uptime monitors: the database answers, every migration in supabase/migrations is
 * applied, graphile-worker's queue schema is installed, and the Shopify app's environment
 * is complete and well formed. Each failed check says what is wrong and how to fix it.
 *
 * The route is unauthenticated, so nothing here reveals a value: no URL, host, key or
 * secret, and database errors only by their SQLSTATE / errno code.
 */
export interface HealthCheck {
  ok: boolean;
  /** What is wrong (a failed check only). */
  problem?: string;
  /** How to fix it (a failed check only). */
  fix?: string;
  /** Harmless facts of a passed check (timings, counts). */
  detail?: Record<string, number | string>;
}

export interface HealthReport {
  ok: boolean;
  checks: {
    database: HealthCheck;
    migrations: HealthCheck;
    queue: HealthCheck;
    shopify: HealthCheck;
    environment: HealthCheck;
  };
}

const DATABASE_TIMEOUT_MS = 3_000;

/** `pool` is the app's (null when DATABASE_URL is unusable). */
export async function checkHealth(pool: pg.Pool | null, options: { migrationsDir?: string } = {}): Promise<HealthReport> {
  const database = await checkDatabase(pool);
  const unreachable: HealthCheck = {
    ok: false,
    problem: "not checked: the database did not answer",
    fix: "fix the database check first",
  };
  const migrations = database.ok && pool ? await checkMigrations(pool, options.migrationsDir) : unreachable;
  const queue = database.ok && pool ? await checkQueue(pool) : unreachable;
  const shopify = checkShopifyCredentials(process.env);
  const environment = checkEnvironment();
  const checks = { database, migrations, queue, shopify, environment };
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}

async function checkDatabase(pool: pg.Pool | null): Promise<HealthCheck> {
  if (!pool) {
    return {
      ok: false,
      problem: "DATABASE_URL is missing or not a postgresql:// URL",
      fix: "set DATABASE_URL to the Supabase connection string (README: From an empty Supabase project to production, step 3)",
    };
  }
  const started = Date.now();
  try {
    await withTimeout(pool.query("select 1"), DATABASE_TIMEOUT_MS);
    return { ok: true, detail: { latencyMs: Date.now() - started } };
  } catch (error) {
    const code = errorCode(error);
    return {
      ok: false,
      problem: `the database did not answer (${code})`,
      fix: DATABASE_FIXES[code] ?? DATABASE_FIXES.default!,
    };
  }
}

const DATABASE_FIXES: Record<string, string> = {
  "28P01": "the password in DATABASE_URL is wrong: copy the connection string again from Supabase (Connect → Connection string) with the current database password",
  "3D000": "the database named in DATABASE_URL does not exist: Supabase's is `postgres`",
  ECONNREFUSED: "nothing listens at DATABASE_URL's host and port: check the port (5432 direct or session pooler, 6543 transaction pooler) and that the project is not paused",
  ENOTFOUND: "DATABASE_URL's host does not resolve: copy it again from Supabase; the direct host db.<ref>.supabase.co is IPv6-only, use the pooler host on an IPv4-only network",
  timeout: `no answer within ${DATABASE_TIMEOUT_MS / 1000} s: check the network path to the database and that the project is not paused`,
  default: "check DATABASE_URL against Supabase's connection string (Connect → Connection string) and the server's logs",
};

async function checkMigrations(pool: pg.Pool, dir: string | undefined): Promise<HealthCheck> {
  try {
    const pending = await pendingMigrations(pool, { dir });
    if (pending.length === 0) return { ok: true };
    return {
      ok: false,
      problem: `${pending.length} migration(s) not applied: ${pending.join(", ")}`,
      fix: "apply them: `npx supabase@2.117.0 db push` (linked project) or `npm run db:migrate` with the session connection string",
    };
  } catch (error) {
    return {
      ok: false,
      problem: `the migrations could not be compared (${errorCode(error)})`,
      fix: "deploy the app with its supabase/migrations folder, and run it from the project's root directory",
    };
  }
}

async function checkQueue(pool: pg.Pool): Promise<HealthCheck> {
  const { rows } = await pool.query<{ jobs: boolean; add_jobs: boolean; level: number | null }>(
    `select to_regclass('graphile_worker._private_jobs') is not null as jobs,
            to_regprocedure('graphile_worker.add_jobs(graphile_worker.job_spec[],boolean)') is not null as add_jobs,
            (select max(id) from graphile_worker.migrations
              where to_regclass('graphile_worker.migrations') is not null) as level`,
  ).catch(() => ({ rows: [{ jobs: false, add_jobs: false, level: null }] }));
  const row = rows[0]!;
  if (row.jobs && row.add_jobs) return { ok: true, detail: { schemaVersion: row.level ?? 0 } };
  return {
    ok: false,
    problem: "the queue schema (graphile_worker) is not installed: shipments cannot be queued for sync",
    fix: "start the worker once (`npm run worker` with the session connection string, or the app with RUN_WORKER_IN_APP unset): it installs graphile_worker's schema",
  };
}

/** Client IDs are 32 hexadecimal characters; shopify.app.toml's placeholder is all zeros. */
const CLIENT_ID = /^[0-9a-f]{32}$/;
/** Client secrets: 32+ of these (hex, or `shpss_` and hex); a quote, space or newline is a copy error. */
const CLIENT_SECRET = /^[A-Za-z0-9_-]{32,}$/;

/** SHOPIFY_API_KEY, SHOPIFY_API_SECRET and SHOPIFY_APP_URL present and shaped right. */
export function checkShopifyCredentials(env: Record<string, string | undefined>): HealthCheck {
  const demo = Boolean(env.DEMO_MODE);
  const key = env.SHOPIFY_API_KEY ?? "";
  const secret = env.SHOPIFY_API_SECRET ?? "";
  const appUrl = env.SHOPIFY_APP_URL ?? "";
  const found: { problem: string; fix: string }[] = [];

  const keyFix = "copy the Client ID from the Partner Dashboard (or `shopify app env show`) into SHOPIFY_API_KEY";
  if (!key) found.push({ problem: "SHOPIFY_API_KEY is missing", fix: keyFix });
  else if (/^0+$/.test(key)) found.push({ problem: "SHOPIFY_API_KEY is still the placeholder client ID", fix: keyFix });
  else if (!demo && !CLIENT_ID.test(key))
    found.push({ problem: "SHOPIFY_API_KEY is not a client ID (32 hexadecimal characters)", fix: keyFix });

  const secretFix = "copy the Client secret from the Partner Dashboard into SHOPIFY_API_SECRET";
  if (!secret) found.push({ problem: "SHOPIFY_API_SECRET is missing", fix: secretFix });
  else if (!demo && !CLIENT_SECRET.test(secret))
    found.push({
      problem: "SHOPIFY_API_SECRET is not a client secret (32 or more letters, digits, _ or -; was a quote, space or line break copied with it?)",
      fix: secretFix,
    });
  else if (secret === key) found.push({ problem: "SHOPIFY_API_SECRET equals SHOPIFY_API_KEY", fix: secretFix });

  const urlFix = "set SHOPIFY_APP_URL to the app's public https URL, the same as application_url in shopify.app.toml";
  if (!appUrl) found.push({ problem: "SHOPIFY_APP_URL is missing", fix: urlFix });
  else if (!appUrl.startsWith("https://") && !(demo && isHttpsOrLoopback(appUrl)))
    found.push({ problem: "SHOPIFY_APP_URL is not an https URL (Shopify admin embeds only https apps)", fix: urlFix });

  if (found.length === 0) return { ok: true };
  return { ok: false, problem: found.map((f) => f.problem).join("; "), fix: found.map((f) => f.fix).join("; ") };
}

/** Everything else the app validates at start (app/env.server.ts): names and reasons only. */
function checkEnvironment(): HealthCheck {
  try {
    getEnv();
    return { ok: true };
  } catch (error) {
    const lines = String((error as Error).message)
      .split("\n")
      .slice(1)
      .map((line) => line.replace(/^\s*-\s*/, ""));
    return {
      ok: false,
      problem: lines.join("; "),
      fix: "set the variables named, as .env.example describes, and restart the app",
    };
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Za-z0-9_]{2,20}$/.test(code) ? code : "error";
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { code: "timeout" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
