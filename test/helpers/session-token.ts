import { createHmac, randomUUID } from "node:crypto";

import { TEST_APP } from "./app-env";

/**
 * A session token as App Bridge would send it: an HS256 JWT signed with the app's
 * secret. Defaults make a valid token for `shop`, issued now, valid for a minute;
 * override any claim (or the secret) to make an invalid one.
 */
export interface SessionTokenOptions {
  shop: string;
  /** Signing secret; defaults to the test app's secret. */
  secret?: string;
  /** Seconds since the epoch the token is "issued"; defaults to now. */
  issuedAt?: number;
  /** Lifetime in seconds from issuedAt (negative for an already expired token). */
  expiresIn?: number;
  claims?: Partial<SessionTokenClaims>;
}

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

export function signSessionToken({
  shop,
  secret = TEST_APP.apiSecret,
  issuedAt = Math.floor(Date.now() / 1000),
  expiresIn = 60,
  claims = {},
}: SessionTokenOptions): string {
  const payload: SessionTokenClaims = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: TEST_APP.apiKey,
    sub: "42",
    exp: issuedAt + expiresIn,
    nbf: issuedAt,
    iat: issuedAt,
    jti: randomUUID(),
    sid: randomUUID(),
    ...claims,
  };
  const encode = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
  const signature = createHmac("sha256", secret)
    .update(unsigned)
    .digest("base64url");
  return `${unsigned}.${signature}`;
}
