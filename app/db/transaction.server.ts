import type { Pool, PoolClient } from "pg";

/**
 * Runs `work` in one transaction on a dedicated client: committed when it resolves,
 * rolled back when it throws (the error is rethrown unchanged).
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
