import type { Pool, PoolClient, QueryResult } from "pg";

/**
 * A lock held for the length of one run (a shipment's sync, a shop's backfill slice, an
 * import's commit), so a second runner in any process backs off instead of racing it.
 *
 * It is a transaction-scoped advisory lock inside a transaction left open on a connection
 * of its own, not a session lock: through a transaction-mode pooler (Supabase's port 6543)
 * the open transaction pins one server connection, where a session lock would stay behind
 * on a pooled server and its unlock land on another. Direct connections behave the same.
 * A process that dies drops its connection, the transaction aborts and the lock goes.
 * The holder's own work uses other connections: nothing it writes waits for this one.
 */
export interface RunLock {
  release(): Promise<void>;
}

/** `key` is a number, or a string hashed with Postgres' hashtext (shop domains). */
export async function tryRunLock(
  pool: Pool,
  namespace: number,
  key: number | string,
): Promise<RunLock | null> {
  const client = await pool.connect();
  try {
    // One round trip: `begin` and the lock as one simple query (it sits on the path from
    // a queued shipment to its first Admin API call). The key is inlined, so it is
    // checked to be an integer or quoted as a literal.
    if (typeof key === "number" && !Number.isSafeInteger(key)) throw new Error(`run lock key ${key} is not an integer`);
    const lockKey =
      typeof key === "number" ? `(${key}::bigint % 2147483647)::int` : `hashtext(${client.escapeLiteral(key)})`;
    const results = (await client.query(
      `begin; select pg_try_advisory_xact_lock(${Math.trunc(namespace)}, ${lockKey}) as ok`,
    )) as unknown as QueryResult<{ ok: boolean }>[];
    const rows = results[1]?.rows ?? [];
    if (rows[0]?.ok !== true) {
      await finish(client);
      return null;
    }
  } catch (error) {
    client.release(true);
    throw error;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await finish(client);
    },
  };
}

async function finish(client: PoolClient): Promise<void> {
  try {
    await client.query("rollback");
    client.release();
  } catch {
    // A broken connection: discard it; its transaction, and the lock, are gone with it.
    client.release(true);
  }
}
