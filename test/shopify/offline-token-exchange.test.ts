import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ADMIN_API_VERSION } from "~/shopify/api-version";
import {
  OfflineTokenExchanges,
  offlineExchangeShop,
} from "~/shopify/offline-token-exchange.server";
import type * as AppRoute from "~/routes/app";
import { setTestAppEnv, TEST_APP } from "../helpers/app-env";
import { documentRequest, routeArgs } from "../helpers/requests";
import { storedToken } from "../helpers/stored-tokens";
import { advisoryLockWaiters, offlineExchangeCall } from "../helpers/token-exchange";
import { waitUntil } from "../helpers/wait-until";
import { testDatabaseUrl, testPool } from "../support/database";
import { startSimulator, type Simulator } from "../shopify-sim";

// A page's loaders authenticate at once. The simulator revokes a shop's earlier offline
// pair at every new exchange (the strict reading of Shopify's docs), so two exchanges in
// flight used to leave the app storing a revoked token half the time.
const SHOP = "twin-loaders.myshopify.com";

let sim: Simulator;
let appRoute: typeof AppRoute;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: TEST_APP.apiKey, apiSecret: TEST_APP.apiSecret, seed: 23 });
  setTestAppEnv({ SHOPIFY_ADMIN_API_ORIGIN: sim.origin });
  appRoute = await import("~/routes/app");
  sim.control.createShop({ shop: SHOP, scopes: [...TEST_APP.scopes] });
});

afterAll(async () => {
  const { closeDatabase } = await import("~/db.server");
  await closeDatabase();
  await sim.close();
});


