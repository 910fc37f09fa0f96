import { TEST_APP } from "./app-env";

/**
 * Requests shaped like the ones the Shopify admin and App Bridge send to the app.
 * All carry a desktop Chrome User-Agent: the library answers bot-like agents
 * (curl, node, undici, HeadlessChrome) with 410 before looking at anything else.
 */
export const CHROME_USER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** The base64 `host` parameter the admin adds: admin.shopify.com/store/<handle>. */
export function adminHost(shop: string): string {
  const handle = shop.replace(/\.myshopify\.com$/, "");
  return Buffer.from(`admin.shopify.com/store/${handle}`).toString("base64url");
}

/** A data request from inside the admin (App Bridge's fetch adds the Bearer token). */
export function fetchRequest(
  path: string,
  token: string,
  init: RequestInit = {},
): Request {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  headers.set("User-Agent", CHROME_USER_AGENT);
  return new Request(new URL(path, TEST_APP.appUrl), { ...init, headers });
}

/**
 * The document request that loads the app in the admin's iframe:
 * ?embedded=1&shop=…&host=…&id_token=… (plus any extra parameters, e.g. locale).
 */
export function documentRequest(
  path: string,
  {
    shop,
    token,
    params = {},
  }: { shop: string; token?: string; params?: Record<string, string> },
): Request {
  const url = new URL(path, TEST_APP.appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", adminHost(shop));
  if (token) url.searchParams.set("id_token", token);
  for (const [name, value] of Object.entries(params))
    url.searchParams.set(name, value);
  return new Request(url, { headers: { "User-Agent": CHROME_USER_AGENT } });
}

/** Route loader/action arguments for calling a route module directly. */
export function routeArgs(
  request: Request,
  params: Record<string, string> = {},
) {
  return { request, params, context: {} };
}

/**
 * Runs a loader or action and returns what it returned, or the Response it threw
 * (Remix treats a thrown Response as the response). Anything else thrown propagates.
 */
export async function settle<T>(
  run: () => Promise<T>,
): Promise<
  { value: T; thrown?: undefined } | { value?: undefined; thrown: Response }
> {
  try {
    return { value: await run() };
  } catch (error) {
    if (error instanceof Response) return { thrown: error };
    throw error;
  }
}
