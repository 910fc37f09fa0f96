import { abstractFetch } from "@shopify/shopify-api/runtime";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { classifyShopifyOutcome, inferNetworkPhase } from "~/fulfillment/errors";
import type { AdminDocument, AnswerOf, VariablesOf } from "./admin-operations";

/**
 * The Admin API port: sends one GraphQL document for one shop and either returns its
 * data with the call's cost, or throws a classified SyncError.
 *
 * Why not `admin.graphql` from authenticate.admin: on failure it rethrows a Response
 * that keeps only the status and body, losing Retry-After, X-Request-Id and whether
 * the request ever left (which decides "transient" against "outcome unknown"), and on
 * success it hides extensions.cost, which the per-shop pacing needs. This client goes
 * through the library's own fetch (abstractFetch), so SHOPIFY_ADMIN_API_ORIGIN still
 * applies and nothing here knows about the simulator.
 */
export interface AdminApiSession {
  shop: string;
  accessToken: string;
  /**
   * Background sessions (~/shopify/offline-token.server): each call asks it for a token
   * (refreshed ahead of expiry), and a 401 gets one retry with the token it replaces the
   * refused one with. Without it, `accessToken` is sent as it is.
   */
  tokenSource?: OfflineTokenSource;
}

export interface OfflineTokenSource {
  current(): Promise<string | null>;
  afterUnauthorized(rejected: string): Promise<string | null>;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminGraphqlResult<TData> {
  data: TData;
  cost: QueryCost | null;
  requestId: string | null;
  httpStatus: number;
}

export interface AdminGraphqlOptions {
  variables?: Record<string, unknown>;
  /** Abort after this long. For a mutation the outcome is then unknown. */
  timeoutMs?: number;
  /** Mutations change Shopify: a lost answer means "maybe done", never "not done". */
  isMutation?: boolean;
  /** Called with every response's cost, failures included (pacing listens here). */
  onCost?: (cost: QueryCost) => void;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/** One of the app's documents: its answer and variables are the generated ones. */
export async function adminGraphql<D extends AdminDocument>(
  session: AdminApiSession,
  document: D,
  options?: AdminGraphqlOptions & { variables?: VariablesOf<D> },
): Promise<AdminGraphqlResult<AnswerOf<D>>>;
/** Any other document, with the answer's type given. */
export async function adminGraphql<TData>(
  session: AdminApiSession,
  document: string,
  options?: AdminGraphqlOptions,
): Promise<AdminGraphqlResult<TData>>;
export async function adminGraphql<TData>(
  session: AdminApiSession,
  document: string,
  options: AdminGraphqlOptions = {},
): Promise<AdminGraphqlResult<TData>> {
  const source = session.tokenSource;
  const token = source ? ((await source.current()) ?? session.accessToken) : session.accessToken;
  try {
    return await send<TData>(session.shop, token, document, options);
  } catch (error) {
    // 401: Shopify executed nothing, so one retry is safe — with a token stored by
    // another process meanwhile, or a forced refresh. A second 401 stands.
    if (!source || (error as { httpStatus?: number }).httpStatus !== 401) throw error;
    const replacement = await source.afterUnauthorized(token);
    if (!replacement || replacement === token) throw error;
    session.accessToken = replacement;
    return send<TData>(session.shop, replacement, document, options);
  }
}

async function send<TData>(
  shop: string,
  accessToken: string,
  document: string,
  options: AdminGraphqlOptions,
): Promise<AdminGraphqlResult<TData>> {
  const isMutation = options.isMutation ?? /^\s*(?:#\s*graphql\s*)?mutation\b/.test(document);
  const url = `https://${shop}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);

  let response: Response;
  try {
    response = await abstractFetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-Shopify-Access-Token": accessToken,
      },
      body: JSON.stringify({ query: document, variables: options.variables ?? {} }),
      signal: timeout,
    });
  } catch (error) {
    throw classifyShopifyOutcome({
      kind: "network",
      // The one list of codes that prove nothing was sent (connection, DNS, TLS).
      phase: inferNetworkPhase(error) === "before_send" ? "before_send" : "after_send",
      error,
      isMutation,
    });
  }

  const headers = Object.fromEntries(response.headers.entries());
  const requestId = response.headers.get("x-request-id");
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    // Headers arrived but the body was cut off or is not JSON (a proxy's HTML page).
    if (response.ok) {
      throw classifyShopifyOutcome({ kind: "network", phase: "after_send", error, isMutation });
    }
    body = null;
  }

  const cost = readCost(body);
  if (cost) options.onCost?.(cost);

  if (!response.ok) {
    throw classifyShopifyOutcome({
      kind: "http",
      status: response.status,
      body,
      headers,
      requestSent: true,
      isMutation,
      requestId: requestId ?? undefined,
    });
  }
  const payload = body as { data?: TData; errors?: unknown };
  if (Array.isArray(payload?.errors) && payload.errors.length > 0) {
    throw classifyShopifyOutcome({
      kind: "graphql_errors",
      errors: payload.errors as { message: string; extensions?: Record<string, unknown> }[],
      cost: cost ?? undefined,
      requestId: requestId ?? undefined,
      isMutation,
    });
  }
  return { data: payload.data as TData, cost, requestId, httpStatus: response.status };
}

function readCost(body: unknown): QueryCost | null {
  const cost = (body as { extensions?: { cost?: QueryCost } } | null)?.extensions?.cost;
  if (!cost || typeof cost.requestedQueryCost !== "number" || !cost.throttleStatus) return null;
  return cost;
}

