import { readFileSync } from "node:fs";
import { Session } from "@shopify/shopify-api";
import type { Pool } from "pg";
import { demoShop } from "../demo/demo-data";
import { loadDemoShop } from "../demo/simulator-shop";
import { startSimulator, type Simulator } from "../shopify-sim";
import { TEST_APP, setTestAppEnv } from "./app-env";

/**
 * The sync world on a database the caller gives (see ./sync-world for what it is). Free
 * of vitest, so scripts that run outside it (test/bench/chaos.ts) build the same world
 * as the tests: `pool` is on a migrated database with the queue schema.
 */
export const DEMO_SHOP = demoShop.shop;
export const DEMO_TOKEN = "shpat_demo_offline_token_0001";

export interface SyncWorld {
  sim: Simulator;
  shop: string;
  close(): Promise<void>;
}

export interface SyncWorldOptions {
  seed?: number;
  clock?: () => number;
  tokenLifetimes?: { offlineAccessSeconds?: number; refreshSeconds?: number };
}

export async function startSyncWorldOn(pool: Pool, options: SyncWorldOptions = {}): Promise<SyncWorld> {
  const sim = await startSimulator({
    apiKey: TEST_APP.apiKey,
    apiSecret: TEST_APP.apiSecret,
    seed: options.seed ?? 11,
    clock: options.clock,
    tokenLifetimes: options.tokenLifetimes,
  });
  setTestAppEnv({ SHOPIFY_ADMIN_API_ORIGIN: sim.origin });

  await pool.query(readFileSync("supabase/seed.sql", "utf8"));
  await loadDemoShop(sim.control, demoShop);
  const pair = sim.control.installToken({ shop: DEMO_SHOP, token: DEMO_TOKEN, expiring: true });

  const { sessionStorage } = await import("~/shopify.server");
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${DEMO_SHOP}`,
      shop: DEMO_SHOP,
      state: "",
      isOnline: false,
      accessToken: DEMO_TOKEN,
      scope: demoShop.scopes.join(","),
      expires: new Date(pair.expiresAt!),
      refreshToken: pair.refreshToken!,
      refreshTokenExpires: new Date(pair.refreshTokenExpiresAt!),
    }),
  );

  return {
    sim,
    shop: DEMO_SHOP,
    async close() {
      const { closeDatabase } = await import("~/db.server");
      await closeDatabase();
      await sim.close();
    },
  };
}
