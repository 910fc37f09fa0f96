import { z } from "zod";

import { isHttpsOrLoopback, isHttpUrl } from "~/http/url";

/**
 * The app's environment, validated once on first use.
 *
 * Validation is lazy (on the first `getEnv()` call, not at import) because tests set
 * DATABASE_URL per test file before they import the app, and because the worker and
 * scripts import modules that need only part of it (see `getDatabaseUrl`).
 * A failure names every missing or malformed variable and what it is for, so a
 * misconfigured deploy says what to fix instead of failing later with `undefined`.
 */

/** An unset variable and an empty one (`FOO=` in a .env file) both count as absent. */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(
    (value) => (value === "" ? undefined : value),
    schema.optional(),
  );

const required = (purpose: string) =>
  z
    .string({ required_error: `is missing: ${purpose}` })
    .min(1, `is empty: ${purpose}`);

const httpUrl = (purpose: string) =>
  required(purpose).refine(
    isHttpUrl,
    `must be an absolute http(s) URL (scheme://host…): ${purpose}`,
  );

const DATABASE_URL_PURPOSE =
  "the Supabase Postgres connection string (postgresql://…) for sessions and shipments";

const databaseUrl = required(DATABASE_URL_PURPOSE).refine(
  (value) => /^postgres(ql)?:\/\//.test(value),
  `must start with postgresql:// — ${DATABASE_URL_PURPOSE}`,
);

