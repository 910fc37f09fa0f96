/**
 * The app's production build for the demo and the browser tests, built once per source
 * state and kept as an immutable snapshot.
 *
 * `remix vite:build` writes ./build (vite.config.ts decides that). Several engineers,
 * test files and demos run at once here and the sources change under them, so a running
 * stack must never serve a ./build that another build is rewriting: each build is copied
 * to node_modules/.cache/demo-app/<hash of the sources>/ and served from there. A build
 * whose sources have not changed since is reused (the demo then starts in seconds).
 * Builds are serialised across processes with a lock directory.
 *
 * DEMO_REUSE_BUILD=1 serves the newest existing snapshot even when the sources changed
 * since (for iterating on browser tests while app/ is mid-edit). CI never sets it.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(
  new URL("../..", import.meta.url),
).replace(/\/$/, "");
const CACHE_ROOT = path.join(REPO_ROOT, "node_modules", ".cache", "demo-app");
const LOCK_DIR = path.join(CACHE_ROOT, ".lock");
const LOCK_TIMEOUT_MS = 5 * 60_000;
/** Snapshots kept besides the one in use (older ones are removed). */
const KEEP_SNAPSHOTS = 3;

/** What the build depends on, besides node_modules (which package-lock.json stands for). */
const INPUT_FILES = [
  "vite.config.ts",
  "tsconfig.json",
  "package-lock.json",
  "env.d.ts",
];
const INPUT_DIRS = ["app"];

export interface AppBuild {
  /** Directory holding `server/index.js` and `client/`. */
  dir: string;
  serverEntry: string;
  clientDir: string;
  /** True when this call ran `remix vite:build` (false: an existing snapshot). */
  built: boolean;
  ms: number;
}

/**
 * Returns a production build of the current sources, building it if no snapshot for
 * them exists. `log` receives progress lines (the build's own output only on failure).
 */
export async function ensureAppBuild(
  options: { log?: (line: string) => void; force?: boolean } = {},
): Promise<AppBuild> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const hash = sourceHash();
  const dir = path.join(CACHE_ROOT, hash);
  const result = (built: boolean): AppBuild => ({
    dir,
    serverEntry: path.join(dir, "server", "index.js"),
    clientDir: path.join(dir, "client"),
    built,
    ms: Date.now() - started,
  });
  if (!options.force && isComplete(dir)) return result(false);
  if (!options.force && process.env.DEMO_REUSE_BUILD === "1") {
    const newest = newestSnapshot();
    if (newest) {
      log(
        `DEMO_REUSE_BUILD=1: serving the existing build ${path.basename(newest)} (sources changed since)`,
      );
      return {
        ...result(false),
        dir: newest,
        serverEntry: path.join(newest, "server", "index.js"),
        clientDir: path.join(newest, "client"),
      };
    }
  }

  await mkdir(CACHE_ROOT, { recursive: true });
  const release = await acquireLock(log);
  try {
    // Someone else may have built the same sources while we waited.
    if (!options.force && isComplete(dir)) return result(false);
    log("building the app (remix vite:build)…");
    for (let attempt = 1; ; attempt++) {
      try {
        await runBuild();
        break;
      } catch (error) {
        // A file added or removed under app/ while vite ran (someone else is editing)
        // breaks that one build; a build of the sources as they are now is what we want.
        if (attempt >= 3 || sourceHash() === hash) throw error;
        log("the sources changed during the build: building again…");
      }
    }
    const partial = `${dir}.${process.pid}.partial`;
    await rm(partial, { recursive: true, force: true });
    await copyDir(path.join(REPO_ROOT, "build"), partial);
    await writeFile(path.join(partial, ".complete"), new Date().toISOString());
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
    await pruneSnapshots(hash);
    return result(true);
  } finally {
    await release();
  }
}

