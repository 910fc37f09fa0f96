import { verifySessionToken } from "./auth";
import type { AccessTokenRecord, Store } from "./store";

export { NON_EXPIRING_CUTOFF, SHOPIFY_TOKEN_LIFETIMES, type TokenLifetimes } from "./store";

/**
 * Shopify's token endpoint, POST /admin/oauth/access_token, and the lifecycle of offline
 * tokens: token exchange (an App Bridge id token → online, non-expiring or expiring
 * offline token), the migration of a non-expiring offline token to an expiring one, and
 * the refresh grant with Shopify's rotation rules. See the README's "Tokens" section for
 * which rules are Shopify's documented ones and which are our stricter choices.
 */

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

const DAY_MS = 86_400_000;
/** A retired refresh token can be retried for at most 30 days after its first use. */
export const REFRESH_RECOVERY_MS = 30 * DAY_MS;
/** A lost migration answer can be recovered by repeating the exchange for 7 days. */
export const MIGRATION_RECOVERY_MS = 7 * DAY_MS;

export interface OAuthConfig {
  apiKey: string;
  apiSecret: string;
  /** Random hex for token values (seeded, so runs are repeatable). */
  randomHex: (bytes: number) => string;
}

export type TokenGrant = "token_exchange" | "migration" | "refresh_token" | "other";

export interface OAuthResponse {
  status: number;
  body: unknown;
  grant: TokenGrant;
  /** The shop the request was about, when known (for the grant log). */
  shop: string | null;
  /** The access token issued (or returned again). */
  issued?: string;
}

function oauthError(grant: TokenGrant, shop: string | null, error: string, description: string, status = 400): OAuthResponse {
  return { status, grant, shop, body: { error, error_description: description } };
}

/**
 * POST /admin/oauth/access_token with the bodies @shopify/shopify-api 15 sends:
 * `tokenExchange` (client_id, client_secret, grant_type, subject_token,
 * subject_token_type, requested_token_type, expiring), `migrateToExpiringToken` (the same
 * with an offline token as subject) and `refreshToken` (grant_type refresh_token).
 *
 * An invalid session token gets 400 `invalid_subject_token`, which shopify-app-remix
 * answers by asking App Bridge for a fresh one.
 */
export function handleAccessTokenRequest(
  store: Store,
  config: OAuthConfig,
  body: Record<string, unknown>,
  forwardedShop: string | null,
): OAuthResponse {
  const grant: TokenGrant =
    body.grant_type === "refresh_token"
      ? "refresh_token"
      : body.grant_type === TOKEN_EXCHANGE_GRANT
        ? body.subject_token_type === OFFLINE_TOKEN_TYPE
          ? "migration"
          : "token_exchange"
        : "other";
  if (body.client_id !== config.apiKey || body.client_secret !== config.apiSecret) {
    return oauthError(grant, forwardedShop, "invalid_client", "Client credentials are invalid.", 401);
  }
  switch (grant) {
    case "refresh_token":
      return refresh(store, config, body, forwardedShop);
    case "migration":
      return migrate(store, config, body, forwardedShop);
    case "token_exchange":
      return exchange(store, config, body, forwardedShop);
    default:
      return oauthError(grant, forwardedShop, "unsupported_grant_type", `Grant type ${String(body.grant_type)} is not supported.`);
  }
}

const isExpiringRequest = (body: Record<string, unknown>) =>
  body.expiring === "1" || body.expiring === 1 || body.expiring === true;

