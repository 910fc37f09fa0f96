import { describe, expect, it } from "vitest";
import { INVALID_TOKEN_BODY } from "./auth";
import { exchangeToken, postAccessToken } from "./client";
import { harness, SHOP, type Harness } from "./fixtures";
import { NON_EXPIRING_CUTOFF, OFFLINE_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "./tokens";

/** Expiring offline tokens: lifetimes, the refresh grant's rotation, migration, the 2027 cutoff. */

interface Pair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  refresh_token_expires_in: number;
}

async function setup(): Promise<Harness & { exchange(): Promise<Pair>; refresh(token: string): Promise<{ status: number; body: any }>; works(token: string): Promise<boolean> }> {
  const h = await harness({ token: undefined });
  const base = { origin: h.sim.origin, shop: SHOP, apiKey: h.sim.apiKey, apiSecret: h.sim.apiSecret };
  return {
    ...h,
    async exchange() {
      const { sessionToken } = h.sim.control.sessionToken({ shop: SHOP });
      const response = await exchangeToken({ ...base, sessionToken, expiring: true });
      expect(response.status).toBe(200);
      return response.body as Pair;
    },
    refresh: (refreshToken) =>
      postAccessToken({ ...base, fields: { grant_type: "refresh_token", refresh_token: refreshToken } }),
    async works(token) {
      const response = await h.gql(`{ shop { name } }`, {}, { token });
      if (response.status === 401) expect(response.body).toEqual(INVALID_TOKEN_BODY);
      return response.status === 200;
    },
  };
}

describe("expiring offline tokens", () => {
  it("live 3600 s by default, configurable to seconds, then get Shopify's 401", async () => {
    const h = await setup();
    expect((await h.exchange()).expires_in).toBe(3600);
    h.sim.control.setTokenLifetimes({ offlineAccessSeconds: 5 });
    const pair = await h.exchange();
    expect(pair).toMatchObject({ expires_in: 5, refresh_token_expires_in: 7_776_000 });
    expect(await h.works(pair.access_token)).toBe(true);
    h.time.advance(4_999);
    expect(await h.works(pair.access_token)).toBe(true);
    h.time.advance(1);
    expect(await h.works(pair.access_token)).toBe(false);
  });

  it("refresh returns a new pair; the old pair lives on until the new one is first used", async () => {
    const h = await setup();
    const a = await h.exchange();
    const first = await h.refresh(a.refresh_token);
    expect(first.status).toBe(200);
    const b = first.body as Pair;
    expect(b.access_token).not.toBe(a.access_token);
    expect(b.refresh_token).not.toBe(a.refresh_token);
    // The answer may have been lost: the old pair still works, and so does its refresh token.
    expect(await h.works(a.access_token)).toBe(true);
    const retry = await h.refresh(a.refresh_token);
    expect(retry.status).toBe(200);
    const c = retry.body as Pair;
    // Only the newest answer is good: the pair the retry replaced is retired.
    expect(await h.works(b.access_token)).toBe(false);
    expect((await h.refresh(b.refresh_token)).body).toMatchObject({ error: "invalid_grant" });
    // First use of the new pair retires the old one, access and refresh token alike.
    expect(await h.works(c.access_token)).toBe(true);
    expect(await h.works(a.access_token)).toBe(false);
    expect((await h.refresh(a.refresh_token)).status).toBe(400);
    expect(h.sim.control.tokenGrants({ shop: SHOP }).map((g) => [g.grant, g.status, g.error])).toEqual([
      ["token_exchange", 200, null],
      ["refresh_token", 200, null],
      ["refresh_token", 200, null],
      ["refresh_token", 400, "invalid_grant"],
      ["refresh_token", 400, "invalid_grant"],
    ]);
  });

  it("a refresh with the new refresh token is a first use too", async () => {
    const h = await setup();
    const a = await h.exchange();
    const b = (await h.refresh(a.refresh_token)).body as Pair;
    const c = await h.refresh(b.refresh_token);
    expect(c.status).toBe(200);
    expect((await h.refresh(a.refresh_token)).body).toMatchObject({ error: "invalid_grant" });
    expect(await h.works(a.access_token)).toBe(false);
  });

  it("keeps an unused old refresh token for at most 30 days after its first use", async () => {
    const h = await setup();
    const a = await h.exchange();
    await h.refresh(a.refresh_token);
    h.time.advance(30 * 86_400_000);
    expect((await h.refresh(a.refresh_token)).status).toBe(200);
    h.time.advance(1);
    expect((await h.refresh(a.refresh_token)).body).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a refresh token after 90 days, after a revocation and after an uninstall", async () => {
    const h = await setup();
    const old = await h.exchange();
    h.time.advance(7_776_000_000);
    expect((await h.refresh(old.refresh_token)).body).toMatchObject({ error: "invalid_grant" });
    const revoked = await h.exchange();
    h.sim.control.revokeTokens({ shop: SHOP });
    expect((await h.refresh(revoked.refresh_token)).body).toMatchObject({ error: "invalid_grant" });
    const uninstalled = await h.exchange();
    h.sim.control.uninstallApp({ shop: SHOP });
    expect((await h.refresh(uninstalled.refresh_token)).status).toBe(400);
  });

  it("a new token exchange replaces the shop's earlier offline pair", async () => {
    const h = await setup();
    const a = await h.exchange();
    const b = await h.exchange();
    expect(await h.works(a.access_token)).toBe(false);
    expect((await h.refresh(a.refresh_token)).status).toBe(400);
    expect(await h.works(b.access_token)).toBe(true);
  });

  it("holds answers on request: the refresh is done, the caller has not heard", async () => {
    const h = await setup();
    const a = await h.exchange();
    h.sim.control.holdTokenAnswers({ shop: SHOP, grants: ["refresh_token"] });
    const pending = h.refresh(a.refresh_token);
    await expect.poll(() => h.sim.control.tokenGrants({ shop: SHOP }).length).toBe(2);
    expect(h.sim.control.tokenGrants({ shop: SHOP })[1]).toMatchObject({ grant: "refresh_token", status: 200, answered: false });
    expect(h.sim.control.releaseTokenAnswers()).toEqual({ released: 1 });
    expect((await pending).status).toBe(200);
    expect(h.sim.control.tokenGrants({ shop: SHOP })[1]!.answered).toBe(true);
  });
});

