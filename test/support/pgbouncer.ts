/**
 * Debian's PgBouncer in front of the test cluster, as Supabase's pooler sits in front of a
 * hosted database: `transaction` mode is what port 6543 gives, `session` what 5432 gives.
 * PgBouncer refuses to run as root, so it runs as the `postgres` OS user like the cluster.
 */
import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

export const PGBOUNCER_BIN = "/usr/sbin/pgbouncer";

export interface RunningPgBouncer {
  port: number;
  /** URL of database `db` through the pooler (user postgres, trust auth). */
  url(db: string): string;
  pid: number;
  stop(): Promise<void>;
}

export async function startPgBouncer(options: {
  upstreamPort: number;
  poolMode: "transaction" | "session";
  poolSize?: number;
}): Promise<RunningPgBouncer> {
  if (!existsSync(PGBOUNCER_BIN)) {
    throw new Error(`${PGBOUNCER_BIN} is missing: apt-get install -y pgbouncer (bash .ci/run does)`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "pgbouncer-"));
  const port = await freePort();
  const owner = userInfo().uid === 0 ? postgresUser() : undefined;
  writeFileSync(path.join(dir, "userlist.txt"), '"postgres" ""\n');
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=127.0.0.1 port=${options.upstreamPort}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      `pool_mode = ${options.poolMode}`,
      `default_pool_size = ${options.poolSize ?? 4}`,
      "max_client_conn = 200",
      "ignore_startup_parameters = extra_float_digits,options",
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  if (owner) {
    for (const f of ["", "userlist.txt", "pgbouncer.ini"]) chownSync(path.join(dir, f), owner.uid, owner.gid);
  }
  const child = spawn(PGBOUNCER_BIN, [path.join(dir, "pgbouncer.ini")], {
    ...(owner ?? {}),
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.on("error", () => undefined);
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = existsSync(path.join(dir, "pgbouncer.log"))
        ? readFileSync(path.join(dir, "pgbouncer.log"), "utf8")
        : "";
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PgBouncer did not start on port ${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    pid: child.pid!,
    url: (db) => `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(db)}`,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
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
