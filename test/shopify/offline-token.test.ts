import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_APP } from "../helpers/app-env";
import { encryptedToken, storedToken, testTokenCipher } from "../helpers/stored-tokens";
import { DEMO_SHOP, startSyncWorld, type SyncWorld } from "../helpers/sync-world";
import { testPool } from "../support/database";
import type { OfflineTokens } from "~/shopify/offline-token.server";

/**
 * The one function background work gets its token from (~/shopify/offline-token.server),
 * against the simulator's Shopify rules with tokens that live two seconds: refresh ahead
 * of expiry, lost answers, refusals, the move from non-expiring tokens, plaintext rows.
 *
 * Time is one test clock for both sides, the simulator (its expiries, its grants) and the
 * token source (`now`): a test moves it forward (`advance`) instead of waiting out a
 * token's life. Each test starts it on the wall clock again, the clock the database
 * stamps a stored token's issue time with.
 */
const SESSION_ID = `offline_${DEMO_SHOP}`;
let world: SyncWorld;

let aheadMs = 0;
const now = () => Date.now() + aheadMs;
const advance = (ms: number) => void (aheadMs += ms);

beforeAll(async () => {
  world = await startSyncWorld({ seed: 5, clock: now, tokenLifetimes: { offlineAccessSeconds: 2 } });
});

afterAll(async () => {
  await world.close();
});

/** A fresh expiring pair for the shop, stored as token exchange stores it. */
async function storePair(): Promise<{ token: string; refreshToken: string }> {
  world.sim.control.revokeTokens({ shop: DEMO_SHOP });
  const pair = world.sim.control.installToken({ shop: DEMO_SHOP, expiring: true });
  await storeRow(pair.token, pair.refreshToken, pair.expiresAt);
  return { token: pair.token, refreshToken: pair.refreshToken! };
}

async function storeRow(access: string, refresh: string | null, expiresAt: string | null, plaintext = false) {
  const enc = (column: "access_token" | "refresh_token", value: string) =>
    plaintext ? value : encryptedToken(SESSION_ID, column, value);
  await testPool().query(
    `update shopify_sessions set access_token = $2, refresh_token = $3,
            expires = ($4::timestamptz at time zone 'UTC'), refresh_token_expires = null
      where id = $1`,
    [SESSION_ID, enc("access_token", access), refresh === null ? null : enc("refresh_token", refresh), expiresAt],
  );
}

async function stored() {
  const { rows } = await testPool().query(
    `select access_token, refresh_token, expires, sync_paused_reason
       from shopify_sessions join shops using (shop) where id = $1`,
    [SESSION_ID],
  );
  const row = rows[0];
  return {
    raw: row.access_token as string,
    accessToken: storedToken(SESSION_ID, "access_token", row.access_token),
    refreshToken: row.refresh_token ? storedToken(SESSION_ID, "refresh_token", row.refresh_token) : null,
    paused: row.sync_paused_reason as string | null,
  };
}

async function freshSource(options: { timeoutMs?: number } = {}): Promise<OfflineTokens> {
  const { OfflineTokens } = await import("~/shopify/offline-token.server");
  const { getPool } = await import("~/db.server");
  const { pauseShopSync } = await import("~/shops/sync-circuit.server");
  return new OfflineTokens({
    pool: getPool(),
    pauseShop: (shop) => pauseShopSync(getPool(), shop, "reauth_required"),
    cipher: testTokenCipher,
    apiKey: TEST_APP.apiKey,
    apiSecret: TEST_APP.apiSecret,
    timeoutMs: options.timeoutMs,
    now,
  });
}

const grants = (grant?: string) =>
  world.sim.control.tokenGrants({ shop: DEMO_SHOP }).filter((g) => !grant || g.grant === grant);
const works = async (token: string) =>
  (
    await (
      await import("../shopify-sim")
    ).adminGraphql({ origin: world.sim.origin, shop: DEMO_SHOP, token, query: "{ shop { name } }" })
  ).status === 200;

beforeEach(async () => {
  aheadMs = 0;
  world.sim.control.releaseTokenAnswers();
  await testPool().query(`update shops set sync_paused_reason = null, sync_paused_at = null where shop = $1`, [DEMO_SHOP]);
});

