import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAppBuild, REPO_ROOT } from "../demo/app-build";
import { setTestAppEnv, TEST_APP } from "../helpers/app-env";
import { CHROME_USER_AGENT } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { testDatabaseUrl, testPool } from "../support/database";

/**
 * The production server as `npm start` runs it (remix-serve over the production build,
 * NODE_ENV=production), fed bodies far past every limit, without Content-Length (chunked),
 * faster than it could ever buffer them. Each is refused with 413 and the server
 * process's resident memory (VmRSS of its pid, sampled every 20 ms while the body
 * streams) stays within a few MB of where it started — not the hundreds of MB the
 * bodies would take if anything buffered them.
 *
 * And the production guard, end to end: the same server started with the simulator
 * origin or the App Bridge stand-in and no DEMO_MODE exits at start, saying why.
 */
const SHOP = "hokuto-zakka.myshopify.com";
let server: RunningServer;
let serverEntry: string;
const figures: string[] = [];

interface RunningServer {
  child: ChildProcess;
  port: number;
  output: () => string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function serverEnv(overrides: Record<string, string | undefined>) {
  const env = {} as NodeJS.ProcessEnv;
  for (const [key, value] of Object.entries(process.env))
    if (!/^(VITEST|TEST_)/.test(key)) env[key] = value;
  Object.assign(env, {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    RUN_WORKER_IN_APP: "false",
    DATABASE_URL: testDatabaseUrl(),
  });
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** `remix-serve <build>/server/index.js`, what `npm start` runs. */
function startServer(
  port: number,
  env: NodeJS.ProcessEnv,
): RunningServer & { ready: Promise<boolean> } {
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, "node_modules/@remix-run/serve/dist/cli.js"),
      serverEntry,
    ],
    {
      cwd: REPO_ROOT,
      env: { ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => resolve()),
  );
  const ready = new Promise<boolean>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (/\[remix-serve\] http/.test(output)) resolve(true);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", () => resolve(false));
  });
  return {
    child,
    port,
    ready,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]);
}

/**
 * POSTs `totalBytes` (chunked: no Content-Length) as fast as the socket takes them,
 * until the server answers; then stops. Returns the answer and the peak RSS growth.
 */
async function flood(options: {
  path: string;
  headers: Record<string, string>;
  totalBytes: number;
  prefix?: string;
}): Promise<{
  status: number;
  body: string;
  sentBytes: number;
  peakGrowthKb: number;
}> {
  const pid = server.child.pid!;
  // A settled baseline: a few samples, the highest one.
  let baseline = 0;
  for (let i = 0; i < 5; i++) {
    baseline = Math.max(baseline, rssKb(pid));
    await new Promise((r) => setTimeout(r, 20));
  }
  let peak = baseline;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssKb(pid));
    } catch {
      // the process is gone: the assertions below say so
    }
  }, 20);
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sentBytes = 0;
  try {
    const answer = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const req = httpRequest({
          host: "127.0.0.1",
          port: server.port,
          method: "POST",
          path: options.path,
          headers: { ...options.headers, "Transfer-Encoding": "chunked" },
        });
        let answered = false;
        req.on("response", (res) => {
          answered = true;
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (body += d));
          res.on("end", () => {
            resolve({ status: res.statusCode ?? 0, body });
            req.destroy();
          });
          res.on("error", reject);
        });
        req.on("error", (error) => {
          if (!answered) reject(error);
        });
        const pump = () => {
          if (sentBytes === 0 && options.prefix) {
            req.write(options.prefix);
            sentBytes += Buffer.byteLength(options.prefix);
          }
          while (!answered && sentBytes < options.totalBytes) {
            sentBytes += chunk.length;
            if (!req.write(chunk)) {
              req.once("drain", pump);
              return;
            }
          }
          if (!answered) req.end();
        };
        pump();
      },
    );
    // Let a late allocation show up in the samples.
    await new Promise((r) => setTimeout(r, 200));
    return { ...answer, sentBytes, peakGrowthKb: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

beforeAll(async () => {
  setTestAppEnv();
  // An installed shop with its offline session, so the upload reaches the body reader.
  await testPool().query(
    `insert into shops (shop) values ($1) on conflict do nothing`,
    [SHOP],
  );
  const { sessionStorage } = await import("~/shopify.server");
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "",
      isOnline: false,
      accessToken: "shpat_limits_offline_0001",
      scope: TEST_APP.scopes.join(","),
    }),
  );
  serverEntry = (await ensureAppBuild()).serverEntry;
  const started = startServer(await freePort(), serverEnv({}));
  server = started;
  expect(await started.ready, started.output()).toBe(true);
}, 600_000);