function exchange(store: Store, config: OAuthConfig, body: Record<string, unknown>, forwardedShop: string | null): OAuthResponse {
  const grant = "token_exchange";
  if (body.subject_token_type !== ID_TOKEN_TYPE) {
    return oauthError(grant, forwardedShop, "invalid_request", "subject_token_type must be an id_token.");
  }
  const requested = body.requested_token_type;
  if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
    return oauthError(grant, forwardedShop, "invalid_request", "requested_token_type is not supported.");
  }
  const check = verifySessionToken(String(body.subject_token ?? ""), config.apiSecret, config.apiKey, store.now());
  if (!check.ok) return oauthError(grant, forwardedShop, "invalid_subject_token", `Invalid subject token: ${check.reason}.`);
  if (forwardedShop && forwardedShop !== check.shop) {
    return oauthError(grant, forwardedShop, "invalid_subject_token", "Invalid subject token: issued for another shop.");
  }
  const shop = store.findShop(check.shop);
  if (!shop) return { status: 404, grant, shop: check.shop, body: { errors: "Not Found" } };
  if (shop.frozen) return { status: 402, grant, shop: shop.domain, body: { errors: "Unavailable Shop" } };
  if (shop.locked) return { status: 423, grant, shop: shop.domain, body: { errors: "Unavailable Shop" } };
  // Admin only issues session tokens for an app the shop has installed; one from before
  // an uninstall is refused like a forged one.
  if (!shop.installed) {
    return oauthError(grant, shop.domain, "invalid_subject_token", "Invalid subject token: the app is not installed on this shop.");
  }

  const scope = shop.scopes.join(",");
  if (requested === ONLINE_TOKEN_TYPE) {
    const record = issueToken(store, config, shop.domain, "online", 86_399);
    const userId = Number(check.claims.sub ?? 1) || 1;
    return {
      status: 200,
      grant,
      shop: shop.domain,
      issued: record.token,
      body: {
        access_token: record.token,
        scope,
        expires_in: 86_399,
        associated_user_scope: scope,
        associated_user: {
          id: userId,
          first_name: "Staff",
          last_name: `User ${userId}`,
          email: `staff-${userId}@${shop.domain}`,
          email_verified: true,
          account_owner: userId === 1,
          locale: "ja",
          collaborator: false,
        },
      },
    };
  }
  if (isExpiringRequest(body)) {
    // A new acquisition replaces the shop's earlier offline tokens (stricter reading).
    store.revokeOfflineTokens(shop.domain);
    const record = issueExpiringPair(store, config, shop.domain, "exchange");
    return { status: 200, grant, shop: shop.domain, issued: record.token, body: pairBody(store, record, scope) };
  }
  // A non-expiring offline token is one per installation: exchanging again returns it.
  const existing = [...store.tokens.values()].find(
    (record) =>
      record.shop === shop.domain && record.kind === "offline" && record.expiresAt === null && store.liveToken(record.token),
  );
  const record = existing ?? issueToken(store, config, shop.domain, "offline", null);
  return { status: 200, grant, shop: shop.domain, issued: record.token, body: { access_token: record.token, scope } };
}

/**
 * Token exchange with a non-expiring offline token as the subject (what
 * `migrateToExpiringToken` sends): an expiring pair, and the original token stops
 * working. Repeating it with the same original token within 7 days returns the same
 * pair (its access token's expiry extended), until that pair is refreshed or replaced.
 */
function migrate(store: Store, config: OAuthConfig, body: Record<string, unknown>, forwardedShop: string | null): OAuthResponse {
  const grant = "migration";
  const refuse = (why: string) => oauthError(grant, forwardedShop, "invalid_subject_token", `Invalid subject token: ${why}.`);
  if (body.requested_token_type !== OFFLINE_TOKEN_TYPE) {
    return oauthError(grant, forwardedShop, "invalid_request", "requested_token_type must be an offline access token.");
  }
  if (!isExpiringRequest(body)) {
    return oauthError(grant, forwardedShop, "invalid_request", "An offline access token can only be exchanged for an expiring one (expiring=1).");
  }
  const original = store.tokens.get(String(body.subject_token ?? ""));
  if (!original || original.kind !== "offline" || original.expiresAt !== null) return refuse("not a non-expiring offline access token");
  if (forwardedShop && forwardedShop !== original.shop) return refuse("issued for another shop");
  const shop = store.findShop(original.shop);
  if (!shop || !shop.installed) return refuse("the app is not installed on this shop");
  const scope = shop.scopes.join(",");

  if (original.migratedTo) {
    const pair = store.tokens.get(original.migratedTo);
    const eligible =
      pair &&
      original.migratedAt !== null &&
      store.now() - original.migratedAt <= MIGRATION_RECOVERY_MS &&
      !pair.revoked &&
      pair.retiredAt === null &&
      pair.refreshedAt === null;
    if (!pair || !eligible) return refuse("this token was already exchanged");
    pair.expiresAt = Math.max(pair.expiresAt ?? 0, store.now() + store.tokenLifetimes.offlineAccessSeconds * 1000);
    return { status: 200, grant, shop: shop.domain, issued: pair.token, body: pairBody(store, pair, scope) };
  }
  if (!store.liveToken(original.token)) return refuse("the token is revoked or no longer accepted");
  store.revokeOfflineTokens(shop.domain);
  const pair = issueExpiringPair(store, config, shop.domain, "migration");
  original.migratedTo = pair.token;
  original.migratedAt = store.now();
  return { status: 200, grant, shop: shop.domain, issued: pair.token, body: pairBody(store, pair, scope) };
}