function newestSnapshot(): string | null {
  if (!existsSync(CACHE_ROOT)) return null;
  const complete = readdirSync(CACHE_ROOT)
    .filter(
      (name) =>
        /^[0-9a-f]{16}$/.test(name) && isComplete(path.join(CACHE_ROOT, name)),
    )
    .map((name) => ({
      dir: path.join(CACHE_ROOT, name),
      mtime: statSync(path.join(CACHE_ROOT, name, ".complete")).mtimeMs,
    }))
    .sort((a, b) => b.mtime - a.mtime);
  return complete[0]?.dir ?? null;
}

function isComplete(dir: string): boolean {
  return (
    existsSync(path.join(dir, ".complete")) &&
    existsSync(path.join(dir, "server", "index.js"))
  );
}

/** sha256 over the build's inputs: paths and contents, test files excluded. */
function sourceHash(): string {
  const hash = createHash("sha256");
  const files: string[] = [...INPUT_FILES];
  for (const dir of INPUT_DIRS) files.push(...listFiles(dir));
  for (const file of files.sort()) {
    const full = path.join(REPO_ROOT, file);
    if (!existsSync(full)) continue;
    hash.update(file).update("\0").update(readFileSync(full)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

function listFiles(relativeDir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(REPO_ROOT, rel), {
      withFileTypes: true,
    })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && !/\.test\.tsx?$/.test(entry.name))
        out.push(child);
    }
  };
  walk(relativeDir);
  return out;
}

function runBuild(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  // vite.config.ts leaves the Remix plugin out under vitest; this is an app build.
  for (const key of Object.keys(env))
    if (key.startsWith("VITEST")) delete env[key];
  const remix = path.join(
    REPO_ROOT,
    "node_modules",
    "@remix-run",
    "dev",
    "dist",
    "cli.js",
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [remix, "vite:build"], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `remix vite:build failed (exit ${code}):\n${buildErrorSummary(output)}`,
            ),
          ),
    );
  });
}

/** The part of vite's output that says what broke (not the list of watched files). */
function buildErrorSummary(output: string): string {
  const lines = output
    .split("\n")
    .filter((line) => !/^\s+'\/.*',?$/.test(line));
  const start = lines.findIndex((line) => /✗|error/i.test(line));
  return lines.slice(Math.max(0, start), Math.max(0, start) + 30).join("\n");
}

function copyDir(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("cp", ["-a", from, to], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let output = "";
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`cp -a ${from} ${to} failed: ${output}`)),
    );
  });
}

async function pruneSnapshots(current: string): Promise<void> {
  const snapshots = readdirSync(CACHE_ROOT)
    .filter((name) => /^[0-9a-f]{16}$/.test(name) && name !== current)
    .map((name) => ({
      name,
      mtime: statSync(path.join(CACHE_ROOT, name)).mtimeMs,
    }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of snapshots.slice(KEEP_SNAPSHOTS - 1)) {
    await rm(path.join(CACHE_ROOT, old.name), { recursive: true, force: true });
  }
  for (const name of readdirSync(CACHE_ROOT)) {
    const match = /\.(\d+)\.partial$/.exec(name);
    if (match && !isAlive(Number(match[1])))
      await rm(path.join(CACHE_ROOT, name), { recursive: true, force: true });
  }
}

/** mkdir is atomic: whoever creates the directory holds the lock. A dead holder's lock is taken over. */
async function acquireLock(
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let announced = false;
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      await writeFile(path.join(LOCK_DIR, "pid"), String(process.pid));
      return () => rm(LOCK_DIR, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(
      await readFile(path.join(LOCK_DIR, "pid"), "utf8").catch(() => "0"),
    );
    if (holder && !isAlive(holder)) {
      await rm(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (!holder) {
      // Just created, pid not written yet — or left empty by a process killed in between.
      const age =
        Date.now() -
        (statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10_000) await rm(LOCK_DIR, { recursive: true, force: true });
    }
    if (!announced) {
      log(`waiting for another build (pid ${holder || "?"})…`);
      announced = true;
    }
    if (Date.now() > deadline)
      throw new Error(
        `the app build lock ${LOCK_DIR} was held for over ${LOCK_TIMEOUT_MS / 1000} s`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
