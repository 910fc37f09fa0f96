import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { setTestAppEnv } from "../helpers/app-env";

// getEnv() caches its result: each case imports a fresh copy of the module.
async function freshGetEnv() {
  vi.resetModules();
  return (await import("~/env.server")).getEnv;
}

// Parsing only: a well-formed URL no one connects to (this file is in the unit lane).
const DATABASE_URL = "postgresql://postgres@127.0.0.1:1/never-connected";

describe("getEnv", () => {
  const saved = { ...process.env };
  beforeEach(() => setTestAppEnv({ DATABASE_URL }));
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
    process.env.DEMO_MODE = "1";
    const env = (await freshGetEnv())();

    expect(env.SCOPES).toEqual([
      "read_orders",
      "write_merchant_managed_fulfillment_orders",
    ]);
    expect(env.SHOPIFY_ADMIN_API_ORIGIN).toBe("http://127.0.0.1:4010");
    expect(env.APP_BRIDGE_URL).toBeUndefined();
    expect(env.DATABASE_URL).toBe(DATABASE_URL);
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
    process.env.DEMO_MODE = "1";
    const getEnv = await freshGetEnv();

    expect(getEnv).toThrow(/DATABASE_URL must start with postgresql:\/\//);
    expect(getEnv).toThrow(
      /SHOPIFY_ADMIN_API_ORIGIN must be an http\(s\) origin/,
    );
  });

  describe("the production guard", () => {
    it.each([
      [
        "SHOPIFY_ADMIN_API_ORIGIN",
        "http://127.0.0.1:4010",
        /SHOPIFY_ADMIN_API_ORIGIN is set, and only the demo and the tests may set it: it sends the token exchange \(with the client secret\)/,
      ],
      [
        "APP_BRIDGE_URL",
        "https://cdn.example.com/app-bridge.js",
        /APP_BRIDGE_URL is set, and only the demo and the tests may set it: every merchant's browser would run the script/,
      ],
    ])("refuses %s without DEMO_MODE, saying why", async (name, value, message) => {
      delete process.env.DEMO_MODE;
      process.env[name] = value;
      const getEnv = await freshGetEnv();
      expect(getEnv).toThrow(message);
      process.env.DEMO_MODE = "1";
      expect((await freshGetEnv())()[name as "APP_BRIDGE_URL"]).toBe(value);
    });

    it.each([
      ["APP_BRIDGE_URL", "//evil.example/x.js", /APP_BRIDGE_URL must be an absolute http\(s\) URL/],
      ["APP_BRIDGE_URL", "/app-bridge.js", /APP_BRIDGE_URL must be an absolute http\(s\) URL/],
      ["APP_BRIDGE_URL", "http://evil.example/x.js", /APP_BRIDGE_URL must be https, or http on 127\.0\.0\.1/],
      ["APP_BRIDGE_URL", "javascript:alert(1)", /APP_BRIDGE_URL must be an absolute http\(s\) URL/],
      ["SHOPIFY_ADMIN_API_ORIGIN", "http://sim.example:4010", /SHOPIFY_ADMIN_API_ORIGIN must be https, or http on 127\.0\.0\.1/],
      ["SHOPIFY_ADMIN_API_ORIGIN", "//127.0.0.1:4010", /SHOPIFY_ADMIN_API_ORIGIN must be an http\(s\) origin/],
      ["SHOPIFY_APP_URL", "http://app.example.com", /SHOPIFY_APP_URL must be https/],
      ["SHOPIFY_APP_URL", "https:app.example.com", /SHOPIFY_APP_URL must be an absolute http\(s\) URL/],
    ])("even in demo mode, refuses %s=%s", async (name, value, message) => {
      process.env.DEMO_MODE = "1";
      process.env[name] = value;
      expect(await freshGetEnv()).toThrow(message);
    });

    it("refuses an http app URL outside demo mode, accepts a loopback one in it", async () => {
      process.env.SHOPIFY_APP_URL = "http://127.0.0.1:3101";
      expect(await freshGetEnv()).toThrow(/SHOPIFY_APP_URL must be https/);
      process.env.DEMO_MODE = "1";
      expect((await freshGetEnv())().SHOPIFY_APP_URL).toBe("http://127.0.0.1:3101");
    });

    it("guards the standalone worker's origin the same way", async () => {
      process.env.SHOPIFY_ADMIN_API_ORIGIN = "http://127.0.0.1:4010";
      delete process.env.DEMO_MODE;
      vi.resetModules();
      const { getAdminApiOrigin } = await import("~/env.server");
      expect(getAdminApiOrigin).toThrow(/only the demo and the tests may set it/);
      process.env.DEMO_MODE = "1";
      expect(getAdminApiOrigin()).toBe("http://127.0.0.1:4010");
    });
  });
});
