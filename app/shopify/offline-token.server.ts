import { abstractFetch } from "@shopify/shopify-api/runtime";
import type { Pool, PoolClient } from "pg";
import { createSyncError } from "~/fulfillment/errors";
import type { AdminApiSession, OfflineTokenSource } from "./admin-graphql.server";
import { tokenContext, TokenCipher } from "./token-cipher.server";

/**
 * The one way background work (the queue worker, webhook handlers, reconcile, backfill,
 * inline syncs) obtains a shop's offline token. Shopify's expiring offline tokens live
 * 60 minutes; reading the stored token directly would stop working after an hour.
 *
 * - Refreshes ahead of expiry: when less than min(5 min, half the token's lifetime)
 *   remains (the library's own margin is 5 min; half keeps short test lifetimes sane).
 * - One refresh per shop across processes: a transaction-scoped advisory lock keyed by
 *   the shop, the row read again after acquiring it (someone else may have refreshed
 *   meanwhile), the new pair written in that transaction only if the row still holds
 *   the token that was refreshed (compare-and-swap: a token exchange by the library
 *   may have stored a newer pair). A process killed after Shopify answered but before
 *   the commit stored nothing: Shopify keeps the previous refresh token usable until
 *   the new pair is used, so the next caller simply refreshes again.
 * - A non-expiring token is moved over as Shopify documents: token exchange with the
 *   token itself as subject and `expiring=1`. If Shopify refuses that, the token is used
 *   as it is (it works until 2027-01-01) and the move is tried again later.
 * - A refresh Shopify refuses for good (revoked, uninstalled) pauses the shop with the
 *   re-authorization banner (reauth_required) and answers null: nothing loops; a token
 *   exchange when the merchant opens the app resumes it (afterAuth).
 * - A token Shopify answered 401 for is replaced once (afterUnauthorized): by a token
 *   someone else stored meanwhile, or by a forced refresh.
 */
export interface OfflineTokenDeps {
  pool: Pool;
  cipher: TokenCipher;
  /** The app's client credentials, sent with the refresh grant as the library sends them. */
  apiKey: string;
  apiSecret: string;
  /** Called when Shopify refuses the refresh for good; default: pause with reauth_required. */
  /** Stops the shop's syncs until it is re-authorized (wired by the composition: shops/offline-tokens.server.ts). */
  pauseShop: (shop: string, reason: string) => Promise<void>;
  now?: () => number;
  /** Deadline of one call to the token endpoint. */
  timeoutMs?: number;
}

/** The shop's token lock: pg_advisory_(xact_)lock(namespace, hashtext(shop)), refresh and exchange alike. */
export const OFFLINE_TOKEN_LOCK_NAMESPACE = 7304;
const LIBRARY_MARGIN_MS = 5 * 60_000;
const ASSUMED_LIFETIME_MS = 60 * 60_000;
/** After Shopify refused to move a non-expiring token, wait this long before asking again. */
const MIGRATION_RETRY_MS = 10 * 60_000;
const GRANT_TIMEOUT_MS = 10_000;

interface StoredRow {
  id: string;
  access_token: string;
  refresh_token: string | null;
  expires: Date | null;
  access_token_issued_at: Date | null;
}

interface StoredToken {
  row: StoredRow;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number | null;
  issuedAt: number | null;
  /** Plaintext, or under an old key. */
  stale: boolean;
}

type GrantResult =
  | { kind: "issued"; accessToken: string; refreshToken: string | null; expiresAt: number; refreshTokenExpiresAt: number | null; scope: string | null }
  | { kind: "refused"; status: number; error: string }
  | { kind: "unavailable"; message: string };

export class OfflineTokens {
  private readonly now: () => number;
  private readonly inFlight = new Map<string, Promise<string | null>>();
  private readonly migrationRefusedAt = new Map<string, number>();
  /** Stored refresh tokens (ciphertext) Shopify refused for good: never sent again. */
  private readonly refused = new Set<string>();

  constructor(private readonly deps: OfflineTokenDeps) {
    this.now = deps.now ?? Date.now;
  }

  get cipher(): TokenCipher {
    return this.deps.cipher;
  }

  /** The shop's offline session for Admin API calls, or null (none stored, or refused for good). */
  async loadSession(shop: string): Promise<AdminApiSession | null> {
    const accessToken = await this.current(shop);
    if (!accessToken) return null;
    const source: OfflineTokenSource = {
      current: () => this.current(shop),
      afterUnauthorized: (rejected) => this.replace(shop, rejected),
    };
    return { shop, accessToken, tokenSource: source };
  }

  /** A token good for the next call: refreshed first when it is close to expiry. */
  async current(shop: string): Promise<string | null> {
    const stored = await this.read(this.deps.pool, shop);
    if (!stored || !stored.accessToken) return null;
    if (stored.stale) await this.reencrypt(stored);
    if (!this.due(shop, stored)) return stored.accessToken;
    return this.singleFlight(shop, () => this.renew(shop, stored.accessToken, false));
  }

