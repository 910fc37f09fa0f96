import { Logger, runMigrations } from "graphile-worker";
import type { Pool } from "pg";
import { handlePoolErrors } from "../db/pool-errors";

/**
 * Installs or upgrades graphile-worker's own schema (graphile_worker). The library
 * owns it and migrates it itself, so it is not in supabase/migrations; the app's
 * outbox trigger only calls its public add_job().
 */
export async function installQueueSchema(pool: Pool): Promise<void> {
  await runMigrations({ pgPool: handlePoolErrors(pool, "[worker] Postgres pool"), logger: quietLogger() });
}

/** graphile-worker's logger with debug/info dropped: warnings and errors still show. */
export function quietLogger(): Logger {
  return new Logger(() => (level, message, meta) => {
    if (level === "error" || level === "warning") {
      console[level === "error" ? "error" : "warn"](`[worker] ${message}`, meta ?? "");
    }
  });
}
