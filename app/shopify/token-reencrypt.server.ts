import type { Pool } from "pg";
import { reencryptRow } from "./offline-token.server";
import { ENCRYPTED_PREFIX, TokenDecryptionError, type TokenCipher } from "./token-cipher.server";

export interface ReencryptReport {
  /** Rows looked at (every session). */
  sessions: number;
  /** Rows written under the current key (plaintext or an older key before). */
  reencrypted: number;
  /** Of those, rows that held plaintext. */
  fromPlaintext: number;
  /** Rows whose tokens no listed key decrypts (left as they are). */
  undecryptable: string[];
  /** Rows that changed while being read (written by someone else meanwhile: already current). */
  skipped: number;
}

/**
 * Brings every stored token under the current key: plaintext rows from before
 * encryption and rows under a key being rotated out. Safe to run at any time and
 * repeatedly, while the app runs: each row is written only if it is unchanged since it
 * was read. Run by `npm run tokens:reencrypt` and when a worker starts.
 */
export async function reencryptAllTokens(pool: Pool, cipher: TokenCipher): Promise<ReencryptReport> {
  const report: ReencryptReport = { sessions: 0, reencrypted: 0, fromPlaintext: 0, undecryptable: [], skipped: 0 };
  const { rows } = await pool.query<{ id: string; access_token: string; refresh_token: string | null }>(
    `select id, access_token, refresh_token from shopify_sessions order by id`,
  );
  const current = `${ENCRYPTED_PREFIX}${cipher.currentKeyId}:`;
  for (const row of rows) {
    report.sessions += 1;
    const upToDate = (value: string | null) => value === null || value === "" || value.startsWith(current);
    if (upToDate(row.access_token) && upToDate(row.refresh_token)) continue;
    try {
      const wrote = await reencryptRow(pool, cipher, row);
      if (!wrote) {
        report.skipped += 1;
        continue;
      }
      report.reencrypted += 1;
      if (!row.access_token.startsWith(ENCRYPTED_PREFIX)) report.fromPlaintext += 1;
    } catch (error) {
      if (!(error instanceof TokenDecryptionError)) throw error;
      report.undecryptable.push(row.id);
    }
  }
  return report;
}
