import { getPool } from "~/db.server";
import { encryptStoredTokens, loadOfflineSession } from "~/offline-session.server";
import { startSyncWorker, type SyncWorker } from "./runner.server";

/**
 * The worker inside the app server (the default): started once per process when the
 * server build loads. Set RUN_WORKER_IN_APP=false to run workers only as separate
 * processes (`npm run worker`).
 */
declare global {
  // eslint-disable-next-line no-var
  var __inAppSyncWorker: Promise<SyncWorker | null> | undefined;
}

export function ensureInAppWorker(): Promise<SyncWorker | null> {
  if (process.env.RUN_WORKER_IN_APP === "false" || process.env.VITEST) return Promise.resolve(null);
  globalThis.__inAppSyncWorker ??= encryptStoredTokens()
    .then(() =>
      startSyncWorker({
        pool: getPool(),
        loadSession: loadOfflineSession,
        concurrency: Number(process.env.WORKER_CONCURRENCY ?? 5),
      }),
    )
    .catch((error) => {
    console.error("[worker] the in-app sync worker did not start; syncs stay queued", error);
    globalThis.__inAppSyncWorker = undefined;
    return null;
  });
  return globalThis.__inAppSyncWorker;
}
