/**
 * `npm run worker`: a sync worker process on its own (run several, on several
 * machines, against one database). Stops gracefully on SIGINT/SIGTERM: running jobs
 * finish, no new ones are taken.
 */
import "@shopify/shopify-api/adapters/node";
import { closeDatabase, getPool } from "~/db.server";
import { getAdminApiOrigin } from "~/env.server";
import { installAdminApiOrigin } from "~/shopify/admin-api-origin.server";
import { encryptStoredTokens, loadOfflineSession, offlineTokens } from "~/offline-session.server";
import { startSyncWorker } from "./runner.server";

// Local simulator / tests only, as in the app: refused without DEMO_MODE (env.server.ts).
const adminApiOrigin = getAdminApiOrigin();
if (adminApiOrigin) installAdminApiOrigin(adminApiOrigin);

// The worker needs only the offline tokens (refreshed as they expire), not the whole
// Shopify app config. Fails here, before taking jobs, when the token keys are missing.
offlineTokens();
await encryptStoredTokens();

const worker = await startSyncWorker({
  pool: getPool(),
  loadSession: loadOfflineSession,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 5),
  heartbeatMs: Number(process.env.WORKER_HEARTBEAT_MS ?? 5_000),
  deadAfterMs: Number(process.env.WORKER_DEAD_AFTER_MS ?? 30_000),
  retryBaseMs: process.env.SYNC_RETRY_BASE_MS ? Number(process.env.SYNC_RETRY_BASE_MS) : undefined,
  // Each call's deadline (default 20 s); tests that kill workers shorten it, and with it
  // how long an unanswered create is treated as possibly still in flight.
  callTimeoutMs: process.env.WORKER_CALL_TIMEOUT_MS ? Number(process.env.WORKER_CALL_TIMEOUT_MS) : undefined,
});
console.log(`[worker] sync worker running (pid ${process.pid})`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[worker] ${signal}: finishing running jobs`);
  await worker.stop();
  await closeDatabase();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
