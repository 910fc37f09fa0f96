import pg from "pg";

/**
 * Is this pool connected through a transaction-mode pooler (Supabase's Supavisor on port
 * 6543, PgBouncer with pool_mode=transaction)? Such a pooler hands each transaction to
 * whichever server connection is free, which breaks what the queue relies on: LISTEN/NOTIFY
 * (graphile-worker's instant pickup), session advisory locks (the per-shipment run lock,
 * the migration runner's lock) and session state. Neither Postgres nor the poolers say
 * which mode they are in over the wire, so we look at what only pooling can do:
 * - two connections open at once served by the same backend (a direct or session-mode
 *   connection owns its backend for life);
 * - one connection served by two backends, or left waiting for another's transaction.
 * A few rounds, so a pooler that picks servers in another order is still caught.
 */
export async function detectTransactionPooling(
  config: pg.ClientConfig,
  options: { rounds?: number; waitMs?: number } = {},
): Promise<string | null> {
  const rounds = options.rounds ?? 3;
  const waitMs = options.waitMs ?? 3_000;
  for (let round = 0; round < rounds; round++) {
    const finding = await probeOnce(config, waitMs);
    if (finding) return finding;
  }
  return null;
}

/** Two connections of its own (never the caller's pool, which may allow only one). */
async function probeOnce(config: pg.ClientConfig, waitMs: number): Promise<string | null> {
  const a = new pg.Client(config);
  const b = new pg.Client(config);
  a.on("error", () => undefined);
  b.on("error", () => undefined);
  try {
    await a.connect();
    await b.connect();
    const first = await backendPid(a);
    await b.query("begin");
    const other = await backendPid(b);
    if (other === first) return "two open connections were served by the same server backend";
    const again = backendPid(a);
    const outcome = await Promise.race([
      again,
      new Promise<"waiting">((resolve) => setTimeout(() => resolve("waiting"), waitMs).unref()),
    ]);
    await b.query("rollback");
    if (outcome === "waiting") {
      await again;
      return "a connection had to wait for another connection's transaction to end";
    }
    if (outcome !== first) return "one connection was served by two server backends";
    return null;
  } finally {
    await Promise.all([a.end().catch(() => undefined), b.end().catch(() => undefined)]);
  }
}

async function backendPid(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
  return rows[0]!.pid;
}

/** Thrown at start by the worker (and the migration runner) on a transaction-mode pooler. */
export class TransactionPoolerError extends Error {
  /** `setting`: where the connection string comes from (the Edge Function's is not DATABASE_URL). */
  constructor(what: string, connectionString: string | undefined, finding: string, setting = "DATABASE_URL") {
    super(
      `${what} cannot run through a transaction-mode pooler (${describeTarget(connectionString)}: ${finding}). ` +
        "It relies on LISTEN/NOTIFY, session advisory locks and session state, which such a pooler " +
        `breaks. Give it a session connection in ${setting}: Supabase's direct connection ` +
        "(postgresql://postgres:<password>@db.<project-ref>.supabase.co:5432/postgres) or the " +
        "session-mode pooler (postgresql://postgres.<project-ref>:<password>@<region>.pooler.supabase.com:5432/postgres)." +
        (setting === "DATABASE_URL"
          ? " The web app may keep the transaction pooler (port 6543) with RUN_WORKER_IN_APP=false."
          : ""),
    );
    this.name = "TransactionPoolerError";
  }
}

/** host:port/database of a connection string, never its password. */
export function describeTarget(connectionString: string | undefined): string {
  if (!connectionString) return "DATABASE_URL";
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}

/** Refuses a pool that goes through a transaction-mode pooler, naming the fix. */
export async function assertSessionConnection(pool: pg.Pool, what: string, setting?: string): Promise<void> {
  const config = pool.options as pg.ClientConfig;
  const finding = await detectTransactionPooling(config);
  if (finding) throw new TransactionPoolerError(what, config.connectionString, finding, setting);
}