  /** After Shopify answered 401 for `rejected`: a different token, or null. */
  async replace(shop: string, rejected: string): Promise<string | null> {
    const stored = await this.read(this.deps.pool, shop);
    if (!stored || !stored.accessToken) return null;
    if (stored.accessToken !== rejected) return stored.accessToken;
    const renewed = await this.singleFlight(shop, () => this.renew(shop, rejected, true));
    return renewed && renewed !== rejected ? renewed : null;
  }

  private due(shop: string, stored: StoredToken): boolean {
    if (stored.expiresAt === null) {
      const refusedAt = this.migrationRefusedAt.get(shop);
      return refusedAt === undefined || this.now() - refusedAt >= MIGRATION_RETRY_MS;
    }
    const lifetime =
      stored.issuedAt !== null && stored.expiresAt > stored.issuedAt ? stored.expiresAt - stored.issuedAt : ASSUMED_LIFETIME_MS;
    const margin = Math.min(LIBRARY_MARGIN_MS, lifetime / 2);
    return stored.expiresAt - this.now() <= margin;
  }

  /** Concurrent callers in this process share one renewal per shop. */
  private singleFlight(shop: string, work: () => Promise<string | null>): Promise<string | null> {
    let running = this.inFlight.get(shop);
    if (!running) {
      running = work().finally(() => this.inFlight.delete(shop));
      this.inFlight.set(shop, running);
    }
    return running;
  }

  /**
   * Under the shop's lock: re-read, and unless someone else renewed meanwhile, ask
   * Shopify for a new pair and store it (compare-and-swap on the ciphertext read).
   */
  private async renew(shop: string, seen: string, force: boolean): Promise<string | null> {
    const client = await this.deps.pool.connect();
    let open = false;
    try {
      await client.query("begin");
      open = true;
      await client.query("select pg_advisory_xact_lock($1, hashtext($2))", [OFFLINE_TOKEN_LOCK_NAMESPACE, shop]);
      const stored = await this.read(client, shop);
      if (!stored || !stored.accessToken) return null;
      if (stored.accessToken !== seen) return stored.accessToken;
      if (!force && !this.due(shop, stored)) return stored.accessToken;

      const migrating = stored.expiresAt === null;
      if (!migrating && !stored.refreshToken) {
        // An expiring token without its refresh token (the library invalidated it): only
        // the merchant opening the app (token exchange) brings a new one.
        await client.query("rollback");
        open = false;
        return this.expiredForGood(shop, stored, force, "no refresh token is stored");
      }
      if (!migrating && this.refused.has(stored.row.refresh_token!)) {
        await client.query("rollback");
        open = false;
        return this.expiredForGood(shop, stored, force, "Shopify refused this refresh token before");
      }
      const result = migrating
        ? await this.grant(shop, {
            grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
            subject_token: stored.accessToken,
            subject_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
            requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
            expiring: "1",
          })
        : await this.grant(shop, { grant_type: "refresh_token", refresh_token: stored.refreshToken! });

      if (result.kind === "issued") {
        const written = await client.query(
          `update shopify_sessions
              set access_token = $3, refresh_token = $4,
                  expires = ($5::timestamptz at time zone 'UTC'),
                  refresh_token_expires = ($6::timestamptz at time zone 'UTC'),
                  scope = coalesce($7, scope)
            where id = $1 and access_token = $2`,
          [
            stored.row.id,
            stored.row.access_token,
            this.deps.cipher.encrypt(result.accessToken, tokenContext(stored.row.id, "access_token")),
            result.refreshToken
              ? this.deps.cipher.encrypt(result.refreshToken, tokenContext(stored.row.id, "refresh_token"))
              : null,
            new Date(result.expiresAt).toISOString(),
            result.refreshTokenExpiresAt === null ? null : new Date(result.refreshTokenExpiresAt).toISOString(),
            result.scope,
          ],
        );
        await client.query("commit");
        open = false;
        this.migrationRefusedAt.delete(shop);
        if ((written.rowCount ?? 0) === 1) return result.accessToken;
        // The library stored a newer pair (token exchange) while we asked: that one wins.
        return (await this.read(this.deps.pool, shop))?.accessToken || null;
      }
      if (result.kind === "unavailable") {
        const stillValid = stored.expiresAt === null || stored.expiresAt > this.now();
        if (!force && stillValid) return stored.accessToken;
        throw createSyncError("transient", `Could not renew the shop's access token: ${result.message}`, {
          retryable: true,
        });
      }
      if (migrating) {
        this.migrationRefusedAt.set(shop, this.now());
        console.warn(`[tokens] ${shop}: Shopify refused to move the non-expiring token over (${result.status} ${result.error})`);
        if (!force) return stored.accessToken;
      }
      await client.query("rollback");
      open = false;
      this.refused.add(stored.row.refresh_token!);
      return this.expiredForGood(shop, stored, true, `Shopify refused the refresh (${result.status} ${result.error})`);
    } finally {
      if (open) await client.query("rollback").catch(() => undefined);
      client.release();
    }
  }

