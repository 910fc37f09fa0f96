import {
  abstractFetch,
  setAbstractFetchFunc,
} from "@shopify/shopify-api/runtime";

const BASE_FETCH: unique symbol = Symbol.for(
  "vendor-shipments.admin-api-origin.base-fetch",
);
type FetchWithBase = typeof fetch & { [BASE_FETCH]?: typeof fetch };

/**
 * Points the Shopify library's Admin API traffic at a local server (the Shopify
 * simulator in tests and the offline demo).
 *
 * The library always calls `https://<shop>/admin/...` (GraphQL and the token-exchange
 * call to /admin/oauth/access_token alike), and *.myshopify.com neither resolves nor
 * serves local TLS here. So the fetch the library uses is wrapped: such a request goes
 * to `<origin>/admin/...` instead, carrying the shop in `X-Forwarded-Host`, the way a
 * reverse proxy would. Everything else passes through untouched.
 *
 * Used only when SHOPIFY_ADMIN_API_ORIGIN is set (the app, the worker, the drain);
 * production leaves it unset and the library's requests go to Shopify.
 */
export function installAdminApiOrigin(origin: string): void {
  wrapLibraryFetch([(base) => redirectAdminApiFetch(origin, base)]);
}

/**
 * Sets the library's fetch to the given wrappers around its original one, the first
 * innermost. Vite's dev server re-evaluates the callers on changes while the library keeps
 * its state: the wrappers always go around the original, never around earlier wrappers.
 */
export function wrapLibraryFetch(wrappers: ((base: typeof fetch) => typeof fetch)[]): void {
  const current: FetchWithBase = abstractFetch;
  const original = current[BASE_FETCH] ?? current;
  const wrapped: FetchWithBase = wrappers.reduce((base, wrap) => wrap(base), original);
  wrapped[BASE_FETCH] = original;
  setAbstractFetchFunc(wrapped);
}

/** The wrapper itself, separate so that it can be tested without touching the library. */
export function redirectAdminApiFetch(
  origin: string,
  baseFetch: typeof fetch,
): typeof fetch {
  const target = new URL(origin);
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new Error(
      `SHOPIFY_ADMIN_API_ORIGIN must be an http(s) URL, got ${origin}`,
    );
  }
  // A path on the origin (http://host/sim) is kept as a prefix.
  const prefix = target.pathname.replace(/\/+$/, "");

  return (input, init) => {
    const original = new URL(input instanceof Request ? input.url : input);
    if (
      original.protocol !== "https:" ||
      !original.pathname.startsWith("/admin/")
    ) {
      return baseFetch(input, init);
    }

    const rewritten = new URL(target.origin);
    rewritten.pathname = `${prefix}${original.pathname}`;
    rewritten.search = original.search;

    const request = new Request(
      rewritten,
      input instanceof Request ? input : undefined,
    );
    const headers = new Headers(request.headers);
    new Headers(init?.headers).forEach((value, name) =>
      headers.set(name, value),
    );
    headers.set("X-Forwarded-Host", original.host);

    return baseFetch(new Request(request, { ...init, headers }));
  };
}