async function graphqlStatus(token: string): Promise<number> {
  const response = await fetch(`${sim.origin}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token, "X-Forwarded-Host": SHOP },
    body: JSON.stringify({ query: "query ShopName { shop { name } }" }),
  });
  await response.text();
  return response.status;
}

describe("a page's loaders authenticating at once, with no stored token", () => {
  it("exchange one token for the shop, and the app stores the token Shopify still honours", async () => {
    const pages = Array.from({ length: 3 }, () => {
      const { sessionToken } = sim.control.sessionToken({ shop: SHOP });
      return appRoute.loader(routeArgs(documentRequest("/app", { shop: SHOP, token: sessionToken })));
    });
    await Promise.all(pages);

    const grants = sim.control.tokenGrants({ shop: SHOP });
    expect(grants.map((g) => [g.grant, g.status])).toEqual([["token_exchange", 200]]);
    const { rows } = await testPool().query<{ access_token: string }>(
      `select access_token from shopify_sessions where id = $1`,
      [`offline_${SHOP}`],
    );
    const stored = storedToken(`offline_${SHOP}`, "access_token", rows[0]!.access_token);
    expect(stored).toBe(grants[0]!.issued);
    expect(await graphqlStatus(stored)).toBe(200);
    // The loaders' afterAuth ran once for the one token, and its zone read was answered.
    const zoneReads = sim.control.requestLog({ shop: SHOP }).filter((r) => r.operationName === "ShopTimeZone");
    expect(zoneReads.map((r) => r.outcome)).toEqual([200]);
  });
});

describe("OfflineTokenExchanges", () => {
  const pools: pg.Pool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });
  /** An exchanger as one app process has it: its own pool, so its own lock connection. */
  const process = (options: { holdMs?: number; lockWaitMs?: number } = {}) => {
    const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    pools.push(pool);
    return new OfflineTokenExchanges({ pool: () => pool, ...options });
  };
  /** A token endpoint that answers each call after `delayMs`, numbering its tokens. */
  const endpoint = (answers: number[] = [], delayMs = 50) => {
    const calls: { at: number; answered?: number }[] = [];
    const fetchFn = (async () => {
      const call = { at: Date.now() } as { at: number; answered?: number };
      calls.push(call);
      const n = calls.length;
      await new Promise((r) => setTimeout(r, delayMs));
      call.answered = Date.now();
      const status = answers[n - 1] ?? 200;
      return new Response(JSON.stringify(status === 200 ? { access_token: `token-${n}` } : { error: "invalid_subject_token" }), {
        status,
        headers: { "Content-Type": "application/json" },
      });
    }) as unknown as typeof fetch;
    return { calls, fetchFn };
  };

  it("shares one exchange between concurrent requests of a process", async () => {
    const { calls, fetchFn } = endpoint();
    const exchanges = process();
    const wrapped = exchanges.wrap(fetchFn);
    const bodies = await Promise.all(
      [1, 2, 3].map(async () => (await wrapped(...offlineExchangeCall("a.myshopify.com"))).json()),
    );
    expect(calls).toHaveLength(1);
    expect(bodies).toEqual([{ access_token: "token-1" }, { access_token: "token-1" }, { access_token: "token-1" }]);
    await exchanges.stored("a.myshopify.com");
  });

  it("does not share a refused answer: each request asks with its own session token", async () => {
    const { calls, fetchFn } = endpoint([400, 200]);
    const exchanges = process();
    const wrapped = exchanges.wrap(fetchFn);
    const statuses = await Promise.all(
      [1, 2].map(async () => (await wrapped(...offlineExchangeCall("b.myshopify.com"))).status),
    );
    expect(calls).toHaveLength(2);
    expect(statuses.sort()).toEqual([200, 400]);
    await exchanges.stored("b.myshopify.com");
  });

  it("makes another process wait until this one has stored its token, then lets it ask", async () => {
    const shop = "c.myshopify.com";
    const first = endpoint();
    const second = endpoint();
    const a = process();
    const b = process();
    expect((await a.wrap(first.fetchFn)(...offlineExchangeCall(shop))).status).toBe(200);
    const bAnswer = b.wrap(second.fetchFn)(...offlineExchangeCall(shop));
    // B is held at the shop's lock while A has not stored what it got.
    await waitUntil("B to wait for the shop's lock", async () => (await advisoryLockWaiters(testPool())) >= 1, 5_000);
    expect(second.calls).toHaveLength(0);
    const storedAt = Date.now();
    await a.stored(shop);
    expect((await bAnswer).status).toBe(200);
    expect(second.calls).toHaveLength(1);
    expect(second.calls[0]!.at).toBeGreaterThanOrEqual(storedAt);
    await b.stored(shop);
  });

  it("is not ended by a store that comes before its answer (the library clearing a refused token, say)", async () => {
    const shop = "f.myshopify.com";
    const [first, second, third] = [endpoint(), endpoint(), endpoint()];
    // C gives up waiting after 5 s: a lock left held by B would show as C's call that late.
    const [a, b, c] = [process(), process(), process({ lockWaitMs: 5_000 })];
    await a.wrap(first.fetchFn)(...offlineExchangeCall(shop));
    const bAnswer = b.wrap(second.fetchFn)(...offlineExchangeCall(shop));
    await waitUntil("B to wait for the shop's lock", async () => (await advisoryLockWaiters(testPool())) >= 1, 5_000);
    await b.stored(shop); // not B's exchange: it has no answer yet
    await a.stored(shop);
    await bAnswer;
    // B holds the lock until its own answer is stored: C waits for that.
    const cAnswer = c.wrap(third.fetchFn)(...offlineExchangeCall(shop));
    await waitUntil("C to wait for the shop's lock", async () => (await advisoryLockWaiters(testPool())) >= 1, 5_000);
    expect(third.calls).toHaveLength(0);
    const storedAt = Date.now();
    await b.stored(shop);
    await cAnswer;
    expect(third.calls).toHaveLength(1);
    expect(third.calls[0]!.at - storedAt).toBeLessThan(2_000);
    await c.stored(shop);
  });

  it("lets go of the lock when the store never comes", async () => {
    const shop = "d.myshopify.com";
    const first = endpoint();
    const second = endpoint();
    const a = process({ holdMs: 300 });
    const b = process();
    await a.wrap(first.fetchFn)(...offlineExchangeCall(shop));
    // A never stores (its request died): B still gets its exchange.
    expect((await b.wrap(second.fetchFn)(...offlineExchangeCall(shop))).status).toBe(200);
    expect(second.calls).toHaveLength(1);
    await b.stored(shop);
  });

  it("lets go of the lock when the call hangs", async () => {
    const shop = "g.myshopify.com";
    const hung = endpoint([], 3_000);
    const second = endpoint();
    const a = process({ holdMs: 300 });
    const b = process();
    const aAnswer = a.wrap(hung.fetchFn)(...offlineExchangeCall(shop));
    await waitUntil("A's call to be sent", async () => hung.calls.length === 1, 5_000);
    expect((await b.wrap(second.fetchFn)(...offlineExchangeCall(shop))).status).toBe(200);
    // B asked while A's call was still unanswered.
    expect(second.calls[0]!.at).toBeLessThan(hung.calls[0]!.at + 3_000);
    expect(hung.calls[0]!.answered).toBeUndefined();
    await b.stored(shop);
    await aAnswer;
  });

  it("passes every other request straight through", async () => {
    const { calls, fetchFn } = endpoint();
    const wrapped = process().wrap(fetchFn);
    const others: [string, RequestInit | undefined][] = [
      [`https://e.myshopify.com/admin/api/${ADMIN_API_VERSION}/graphql.json`, { method: "POST", body: JSON.stringify({ query: "{ shop { name } }" }) }],
      offlineExchangeCall("e.myshopify.com", { grant_type: "refresh_token", refresh_token: "r" }),
      offlineExchangeCall("e.myshopify.com", { subject_token_type: "urn:shopify:params:oauth:token-type:offline-access-token" }),
      offlineExchangeCall("e.myshopify.com", { requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token" }),
      [offlineExchangeCall("e.myshopify.com")[0], undefined],
    ];
    for (const [url, init] of others) expect(offlineExchangeShop(url, init)).toBeNull();
    // Two concurrent refresh grants are not merged.
    await Promise.all([1, 2].map(() => wrapped(others[1]![0], others[1]![1])));
    expect(calls).toHaveLength(2);
    expect(offlineExchangeShop(...offlineExchangeCall("e.myshopify.com"))).toBe("e.myshopify.com");
  });
});
