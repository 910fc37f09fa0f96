import { TokenCipher, parseTokenKeys, tokenContext } from "~/shopify/token-cipher.server";
import { TEST_APP } from "./app-env";

/** The tests' token cipher (TOKEN_ENCRYPTION_KEYS of setTestAppEnv). */
export const testTokenCipher = new TokenCipher(parseTokenKeys(TEST_APP.tokenEncryptionKeys));

/** The plaintext of a token column as stored in shopify_sessions (ciphertext checked). */
export function storedToken(sessionId: string, column: "access_token" | "refresh_token", stored: string): string {
  if (!stored.startsWith("enc1:")) throw new Error(`${sessionId} ${column} is stored in plaintext`);
  return testTokenCipher.decrypt(stored, tokenContext(sessionId, column)).value;
}

/** A token column's value as the app writes it. */
export function encryptedToken(sessionId: string, column: "access_token" | "refresh_token", plaintext: string): string {
  return testTokenCipher.encrypt(plaintext, tokenContext(sessionId, column));
}
