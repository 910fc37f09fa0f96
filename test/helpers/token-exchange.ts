import type pg from "pg";

/** The library's token exchange for a shop's offline token, as `fetch` arguments. */
export function offlineExchangeCall(
  shop: string,
  body: Record<string, unknown> = {},
): [string, RequestInit] {
  return [
    `https://${shop}/admin/oauth/access_token`,
    {
      method: "POST",
      body: JSON.stringify({
        client_id: "key",
        client_secret: "secret",
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: "header.payload.signature",
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        expiring: "1",
        ...body,
      }),
    },
  ];
}

/** How many sessions wait for an advisory lock (an exchange held at a shop's token lock). */
export async function advisoryLockWaiters(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `select count(*) as n from pg_locks where locktype = 'advisory' and not granted`,
  );
  return Number(rows[0]!.n);
}
