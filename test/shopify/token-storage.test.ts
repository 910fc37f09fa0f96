import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setTestAppEnv } from "../helpers/app-env";
import { testPool } from "../support/database";
import { ENCRYPTED_PREFIX, parseTokenKeys, TokenCipher, TokenDecryptionError, tokenContext } from "~/shopify/token-cipher.server";

/** Tokens at rest: AES-256-GCM with key ids, rotation, the environment, re-encryption. */

const key = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;
const cipherOf = (...entries: string[]) => new TokenCipher(parseTokenKeys(entries.join(",")));

describe("TokenCipher", () => {
  it("round-trips any token, never stores it readable, and refuses any altered byte", () => {
    const cipher = cipherOf(key("k1"));
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.string({ maxLength: 60 }), fc.nat(), (token, context, at) => {
        const stored = cipher.encrypt(token, context);
        expect(stored.startsWith(`${ENCRYPTED_PREFIX}k1:`)).toBe(true);
        if (token.length >= 4) expect(stored.includes(token)).toBe(false);
        expect(cipher.decrypt(stored, context)).toEqual({ value: token, stale: false });
        // Flip one character of the iv, ciphertext or tag.
        const body = stored.slice(`${ENCRYPTED_PREFIX}k1:`.length);
        const i = at % body.length;
        if (body[i] === ":") return;
        const flipped = body.slice(0, i) + (body[i] === "A" ? "B" : "A") + body.slice(i + 1);
        expect(() => cipher.decrypt(`${ENCRYPTED_PREFIX}k1:${flipped}`, context)).toThrow(TokenDecryptionError);
      }),
      { numRuns: 200 },
    );
  });

  it("binds a ciphertext to its row and column: moved to another shop's row, it does not decrypt", () => {
    const cipher = cipherOf(key("k1"));
    const stored = cipher.encrypt("shpat_a", tokenContext("offline_a.myshopify.com", "access_token"));
    expect(() => cipher.decrypt(stored, tokenContext("offline_b.myshopify.com", "access_token"))).toThrow(/moved from another row/);
    expect(() => cipher.decrypt(stored, tokenContext("offline_a.myshopify.com", "refresh_token"))).toThrow(TokenDecryptionError);
  });

  it("rotates: the first key encrypts, every listed key decrypts, a value under an old key is stale", () => {
    const oldKey = key("2026-11");
    const newKey = key("2026-12");
    const before = cipherOf(oldKey).encrypt("shpat_x", "ctx");
    const during = cipherOf(newKey, oldKey);
    expect(during.decrypt(before, "ctx")).toEqual({ value: "shpat_x", stale: true });
    expect(during.encrypt("shpat_x", "ctx")).toMatch(/^enc1:2026-12:/);
    expect(() => cipherOf(newKey).decrypt(before, "ctx")).toThrow(/key "2026-11", which TOKEN_ENCRYPTION_KEYS does not list/);
    // A plaintext row from before encryption reads as stale plaintext.
    expect(during.decrypt("shpat_plain", "ctx")).toEqual({ value: "shpat_plain", stale: true });
  });

  it("rejects malformed keys with a message that names the problem and never the key", () => {
    const secret = randomBytes(16).toString("base64");
    expect(() => parseTokenKeys(`k1:${secret}`)).toThrow(/32 bytes in base64.*got 16/);
    expect(() => parseTokenKeys(`k1:${secret}`)).not.toThrow(new RegExp(secret.replace(/[+/=]/g, ".")));
    expect(() => parseTokenKeys(randomBytes(32).toString("base64"))).toThrow(/key id/);
    expect(() => parseTokenKeys(`a.b:${randomBytes(32).toString("base64")}`)).toThrow(/key id/);
    const k = key("same");
    expect(() => parseTokenKeys(`${k},${k}`)).toThrow(/"same" is listed twice/);
    expect(() => parseTokenKeys(" , ")).toThrow(/no key/);
  });
});

describe("re-encrypting stored tokens (npm run tokens:reencrypt)", () => {
  it("brings plaintext rows and rows under an old key under the current key, and reports what it cannot read", async () => {
    const { reencryptAllTokens } = await import("~/shopify/token-reencrypt.server");
    const { getPool } = await import("~/db.server");
    const oldKey = key("old");
    const newKey = key("new");
    const old = cipherOf(oldKey);
    const rows = [
      ["offline_plain.myshopify.com", "shpat_plain", "shprt_plain"],
      ["offline_old.myshopify.com", "shpat_old", "shprt_old"],
      ["offline_new.myshopify.com", "shpat_new", null],
      ["offline_lost.myshopify.com", "shpat_lost", null],
    ] as const;
    await testPool().query("delete from shopify_sessions");
    const rotated = cipherOf(newKey, oldKey);
    const stranger = cipherOf(key("gone"));
    for (const [id, access, refresh] of rows) {
      const enc = (value: string, column: "access_token" | "refresh_token") => {
        const context = tokenContext(id, column);
        if (id.includes("plain")) return value;
        if (id.includes("old")) return old.encrypt(value, context);
        if (id.includes("lost")) return stranger.encrypt(value, context);
        return rotated.encrypt(value, context);
      };
      await testPool().query(
        `insert into shopify_sessions (id, shop, state, access_token, refresh_token) values ($1, $2, '', $3, $4)`,
        [id, id.slice("offline_".length), enc(access, "access_token"), refresh ? enc(refresh, "refresh_token") : null],
      );
    }

    const report = await reencryptAllTokens(getPool(), rotated);
    expect(report).toEqual({
      sessions: 4,
      reencrypted: 2,
      fromPlaintext: 1,
      undecryptable: ["offline_lost.myshopify.com"],
      skipped: 0,
    });
    // After the rotation the old key can go: every readable row decrypts with the new key alone.
    const onlyNew = cipherOf(newKey);
    const { rows: after } = await testPool().query(`select id, access_token, refresh_token from shopify_sessions order by id`);
    for (const row of after.filter((r) => r.id !== "offline_lost.myshopify.com")) {
      const expected = rows.find(([id]) => id === row.id)!;
      expect(row.access_token).toMatch(/^enc1:new:/);
      expect(onlyNew.decrypt(row.access_token, tokenContext(row.id, "access_token")).value).toBe(expected[1]);
      if (expected[2]) expect(onlyNew.decrypt(row.refresh_token, tokenContext(row.id, "refresh_token")).value).toBe(expected[2]);
    }
    expect(await reencryptAllTokens(getPool(), rotated)).toMatchObject({ reencrypted: 0, undecryptable: ["offline_lost.myshopify.com"] });
  });
});

// Last: it resets the module registry.
describe("TOKEN_ENCRYPTION_KEYS in the environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it("is required by the app and the worker, and validated", async () => {
    setTestAppEnv({ TOKEN_ENCRYPTION_KEYS: undefined });
    vi.resetModules();
    const env = await import("~/env.server");
    expect(() => env.getEnv()).toThrow(/TOKEN_ENCRYPTION_KEYS is missing: keys that encrypt Shopify tokens/);
    expect(() => env.getTokenEnv()).toThrow(/TOKEN_ENCRYPTION_KEYS is missing/);
    process.env.TOKEN_ENCRYPTION_KEYS = "k1:tooshort";
    expect(() => env.getTokenEnv()).toThrow(/TOKEN_ENCRYPTION_KEYS key "k1" must be 32 bytes/);
    process.env.TOKEN_ENCRYPTION_KEYS = key("k2");
    expect(env.getTokenEnv().keys.map((k) => k.id)).toEqual(["k2"]);
  });
});