const tokenEncryptionKeys = required(
  "keys that encrypt Shopify tokens at rest, `<key id>:<base64 of 32 bytes>` comma-separated, the current key first (README: Token storage)",
).transform((value, ctx): TokenKey[] => {
  try {
    return parseTokenKeys(value);
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});

const envSchema = z.object({
  SHOPIFY_API_KEY: required(
    "the app's client ID from the Partner Dashboard (`shopify app env show`)",
  ),
  SHOPIFY_API_SECRET: required(
    "the app's client secret; it signs session tokens and webhook HMACs",
  ),
  SHOPIFY_APP_URL: httpUrl(
    "the public https URL the app is served from (application_url in shopify.app.toml)",
  ),
  SCOPES: required(
    "comma-separated access scopes, the same list as [access_scopes] in shopify.app.toml",
  ).transform((value) =>
    value
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
  ),
  DATABASE_URL: databaseUrl,
  TOKEN_ENCRYPTION_KEYS: tokenEncryptionKeys,
  SHOPIFY_ADMIN_API_ORIGIN: optional(
    z
      .string()
      .refine(
        isHttpUrl,
        "must be an http(s) origin such as http://127.0.0.1:4010 — only for the local Shopify simulator and tests; leave unset in production",
      )
      .transform((value) => value.replace(/\/+$/, "")),
  ),
  SHOP_CUSTOM_DOMAIN: optional(z.string()),
  APP_BRIDGE_URL: optional(
    z
      .string()
      .refine(
        isHttpUrl,
        "must be an absolute http(s) URL of a local App Bridge stand-in (never scheme-relative) — only for the demo and browser tests",
      ),
  ),
  DEMO_MODE: optional(z.enum(["1", "true"])),
});

/**
 * The production guard. SHOPIFY_ADMIN_API_ORIGIN sends the token exchange (which carries
 * the client secret) and every access token to that host instead of Shopify;
 * APP_BRIDGE_URL makes every merchant's browser run the script at that URL inside the
 * app. Either is for the local demo and the tests only, so either needs DEMO_MODE=1, and
 * even then only https or a loopback http URL. SHOPIFY_APP_URL must be https, except a
 * loopback http URL in demo mode.
 */
function productionGuard(
  env: Partial<z.infer<typeof envSchema>>,
  ctx: z.RefinementCtx,
): void {
  const demo = env.DEMO_MODE !== undefined;
  const refuse = (path: string, message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
  if (env.SHOPIFY_ADMIN_API_ORIGIN !== undefined) {
    if (!demo)
      refuse(
        "SHOPIFY_ADMIN_API_ORIGIN",
        "is set, and only the demo and the tests may set it: it sends the token exchange (with the client secret) and every access token to that host instead of Shopify. Unset it in production; the demo sets DEMO_MODE=1 with it",
      );
    else if (!isHttpsOrLoopback(env.SHOPIFY_ADMIN_API_ORIGIN))
      refuse(
        "SHOPIFY_ADMIN_API_ORIGIN",
        "must be https, or http on 127.0.0.1 / localhost (the local simulator)",
      );
  }
  if (env.APP_BRIDGE_URL !== undefined) {
    if (!demo)
      refuse(
        "APP_BRIDGE_URL",
        "is set, and only the demo and the tests may set it: every merchant's browser would run the script at that URL inside the app instead of Shopify's App Bridge. Unset it in production; the demo sets DEMO_MODE=1 with it",
      );
    else if (!isHttpsOrLoopback(env.APP_BRIDGE_URL))
      refuse(
        "APP_BRIDGE_URL",
        "must be https, or http on 127.0.0.1 / localhost (the demo's stand-in)",
      );
  }
  if (
    typeof env.SHOPIFY_APP_URL === "string" &&
    isHttpUrl(env.SHOPIFY_APP_URL) &&
    !env.SHOPIFY_APP_URL.startsWith("https://") &&
    !(demo && isHttpsOrLoopback(env.SHOPIFY_APP_URL))
  )
    refuse(
      "SHOPIFY_APP_URL",
      "must be https (Shopify admin embeds only https apps); http is accepted only on 127.0.0.1 / localhost with DEMO_MODE=1",
    );
}

const guardedEnvSchema = envSchema.superRefine(productionGuard);

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** The validated environment. Throws one error naming every problem. */
export function getEnv(): Env {
  cached ??= parse(guardedEnvSchema, process.env);
  return cached;
}

/**
 * Only DATABASE_URL, for code that talks to Postgres without being the Shopify app
 * (the worker's database setup, scripts). Not cached: tests point it at a new database.
 */
export function getDatabaseUrl(): string {
  return parse(z.object({ DATABASE_URL: databaseUrl }), process.env)
    .DATABASE_URL;
}

/**
 * What background work needs to obtain Shopify tokens (the worker process, scripts):
 * the app's credentials for the refresh grant and the token keys. Not cached.
 */
export function getTokenEnv(): { apiKey: string; apiSecret: string; keys: TokenKey[] } {
  const env = parse(
    envSchema.pick({ SHOPIFY_API_KEY: true, SHOPIFY_API_SECRET: true, TOKEN_ENCRYPTION_KEYS: true }),
    process.env,
  );
  return { apiKey: env.SHOPIFY_API_KEY, apiSecret: env.SHOPIFY_API_SECRET, keys: env.TOKEN_ENCRYPTION_KEYS };
}

/**
 * Only the simulator origin, checked by the same guard, for processes that are not the
 * Shopify app (the standalone worker). Undefined when unset.
 */
export function getAdminApiOrigin(): string | undefined {
  return parse(
    envSchema
      .pick({ SHOPIFY_ADMIN_API_ORIGIN: true, DEMO_MODE: true })
      .superRefine(productionGuard),
    process.env,
  ).SHOPIFY_ADMIN_API_ORIGIN;
}

function parse<T extends z.ZodTypeAny>(
  schema: T,
  source: NodeJS.ProcessEnv,
): z.infer<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  - ${issue.path.join(".")} ${issue.message}`,
  );
  throw new Error(
    `Invalid environment (see .env.example):\n${lines.join("\n")}`,
  );
}

// ---------------------------------------------------------------------------
// TOKEN_ENCRYPTION_KEYS (used by ~/shopify/token-cipher.server)

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface TokenKey {
  id: string;
  key: Buffer;
}

/** Parses TOKEN_ENCRYPTION_KEYS; throws a message naming what is wrong (never the key). */
export function parseTokenKeys(value: string): TokenKey[] {
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error("lists no key (expected <key id>:<base64 of 32 random bytes>)");
  const keys = entries.map((entry, index) => {
    const colon = entry.indexOf(":");
    const id = colon > 0 ? entry.slice(0, colon) : "";
    if (!KEY_ID.test(id)) {
      throw new Error(`entry ${index + 1} needs a key id of letters, digits, _ or - (at most 32) before ":"`);
    }
    const raw = entry.slice(colon + 1);
    const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, "base64") : Buffer.alloc(0);
    if (key.length !== 32) {
      throw new Error(`key "${id}" must be 32 bytes in base64 (openssl rand -base64 32), got ${key.length}`);
    }
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new Error(`key id "${repeated}" is listed twice`);
  return keys;
}
