import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { setTestAppEnv } from "../helpers/app-env";

// getEnv() caches its result: each case imports a fresh copy of the module.
async function freshGetEnv() {
  vi.resetModules();
  return (await import("~/env.server")).getEnv;
}

describe("getEnv", () => {
  const saved = { ...process.env };
  beforeEach(() => setTestAppEnv());
  afterEach(() => {
    for (const name of Object.keys(process.env))
      if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it("parses the variables, splitting SCOPES and trimming the simulator origin", async () => {
    process.env.SCOPES =
      "read_orders, write_merchant_managed_fulfillment_orders,";
    process.env.SHOPIFY_ADMIN_API_ORIGIN = "http://127.0.0.1:4010/";
    process.env.APP_BRIDGE_URL = "";
    const env = (await freshGetEnv())();

    expect(env.SCOPES).toEqual([
      "read_orders",
      "write_merchant_managed_fulfillment_orders",
    ]);
    expect(env.SHOPIFY_ADMIN_API_ORIGIN).toBe("http://127.0.0.1:4010");
    expect(env.APP_BRIDGE_URL).toBeUndefined();
    expect(env.DATABASE_URL).toBe(saved.DATABASE_URL);
  });

  it("names every missing variable and what it is for", async () => {
    delete process.env.SHOPIFY_API_SECRET;
    delete process.env.SCOPES;
    const getEnv = await freshGetEnv();

    expect(getEnv).toThrow(/SHOPIFY_API_SECRET is missing: .*webhook/);
    expect(getEnv).toThrow(/SCOPES is missing: .*shopify\.app\.toml/);
    expect(getEnv).not.toThrow(/SHOPIFY_API_KEY/);
  });

  it("rejects a malformed DATABASE_URL and simulator origin", async () => {
    process.env.DATABASE_URL = "mysql://localhost/db";
    process.env.SHOPIFY_ADMIN_API_ORIGIN = "not a url";
    const getEnv = await freshGetEnv();

    expect(getEnv).toThrow(/DATABASE_URL must start with postgresql:\/\//);
    expect(getEnv).toThrow(
      /SHOPIFY_ADMIN_API_ORIGIN must be an http\(s\) origin/,
    );
  });
});
