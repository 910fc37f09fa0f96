import type { Pool, PoolClient } from "pg";
import { OFFLINE_TOKEN_LOCK_NAMESPACE } from "./offline-token.server";

/**
 * One offline token exchange per shop at a time.
 *
 * The library exchanges the request's session token for the shop's offline token whenever
 * it finds no valid stored one, and a page's loaders (app.tsx and the page's own) run at
 * once, each asking. A later acquisition replaces the shop's earlier offline pair (the
 * simulator's strict reading of Shopify's docs, test/shopify-sim/README.md), so two
 * exchanges in flight leave one token revoked, and whichever request stores last decides
 * which one the app keeps: with the wrong order, the revoked one (401, the shop paused
 * for re-authorization).
 *
 * - In this process, concurrent exchanges for a shop share the first one's answer while it
 *   is being stored. Only a successful answer is shared: a refused one may be about that
 *   request's own session token, so the others ask for themselves.
 * - Across processes, the shop's advisory lock (the one the refresh takes) is held from
 *   before the call until the library has stored the answer (`stored(shop)`), so the
 *   token stored last is the one Shopify issued last. A hung call or a store that never
 *   comes (the request died) lets go after `holdMs`.
 *
 * Installed around the library's fetch by app/shopify.server.ts; it matches only the
 * library's own exchange (subject = a session token, offline token requested).
 */
export interface OfflineTokenExchangeDeps {
  /** Read at the first exchange, not at startup (the app builds this at import time). */
  pool: () => Pool;
  /** Longest hold of the lock, from taking it: the call and the library's store of its answer. */
  holdMs?: number;
  /** Longest wait for another process's exchange; then this one goes ahead unlocked. */
  lockWaitMs?: number;
}

const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
const OFFLINE_TOKEN = "urn:shopify:params:oauth:token-type:offline-access-token";
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

interface Answer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

interface Flight {
  answer: Promise<Answer>;
  /** Set once Shopify has answered: only then can a store end the exchange. */
  answered: boolean;
  release: () => Promise<void>;
}

export class OfflineTokenExchanges {
  private readonly flights = new Map<string, Flight>();
  private readonly holdMs: number;
  private readonly lockWaitMs: number;

  constructor(private readonly deps: OfflineTokenExchangeDeps) {
    this.holdMs = deps.holdMs ?? 20_000;
    this.lockWaitMs = deps.lockWaitMs ?? 15_000;
  }

  /** The library's fetch, with its offline token exchanges made one per shop. */
  wrap(baseFetch: typeof fetch): typeof fetch {
    const exchange = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
      const shop = offlineExchangeShop(input, init);
      if (!shop) return baseFetch(input, init);
      const running = this.flights.get(shop);
      if (running) {
        const answer = await running.answer.catch(() => null);
        if (answer && answer.status === 200) return toResponse(answer);
        // The first one failed: this request's own session token may still be good.
        return exchange(input, init);
      }
      return toResponse(await this.fly(shop, () => baseFetch(input, init)));
    };
    return exchange;
  }

  /**
   * The library stored an offline session for the shop: the exchange is over. A store
   * before the answer (the library clearing a refused token, say) is not this exchange's.
   */
  async stored(shop: string): Promise<void> {
    const flight = this.flights.get(shop);
    if (flight?.answered) await flight.release();
  }

  private fly(shop: string, call: () => Promise<Response>): Promise<Answer> {
    let releaseLock: () => Promise<void> = async () => undefined;
    let timer: NodeJS.Timeout | undefined;
    let released: Promise<void> | undefined;
    const flight: Flight = {
      answer: Promise.resolve(null as unknown as Answer),
      answered: false,
      release: () => {
        released ??= (async () => {
          clearTimeout(timer);
          if (this.flights.get(shop) === flight) this.flights.delete(shop);
          await releaseLock();
        })();
        return released;
      },
    };
    flight.answer = (async () => {
      releaseLock = await this.lock(shop);
      // The call and the store together get holdMs: a hung call or a store that never
      // comes does not keep other processes waiting longer.
      timer = setTimeout(() => void flight.release(), this.holdMs);
      timer.unref?.();
      try {
        const response = await call();
        const answer: Answer = {
          status: response.status,
          statusText: response.statusText,
          headers: [...response.headers.entries()],
          body: await response.text(),
        };
        flight.answered = true;
        if (answer.status !== 200) await flight.release();
        return answer;
      } catch (error) {
        await flight.release();
        throw error;
      }
    })();
    this.flights.set(shop, flight);
    return flight.answer;
  }

  /**
   * The shop's lock on a connection of its own, in a transaction held open until the
   * release: a transaction-scoped lock, because the web app may reach Postgres through the
   * transaction pooler, which pins a connection only for a transaction.
   */
  private async lock(shop: string): Promise<() => Promise<void>> {
    let client: PoolClient | undefined;
    try {
      client = await this.deps.pool().connect();
      await client.query("begin");
      await client.query("select set_config('lock_timeout', $1, true)", [`${this.lockWaitMs}ms`]);
      await client.query("select pg_advisory_xact_lock($1, hashtext($2))", [OFFLINE_TOKEN_LOCK_NAMESPACE, shop]);
    } catch (error) {
      // No database or a stuck holder: exchange unlocked rather than fail the merchant's page.
      console.warn(
        `[tokens] ${shop}: token exchange without the shop's lock:`,
        error instanceof Error ? error.message : error,
      );
      await client?.query("rollback").catch(() => undefined);
      client?.release();
      return async () => undefined;
    }
    const held = client;
    return async () => {
      try {
        await held.query("commit");
        held.release();
      } catch (error) {
        // A connection that cannot end its transaction is closed: its lock goes with it.
        held.release(error instanceof Error ? error : true);
      }
    };
  }
}

/** The shop of a library token exchange for an offline token, or null for any other request. */
export function offlineExchangeShop(input: Parameters<typeof fetch>[0], init?: RequestInit): string | null {
  if (input instanceof Request || (init?.method ?? "GET").toUpperCase() !== "POST") return null;
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || url.pathname !== "/admin/oauth/access_token") return null;
  if (typeof init?.body !== "string") return null;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(init.body) as Record<string, unknown>;
  } catch {
    return null;
  }
  const matches =
    body?.grant_type === TOKEN_EXCHANGE &&
    body.subject_token_type === ID_TOKEN &&
    body.requested_token_type === OFFLINE_TOKEN;
  return matches ? url.hostname : null;
}

function toResponse(answer: Answer): Response {
  return new Response(answer.body, {
    status: answer.status,
    statusText: answer.statusText,
    headers: answer.headers,
  });
}
