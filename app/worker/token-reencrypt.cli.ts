/**
 * `npm run tokens:reencrypt`: re-encrypts every stored Shopify token with the first key
 * of TOKEN_ENCRYPTION_KEYS — plaintext rows from before encryption, and rows under an
 * older key during a rotation (README: "Token storage"). Needs DATABASE_URL and
 * TOKEN_ENCRYPTION_KEYS (with every key still in use listed). Exits 1 if a row does not
 * decrypt with any listed key.
 */
import { closeDatabase, getPool } from "~/db.server";
import { getTokenEnv } from "~/env.server";
import { TokenCipher } from "~/shopify/token-cipher.server";
import { reencryptAllTokens } from "~/shopify/token-reencrypt.server";

try {
  const cipher = new TokenCipher(getTokenEnv().keys);
  const report = await reencryptAllTokens(getPool(), cipher);
  console.log(
    `${report.sessions} session(s): ${report.reencrypted} re-encrypted with key "${cipher.currentKeyId}" ` +
      `(${report.fromPlaintext} from plaintext), ${report.skipped} changed meanwhile (already current).`,
  );
  if (report.undecryptable.length > 0) {
    console.error(
      `Not decryptable with any listed key (keep the old key listed, or let the merchant re-open the app): ${report.undecryptable.join(", ")}`,
    );
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