describe("the offline token source", () => {
  it("keeps a fresh token, refreshes one within half its lifetime of expiry, and stores the new pair encrypted", async () => {
    const pair = await storePair();
    const tokens = await freshSource();
    const before = grants("refresh_token").length;
    expect(await tokens.current(DEMO_SHOP)).toBe(pair.token);
    expect(grants("refresh_token")).toHaveLength(before);

    advance(1_100); // within half its lifetime of expiry
    const renewed = await tokens.current(DEMO_SHOP);
    expect(renewed).not.toBe(pair.token);
    expect(grants("refresh_token")).toHaveLength(before + 1);
    expect(grants("refresh_token").at(-1)).toMatchObject({ status: 200, refreshToken: pair.refreshToken, issued: renewed });
    const row = await stored();
    expect(row).toMatchObject({ accessToken: renewed, paused: null });
    expect(row.raw).toMatch(/^enc1:test-2026-12:/);
    expect(await works(renewed!)).toBe(true);
  });

  it("gives every Admin API call a live token: an expired one is refreshed before the call, never answered 401", async () => {
    await storePair();
    const tokens = await freshSource();
    const session = (await tokens.loadSession(DEMO_SHOP))!;
    advance(2_200); // the loaded token has expired by now, for Shopify too
    const { adminGraphql } = await import("~/shopify/admin-graphql.server");
    const calls = world.sim.control.requestLog({ shop: DEMO_SHOP }).length;
    const result = await adminGraphql<{ shop: { name: string } }>(session, "query ShopName { shop { name } }");
    expect(result.httpStatus).toBe(200);
    const log = world.sim.control.requestLog({ shop: DEMO_SHOP }).slice(calls);
    expect(log.map((entry) => entry.outcome)).toEqual([200]);
  });

  it("recovers a lost refresh answer with the previous refresh token, as Shopify keeps it usable", async () => {
    const pair = await storePair();
    const tokens = await freshSource({ timeoutMs: 300 });
    advance(1_100);
    world.sim.control.holdTokenAnswers({ shop: DEMO_SHOP, grants: ["refresh_token"] });
    // Shopify rotates, the answer never arrives: the still-valid token is used meanwhile.
    expect(await tokens.current(DEMO_SHOP)).toBe(pair.token);
    world.sim.control.releaseTokenAnswers();
    expect((await stored()).accessToken).toBe(pair.token);
    const renewed = await tokens.current(DEMO_SHOP);
    expect(renewed).not.toBe(pair.token);
    const refreshes = grants("refresh_token").slice(-2);
    expect(refreshes.map((g) => [g.refreshToken, g.status])).toEqual([
      [pair.refreshToken, 200],
      [pair.refreshToken, 200],
    ]);
    expect(await works(renewed!)).toBe(true);
  });

  it("pauses the shop for re-authorization when Shopify refuses the refresh, and does not ask again", async () => {
    const pair = await storePair();
    world.sim.control.revokeTokens({ shop: DEMO_SHOP });
    const tokens = await freshSource();
    advance(2_100);
    const before = grants("refresh_token").length;
    expect(await tokens.loadSession(DEMO_SHOP)).toBeNull();
    expect(await tokens.loadSession(DEMO_SHOP)).toBeNull();
    expect(grants("refresh_token").slice(before).map((g) => [g.refreshToken, g.status, g.error])).toEqual([
      [pair.refreshToken, 400, "invalid_grant"],
    ]);
    expect((await stored()).paused).toBe("reauth_required");
  });

  it("replaces a token Shopify refused: with one stored meanwhile, else by a forced refresh", async () => {
    const pair = await storePair();
    const tokens = await freshSource();
    // Another process stored a newer pair: that one, no refresh.
    const newer = await storePair();
    expect(await tokens.replace(DEMO_SHOP, pair.token)).toBe(newer.token);
    // The stored token itself was refused though not expired: refresh now.
    const before = grants("refresh_token").length;
    const forced = await tokens.replace(DEMO_SHOP, newer.token);
    expect(forced).not.toBe(newer.token);
    expect(grants("refresh_token")).toHaveLength(before + 1);
    expect(await works(forced!)).toBe(true);
  });

  it("one refresh for concurrent callers of two instances (two processes' worth)", async () => {
    await storePair();
    const [a, b] = [await freshSource(), await freshSource()];
    advance(1_100);
    const before = grants("refresh_token").length;
    world.sim.control.holdTokenAnswers({ shop: DEMO_SHOP, grants: ["refresh_token"] });
    const results = Promise.all([a.current(DEMO_SHOP), b.current(DEMO_SHOP), a.current(DEMO_SHOP), b.current(DEMO_SHOP)]);
    await expect.poll(() => grants("refresh_token").length - before).toBe(1);
    world.sim.control.releaseTokenAnswers();
    const tokens = await results;
    expect(new Set(tokens).size).toBe(1);
    expect(grants("refresh_token").length - before).toBe(1);
    expect((await stored()).accessToken).toBe(tokens[0]);
  });
});

describe("non-expiring tokens and plaintext rows from before", () => {
  it("moves a non-expiring token over by token exchange; the old token stops, the pair works", async () => {
    world.sim.control.revokeTokens({ shop: DEMO_SHOP });
    const legacy = world.sim.control.installToken({ shop: DEMO_SHOP });
    await storeRow(legacy.token, null, null, true);
    const tokens = await freshSource();
    const moved = await tokens.current(DEMO_SHOP);
    expect(moved).not.toBe(legacy.token);
    expect(grants("migration").at(-1)).toMatchObject({ status: 200, issued: moved });
    const row = await stored();
    expect(row.accessToken).toBe(moved);
    expect(row.refreshToken).toMatch(/^shprt_/);
    expect(await works(legacy.token)).toBe(false);
    expect(await works(moved!)).toBe(true);
  });

  it("keeps using a non-expiring token Shopify will not move, and does not ask again at once", async () => {
    world.sim.control.revokeTokens({ shop: DEMO_SHOP });
    const { token } = world.sim.control.installToken({ shop: DEMO_SHOP, expiring: true });
    await storeRow(token, null, null); // stored without expiry: looks non-expiring
    const tokens = await freshSource();
    const before = grants("migration").length;
    expect(await tokens.current(DEMO_SHOP)).toBe(token);
    expect(await tokens.current(DEMO_SHOP)).toBe(token);
    expect(grants("migration").slice(before).map((g) => g.status)).toEqual([400]);
    expect((await stored()).paused).toBeNull();
  });

  it("reads a plaintext row from before encryption and writes it back encrypted", async () => {
    world.sim.control.revokeTokens({ shop: DEMO_SHOP });
    const pair = world.sim.control.installToken({ shop: DEMO_SHOP, expiring: true });
    await storeRow(pair.token, pair.refreshToken, pair.expiresAt, true);
    const tokens = await freshSource();
    expect(await tokens.current(DEMO_SHOP)).toBe(pair.token);
    const row = await stored();
    expect(row.raw).toMatch(/^enc1:/);
    expect(row).toMatchObject({ accessToken: pair.token, refreshToken: pair.refreshToken });
  });
});