/**
 * The refresh grant. Each refresh returns a new pair. The pair whose refresh token was
 * used stays usable (its access token until it expires, its refresh token for retries)
 * until the new pair is first used — by an Admin API call with the new access token or
 * a refresh with the new refresh token — and at most 30 days after its first refresh.
 * A retry with the old refresh token returns yet another pair and retires the one it
 * replaces, so only the newest answer is ever good.
 */
function refresh(store: Store, config: OAuthConfig, body: Record<string, unknown>, forwardedShop: string | null): OAuthResponse {
  const grant = "refresh_token";
  const invalid = () => oauthError(grant, forwardedShop, "invalid_grant", "The refresh token is invalid or expired.");
  const given = String(body.refresh_token ?? "");
  const record = given ? [...store.tokens.values()].find((candidate) => candidate.refreshToken === given) : undefined;
  const shop = record ? store.findShop(record.shop) : undefined;
  const now = store.now();
  if (
    !record ||
    !shop ||
    !shop.installed ||
    record.revoked ||
    record.retiredAt !== null ||
    (forwardedShop !== null && forwardedShop !== shop.domain) ||
    (record.refreshTokenExpiresAt !== null && record.refreshTokenExpiresAt <= now)
  ) {
    return invalid();
  }
  if (record.refreshedAt !== null) {
    if (now - record.refreshedAt > REFRESH_RECOVERY_MS) return invalid();
    const superseded = record.successor ? store.tokens.get(record.successor) : undefined;
    if (superseded) superseded.retiredAt = now;
  } else {
    record.refreshedAt = now;
  }
  // Using a pair's refresh token is a use of that pair: its own predecessor retires.
  store.markTokenUsed(record);
  const next = issueExpiringPair(store, config, shop.domain, "refresh");
  next.predecessor = record.token;
  record.successor = next.token;
  return { status: 200, grant, shop: shop.domain, issued: next.token, body: pairBody(store, next, shop.scopes.join(",")) };
}

function pairBody(store: Store, record: AccessTokenRecord, scope: string) {
  const now = store.now();
  return {
    access_token: record.token,
    scope,
    expires_in: Math.max(0, Math.round(((record.expiresAt ?? now) - now) / 1000)),
    refresh_token: record.refreshToken,
    refresh_token_expires_in: Math.max(0, Math.round(((record.refreshTokenExpiresAt ?? now) - now) / 1000)),
  };
}

/** An expiring offline pair with the simulator's current lifetimes. */
export function issueExpiringPair(
  store: Store,
  config: Pick<OAuthConfig, "randomHex">,
  shop: string,
  via: AccessTokenRecord["via"],
  value?: string,
): AccessTokenRecord {
  const { offlineAccessSeconds, refreshSeconds } = store.tokenLifetimes;
  const record = issueToken(store, config, shop, "offline", offlineAccessSeconds, refreshSeconds, value);
  record.via = via;
  return record;
}

export function issueToken(
  store: Store,
  config: Pick<OAuthConfig, "randomHex">,
  shop: string,
  kind: "offline" | "online",
  expiresInSeconds: number | null,
  refreshExpiresInSeconds: number | null = null,
  value?: string,
): AccessTokenRecord {
  const now = store.now();
  const record: AccessTokenRecord = {
    token: value ?? `${kind === "offline" ? "shpat" : "shpua"}_${config.randomHex(16)}`,
    shop,
    kind,
    expiresAt: expiresInSeconds === null ? null : now + expiresInSeconds * 1000,
    refreshToken: refreshExpiresInSeconds === null ? null : `shprt_${config.randomHex(16)}`,
    refreshTokenExpiresAt: refreshExpiresInSeconds === null ? null : now + refreshExpiresInSeconds * 1000,
    revoked: false,
    via: "installed",
    issuedAt: now,
    firstUsedAt: null,
    refreshedAt: null,
    predecessor: null,
    successor: null,
    retiredAt: null,
    migratedTo: null,
    migratedAt: null,
  };
  store.addToken(record);
  return record;
}
