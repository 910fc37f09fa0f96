/**
 * The Shopify app's environment for tests. Call `setTestAppEnv()` before the first
 * (dynamic) import of app/shopify.server.ts: the app reads its environment once.
 * DATABASE_URL is left alone — the Postgres harness sets it per test file.
 */
export const TEST_APP = {
  apiKey: "test-api-key-0123456789abcdef",
  apiSecret: "test-api-secret-fedcba9876543210",
  appUrl: "https://vendor-shipments.test",
  scopes: [
    "read_orders",
    "read_merchant_managed_fulfillment_orders",
    "write_merchant_managed_fulfillment_orders",
    "read_fulfillments",
  ],
  /** Encrypts the stored Shopify tokens (TOKEN_ENCRYPTION_KEYS); a test key, nothing else. */
  tokenEncryptionKeys: "test-2026-12:6GgDoncn329AGJXot337n3QbxVjsycrcMNDdNDKnqK0=",
} as const;

export function setTestAppEnv(
  overrides: Record<string, string | undefined> = {},
): void {
  const values: Record<string, string | undefined> = {
    SHOPIFY_API_KEY: TEST_APP.apiKey,
    SHOPIFY_API_SECRET: TEST_APP.apiSecret,
    SHOPIFY_APP_URL: TEST_APP.appUrl,
    SCOPES: TEST_APP.scopes.join(","),
    TOKEN_ENCRYPTION_KEYS: TEST_APP.tokenEncryptionKeys,
    SHOPIFY_ADMIN_API_ORIGIN: undefined,
    SHOP_CUSTOM_DOMAIN: undefined,
    APP_BRIDGE_URL: undefined,
    // The simulator origin and the App Bridge stand-in are refused outside demo mode.
    DEMO_MODE:
      overrides.SHOPIFY_ADMIN_API_ORIGIN || overrides.APP_BRIDGE_URL
        ? "1"
        : undefined,
    ...overrides,
  };
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
