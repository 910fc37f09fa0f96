import "@shopify/shopify-app-remix/adapters/node";
import { createHash } from "node:crypto";
import {
  AppDistribution,
  LogSeverity,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

import { getPool, getPrisma } from "./db.server";
import { getEnv } from "./env.server";
import {
  redirectAdminApiFetch,
  wrapLibraryFetch,
} from "./shopify/admin-api-origin.server";
import { ADMIN_API_VERSION } from "./shopify/api-version";
import { EncryptedSessionStorage } from "./shopify/encrypted-session-storage.server";
import { OfflineTokenExchanges } from "./shopify/offline-token-exchange.server";
import { TokenCipher } from "./shopify/token-cipher.server";
import {
  getShopSyncPause,
  applyGrantedScopes,
  resumeShopSync,
} from "./shops/sync-circuit.server";
import { parseScopes, upsertInstalledShop } from "./shops/shops.server";
import { refreshShopTimeZone } from "./shops/shop-time-zone.server";

/**
 * The Admin API version the whole app speaks: GraphQL documents are validated against
 * this version's schema, and shopify.app.toml's [webhooks] api_version says the same.
 */
export { ADMIN_API_VERSION };

const env = getEnv();

// A page's loaders each authenticate at once: one offline token exchange per shop at a
// time, or a later one revokes the token an earlier one stores (see the module).
const tokenExchanges = new OfflineTokenExchanges({ pool: getPool });
const adminApiOrigin = env.SHOPIFY_ADMIN_API_ORIGIN;
wrapLibraryFetch([
  // Local simulator and tests only; production never sets it (see the module's comment).
  ...(adminApiOrigin
    ? [(base: typeof fetch) => redirectAdminApiFetch(adminApiOrigin, base)]
    : []),
  (base) => tokenExchanges.wrap(base),
]);

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  scopes: env.SCOPES,
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // The library logs every request at INFO; under test that hides real failures.
  logger: {
    level:
      process.env.NODE_ENV === "test" ? LogSeverity.Error : LogSeverity.Info,
  },
  // Tokens encrypted at rest; refresh tokens are kept from the library (see the class).
  sessionStorage: new EncryptedSessionStorage(
    new PrismaSessionStorage(getPrisma()),
    new TokenCipher(env.TOKEN_ENCRYPTION_KEYS),
    { onOfflineStored: (shop) => tokenExchanges.stored(shop) },
  ),
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  future: {
    // Shopify-managed install + token exchange: no OAuth redirects inside the admin.
    // (v6 has no REST client at all, so the template's removeRest flag is gone.)
    unstable_newEmbeddedAuthStrategy: true,
    // Token exchange asks for expiring offline tokens (60 min + a rotating refresh
    // token); required for public apps, and non-expiring ones stop working 2027-01-01.
    // Background work refreshes them through ~/offline-session.server.
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    // Runs after a token exchange, i.e. on install, on reinstall and whenever the
    // stored offline session was missing. Webhooks are declared in shopify.app.toml,
    // so there is nothing to register here.
    afterAuth: ({ session }) =>
      // Loaders that shared one token exchange each run this hook: once per token is enough.
      oncePerToken(session.shop, session.accessToken, () =>
        afterTokenExchange(session),
      ),
  },
  ...(env.SHOP_CUSTOM_DOMAIN
    ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] }
    : {}),
});

async function afterTokenExchange(session: {
  shop: string;
  scope?: string;
  accessToken?: string;
}) {
  await upsertInstalledShop(
    getPool(),
    session.shop,
    parseScopes(session.scope),
  );
  // A fresh token: a shop paused for re-authorization syncs again.
  const pause = await getShopSyncPause(getPool(), session.shop);
  if (pause?.reason === "reauth_required")
    await resumeShopSync(getPool(), session.shop);
  await applyGrantedScopes(getPool(), session.shop, parseScopes(session.scope));
  // The shop's time zone for the pages' times (kept as it was if Shopify does not answer).
  if (session.accessToken) {
    await refreshShopTimeZone(getPool(), {
      shop: session.shop,
      accessToken: session.accessToken,
    });
  }
}

// Keyed by a digest, not the token: the map outlives the requests for a minute.
const afterAuthRuns = new Map<string, Promise<void>>();
function oncePerToken(
  shop: string,
  token: string | undefined,
  run: () => Promise<void>,
): Promise<void> {
  const key = createHash("sha256")
    .update(`${shop} ${token ?? ""}`)
    .digest("hex");
  let running = afterAuthRuns.get(key);
  if (!running) {
    running = run().then(
      () => {
        setTimeout(() => afterAuthRuns.delete(key), 60_000).unref();
      },
      (error: unknown) => {
        afterAuthRuns.delete(key); // a failure is not shared with later requests
        throw error;
      },
    );
    afterAuthRuns.set(key, running);
  }
  return running;
}

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;

const APP_BRIDGE_CDN_PRELOAD = "cdn.shopify.com/shopifycloud/app-bridge.js";

/**
 * The library's document headers (frame-ancestors CSP, App Bridge preload). With a
 * local App Bridge stand-in (APP_BRIDGE_URL, demo and browser tests) the preload of
 * the CDN script is dropped: the CDN is unreachable there and the page must not wait
 * for it.
 */
export function addDocumentResponseHeaders(
  request: Request,
  headers: Headers,
): void {
  shopify.addDocumentResponseHeaders(request, headers);
  if (
    env.APP_BRIDGE_URL &&
    headers.get("Link")?.includes(APP_BRIDGE_CDN_PRELOAD)
  ) {
    headers.delete("Link");
  }
}
