import type { LoaderFunctionArgs } from "@remix-run/node";

import { getPool } from "~/db.server";
import { checkHealth } from "~/health.server";

/**
 * GET /healthz — unauthenticated (a deploy's last step, an uptime monitor, a load
 * balancer): 200 with every check when the app can work, 503 naming what is wrong and how
 * to fix it (app/health.server.ts). It reveals no value: no URL, host, key or secret.
 */
export const loader = async (_args: LoaderFunctionArgs) => {
  let pool: ReturnType<typeof getPool> | null;
  try {
    pool = getPool();
  } catch {
    pool = null; // DATABASE_URL missing or malformed: the database check says so.
  }
  const report = await checkHealth(pool);
  return new Response(JSON.stringify(report, null, 2), {
    status: report.ok ? 200 : 503,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
};
