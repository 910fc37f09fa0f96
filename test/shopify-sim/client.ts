import type { Control, ControlOperation } from "./control";
import { ADMIN_API_VERSION } from "./schema";

/**
 * Small typed HTTP clients for a simulator running elsewhere (the demo process, browser
 * tests): the control API with the same operations and types as `Simulator.control`, and
 * raw Admin API calls that expose status, headers and body exactly as received.
 */

/** `Simulator.control`, over HTTP: every operation returns a promise of the same result. */
export type RemoteControl = {
  [K in ControlOperation]: (
    ...args: Parameters<Control[K]>
  ) => Promise<Awaited<ReturnType<Control[K]>>>;
};

/** Either the in-process control object or the HTTP one: code written against this runs with both. */
export type AnyControl = {
  [K in ControlOperation]: (
    ...args: Parameters<Control[K]>
  ) => ReturnType<Control[K]> | Promise<Awaited<ReturnType<Control[K]>>>;
};

export class SimulatorControlError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    message: string,
  ) {
    super(`simulator ${operation} failed (${status}): ${message}`);
    this.name = "SimulatorControlError";
  }
}

export function createControlClient(origin: string, fetchImpl: typeof fetch = fetch): RemoteControl {
  const base = origin.replace(/\/+$/, "");
  return new Proxy({} as RemoteControl, {
    get(_target, property) {
      if (typeof property !== "string" || property === "then") return undefined;
      return async (input?: unknown) => {
        const response = await fetchImpl(`${base}/_simulator/${property}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(input ?? {}),
        });
        const text = await response.text();
        const body = text ? (JSON.parse(text) as unknown) : null;
        if (!response.ok) {
          const message = (body as { error?: string } | null)?.error ?? text;
          throw new SimulatorControlError(property, response.status, message);
        }
        return body;
      };
    },
  });
}

export interface AdminRequest {
  origin: string;
  shop: string;
  token?: string | null;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  apiVersion?: string;
  /** Abort after this many ms (to observe hung answers). */
  timeoutMs?: number;
}

export interface AdminResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON (502/504 pages). */
  body: T;
}

/**
 * One Admin GraphQL call the way the app's rewritten fetch makes it (shop in
 * X-Forwarded-Host). Network failures (dropped sockets, timeouts) reject, as they would
 * for the app.
 */
export async function adminGraphql<T = any>(request: AdminRequest): Promise<AdminResponse<T>> {
  const version = request.apiVersion ?? ADMIN_API_VERSION;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/json",
    "X-Forwarded-Host": request.shop,
  };
  if (request.token) headers["X-Shopify-Access-Token"] = request.token;
  const response = await fetch(`${request.origin}/admin/api/${version}/graphql.json`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      query: request.query,
      variables: request.variables,
      operationName: request.operationName,
    }),
    signal: request.timeoutMs ? AbortSignal.timeout(request.timeoutMs) : undefined,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** POST /admin/oauth/access_token with the body @shopify/shopify-api 15 sends for token exchange. */
export async function exchangeToken(input: {
  origin: string;
  shop: string;
  apiKey: string;
  apiSecret: string;
  sessionToken: string;
  online?: boolean;
  expiring?: boolean;
}): Promise<AdminResponse> {
  const response = await fetch(`${input.origin}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-Forwarded-Host": input.shop },
    body: JSON.stringify({
      client_id: input.apiKey,
      client_secret: input.apiSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: input.sessionToken,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: input.online
        ? "urn:shopify:params:oauth:token-type:online-access-token"
        : "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: input.expiring ? "1" : "0",
    }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/**
 * POST /admin/oauth/access_token with client credentials and the given grant fields: the
 * refresh grant (`{ grant_type: "refresh_token", refresh_token }`) and the migration of a
 * non-expiring token, with the bodies @shopify/shopify-api 15 sends.
 */
export async function postAccessToken(input: {
  origin: string;
  shop: string;
  apiKey: string;
  apiSecret: string;
  fields: Record<string, string>;
}): Promise<AdminResponse> {
  const response = await fetch(`${input.origin}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-Forwarded-Host": input.shop },
    body: JSON.stringify({ client_id: input.apiKey, client_secret: input.apiSecret, ...input.fields }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}
