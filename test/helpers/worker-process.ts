import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import type { Pool } from "pg";
import { waitUntil } from "./wait-until";

/**
 * A sync worker as its own OS process, spawned so that the pid we hold IS the worker:
 * `node --import tsx app/worker/cli.ts` (tsx as a loader in the same process), not
 * tsx's CLI, which would run the worker in a child that outlives a kill of its parent.
 */
export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

export function spawnWorkerProcess(name: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "app/worker/cli.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (!child.pid) throw new Error(`worker ${name} did not start`);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { name, child, pid: child.pid, exited, output: () => output };
}

/**
 * Spawns a worker process and resolves once it runs: its "sync worker running (pid N)"
 * line is out, N is the pid we hold, and /proc shows that pid running the worker. A
 * worker that exits or stays silent first is killed and the error carries its output.
 */
export async function startWorkerProcess(
  name: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<WorkerProcess> {
  const worker = spawnWorkerProcess(name, env);
  try {
    const pid = await waitUntil(
      () => `worker ${name} to start:\n${worker.output()}`,
      async () => {
        if (worker.child.exitCode !== null) throw new Error(`worker ${name} exited before running:\n${worker.output()}`);
        const running = /sync worker running \(pid (\d+)\)/.exec(worker.output());
        return running ? Number(running[1]) : null;
      },
      timeoutMs,
    );
    if (pid !== worker.pid) throw new Error(`worker ${name} reports pid ${pid}, but its process is ${worker.pid}`);
    if (!isWorkerProcess(worker.pid)) throw new Error(`pid ${worker.pid} is not running app/worker/cli.ts`);
    return worker;
  } catch (error) {
    worker.child.kill("SIGKILL");
    throw error;
  }
}

/** The lock id (graphile-worker pool id) a worker process beats under, once it beats. */
export async function lockIdOfPid(pool: Pool, pid: number): Promise<string | null> {
  const result = await pool.query<{ worker_id: string }>(
    `select worker_id from worker_heartbeats where split_part(process, ':', 2) = $1::text
      order by last_seen desc limit 1`,
    [pid],
  );
  return result.rows[0]?.worker_id ?? null;
}

/** Whether a pid is a live process running the worker (Linux /proc). */
export function isWorkerProcess(pid: number): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return false;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // A zombie (state Z) is dead, only not yet reaped.
  if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return false;
  return readFileSync(cmdline, "utf8").split("\0").includes("app/worker/cli.ts");
}

/**
 * SIGKILLs the worker and proves the process that ran the jobs is the one that died:
 * its pid is the one in its heartbeat, /proc shows it running the worker before the
 * kill, and it is gone after.
 */
export async function killWorkerProcess(pool: Pool, worker: WorkerProcess): Promise<{ lockId: string }> {
  const lockId = await lockIdOfPid(pool, worker.pid);
  if (!lockId) throw new Error(`worker ${worker.name} (pid ${worker.pid}) has no heartbeat`);
  if (!isWorkerProcess(worker.pid)) throw new Error(`pid ${worker.pid} is not running app/worker/cli.ts`);
  worker.child.kill("SIGKILL");
  const { signal } = await worker.exited;
  if (signal !== "SIGKILL") throw new Error(`worker ${worker.name} ended by ${signal ?? "exit"}, not SIGKILL`);
  if (isWorkerProcess(worker.pid)) throw new Error(`pid ${worker.pid} still runs after SIGKILL`);
  return { lockId };
}
