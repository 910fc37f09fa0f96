/**
 * `npm run worker`: a sync worker process on its own (run several, on several
 * machines, against one database). Stops gracefully on SIGINT/SIGTERM: running jobs
 * finish, no new ones are taken.
 */
import "@shopify/shopify-api/adapters/node";
import type { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { closeDatabase, getPool, getPrisma } from "~/db.server";
import { getAdminApiOrigin } from "~/env.server";
import { installAdminApiOrigin } from "~/shopify/admin-api-origin.server";
import { startSyncWorker } from "./runner.server";

// Local simulator / tests only, as in the app: refused without DEMO_MODE (env.server.ts).
const adminApiOrigin = getAdminApiOrigin();
if (adminApiOrigin) installAdminApiOrigin(adminApiOrigin);

// The worker needs only the offline tokens, not the whole Shopify app config.
const storage = new PrismaSessionStorage(getPrisma());

async function loadSession(shop: string) {
  const session: Session | undefined = await storage.loadSession(`offline_${shop}`);
  return session?.accessToken ? { shop: session.shop, accessToken: session.accessToken } : null;
}

const worker = await startSyncWorker({
  pool: getPool(),
  loadSession,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 5),
  heartbeatMs: Number(process.env.WORKER_HEARTBEAT_MS ?? 5_000),
  deadAfterMs: Number(process.env.WORKER_DEAD_AFTER_MS ?? 30_000),
  retryBaseMs: process.env.SYNC_RETRY_BASE_MS ? Number(process.env.SYNC_RETRY_BASE_MS) : undefined,
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
