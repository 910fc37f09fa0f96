import { createHmac, timingSafeEqual } from "node:crypto";
import {
  hasScope,
  normaliseShopDomain,
  type AccessTokenRecord,
  type FulfillmentOrderRecord,
  type LocationRecord,
  type ShopRecord,
  type Store,
} from "./store";

/**
 * How Shopify decides who is calling and what they may do: the access token of an
 * installed app (HTTP 401 otherwise), which fulfillment orders its scopes show (the
 * scopes each field needs are ./access, read from the schema), and the token-exchange
 * endpoint that turns an App Bridge session token into an access token (what
 * @shopify/shopify-app-remix's embedded auth strategy calls).
 */

export const INVALID_TOKEN_BODY = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
} as const;

// ---------------------------------------------------------------------------------------
// Which rows a granted scope shows (what scopes a field needs is ./access, from the schema)

/**
 * Whether the app sees an FO at all: FOs at merchant-managed locations need the
 * merchant-managed scope, those at fulfillment-service locations the third-party (or
 * assigned) one. Shopify leaves unseen FOs out of lists and treats them as nonexistent.
 */
export function canAccessFulfillmentOrder(
  granted: readonly string[],
  location: LocationRecord | undefined,
  access: "read" | "write",
): boolean {
  if (location?.fulfillmentService) {
    return (
      hasScope(granted, `${access}_third_party_fulfillment_orders`) ||
      hasScope(granted, `${access}_assigned_fulfillment_orders`)
    );
  }
  return hasScope(granted, `${access}_merchant_managed_fulfillment_orders`);
}

export function fulfillmentOrderAccess(shop: ShopRecord, granted: readonly string[], access: "read" | "write") {
  return (fulfillmentOrder: FulfillmentOrderRecord) =>
    canAccessFulfillmentOrder(granted, shop.locations.get(fulfillmentOrder.locationId), access);
}

// ---------------------------------------------------------------------------------------
// Access tokens on Admin API requests

export type AdminAuthResult =
  | { ok: true; shop: ShopRecord; token: AccessTokenRecord }
  | { ok: false; status: 401 | 404; body: unknown };

/**
 * Finds the shop a request is for (X-Forwarded-Host as set by the app's fetch rewrite, or
 * a *.myshopify.com Host, else the token's owner) and checks its access token.
 */
export function authenticateAdminRequest(
  store: Store,
  headers: { forwardedHost?: string | null; host?: string | null; accessToken?: string | null },
): AdminAuthResult {
  const named = shopFromHeaders(headers);
  const token = store.liveToken(headers.accessToken);
  const shop = named ? store.findShop(named) : token ? store.findShop(token.shop) : undefined;
  if (named && !shop) return { ok: false, status: 404, body: { errors: "Not Found" } };
  if (!shop || !token || token.shop !== shop.domain) {
    return { ok: false, status: 401, body: INVALID_TOKEN_BODY };
  }
  return { ok: true, shop, token };
}

export function shopFromHeaders(headers: { forwardedHost?: string | null; host?: string | null }): string | null {
  const forwarded = headers.forwardedHost?.split(",")[0]?.trim();
  if (forwarded) return normaliseShopDomain(forwarded);
  const host = headers.host ? normaliseShopDomain(headers.host).replace(/:\d+$/, "") : null;
  return host && host.endsWith(".myshopify.com") ? host : null;
}

// ---------------------------------------------------------------------------------------
// Session tokens (App Bridge id tokens) and token exchange

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub?: string;
  exp: number;
  nbf: number;
  iat: number;
  jti?: string;
  sid?: string;
  [claim: string]: unknown;
}

// Same tolerance as @shopify/shopify-api's decodeSessionToken.
const CLOCK_TOLERANCE_SECONDS = 10;

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

/** Signs a session token the way Shopify admin does (HS256 with the app's secret). */
export function signSessionToken(claims: SessionTokenClaims, secret: string): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/**
 * Session token claims for `shop`, valid for a minute from `nowMs` (what App Bridge
 * issues). For tests and the demo, which have no Shopify admin to issue them.
 */
export function sessionTokenClaims(shop: string, apiKey: string, nowMs: number, userId = "1"): SessionTokenClaims {
  const now = Math.floor(nowMs / 1000);
  return {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    sub: userId,
    exp: now + 60,
    nbf: now,
    iat: now,
    jti: `${shop}-${nowMs}`,
    sid: `session-${shop}`,
  };
}

export type SessionTokenCheck = { ok: true; claims: SessionTokenClaims; shop: string } | { ok: false; reason: string };