afterAll(async () => {
  await server?.stop();
  if (figures.length > 0)
    console.log(`server-limits figures:\n${figures.join("\n")}`);
});

const MB = 1024 * 1024;
// The app legitimately holds one upload (10 MB) in memory; everything else stays small.
const UPLOAD_GROWTH_LIMIT_KB = 32 * 1024;
const BODY_GROWTH_LIMIT_KB = 16 * 1024;

describe("request bodies past the limits, on the real server", () => {
  it("a 300 MB chunked CSV upload is refused with 413 at the 10 MB cap", async () => {
    const boundary = "----limits";
    const upload = (totalBytes: number) => flood({
      path: "/app/imports?index",
      headers: {
        Authorization: `Bearer ${signSessionToken({ shop: SHOP })}`,
        "User-Agent": CHROME_USER_AGENT,
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
      },
      prefix: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      totalBytes,
    });
    // The first refusal also pays for the route's first use (session storage, the
    // library's auth): measured, reported, then the 300 MB flood measured warm.
    const first = await upload(300 * MB);
    figures.push(
      `  upload (first request of its kind): ${first.status}; RSS +${(first.peakGrowthKb / 1024).toFixed(1)} MB`,
    );
    expect(first.status, first.body).toBe(413);
    const answer = await upload(300 * MB);
    figures.push(
      `  upload: ${answer.status} after ${(answer.sentBytes / MB).toFixed(0)} MB written by the client; RSS +${(answer.peakGrowthKb / 1024).toFixed(1)} MB`,
    );
    expect(answer.status, answer.body).toBe(413);
    expect(answer.sentBytes).toBeLessThan(300 * MB);
    expect(answer.peakGrowthKb).toBeLessThan(UPLOAD_GROWTH_LIMIT_KB);
    const imports = await testPool().query(
      `select count(*)::int as n from imports`,
    );
    expect(imports.rows[0].n).toBe(0);
  });

  it.each([
    [
      "/webhooks/orders",
      {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Hmac-Sha256": "AAAA",
      },
    ],
    [
      "/webhooks/compliance",
      {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "shop/redact",
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Hmac-Sha256": "AAAA",
      },
    ],
    ["/auth/login", { "Content-Type": "application/x-www-form-urlencoded" }],
    [
      "/app/settings?index",
      {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": CHROME_USER_AGENT,
      },
    ],
  ])(
    "a 100 MB chunked body to %s is refused with 413 before authentication",
    async (route, headers) => {
      const answer = await flood({
        path: route,
        headers: { "User-Agent": "Shopify-Captain-Hook", ...headers },
        totalBytes: 100 * MB,
      });
      figures.push(
        `  ${route}: ${answer.status} after ${(answer.sentBytes / MB).toFixed(1)} MB written by the client; RSS +${(answer.peakGrowthKb / 1024).toFixed(1)} MB`,
      );
      expect(answer.status, answer.body).toBe(413);
      expect(answer.body).toMatch(/too large|大きすぎます/);
      expect(answer.peakGrowthKb).toBeLessThan(BODY_GROWTH_LIMIT_KB);
    },
  );

  it("the server still answers afterwards", async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/auth/login`);
    expect(response.status).toBe(200);
  });
});

describe("production start with a demo-only setting", () => {
  it.each([
    [
      "SHOPIFY_ADMIN_API_ORIGIN",
      "http://127.0.0.1:4010",
      /SHOPIFY_ADMIN_API_ORIGIN is set, and only the demo and the tests may set it: it sends the token exchange \(with the client secret\)/,
    ],
    [
      "APP_BRIDGE_URL",
      "https://cdn.example.com/app-bridge.js",
      /APP_BRIDGE_URL is set, and only the demo and the tests may set it/,
    ],
  ])(
    "%s without DEMO_MODE: the server exits at start, saying why",
    async (name, value, message) => {
      const started = startServer(
        await freePort(),
        serverEnv({ [name]: value, DEMO_MODE: undefined }),
      );
      try {
        expect(await started.ready).toBe(false);
        expect(started.child.exitCode).not.toBe(0);
        expect(started.output()).toMatch(message);
      } finally {
        await started.stop();
      }
    },
    60_000,
  );
});
