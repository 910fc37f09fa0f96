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
 * scopes each field needs are ./access, read from the schema), and the App Bridge
 * session tokens that token exchange (tokens.ts) accepts.
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
  store.markTokenUsed(token);
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
