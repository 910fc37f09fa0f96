import type { Pool } from "pg";
import { getTokenEnv } from "~/env.server";
import { OfflineTokens } from "~/shopify/offline-token.server";
import { TokenCipher } from "~/shopify/token-cipher.server";
import { pauseShopSync } from "./sync-circuit.server";

/**
 * OfflineTokens on `pool` with the app's credentials and token keys from the environment
 * (SHOPIFY_API_KEY, SHOPIFY_API_SECRET, TOKEN_ENCRYPTION_KEYS): the app's and the worker's
 * (offline-session.server.ts), and the Edge Function's, which has its own pool. A token
 * Shopify refuses for good pauses the shop's syncs until it is re-authorized.
 */
export function offlineTokensFromEnv(pool: Pool): OfflineTokens {
  const env = getTokenEnv();
  return new OfflineTokens({
    pool,
    cipher: new TokenCipher(env.keys),
    apiKey: env.apiKey,
    apiSecret: env.apiSecret,
    pauseShop: (shop) => pauseShopSync(pool, shop, "reauth_required"),
  });
}