  /**
   * Nothing left to renew with. A token that may still work is returned (unless Shopify
   * already refused it); otherwise, unless someone stored a new token meanwhile, the
   * shop is paused for re-authorization.
   */
  private async expiredForGood(
    shop: string,
    stored: StoredToken,
    refused: boolean,
    reason: string,
  ): Promise<string | null> {
    if (!refused && stored.expiresAt !== null && stored.expiresAt > this.now()) return stored.accessToken;
    const latest = await this.read(this.deps.pool, shop);
    if (latest?.accessToken && latest.row.access_token !== stored.row.access_token) return latest.accessToken;
    await this.deps.pauseShop(shop, reason);
    return null;
  }

  private async grant(shop: string, fields: Record<string, string>): Promise<GrantResult> {
    let response: Response;
    try {
      response = await abstractFetch(`https://${shop}/admin/oauth/access_token`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ client_id: this.deps.apiKey, client_secret: this.deps.apiSecret, ...fields }),
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? GRANT_TIMEOUT_MS),
      });
    } catch (error) {
      return { kind: "unavailable", message: error instanceof Error ? error.message : String(error) };
    }
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.ok && typeof body?.access_token === "string") {
      const now = this.now();
      // A missing expires_in is read as Shopify's documented hour, never as "never expires".
      const expiresIn = typeof body.expires_in === "number" ? body.expires_in : ASSUMED_LIFETIME_MS / 1000;
      return {
        kind: "issued",
        accessToken: body.access_token,
        refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : null,
        expiresAt: now + expiresIn * 1000,
        refreshTokenExpiresAt:
          typeof body.refresh_token_expires_in === "number" ? now + body.refresh_token_expires_in * 1000 : null,
        scope: typeof body.scope === "string" ? body.scope : null,
      };
    }
    // 400 invalid_grant / invalid_subject_token: the grant is dead. Anything else
    // (5xx, 429, 402/423, a gateway page) says nothing about the token: try later.
    const error = typeof body?.error === "string" ? body.error : "";
    if (response.status === 400 && (error === "invalid_grant" || error === "invalid_subject_token")) {
      return { kind: "refused", status: response.status, error };
    }
    return { kind: "unavailable", message: `HTTP ${response.status}${error ? ` ${error}` : ""}` };
  }

  private async read(db: Pool | PoolClient, shop: string): Promise<StoredToken | null> {
    const result = await db.query<StoredRow>(
      `select id, access_token, refresh_token,
              (expires at time zone 'UTC') as expires, access_token_issued_at
         from shopify_sessions where id = $1`,
      [`offline_${shop}`],
    );
    const row = result.rows[0];
    if (!row) return null;
    const access = this.deps.cipher.decrypt(row.access_token, tokenContext(row.id, "access_token"));
    const refresh = row.refresh_token
      ? this.deps.cipher.decrypt(row.refresh_token, tokenContext(row.id, "refresh_token"))
      : null;
    return {
      row,
      accessToken: access.value,
      refreshToken: refresh?.value ?? null,
      expiresAt: row.expires ? new Date(row.expires).getTime() : null,
      issuedAt: row.access_token_issued_at ? new Date(row.access_token_issued_at).getTime() : null,
      stale: access.stale || (refresh?.stale ?? false),
    };
  }

  /** Plaintext (or old-key) tokens are written back under the current key, if unchanged. */
  private async reencrypt(stored: StoredToken): Promise<void> {
    await reencryptRow(this.deps.pool, this.deps.cipher, stored.row);
  }
}

/**
 * Re-encrypts one session row under the current key, unless it changed since it was
 * read. Returns whether it wrote.
 */
export async function reencryptRow(
  db: Pool | PoolClient,
  cipher: TokenCipher,
  row: { id: string; access_token: string; refresh_token: string | null },
): Promise<boolean> {
  const access = cipher.decrypt(row.access_token, tokenContext(row.id, "access_token"));
  const refresh = row.refresh_token ? cipher.decrypt(row.refresh_token, tokenContext(row.id, "refresh_token")) : null;
  if (!access.stale && !refresh?.stale) return false;
  const written = await db.query(
    `update shopify_sessions set access_token = $3, refresh_token = $5
      where id = $1 and access_token = $2 and refresh_token is not distinct from $4`,
    [
      row.id,
      row.access_token,
      access.value ? cipher.encrypt(access.value, tokenContext(row.id, "access_token")) : access.value,
      row.refresh_token,
      refresh ? cipher.encrypt(refresh.value, tokenContext(row.id, "refresh_token")) : null,
    ],
  );
  return (written.rowCount ?? 0) === 1;
}

