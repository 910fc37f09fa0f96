import { getPool } from "~/db.server";
import type { AdminApiSession } from "~/shopify/admin-graphql.server";
import { offlineTokensFromEnv } from "~/shops/offline-tokens.server";
import type { OfflineTokens } from "~/shopify/offline-token.server";
import { reencryptAllTokens } from "~/shopify/token-reencrypt.server";

/**
 * The shop's offline session for background work (the queue, webhook handlers,
 * reconcile, backfill, inline syncs after an action): the one entry point, through
 * OfflineTokens, which refreshes expiring tokens ahead of expiry with one refresh per
 * shop across processes. Used by the app server and the worker process alike (it
 * needs only DATABASE_URL, the app's credentials and TOKEN_ENCRYPTION_KEYS).
 */
let tokens: OfflineTokens | undefined;
let tokensPool: ReturnType<typeof getPool> | undefined;

export function offlineTokens(): OfflineTokens {
  const pool = getPool();
  // Tests close and reopen the pool between files: follow it.
  if (!tokens || tokensPool !== pool) {
    tokens = offlineTokensFromEnv(pool);
    tokensPool = pool;
  }
  return tokens;
}

export function loadOfflineSession(shop: string): Promise<AdminApiSession | null> {
  return offlineTokens().loadSession(shop);
}

/**
 * At worker start: tokens stored before encryption (or under a key being rotated out)
 * are re-encrypted with the current key. A failure is logged, never fatal: each row is
 * also re-encrypted when it is next used.
 */
export async function encryptStoredTokens(): Promise<void> {
  try {
    const report = await reencryptAllTokens(getPool(), offlineTokens().cipher);
    if (report.reencrypted > 0 || report.undecryptable.length > 0) {
      console.log(
        `[tokens] re-encrypted ${report.reencrypted} session(s) (${report.fromPlaintext} from plaintext)` +
          (report.undecryptable.length > 0 ? `; not decryptable: ${report.undecryptable.join(", ")}` : ""),
      );
    }
  } catch (error) {
    console.error("[tokens] re-encrypting stored tokens failed; rows are re-encrypted on use", error);
  }
}
