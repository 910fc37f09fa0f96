import type { Pool, PoolClient } from "pg";

const handled = new WeakSet<Pool>();

/**
 * A connection can die under us (Supabase restarts, pooler timeouts, a network blip).
 * pg reports it as an 'error' event on the pool (idle clients) or on the client itself
 * (checked-out clients, LISTEN connections); an unhandled 'error' event kills the
 * process. With both handlers the broken client is dropped and the next query opens a
 * new one — and graphile-worker no longer warns "Your pool doesn't have all of the
 * error handlers!". Idempotent per pool.
 */
export function handlePoolErrors(pool: Pool, label = "Postgres pool"): Pool {
  if (handled.has(pool)) return pool;
  handled.add(pool);
  pool.on("error", (error) => {
    console.error(`${label}: idle client error (client discarded)`, error);
  });
  pool.on("connect", (client: PoolClient) => {
    client.on("error", (error) => {
      console.error(`${label}: client error (connection lost)`, error);
    });
  });
  return pool;
}
