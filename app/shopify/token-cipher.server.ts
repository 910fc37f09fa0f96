import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { parseTokenKeys, type TokenKey } from "~/env.server";

/**
 * Shopify access and refresh tokens encrypted at rest: AES-256-GCM with a random 96-bit
 * IV per value, and the value's place (session id and column) as associated data, so a
 * ciphertext copied into another shop's row does not decrypt.
 *
 * Keys come from TOKEN_ENCRYPTION_KEYS, `<key id>:<32 bytes in base64>` separated by
 * commas. The first key encrypts; every listed key decrypts, so a key is rotated by
 * putting a new one first, re-encrypting (`npm run tokens:reencrypt`), then removing
 * the old one (README: "Token storage").
 *
 * Stored form: `enc1:<key id>:<iv>:<ciphertext>:<tag>` (base64url parts). Anything
 * without the prefix is a plaintext token from before encryption.
 */
export const ENCRYPTED_PREFIX = "enc1:";
// The key list is configuration, parsed where the environment is read (env.server.ts).
export { parseTokenKeys, type TokenKey };

export interface DecryptedToken {
  value: string;
  /** Stored as plaintext, or under a key other than the current one: re-encrypt it. */
  stale: boolean;
}

export class TokenCipher {
  private readonly byId: Map<string, Buffer>;
  private readonly current: TokenKey;

  constructor(keys: readonly TokenKey[]) {
    if (keys.length === 0) throw new Error("TokenCipher needs at least one key");
    this.current = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** `context` names where the value lives (e.g. "offline_x.myshopify.com/access_token"). */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString("base64url"));
    return `${ENCRYPTED_PREFIX}${this.current.id}:${parts.join(":")}`;
  }

  decrypt(stored: string, context: string): DecryptedToken {
    if (!stored.startsWith(ENCRYPTED_PREFIX)) return { value: stored, stale: stored !== "" };
    const [keyId, iv, ciphertext, tag, ...rest] = stored.slice(ENCRYPTED_PREFIX.length).split(":");
    if (!keyId || !iv || ciphertext === undefined || !tag || rest.length > 0) {
      throw new TokenDecryptionError(`the stored token for ${context} is not in the enc1 format`);
    }
    const key = this.byId.get(keyId);
    if (!key) {
      throw new TokenDecryptionError(
        `the stored token for ${context} was encrypted with key "${keyId}", which TOKEN_ENCRYPTION_KEYS does not list`,
      );
    }
    try {
      // Canonical base64url only: a part that decodes leniently to the same bytes is an alteration too.
      const [ivBytes, ciphertextBytes, tagBytes] = [iv, ciphertext, tag].map((part) => {
        const bytes = Buffer.from(part, "base64url");
        if (bytes.toString("base64url") !== part) throw new Error("not canonical");
        return bytes;
      });
      if (ivBytes!.length !== 12 || tagBytes!.length !== 16) throw new Error("wrong iv or tag length");
      const decipher = createDecipheriv("aes-256-gcm", key, ivBytes!, { authTagLength: 16 });
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(tagBytes!);
      const value = Buffer.concat([decipher.update(ciphertextBytes!), decipher.final()]).toString("utf8");
      return { value, stale: keyId !== this.current.id };
    } catch {
      throw new TokenDecryptionError(`the stored token for ${context} does not decrypt with key "${keyId}" (altered, or moved from another row)`);
    }
  }
}

export class TokenDecryptionError extends Error {
  override name = "TokenDecryptionError";
}

/** Where a session's token lives: the associated data of its ciphertext. */
export function tokenContext(sessionId: string, column: "access_token" | "refresh_token"): string {
  return `shopify_sessions/${sessionId}/${column}`;
}
