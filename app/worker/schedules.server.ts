import type { Pool } from "pg";

/**
 * Who schedules the periodic work — the outbox sweep (every minute) and the reconcile of
 * every shop (hourly, at :15): the database where pg_cron runs them (migration
 * 20261201000901_database_schedules, Supabase projects), otherwise each worker process
 * (a timer and graphile-worker's crontab, deduplicated across processes by its
 * known_crontabs). Never both.
 */
export const DATABASE_SCHEDULES = [
  "vendor-shipments:outbox-sweep",
  "vendor-shipments:reconcile-shops",
] as const;

/** The worker's own crontab, used only when the database schedules nothing. */
export const WORKER_CRONTAB = "15 * * * * reconcile_shops ?max=1";

/** Whether pg_cron holds both of this app's schedules, active, in this database. */
export async function schedulesInDatabase(pool: Pool): Promise<boolean> {
  const cron = await pool.query<{ t: string | null }>("select to_regclass('cron.job')::text as t");
  if (!cron.rows[0]?.t) return false;
  const { rows } = await pool.query<{ n: number }>(
    "select count(*)::int as n from cron.job where jobname = any($1::text[]) and active",
    [DATABASE_SCHEDULES],
  );
  return rows[0]!.n === DATABASE_SCHEDULES.length;
}

/** Queues again every pending shipment of a running shop that has no job; how many. */
export async function sweepOutbox(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>("select public.sweep_outbox() as n");
  return rows[0]!.n;
}