export function verifySessionToken(token: string, secret: string, apiKey: string, nowMs: number): SessionTokenCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWT" };
  const [header, payload, signature] = parts;
  let parsedHeader: { alg?: string };
  let claims: SessionTokenClaims;
  try {
    parsedHeader = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "undecodable JWT" };
  }
  if (parsedHeader.alg !== "HS256") return { ok: false, reason: `unsupported alg ${parsedHeader.alg}` };
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "signature does not match the app's secret" };
  }
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== "number" || claims.exp + CLOCK_TOLERANCE_SECONDS < now) {
    return { ok: false, reason: "expired" };
  }
  if (typeof claims.nbf === "number" && claims.nbf - CLOCK_TOLERANCE_SECONDS > now) {
    return { ok: false, reason: "not yet valid" };
  }
  if (claims.aud !== apiKey) return { ok: false, reason: "audience is not the app's API key" };
  const dest = typeof claims.dest === "string" ? claims.dest : "";
  const shop = normaliseShopDomain(dest);
  if (!dest.startsWith("https://") || !shop.endsWith(".myshopify.com")) {
    return { ok: false, reason: "dest is not a shop" };
  }
  if (typeof claims.iss !== "string" || normaliseShopDomain(claims.iss) !== shop) {
    return { ok: false, reason: "iss and dest name different shops" };
  }
  return { ok: true, claims, shop };
}

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

export interface OAuthConfig {
  apiKey: string;
  apiSecret: string;
  /** Random hex for token values (seeded, so runs are repeatable). */
  randomHex: (bytes: number) => string;
}

export interface OAuthResponse {
  status: number;
  body: unknown;
}

function oauthError(error: string, description: string, status = 400): OAuthResponse {
  return { status, body: { error, error_description: description } };
}

/**
 * POST /admin/oauth/access_token: token exchange (what shopify-api's `tokenExchange`
 * sends: client_id, client_secret, grant_type, subject_token, subject_token_type,
 * requested_token_type, expiring) and the refresh_token grant for expiring tokens.
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
  if (body.client_id !== config.apiKey || body.client_secret !== config.apiSecret) {
    return oauthError("invalid_client", "Client credentials are invalid.", 401);
  }
  if (body.grant_type === "refresh_token") return refresh(store, config, body, forwardedShop);
  if (body.grant_type !== TOKEN_EXCHANGE_GRANT) {
    return oauthError("unsupported_grant_type", `Grant type ${String(body.grant_type)} is not supported.`);
  }
  if (body.subject_token_type !== ID_TOKEN_TYPE) {
    return oauthError("invalid_request", "subject_token_type must be an id_token.");
  }
  const requested = body.requested_token_type;
  if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
    return oauthError("invalid_request", "requested_token_type is not supported.");
  }
  const check = verifySessionToken(String(body.subject_token ?? ""), config.apiSecret, config.apiKey, store.now());
  if (!check.ok) return oauthError("invalid_subject_token", `Invalid subject token: ${check.reason}.`);
  if (forwardedShop && forwardedShop !== check.shop) {
    return oauthError("invalid_subject_token", "Invalid subject token: issued for another shop.");
  }
  const shop = store.findShop(check.shop);
  if (!shop) return { status: 404, body: { errors: "Not Found" } };
  if (shop.frozen) return { status: 402, body: { errors: "Unavailable Shop" } };
  if (shop.locked) return { status: 423, body: { errors: "Unavailable Shop" } };
  // Admin only issues session tokens for an app the shop has installed; one from before
  // an uninstall is refused like a forged one.
  if (!shop.installed) {
    return oauthError("invalid_subject_token", "Invalid subject token: the app is not installed on this shop.");
  }

  const scope = shop.scopes.join(",");
  if (requested === ONLINE_TOKEN_TYPE) {
    const record = issueToken(store, config, shop.domain, "online", 86_399);
    const userId = Number(check.claims.sub ?? 1) || 1;
    return {
      status: 200,
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
  if (body.expiring === "1" || body.expiring === 1 || body.expiring === true) {
    const record = issueToken(store, config, shop.domain, "offline", 3_600, 7_776_000);
    return {
      status: 200,
      body: {
        access_token: record.token,
        scope,
        expires_in: 3_600,
        refresh_token: record.refreshToken,
        refresh_token_expires_in: 7_776_000,
      },
    };
  }
  // A non-expiring offline token is one per installation: exchanging again returns it.
  const existing = [...store.tokens.values()].find(
    (record) =>
      record.shop === shop.domain && record.kind === "offline" && record.expiresAt === null && store.liveToken(record.token),
  );
  const record = existing ?? issueToken(store, config, shop.domain, "offline", null);
  return { status: 200, body: { access_token: record.token, scope } };
}

function refresh(store: Store, config: OAuthConfig, body: Record<string, unknown>, forwardedShop: string | null) {
  const given = String(body.refresh_token ?? "");
  const record = [...store.tokens.values()].find((candidate) => candidate.refreshToken === given);
  const shop = record ? store.findShop(record.shop) : undefined;
  if (
    !record ||
    !shop ||
    !shop.installed ||
    (forwardedShop !== null && forwardedShop !== shop.domain) ||
    (record.refreshTokenExpiresAt !== null && record.refreshTokenExpiresAt <= store.now())
  ) {
    return oauthError("invalid_grant", "The refresh token is invalid or expired.");
  }
  // A refresh token is single-use.
  record.refreshToken = null;
  const next = issueToken(store, config, shop.domain, "offline", 3_600, 7_776_000);
  return {
    status: 200,
    body: {
      access_token: next.token,
      scope: shop.scopes.join(","),
      expires_in: 3_600,
      refresh_token: next.refreshToken,
      refresh_token_expires_in: 7_776_000,
    },
  };
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
  };
  store.addToken(record);
  return record;
}