describe("moving a non-expiring token over (token exchange with the token as subject)", () => {
  const migrate = (h: Harness, token: string, expiring = "1") =>
    postAccessToken({
      origin: h.sim.origin,
      shop: SHOP,
      apiKey: h.sim.apiKey,
      apiSecret: h.sim.apiSecret,
      fields: {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: token,
        subject_token_type: OFFLINE_TOKEN_TYPE,
        requested_token_type: OFFLINE_TOKEN_TYPE,
        expiring,
      },
    });

  it("gives an expiring pair, and the original stops working; a retry within 7 days returns the same pair", async () => {
    const h = await setup();
    const { token } = h.sim.control.installToken({ shop: SHOP });
    expect(await h.works(token)).toBe(true);
    expect((await migrate(h, token, "0")).body).toMatchObject({ error: "invalid_request" });
    const first = await migrate(h, token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expires_in: 3600, refresh_token: expect.stringMatching(/^shprt_/) });
    expect(await h.works(token)).toBe(false);
    h.time.advance(2 * 3_600_000);
    const again = await migrate(h, token);
    expect(again.body).toMatchObject({
      access_token: first.body.access_token,
      refresh_token: first.body.refresh_token,
      expires_in: 3600,
    });
    expect(await h.works(again.body.access_token)).toBe(true);
    // Once the pair is refreshed, the original token is spent.
    expect((await h.refresh(first.body.refresh_token)).status).toBe(200);
    expect((await migrate(h, token)).body).toMatchObject({ error: "invalid_subject_token" });
  });

  it("ends the retry window after 7 days, and refuses expiring tokens and strangers as subjects", async () => {
    const h = await setup();
    const { token } = h.sim.control.installToken({ shop: SHOP });
    expect((await migrate(h, token)).status).toBe(200);
    h.time.advance(7 * 86_400_000 + 1);
    expect((await migrate(h, token)).body).toMatchObject({ error: "invalid_subject_token" });
    const pair = await h.exchange();
    expect((await migrate(h, pair.access_token)).body).toMatchObject({ error: "invalid_subject_token" });
    expect((await migrate(h, "shpat_unknown")).status).toBe(400);
  });

  it("from 2027-01-01 refuses non-expiring tokens at the Admin API and as migration subjects", async () => {
    const h = await setup();
    const { token } = h.sim.control.installToken({ shop: SHOP });
    h.time.advance(NON_EXPIRING_CUTOFF - h.time.clock() - 1);
    expect(await h.works(token)).toBe(true);
    h.time.advance(1);
    expect(await h.works(token)).toBe(false);
    expect((await migrate(h, token)).body).toMatchObject({ error: "invalid_subject_token" });
    const pair = await h.exchange();
    expect(await h.works(pair.access_token)).toBe(true);
  });
});
