import { createHash, timingSafeEqual } from "node:crypto";
import pg from "pg";
import { TransactionPoolerError } from "~/db/connection-mode.server";
import { handlePoolErrors } from "~/db/pool-errors";
import { getAdminApiOrigin } from "~/env.server";
import { installAdminApiOrigin } from "~/shopify/admin-api-origin.server";
import { offlineTokensFromEnv } from "~/shops/offline-tokens.server";
import type { OfflineTokens } from "~/shopify/offline-token.server";
import { drainSyncQueue } from "./drain.server";
import { ShopPacer } from "~/shopify/pacer";

/**
 * The HTTP face of the queue drain, for the Supabase Edge Function
 * supabase/functions/drain-sync-queue (Deno) — web-standard Request/Response only, so
 * the app's typecheck and lint cover it; the function's index.ts only serves it.
 *
 *   POST /drain-sync-queue            Authorization: Bearer <SYNC_DRAIN_SECRET>
 *   body (optional) {"seconds": 20, "jobs": 50}, or ?seconds=20&jobs=50: the time box (default
 *   and cap SYNC_DRAIN_MAX_SECONDS, 50) and the jobs started at most (SYNC_DRAIN_MAX_JOBS, 100)
 *
 * 200 with what it drained; 401 without the secret (before any database work); 405 for
 * another method; 400 for a bad bound; 503 when it is not configured or its database URL
 * goes through a transaction-mode pooler; 500 otherwise.
 *
 * Environment: SYNC_DRAIN_SECRET (≥ 32 characters), SYNC_DRAIN_DATABASE_URL or Supabase's
 * own SUPABASE_DB_URL (a session connection), SHOPIFY_API_KEY, SHOPIFY_API_SECRET,
 * TOKEN_ENCRYPTION_KEYS, SCOPES; optional SYNC_DRAIN_CONCURRENCY (3).
 */
export interface DrainEndpoint {
  handle(request: Request): Promise<Response>;
  /** Ends the pool (tests; an Edge Function's isolate simply goes away). */
  close(): Promise<void>;
}

const MIN_SECRET_LENGTH = 32;
const DEFAULT_MAX_SECONDS = 50;
/**
 * A sync run costs ~11 ms of CPU warm (edge-drain.test.ts); Supabase stops a function at 2 s
 * of CPU per request. 100 jobs leave room for the start and the cold first call.
 */
const DEFAULT_MAX_JOBS = 100;

export function drainEndpoint(): DrainEndpoint {
  const env = process.env;
  // The local simulator in tests only, behind the same guard as the app and the worker.
  const adminApiOrigin = getAdminApiOrigin();
  if (adminApiOrigin) installAdminApiOrigin(adminApiOrigin);

  let pool: pg.Pool | undefined;
  let tokens: OfflineTokens | undefined;
  // Kept while the isolate lives: each shop's last throttle status paces the next call's runs.
  const pacer = new ShopPacer();
  const concurrency = positiveNumber(env.SYNC_DRAIN_CONCURRENCY) ?? 3;
  const maxSeconds = positiveNumber(env.SYNC_DRAIN_MAX_SECONDS) ?? DEFAULT_MAX_SECONDS;
  const maxJobs = positiveNumber(env.SYNC_DRAIN_MAX_JOBS) ?? DEFAULT_MAX_JOBS;

  async function handle(request: Request): Promise<Response> {
    if (request.method !== "POST") return json(405, { error: "POST only" }, { Allow: "POST" });
    const secret = env.SYNC_DRAIN_SECRET ?? "";
    if (secret.length < MIN_SECRET_LENGTH) {
      return json(503, {
        error: `SYNC_DRAIN_SECRET is not set (or shorter than ${MIN_SECRET_LENGTH} characters): set it with \`supabase secrets set SYNC_DRAIN_SECRET=$(openssl rand -hex 32)\``,
      });
    }
    if (!bearerMatches(request.headers.get("authorization"), secret)) {
      return json(401, { error: "unauthorized" }, { "WWW-Authenticate": 'Bearer realm="drain-sync-queue"' });
    }
    const asked = await requestedBounds(request);
    const seconds = bound(asked?.seconds, maxSeconds);
    const jobs = bound(asked?.jobs, maxJobs);
    if (seconds === null || jobs === null) {
      return json(400, {
        error: `seconds and jobs must be numbers above 0 (at most ${maxSeconds} s and ${maxJobs} jobs), in ?seconds=&jobs= or {"seconds": …, "jobs": …}`,
      });
    }

    try {
      const connectionString = env.SYNC_DRAIN_DATABASE_URL || env.SUPABASE_DB_URL;
      if (!connectionString) {
        return json(503, { error: "No database: set SYNC_DRAIN_DATABASE_URL, or run on Supabase (SUPABASE_DB_URL)" });
      }
      pool ??= handlePoolErrors(
        new pg.Pool({ connectionString, max: 2 * concurrency + 2 }),
        "[drain] Postgres pool",
      );
      tokens ??= offlineTokensFromEnv(pool);
      const sessions = tokens;
      const cpuBefore = typeof process.cpuUsage === "function" ? process.cpuUsage() : null;
      const report = await drainSyncQueue({
        pool,
        loadSession: (shop) => sessions.loadSession(shop),
        untilMs: Date.now() + seconds * 1_000,
        maxJobs: jobs,
        concurrency,
        pacer,
        connectionSetting: "SYNC_DRAIN_DATABASE_URL (it overrides Supabase's SUPABASE_DB_URL)",
      });
      const cpu = cpuBefore ? process.cpuUsage(cpuBefore) : null;
      return json(200, {
        drained: report.runs.length,
        synced: report.outcomes.synced ?? 0,
        outcomes: report.outcomes,
        stoppedBy: report.stoppedBy,
        seconds,
        jobs,
        elapsedMs: report.elapsedMs,
        cpuMs: cpu ? Math.round((cpu.user + cpu.system) / 1_000) : null,
        dueLeft: report.dueLeft,
        releasedDeadConsumers: report.releasedDeadConsumers.length,
        runs: report.runs,
      });
    } catch (error) {
      // Misconfiguration the operator fixes: the message names it (never a secret's value).
      if (error instanceof TransactionPoolerError || /^Invalid environment/.test(String((error as Error)?.message)))
        return json(503, { error: (error as Error).message });
      console.error("[drain] failed", error);
      return json(500, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  return {
    handle,
    async close() {
      await pool?.end();
      pool = undefined;
      tokens = undefined;
    },
  };
}

/** `Authorization: Bearer <secret>`, compared in constant time (digests of equal length). */
function bearerMatches(header: string | null, secret: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? "");
  if (!match) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(secret));
}

/** What the caller asked for (?seconds=&jobs= or a JSON body); null when the body is not JSON. */
async function requestedBounds(request: Request): Promise<{ seconds?: unknown; jobs?: unknown } | null> {
  const query = new URL(request.url).searchParams;
  const text = await request.text();
  let body: { seconds?: unknown; jobs?: unknown } = {};
  if (text.trim()) {
    try {
      body = (JSON.parse(text) as typeof body | null) ?? {};
    } catch {
      return null;
    }
  }
  return { seconds: query.get("seconds") ?? body.seconds, jobs: query.get("jobs") ?? body.jobs };
}

/** A requested bound capped at `max`; `max` when none was asked; null when malformed. */
function bound(raw: unknown, max: number): number | null {
  if (raw === undefined || raw === null) return max;
  const n = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isFinite(n) || n <= 0) return null;
  return Math.min(n, max);
}

function positiveNumber(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : undefined;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}
