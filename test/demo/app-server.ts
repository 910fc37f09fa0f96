/**
 * The app's production server build, served for the demo and the browser tests. Run by
 * stack.ts as a child process (`node --import tsx test/demo/app-server.ts`), so the app
 * gets its own environment and module state, as in production, and its in-app sync
 * worker runs (it stays off inside vitest processes).
 *
 * Environment: the app's own variables, plus
 *   APP_BUILD_DIR      a snapshot from app-build.ts (server/index.js and client/)
 *   PORT               where to listen on 127.0.0.1
 *   DEMO_FRAME_ORIGIN  the local "admin" that embeds the app: added to the
 *                      frame-ancestors the library sends (https://admin.shopify.com
 *                      and the shop), or the browser would refuse to show the app.
 *
 * Prints `APP_READY <url>` once it listens and its worker has started. Stops on SIGINT /
 * SIGTERM, and when its stdin closes (the parent died), so it is never left behind.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from "@remix-run/node";

const buildDir = requiredEnv("APP_BUILD_DIR");
const port = Number(requiredEnv("PORT"));
const frameOrigin = process.env.DEMO_FRAME_ORIGIN ?? null;
const clientDir = path.join(buildDir, "client");

const MIME: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
};

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`app-server: ${name} is not set`);
  return value;
}

async function main() {
  const build = (await import(
    pathToFileURL(path.join(buildDir, "server", "index.js")).href
  )) as ServerBuild;
  const handle = createRequestHandler(build, "production");

  const server = createServer((req, res) => {
    if (serveStatic(req, res)) return;
    void handleRemix(handle, req, res);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });

  // The worker starts when the build loads (app/worker/in-app.server.ts keeps it in
  // globalThis.__inAppSyncWorker); wait for it, so "ready" means ready to sync.
  await inAppWorker();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close();
    const worker = await inAppWorker()?.catch(() => null);
    await Promise.race([
      worker?.stop(),
      new Promise((r) => setTimeout(r, 3_000)),
    ]).catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  process.stdin.on("end", () => void stop());
  process.stdin.on("error", () => void stop());
  process.stdin.resume();

  console.log(`APP_READY http://127.0.0.1:${port}`);
}

/** The server build's in-app sync worker, when it started one. */
function inAppWorker(): Promise<{ stop(): Promise<void> } | null> | undefined {
  return (
    globalThis as {
      __inAppSyncWorker?: Promise<{ stop(): Promise<void> } | null>;
    }
  ).__inAppSyncWorker;
}

function serveStatic(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const pathname = decodeURIComponent(
    new URL(req.url ?? "/", "http://x").pathname,
  );
  if (pathname === "/" || pathname.endsWith("/")) return false;
  const file = path.join(clientDir, pathname);
  if (
    !file.startsWith(clientDir + path.sep) ||
    !existsSync(file) ||
    !statSync(file).isFile()
  )
    return false;
  res.writeHead(200, {
    "Content-Type": MIME[path.extname(file)] ?? "application/octet-stream",
    "Content-Length": statSync(file).size,
    "Cache-Control": pathname.startsWith("/assets/")
      ? "public, max-age=31536000, immutable"
      : "public, max-age=3600",
  });
  if (req.method === "HEAD") res.end();
  else createReadStream(file).pipe(res);
  return true;
}

async function handleRemix(
  handle: ReturnType<typeof createRequestHandler>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  try {
    const url = new URL(
      req.url ?? "/",
      `http://${req.headers.host ?? `127.0.0.1:${port}`}`,
    );
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value])
        headers.append(name, v);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(url, {
      method: req.method,
      headers,
      signal: controller.signal,
      ...(hasBody
        ? { body: createReadableStreamFromReadable(req), duplex: "half" }
        : {}),
    } as RequestInit);

    const response = await handle(request);

    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") outHeaders[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length) outHeaders["set-cookie"] = cookies;
    const csp = outHeaders["content-security-policy"];
    if (
      frameOrigin &&
      typeof csp === "string" &&
      csp.includes("frame-ancestors")
    ) {
      outHeaders["content-security-policy"] = csp.replace(
        "frame-ancestors",
        `frame-ancestors ${frameOrigin}`,
      );
    }
    res.writeHead(response.status, response.statusText, outHeaders);
    if (response.body && req.method !== "HEAD") {
      await writeReadableStreamToWritable(response.body, res);
    } else {
      res.end();
    }
  } catch (error) {
    if (controller.signal.aborted) return;
    console.error("[app] request failed:", error);
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
    res.end("Internal Server Error");
  }
}

main().catch((error: unknown) => {
  console.error("[app] failed to start:", error);
  process.exit(1);
});
