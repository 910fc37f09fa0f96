import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  execute,
  getVariableValues,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
} from "graphql";
import { documentAccess } from "./access";
import { authenticateAdminRequest, shopFromHeaders } from "./auth";
import { MAX_QUERY_COST } from "./bucket";
import { Control, isControlOperation, READ_ONLY_OPERATIONS, type RequestLogEntry } from "./control";
import { ActualCostMeter, requestedQueryCost, rootFieldNames, selectOperation } from "./cost";
import { createPrng, FaultInjector, type FaultAction } from "./faults";
import { changeFulfillmentOrder } from "./fulfillment";
import { formatParseError, formatValidationErrors, formatVariableErrors, type ShopifyGraphqlError } from "./graphql-errors";
import { fieldResolver, typeResolver, type ResolverContext } from "./resolvers";
import { ADMIN_API_VERSION, loadAccessIndex, loadAdminSchema } from "./schema";
import { ControlError, Store, type ShopRecord, type TokenGrantLogEntry } from "./store";
import { handleAccessTokenRequest, type TokenLifetimes } from "./tokens";
import { WebhookDispatcher, type WebhookConfig } from "./webhooks";

/**
 * The simulator's HTTP server: Shopify's Admin GraphQL endpoint and OAuth token endpoint
 * on the paths the Shopify library calls (after the app's fetch rewrite), and the control
 * API under /_simulator/. Tests start it in-process with startSimulator(); the demo runs
 * it as a process through cli.ts.
 */

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Seeds the fault PRNG and generated tokens. Default 1. */
  seed?: number;
  /** The app's API key and secret: session tokens are checked against them. */
  apiKey?: string;
  apiSecret?: string;
  /** Epoch milliseconds. Inject one to make rate limits and expiries deterministic. */
  clock?: () => number;
  /** Lifetimes of expiring offline tokens (default Shopify's: 3600 s and 90 days). */
  tokenLifetimes?: Partial<TokenLifetimes>;
  /** Deliver webhooks to the app from the start (or later: `webhooks.configure`). */
  webhooks?: WebhookConfig;
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:41234` */
  origin: string;
  /** `<origin>/admin/api/<version>/graphql.json` */
  graphqlUrl: string;
  apiVersion: string;
  apiKey: string;
  apiSecret: string;
  control: Control;
  /** Webhook deliveries to the app (webhooks.ts). */
  webhooks: WebhookDispatcher;
  /** Stops listening and drops open (including deliberately hung) connections. */
  close(): Promise<void>;
}

export const DEFAULT_API_KEY = "simulator-api-key";
export const DEFAULT_API_SECRET = "simulator-api-secret";

const THROTTLED_DOCUMENTATION = "https://shopify.dev/api/usage/rate-limits";

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const schema = loadAdminSchema();
  const accessIndex = loadAccessIndex();
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const apiSecret = options.apiSecret ?? DEFAULT_API_SECRET;
  const seed = options.seed ?? 1;
  const baseClock = options.clock ?? Date.now;
  let clockOffset = 0;
  const clock = () => baseClock() + clockOffset;

  // Two PRNG streams: faults draw from one, token values from the other, so issuing a
  // token never shifts which faults fire.
  let tokenRandom = createPrng(seed ^ 0x5bd1e995);
  const randomHex = (bytes: number) =>
    Array.from({ length: bytes }, () => Math.floor(tokenRandom() * 256).toString(16).padStart(2, "0")).join("");

  const store = new Store({ clock });
  Object.assign(store.tokenLifetimes, options.tokenLifetimes ?? {});
  const faults = new FaultInjector(seed, clock);
  const requestLog: RequestLogEntry[] = [];
  const webhooks = new WebhookDispatcher(store, schema, seed);
  if (options.webhooks) webhooks.configure(options.webhooks);
  const control = new Control({
    store,
    webhooks,
    faults,
    requestLog,
    apiKey,
    apiSecret,
    randomHex,
    advanceClock: (ms) => {
      clockOffset += ms;
    },
    reseed: (next) => {
      faults.reset(next ?? seed);
      tokenRandom = createPrng((next ?? seed) ^ 0x5bd1e995);
    },
  });

  let requestCounter = 0;
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, { errors: `Simulator failure: ${error instanceof Error ? error.message : String(error)}` });
      } else {
        response.destroy();
      }
      // A bug in the simulator must be visible, never mistaken for a Shopify 500.
      console.error("[shopify-sim] request failed", error);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://simulator.invalid");
    const path = url.pathname;
    if (path.startsWith("/_simulator/")) return controlRoute(request, response, url);
    const graphqlMatch = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(path);
    if (graphqlMatch && request.method === "POST") return graphqlRoute(request, response, graphqlMatch[1]);
    if (path === "/admin/oauth/access_token" && request.method === "POST") return oauthRoute(request, response);
    return sendJson(response, 404, { errors: "Not Found" });
  }

  async function controlRoute(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const name = url.pathname.slice("/_simulator/".length);
    if (!isControlOperation(name)) return sendJson(response, 404, { error: `unknown control operation ${name}` });
    let input: Record<string, unknown>;
    if (request.method === "GET") {
      if (!READ_ONLY_OPERATIONS.includes(name)) {
        return sendJson(response, 405, { error: `${name} changes state: use POST` });
      }
      input = Object.fromEntries(url.searchParams);
    } else if (request.method === "POST") {
      const body = await readBody(request);
      try {
        input = body.length > 0 ? (JSON.parse(body) as Record<string, unknown>) : {};
      } catch {
        return sendJson(response, 400, { error: "the body must be JSON" });
      }
    } else {
      return sendJson(response, 405, { error: "use GET or POST" });
    }
    try {
      const method = control[name] as (arg: unknown) => unknown;
      const result = method.call(control, input);
      return sendJson(response, 200, result ?? { ok: true });
    } catch (error) {
      // Over HTTP the input is untyped: anything an operation throws is reported to the
      // caller as a bad request, not as a Shopify-looking 500.
      const status = error instanceof ControlError ? error.status : 400;
      return sendJson(response, status, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function oauthRoute(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    let body: Record<string, unknown>;
    try {
      body = (request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")
        ? Object.fromEntries(new URLSearchParams(raw))
        : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      return sendJson(response, 400, { error: "invalid_request", error_description: "The request body is not valid." });
    }
    const forwarded = shopFromHeaders({
      forwardedHost: header(request, "x-forwarded-host"),
      host: header(request, "host"),
    });
    const result = handleAccessTokenRequest(store, { apiKey, apiSecret, randomHex }, body, forwarded);
    const entry: TokenGrantLogEntry = {
      id: store.tokenGrants.length + 1,
      at: new Date(clock()).toISOString(),
      shop: result.shop,
      grant: result.grant,
      status: result.status,
      error: (result.body as { error?: string } | null)?.error ?? null,
      issued: result.issued ?? null,
      refreshToken: result.grant === "refresh_token" ? String(body.refresh_token ?? "") : null,
      answered: false,
    };
    store.tokenGrants.push(entry);
    const hold = store.tokenAnswerHold;
    if (hold && (hold.shop === null || hold.shop === result.shop) && hold.grants.includes(result.grant)) {
      // Done at "Shopify", the answer not yet sent: what a caller killed now never learns.
      await new Promise<void>((resolve) => store.heldTokenAnswers.push(resolve));
    }
    entry.answered = !(response.socket?.destroyed ?? true);
    return sendJson(response, result.status, result.body);
  }

  async function graphqlRoute(request: IncomingMessage, response: ServerResponse, version: string): Promise<void> {
    const requestId = ++requestCounter;
    const raw = await readBody(request);
    const entry: RequestLogEntry = {
      id: requestId,
      at: new Date(clock()).toISOString(),
      shop: null,
      operationName: null,
      rootFields: [],
      outcome: 200,
      requestedQueryCost: null,
      actualQueryCost: null,
      throttled: false,
      faultLatencyMs: 0,
      throttleStatus: null,
    };
    requestLog.push(entry);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.outcome = status;
      sendJson(response, status, body, { "X-Request-Id": `sim-${requestId}`, ...headers });
    };

    if (version !== ADMIN_API_VERSION) return reply(404, { errors: "Not Found" });

    let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      payload = JSON.parse(raw) as typeof payload;
    } catch {
      return reply(400, { errors: { query: "Required parameter missing or invalid" } });
    }
    if (typeof payload?.query !== "string" || payload.query.trim() === "") {
      return reply(400, { errors: { query: "Required parameter missing or invalid" } });
    }
    const operationName = typeof payload.operationName === "string" ? payload.operationName : null;
    entry.operationName = operationName;

    // Parsed early only to name the operation for fault matching and the log; a parse
    // error is answered after authentication, as Shopify does.
    let document: DocumentNode | null = null;
    let parseError: GraphQLError | null = null;
    try {
      document = parse(payload.query);
    } catch (error) {
      parseError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
    }
    const operation = document ? selectOperation(document, operationName) : null;
    entry.operationName = operationName ?? operation?.name?.value ?? null;
    const rootFields = document && operation ? rootFieldNames(document, operation) : [];
    entry.rootFields = rootFields;

    const accessToken = header(request, "x-shopify-access-token");
    const namedShop = shopFromHeaders({ forwardedHost: header(request, "x-forwarded-host"), host: header(request, "host") });
    const shopDomain = namedShop ?? store.liveToken(accessToken)?.shop ?? store.tokens.get(accessToken ?? "")?.shop ?? null;
    entry.shop = shopDomain;

    const { latencyMs, fault } = faults.forRequest({ shop: shopDomain, rootFields, requestId });
    entry.faultLatencyMs = latencyMs;
    if (latencyMs > 0) await sleep(latencyMs);
    const knownShop = store.findShop(shopDomain);
    if (fault) {
      const early = applyEarlyFault(fault, knownShop);
      if (early === "dropped") {
        entry.outcome = "dropped";
        response.socket?.destroy();
        return;
      }
      if (early) return reply(early.status, early.body, early.headers);
    }

    if (knownShop?.frozen) return reply(402, { errors: "Unavailable Shop" });
    if (knownShop?.locked) return reply(423, { errors: "Unavailable Shop" });
    const auth = authenticateAdminRequest(store, {
      forwardedHost: header(request, "x-forwarded-host"),
      host: header(request, "host"),
      accessToken,
    });
    if (!auth.ok) return reply(auth.status, auth.body);
    const { shop, token } = auth;

    if (parseError || !document) return reply(200, { errors: [formatParseError(parseError!)] });
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) return reply(200, { errors: formatValidationErrors(validationErrors, document) });
    const selected = checkOperation(document, operationName, operation);
    if ("errors" in selected) return reply(200, { errors: selected.errors });

    const inputs =
      payload.variables && typeof payload.variables === "object" ? (payload.variables as Record<string, unknown>) : {};
    const coerced = getVariableValues(schema, selected.operation.variableDefinitions ?? [], inputs);
    if (coerced.errors) return reply(200, { errors: formatVariableErrors(coerced.errors, selected.operation, inputs) });

    const requested = requestedQueryCost({ schema, document, operation: selected.operation, variables: coerced.coerced });
    entry.requestedQueryCost = requested;
    const cost = (actual: number | null): { cost: Record<string, unknown> } => {
      const throttleStatus = shop.bucket.status();
      entry.throttleStatus = throttleStatus;
      return { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus } };
    };
    if (requested > MAX_QUERY_COST) {
      return reply(200, { errors: [maxCostExceeded(requested)], extensions: cost(null) });
    }
    if (fault?.type === "throttled" || !shop.bucket.tryTake(requested)) {
      entry.throttled = true;
      return reply(200, { errors: [throttledError()], extensions: cost(null) });
    }

    const meter = new ActualCostMeter();
    const context: ResolverContext = {
      store,
      shop,
      scopes: shop.scopes,
      caller: { scopes: shop.scopes, tokenKind: token.kind },
      access: documentAccess(schema, accessIndex, document).fields,
      accessIndex,
      meter,
      beforeFulfillmentCreate: (fulfillmentOrderIds) => {
        const race = faults.forFulfillmentCreate({ shop: shop.domain, rootFields, requestId });
        if (race) applyRace(shop, race, fulfillmentOrderIds);
      },
    };
    const result = execute({
      schema,
      document,
      operationName: selected.operation.name?.value,
      variableValues: inputs,
      contextValue: context,
      fieldResolver,
      typeResolver,
    });
    if (result instanceof Promise) throw new Error("resolvers must be synchronous");
    const actual = Math.min(meter.value, requested);
    entry.actualQueryCost = actual;
    shop.bucket.refund(requested - actual);

    // The request has taken effect; the answer may still be lost.
    if (fault?.type === "dropAfterCommit") {
      if (fault.mode === "hang") {
        entry.outcome = "hung";
        return; // never answered; close() destroys the socket
      }
      entry.outcome = "dropped";
      response.socket?.destroy();
      return;
    }
    if (fault?.type === "httpError" && fault.afterCommit) {
      const { status, body, headers } = httpErrorResponse(fault.status);
      return reply(status, body, headers);
    }

    const body: Record<string, unknown> = {};
    if (result.errors?.length) body.errors = result.errors.map((error) => error.toJSON());
    body.data = result.data ?? null;
    body.extensions = cost(actual);
    return reply(200, body);
  }

  /** Faults that answer (or drop) before anything runs, and state changes that then let the request proceed. */
  function applyEarlyFault(
    fault: FaultAction,
    shop: ShopRecord | undefined,
  ): { status: number; body: unknown; headers?: Record<string, string> } | "dropped" | null {
    switch (fault.type) {
      case "httpError":
        return fault.afterCommit ? null : httpErrorResponse(fault.status);
      case "rateLimited":
        return {
          status: 429,
          body: {
            errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
          },
          headers: { "Retry-After": (fault.retryAfterSeconds ?? 2).toFixed(1) },
        };
      case "dropBeforeCommit":
        return "dropped";
      case "revokeToken":
        if (shop) store.revokeTokens(shop.domain);
        return null;
      case "removeScope":
        if (shop) shop.scopes = shop.scopes.filter((scope) => scope !== fault.scope);
        return null;
      case "freezeShop":
        if (shop) shop.frozen = true;
        return null;
      case "lockShop":
        if (shop) shop.locked = true;
        return null;
      default:
        // throttled, dropAfterCommit: handled later in the pipeline.
        return null;
    }
  }

  function applyRace(
    shop: ShopRecord,
    race: Extract<FaultAction, { type: "fulfillmentOrderRace" }>,
    fulfillmentOrderIds: string[],
  ): void {
    const target = race.fulfillmentOrderId ?? fulfillmentOrderIds[0];
    const fulfillmentOrder = target ? shop.fulfillmentOrders.get(target) : undefined;
    if (!fulfillmentOrder) return;
    if (race.change === "move") {
      const destination =
        race.toLocationId ?? [...shop.locations.keys()].find((id) => id !== fulfillmentOrder.locationId);
      if (!destination) return;
      changeFulfillmentOrder(store, shop, fulfillmentOrder.id, { action: "move", toLocationId: destination });
    } else {
      changeFulfillmentOrder(store, shop, fulfillmentOrder.id, { action: race.change });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;

  return {
    origin,
    graphqlUrl: `${origin}/admin/api/${ADMIN_API_VERSION}/graphql.json`,
    apiVersion: ADMIN_API_VERSION,
    apiKey,
    apiSecret,
    control,
    webhooks,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const release of store.heldTokenAnswers.splice(0)) release();
        webhooks.close();
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function checkOperation(
  document: DocumentNode,
  operationName: string | null,
  operation: OperationDefinitionNode | null,
): { operation: OperationDefinitionNode } | { errors: ShopifyGraphqlError[] } {
  if (operation) {
    if (operation.operation === "subscription") {
      return { errors: [{ message: "Subscriptions are not supported", extensions: { code: "BAD_REQUEST" } }] };
    }
    return { operation };
  }
  const count = document.definitions.filter((definition) => definition.kind === "OperationDefinition").length;
  if (operationName) return { errors: [{ message: `No operation named "${operationName}"` }] };
  return {
    errors: [{ message: count === 0 ? "No operations in query document" : "An operation name is required" }],
  };
}

function maxCostExceeded(cost: number): ShopifyGraphqlError {
  return {
    message:
      `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\n` +
      "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
      "cost of a query is calculated.\n\n" +
      "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
      "See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n",
    extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: MAX_QUERY_COST, documentation: THROTTLED_DOCUMENTATION },
  };
}

function throttledError(): ShopifyGraphqlError {
  return { message: "Throttled", extensions: { code: "THROTTLED", documentation: THROTTLED_DOCUMENTATION } };
}

/**
 * Shopify's 5xx answers: the application's own errors are JSON; 502/504 come from the
 * edge in front of it as HTML pages, which a client must survive parsing.
 */
export function httpErrorResponse(status: 500 | 502 | 503 | 504): {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
} {
  switch (status) {
    case 500:
      return { status, body: { errors: "Internal Server Error" } };
    case 503:
      return { status, body: { errors: "Service Unavailable" }, headers: { "Retry-After": "1" } };
    case 502:
      return { status, body: htmlPage("502 Bad Gateway") };
    case 504:
      return { status, body: htmlPage("504 Gateway Time-out") };
  }
}

class HtmlBody {
  readonly html: string;

  constructor(html: string) {
    this.html = html;
  }
}

function htmlPage(title: string): HtmlBody {
  return new HtmlBody(`<html>\n<head><title>${title}</title></head>\n<body>\n<center><h1>${title}</h1></center>\n</body>\n</html>\n`);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.destroyed) return;
  const isHtml = body instanceof HtmlBody;
  const text = isHtml ? body.html : JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": isHtml ? "text/html; charset=utf-8" : "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "X-Shopify-API-Version": ADMIN_API_VERSION,
    ...headers,
  });
  response.end(text);
}

function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
