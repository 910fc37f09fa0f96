/**
 * One taxonomy for every outcome Shopify can give a sync call, and the SyncError that
 * carries it to the audit log, the retry policy and the UI.
 *
 * The classes equal the database enum `sync_error_class` (test/fulfillment/errors.unit.test.ts
 * checks it against the migration). Classification decisions, with Shopify's semantics:
 *
 * - 401 → reauth_required: the token is invalid or revoked; only a new OAuth helps.
 * - GraphQL ACCESS_DENIED "This app is not approved to access the Order object" (or "…to
 *   use the email field") → protected_customer_data: the app's protected customer data
 *   access is not approved in the Partner Dashboard. No scope fixes it, so it never
 *   pauses the shop (a pause would lift on the next grant and fail again); the shipment
 *   fails with the Partner Dashboard step.
 * - 403, GraphQL ACCESS_DENIED → missing_scope: `requiredAccess` holds requirements,
 *   each met by any one of its alternatives (./required-access); `missingScopes`
 *   lists every scope named. May also be a staff account without the fulfil permission
 *   (online tokens); the guidance says so.
 * - order_too_old: raised by the sync (not by Shopify's answer) when Shopify says an
 *   order does not exist that the app knows is older than 60 days and the shop has not
 *   granted read_all_orders; the fix is that optional scope.
 * - 404/410, userErrors "... does not exist", GraphQL RESOURCE_NOT_FOUND → not_found.
 *   Not retryable by waiting; `nextAction: 'reconcile'`: FOs get moved, merged and
 *   split, so re-reading the order's FOs and mapping again once may fix it.
 * - 422, userErrors → invalid with a reason. quantity and status → 'reconcile' (Shopify
 *   already fulfilled the units, or the FO is held/closed: re-read before anything
 *   else; a duplicate create gets exactly "Invalid fulfillment order line item quantity
 *   requested."); tracking and other → 'fix_input'.
 * - 429 → throttled, waiting Retry-After (at least 1 s); GraphQL THROTTLED → throttled,
 *   waiting (requestedQueryCost − currentlyAvailable) / restoreRate seconds, at least 1 s.
 * - 402 (frozen) / 423 (locked) → shop_unavailable: not fixed by waiting seconds.
 * - Failure before the request left (DNS, connection refused) → transient.
 * - MUTATIONS: any 5xx, GraphQL INTERNAL_SERVER_ERROR, or a timeout/reset after the
 *   request left → outcome_unknown. `fulfillmentCreate` has no idempotency key and
 *   Shopify promises nothing about a 5xx meaning "not applied": a 500 can follow a
 *   commit, a 502/504 is a gateway that lost an answer, even a 503 is not documented
 *   as "nothing happened". Treating them as transient would invite a blind resend; a
 *   resend of a partial shipment can fulfil OTHER remaining units, not merely fail.
 *   outcome_unknown costs one read (reconcile) before the retry, so it is chosen for
 *   every 5xx on a mutation. QUERIES: all of these are transient (reads are safe to
 *   repeat).
 * - Anything else Shopify refuses (other 4xx, unknown GraphQL error codes, query cost
 *   too high) → invalid/other: not retryable, shown to the operator with the original
 *   message rather than retried forever.
 */
import { requirementsIn } from "~/fulfillment/required-access";
import type { Message } from "~/i18n/messages";
import { syncErrorGuidance, type SyncErrorGuidance } from "./messages";

export const SYNC_ERROR_CLASSES = [
  "reauth_required",
  "missing_scope",
  "not_found",
  "invalid",
  "throttled",
  "transient",
  "outcome_unknown",
  "shop_unavailable",
  "protected_customer_data",
  "order_too_old",
] as const;

/** Equals the database enum `public.sync_error_class`. */
export type SyncErrorClass = (typeof SYNC_ERROR_CLASSES)[number];

export type InvalidReason = "quantity" | "status" | "tracking" | "other";

export type ShopUnavailableReason = "frozen" | "locked";

/**
 * What to do next:
 * - retry: send again (after the backoff delay);
 * - wait_and_retry: send again no sooner than retryAfterMs;
 * - reauthorize: the merchant must open the app to re-authenticate (shop paused);
 * - request_scopes: the merchant must grant `missingScopes` (shop paused);
 * - fix_input: the operator must correct the shipment (tracking, lines);
 * - contact_shopify_or_wait: the shop is frozen/locked; nothing the app can do;
 * - reconcile: re-read the order's FOs and fulfillments first (adopt a fulfillment that
 *   exists, re-map lines), then decide;
 * - approve_customer_data: the app's developer must get protected customer data access
 *   approved in the Partner Dashboard; then retry.
 */
export type NextAction =
  | "retry"
  | "wait_and_retry"
  | "reauthorize"
  | "request_scopes"
  | "fix_input"
  | "contact_shopify_or_wait"
  | "reconcile"
  | "approve_customer_data";

/** `extensions.cost` of an Admin GraphQL response. */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost?: number | null;
  throttleStatus: {
    maximumAvailable: number;
    currentlyAvailable: number;
    restoreRate: number;
  };
}

export interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown> | null;
  path?: readonly (string | number)[] | null;
}

export interface UserErrorLike {
  field?: readonly string[] | null;
  message: string;
}

export type HeadersLike =
  | Headers
  | Readonly<
      Record<string, string | readonly string[] | number | undefined | null>
    >;

/**
 * A failed Shopify call, normalised by the caller (the Admin API port) before it is
 * classified. `isMutation` decides whether a lost answer is "transient" or "outcome
 * unknown"; where it is optional it defaults to true (the safe assumption).
 */
export type ShopifyOutcome =
  | {
      kind: "http";
      status: number;
      body?: unknown;
      headers?: HeadersLike;
      /** An HTTP status means the request reached Shopify (or a gateway in front). */
      requestSent?: true;
      isMutation: boolean;
      requestId?: string;
    }
  | {
      /** HTTP 200 with top-level `errors`. */
      kind: "graphql_errors";
      errors: readonly GraphQLErrorLike[];
      /** `extensions.cost` of the response (either field may carry it). */
      cost?: QueryCost;
      extensions?: { cost?: QueryCost } | null;
      requestId?: string;
      isMutation?: boolean;
    }
  | {
      /** HTTP 200, mutation payload with `userErrors` (they carry no code). */
      kind: "user_errors";
      userErrors: readonly UserErrorLike[];
      requestId?: string;
    }
  | {
      /** No HTTP answer: DNS, refused, reset, timeout, body cut off. */
      kind: "network";
      phase: "before_send" | "after_send";
      error: unknown;
      isMutation: boolean;
    };

/** Everything known about one classified failure; what the DB and UI store and show. */
export interface SyncErrorDetails {
  errorClass: SyncErrorClass;
  retryable: boolean;
  /** Do not retry sooner than this (throttling, Retry-After). */
  retryAfterMs?: number;
  httpStatus?: number;
  /** Shopify's X-Request-Id, for support requests. */
  requestId?: string;
  /** missing_scope: scope names Shopify asked for (possibly alternatives: any one may do). */
  missingScopes?: string[];
  /** missing_scope: the requirements, each met by any one of its scopes. */
  requiredAccess?: string[][];
  invalidReason?: InvalidReason;
  shopUnavailableReason?: ShopUnavailableReason;
  userErrors?: { field: string[] | null; message: string }[];
  graphqlCodes?: string[];
  /**
   * The original message (Shopify's words), for the audit log. For a failure the app
   * found itself (`detail`), the detail's English text, for logs only.
   */
  message: string;
  /**
   * A failure the app words itself (a check made before calling Shopify): what to tell
   * the operator, as a message (key and parameters) each page renders in its own
   * language. Stored in shipments.last_error_detail.
   */
  detail?: Message;
  guidance: SyncErrorGuidance;
  nextAction: NextAction;
}

/**
 * A classified Shopify failure. `message` is Shopify's (or the network's) original
 * message; `cause` keeps the underlying error. Serialises to SyncErrorDetails.
 */
export class SyncError extends Error implements SyncErrorDetails {
  override name = "SyncError";
  readonly errorClass: SyncErrorClass;
  readonly retryable: boolean;
  readonly guidance: SyncErrorGuidance;
  readonly nextAction: NextAction;
  declare readonly retryAfterMs?: number;
  declare readonly httpStatus?: number;
  declare readonly requestId?: string;
  declare readonly missingScopes?: string[];
  declare readonly requiredAccess?: string[][];
  declare readonly invalidReason?: InvalidReason;
  declare readonly shopUnavailableReason?: ShopUnavailableReason;
  declare readonly userErrors?: { field: string[] | null; message: string }[];
  declare readonly graphqlCodes?: string[];
  declare readonly detail?: Message;

  constructor(details: SyncErrorDetails, options: { cause?: unknown } = {}) {
    super(
      details.message,
      "cause" in options ? { cause: options.cause } : undefined,
    );
    this.errorClass = details.errorClass;
    this.retryable = details.retryable;
    this.guidance = details.guidance;
    this.nextAction = details.nextAction;
    for (const key of OPTIONAL_KEYS) {
      if (details[key] !== undefined)
        Object.defineProperty(this, key, {
          value: details[key],
          enumerable: true,
        });
    }
  }

  /** The plain details (no stack, no cause): safe to store or send to the browser. */
  toJSON(): SyncErrorDetails {
    const json: SyncErrorDetails = {
      errorClass: this.errorClass,
      retryable: this.retryable,
      message: this.message,
      guidance: this.guidance,
      nextAction: this.nextAction,
    };
    for (const key of OPTIONAL_KEYS) {
      if (this[key] !== undefined) Object.assign(json, { [key]: this[key] });
    }
    return json;
  }
}

const OPTIONAL_KEYS = [
  "retryAfterMs",
  "httpStatus",
  "requestId",
  "missingScopes",
  "requiredAccess",
  "invalidReason",
  "shopUnavailableReason",
  "userErrors",
  "graphqlCodes",
  "detail",
] as const satisfies readonly (keyof SyncErrorDetails)[];

/** Waits used when Shopify does not say how long. The seed's floor: at least 1 s. */
export const MIN_THROTTLE_WAIT_MS = 1000;

type Extras = Partial<
  Omit<
    SyncErrorDetails,
    "errorClass" | "message" | "guidance" | "nextAction" | "retryable"
  >
> & { nextAction?: NextAction; retryable?: boolean; cause?: unknown };

/**
 * Builds a SyncError of a class with its default retryability, next action and
 * guidance, e.g. for an attempt row a dead worker left unfinished (outcome_unknown).
 */
export function createSyncError(
  errorClass: SyncErrorClass,
  message: string,
  extras: Extras = {},
): SyncError {
  const { cause, nextAction, retryable, ...rest } = extras;
  const details: SyncErrorDetails = {
    errorClass,
    message,
    retryable: retryable ?? DEFAULT_RETRYABLE[errorClass],
    nextAction: nextAction ?? defaultNextAction(errorClass, rest.invalidReason),
    guidance: syncErrorGuidance({
      errorClass,
      message,
      detail: rest.detail,
      invalidReason: rest.invalidReason,
      missingScopes: rest.missingScopes,
      retryAfterMs: rest.retryAfterMs,
      shopUnavailableReason: rest.shopUnavailableReason,
    }),
  };
  for (const key of OPTIONAL_KEYS) {
    if (rest[key] !== undefined) Object.assign(details, { [key]: rest[key] });
  }
  return new SyncError(details, cause === undefined ? {} : { cause });
}

const DEFAULT_RETRYABLE: Readonly<Record<SyncErrorClass, boolean>> = {
  reauth_required: false,
  missing_scope: false,
  not_found: false,
  invalid: false,
  throttled: true,
  transient: true,
  outcome_unknown: true,
  shop_unavailable: false,
  protected_customer_data: false,
  order_too_old: false,
};

function defaultNextAction(
  errorClass: SyncErrorClass,
  reason?: InvalidReason,
): NextAction {
  switch (errorClass) {
    case "reauth_required":
      return "reauthorize";
    case "missing_scope":
      return "request_scopes";
    case "not_found":
      return "reconcile";
    case "invalid":
      return reason === "quantity" || reason === "status"
        ? "reconcile"
        : "fix_input";
    case "throttled":
      return "wait_and_retry";
    case "transient":
      return "retry";
    case "outcome_unknown":
      return "reconcile";
    case "shop_unavailable":
      return "contact_shopify_or_wait";
    case "protected_customer_data":
      return "approve_customer_data";
    case "order_too_old":
      return "request_scopes";
  }
}

/**
 * Classifies one failed Shopify call. Never throws.
 * @param options.now clock for Retry-After given as an HTTP date (tests).
 */
export function classifyShopifyOutcome(
  outcome: ShopifyOutcome,
  options: { now?: number } = {},
): SyncError {
  switch (outcome.kind) {
    case "http":
      return classifyHttp(outcome, options.now ?? Date.now());
    case "graphql_errors":
      return classifyGraphQLErrors(outcome);
    case "user_errors":
      return classifyUserErrors(outcome.userErrors, {
        requestId: outcome.requestId,
      });
    case "network":
      return classifyNetwork(outcome);
  }
}

function classifyHttp(
  outcome: Extract<ShopifyOutcome, { kind: "http" }>,
  now: number,
): SyncError {
  const { status, body, isMutation } = outcome;
  const requestId =
    outcome.requestId ?? header(outcome.headers, "x-request-id");
  const text = bodyText(body);
  const message = text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
  const base = { httpStatus: status, ...(requestId ? { requestId } : {}) };
  const retryAfterMs = parseRetryAfter(
    header(outcome.headers, "retry-after"),
    now,
  );

  if (status >= 200 && status < 300) {
    const inner = outcomeFromGraphQLBody(body, { isMutation, requestId });
    if (inner) {
      const classified = classifyShopifyOutcome(inner);
      return createSyncError(classified.errorClass, classified.message, {
        ...classified.toJSON(),
        ...base,
      });
    }
    return createSyncError("invalid", `${message} (no data and no errors)`, {
      ...base,
      invalidReason: "other",
    });
  }
  switch (status) {
    case 401:
      return createSyncError("reauth_required", message, base);
    case 402:
      return createSyncError("shop_unavailable", message, {
        ...base,
        shopUnavailableReason: "frozen",
      });
    case 423:
      return createSyncError("shop_unavailable", message, {
        ...base,
        shopUnavailableReason: "locked",
      });
    case 403: {
      if (NOT_APPROVED.test(text))
        return createSyncError("protected_customer_data", message, base);
      const scopes = scopesIn(text);
      return createSyncError("missing_scope", message, {
        ...base,
        missingScopes: scopes,
        ...(scopes.length > 0 ? { requiredAccess: [scopes] } : {}),
      });
    }
    case 404:
    case 410:
      return createSyncError("not_found", message, base);
    case 429:
      return createSyncError("throttled", message, {
        ...base,
        retryAfterMs: Math.max(MIN_THROTTLE_WAIT_MS, retryAfterMs ?? 0),
      });
    case 422: {
      const messages = bodyMessages(body);
      const reason = messages
        .map((m) => classifyUserErrorMessage(m, null))
        .find((r) => r !== "not_found");
      return createSyncError("invalid", message, {
        ...base,
        invalidReason: (reason as InvalidReason | undefined) ?? "other",
      });
    }
  }
  if (status >= 500) {
    return createSyncError(
      isMutation ? "outcome_unknown" : "transient",
      message,
      {
        ...base,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
    );
  }
  return createSyncError("invalid", message, {
    ...base,
    invalidReason: "other",
  });
}

function classifyGraphQLErrors(
  outcome: Extract<ShopifyOutcome, { kind: "graphql_errors" }>,
): SyncError {
  const errors = outcome.errors;
  const codes = errors
    .map((e) => stringField(e.extensions, "code"))
    .filter((c): c is string => !!c);
  const message = errors.map((e) => e.message).join("; ") || "GraphQL error";
  const requestId =
    outcome.requestId ??
    errors
      .map((e) => stringField(e.extensions, "requestId"))
      .find((id): id is string => !!id);
  const base = {
    ...(codes.length > 0 ? { graphqlCodes: unique(codes) } : {}),
    ...(requestId ? { requestId } : {}),
  };
  const has = (code: string) => codes.includes(code);

  // Before missing_scope: the same code, but no scope can fix it.
  if (errors.some((e) => NOT_APPROVED.test(e.message))) {
    return createSyncError("protected_customer_data", message, base);
  }
  if (
    has("ACCESS_DENIED") ||
    errors.some((e) => /access denied/i.test(e.message))
  ) {
    const denied = errors.filter(
      (e) =>
        stringField(e.extensions, "code") === "ACCESS_DENIED" ||
        /access denied/i.test(e.message),
    );
    const requirements = denied.flatMap((e) => {
      const text =
        stringField(e.extensions, "requiredAccess") ??
        /Required access: (.*)$/s.exec(e.message)?.[1] ??
        "";
      const found = requirementsIn(text);
      return found.length > 0 ? found : [scopesIn(e.message)];
    });
    const requiredAccess = uniqueRequirements(
      requirements.filter((r) => r.length > 0),
    );
    return createSyncError("missing_scope", message, {
      ...base,
      missingScopes: unique(requiredAccess.flat()),
      ...(requiredAccess.length > 0 ? { requiredAccess } : {}),
    });
  }
  if (
    has("THROTTLED") ||
    errors.some((e) => /^throttled$/i.test(e.message.trim()))
  ) {
    const cost = outcome.cost ?? outcome.extensions?.cost ?? undefined;
    return createSyncError("throttled", message, {
      ...base,
      retryAfterMs: throttleWaitMs(cost),
    });
  }
  if (has("INTERNAL_SERVER_ERROR") || has("SERVICE_UNAVAILABLE")) {
    return createSyncError(
      outcome.isMutation === false ? "transient" : "outcome_unknown",
      message,
      base,
    );
  }
  // By code (or Shopify's "Invalid id: gid://…"), never by a message such as graphql's
  // "Field 'x' doesn't exist on type 'Y'": that is a bug in the document, not a gone FO.
  if (
    has("RESOURCE_NOT_FOUND") ||
    has("NOT_FOUND") ||
    errors.some((e) => /^invalid id\b/i.test(e.message))
  ) {
    return createSyncError("not_found", message, base);
  }
  return createSyncError("invalid", message, {
    ...base,
    invalidReason: "other",
  });
}

/**
 * Classifies a mutation's userErrors. Shopify gives them no code, so the message (and
 * field path) decides. The most telling one wins: not_found, then status, quantity,
 * tracking, other. Exported for callers that read mutation payloads themselves.
 */
export function classifyUserErrors(
  userErrors: readonly UserErrorLike[],
  extras: { requestId?: string } = {},
): SyncError {
  const normalised = userErrors.map((e) => ({
    field: e.field ? [...e.field] : null,
    message: e.message,
  }));
  const kinds = userErrors.map((e) =>
    classifyUserErrorMessage(e.message, e.field ?? null),
  );
  const message =
    userErrors.map((e) => e.message).join("; ") || "userErrors without message";
  const base = {
    userErrors: normalised,
    ...(extras.requestId ? { requestId: extras.requestId } : {}),
  };
  if (kinds.includes("not_found"))
    return createSyncError("not_found", message, base);
  const reason =
    (["status", "quantity", "tracking"] as const).find((r) =>
      kinds.includes(r),
    ) ?? "other";
  return createSyncError("invalid", message, {
    ...base,
    invalidReason: reason,
  });
}

function classifyUserErrorMessage(
  message: string,
  field: readonly string[] | null,
): InvalidReason | "not_found" {
  const m = message.toLowerCase();
  if (
    /does ?n[o']t exist|not found|could ?n[o']t be found|no longer exists/.test(
      m,
    )
  )
    return "not_found";
  if (/quantit/.test(m)) return "quantity";
  if (
    /status|on hold|\bheld\b|closed|cancel|scheduled|not fulfillable|unfulfillable/.test(
      m,
    )
  )
    return "status";
  const path = (field ?? []).join(".").toLowerCase();
  if (/tracking|company|carrier|\burls?\b|\bnumbers?\b/.test(`${path} ${m}`))
    return "tracking";
  return "other";
}

function classifyNetwork(
  outcome: Extract<ShopifyOutcome, { kind: "network" }>,
): SyncError {
  const message = `Network error (${outcome.phase}): ${describeError(outcome.error)}`;
  const errorClass =
    outcome.phase === "after_send" && outcome.isMutation
      ? "outcome_unknown"
      : "transient";
  return createSyncError(errorClass, message, { cause: outcome.error });
}

/**
 * The outcome to classify for a 200 GraphQL body, or null when it is a success:
 * top-level `errors` → graphql_errors; else any `data.<field>.userErrors` → user_errors.
 */
export function outcomeFromGraphQLBody(
  body: unknown,
  context: { isMutation?: boolean; requestId?: string } = {},
): ShopifyOutcome | null {
  const parsed = typeof body === "string" ? tryJson(body) : body;
  if (!isRecord(parsed)) return null;
  const requestId = context.requestId ? { requestId: context.requestId } : {};
  if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
    const extensions = isRecord(parsed.extensions) ? parsed.extensions : null;
    const cost =
      extensions && isRecord(extensions.cost)
        ? (extensions.cost as unknown as QueryCost)
        : undefined;
    return {
      kind: "graphql_errors",
      errors: parsed.errors.map((e) =>
        isRecord(e)
          ? {
              message:
                typeof e.message === "string" ? e.message : JSON.stringify(e),
              extensions: isRecord(e.extensions) ? e.extensions : null,
            }
          : { message: String(e) },
      ),
      ...(cost ? { cost } : {}),
      ...(context.isMutation !== undefined
        ? { isMutation: context.isMutation }
        : {}),
      ...requestId,
    };
  }
  if (isRecord(parsed.data)) {
    const userErrors: UserErrorLike[] = [];
    for (const payload of Object.values(parsed.data)) {
      if (!isRecord(payload) || !Array.isArray(payload.userErrors)) continue;
      for (const e of payload.userErrors) {
        if (!isRecord(e)) continue;
        userErrors.push({
          field: Array.isArray(e.field) ? e.field.map(String) : null,
          message: typeof e.message === "string" ? e.message : "",
        });
      }
    }
    if (userErrors.length > 0)
      return { kind: "user_errors", userErrors, ...requestId };
  }
  return null;
}

/**
 * Any thrown value → SyncError, never throwing. Understands: SyncError (returned as
 * is); a `Response` thrown by shopify-app-remix's `admin.graphql` (status only: its
 * body is not read here: the app's own client, ~/shopify/admin-graphql.server, reads it); `GraphqlQueryError`,
 * `HttpResponseError`/`HttpThrottlingError`/`HttpInternalError` and
 * `HttpMaxRetriesError` of @shopify/shopify-api; Node/undici network errors (their
 * `code` tells "never sent" from "maybe sent"). Anything else is treated as a failure
 * after sending: outcome_unknown for a mutation, transient for a query.
 *
 * @param context.isMutation whether the failed call changed Shopify; default true.
 */
export function toSyncError(
  error: unknown,
  context: { isMutation?: boolean } = {},
): SyncError {
  if (error instanceof SyncError) return error;
  const isMutation = context.isMutation ?? true;
  try {
    if (isResponseLike(error)) {
      return withCause(
        classifyShopifyOutcome({
          kind: "http",
          status: error.status,
          headers: error.headers,
          isMutation,
        }),
        error,
      );
    }
    if (isRecord(error)) {
      const body = error.body;
      if (
        isRecord(body) &&
        isRecord(body.errors) &&
        Array.isArray(body.errors.graphQLErrors)
      ) {
        const extensions = isRecord(body.extensions) ? body.extensions : null;
        const headers = isRecord(error.headers)
          ? (error.headers as HeadersLike)
          : undefined;
        const requestId = header(headers, "x-request-id");
        return withCause(
          classifyShopifyOutcome({
            kind: "graphql_errors",
            errors: body.errors.graphQLErrors as GraphQLErrorLike[],
            ...(extensions && isRecord(extensions.cost)
              ? { cost: extensions.cost as unknown as QueryCost }
              : {}),
            ...(requestId ? { requestId } : {}),
            isMutation,
          }),
          error,
        );
      }
      const response = error.response;
      if (isRecord(response) && typeof response.code === "number") {
        const headers: Record<string, string | readonly string[] | undefined> =
          isRecord(response.headers)
            ? (response.headers as Record<
                string,
                string | readonly string[] | undefined
              >)
            : {};
        const retryAfter = response.retryAfter;
        return withCause(
          classifyShopifyOutcome({
            kind: "http",
            status: response.code,
            body: response.body,
            headers:
              typeof retryAfter === "number" &&
              header(headers, "retry-after") === undefined
                ? { ...headers, "retry-after": String(retryAfter) }
                : headers,
            isMutation,
          }),
          error,
        );
      }
    }
    const phase = inferNetworkPhase(error);
    return classifyShopifyOutcome({
      kind: "network",
      phase: phase === "before_send" ? "before_send" : "after_send",
      error,
      isMutation,
    });
  } catch (unexpected) {
    return createSyncError(
      isMutation ? "outcome_unknown" : "transient",
      describeError(error),
      {
        cause: unexpected,
      },
    );
  }
}

const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * Whether a network error proves the request never left ("before_send": DNS failure,
 * connection refused, connect timeout, TLS failure) or not ("unknown": reset, socket
 * closed, headers/body timeout, abort — the request may have reached Shopify).
 * Follows `cause` chains (undici wraps the code in `TypeError: fetch failed`).
 */
export function inferNetworkPhase(error: unknown): "before_send" | "unknown" {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    const code = current.code;
    if (typeof code === "string" && NEVER_SENT_CODES.has(code))
      return "before_send";
    current = current.cause;
  }
  return "unknown";
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/**
 * Wait for a GraphQL THROTTLED answer: the points missing divided by the restore
 * rate, at least MIN_THROTTLE_WAIT_MS; MIN_THROTTLE_WAIT_MS when the cost is absent.
 */
export function throttleWaitMs(cost: QueryCost | undefined | null): number {
  const status = cost?.throttleStatus;
  if (
    !cost ||
    !status ||
    !(status.restoreRate > 0) ||
    typeof cost.requestedQueryCost !== "number"
  ) {
    return MIN_THROTTLE_WAIT_MS;
  }
  const deficit = cost.requestedQueryCost - status.currentlyAvailable;
  return Math.max(
    MIN_THROTTLE_WAIT_MS,
    Math.ceil((deficit / status.restoreRate) * 1000),
  );
}

/** Retry-After as seconds ("2", "2.5") or an HTTP date; undefined when absent/invalid. */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const SCOPE_PATTERN = /\b(?:unauthenticated_)?(?:read|write)_[a-z0-9_]+\b/g;

/** Shopify's protected customer data refusal ("This app is not approved to access the Order object."). */
const NOT_APPROVED = /\bnot approved to (?:access|use) the\b/i;

function uniqueRequirements(requirements: readonly string[][]): string[][] {
  const seen = new Set<string>();
  return requirements.filter((r) => {
    const key = JSON.stringify([...r].sort());
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function scopesIn(text: string): string[] {
  return unique(text.match(SCOPE_PATTERN) ?? []);
}

function header(
  headers: HeadersLike | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") {
    return (headers as Headers).get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(
    headers as Record<string, unknown>,
  )) {
    if (key.toLowerCase() !== wanted || value === undefined || value === null)
      continue;
    if (Array.isArray(value))
      return value.length > 0 ? String(value[0]) : undefined;
    return String(value);
  }
  return undefined;
}

/** Shopify's error text from a body: `{"errors": "..."}`, `{"errors": {f: [..]}}`, `[{message}]`. */
function bodyMessages(body: unknown): string[] {
  const parsed = typeof body === "string" ? (tryJson(body) ?? body) : body;
  if (parsed === null || parsed === undefined) return [];
  if (typeof parsed === "string") return parsed.trim() ? [parsed.trim()] : [];
  if (!isRecord(parsed)) return [String(parsed)];
  const errors = parsed.errors ?? parsed.error ?? parsed.message;
  if (typeof errors === "string") return [errors];
  if (Array.isArray(errors)) {
    return errors.map((e) =>
      isRecord(e) && typeof e.message === "string" ? e.message : String(e),
    );
  }
  if (isRecord(errors)) {
    return Object.entries(errors).flatMap(([field, value]) =>
      (Array.isArray(value) ? value : [value]).map((v) =>
        field === "base" ? String(v) : `${field} ${String(v)}`,
      ),
    );
  }
  return [JSON.stringify(parsed)];
}

function bodyText(body: unknown): string {
  return bodyMessages(body).join("; ").slice(0, 2000);
}

function describeError(error: unknown): string {
  try {
    return describeErrorUnsafe(error);
  } catch {
    return "unprintable error";
  }
}

function describeErrorUnsafe(error: unknown): string {
  if (error instanceof Error) {
    const parts = [error.message || error.name];
    let cause: unknown = (error as { cause?: unknown }).cause;
    for (
      let depth = 0;
      depth < 3 && cause !== undefined && cause !== null;
      depth++
    ) {
      if (isRecord(cause) && typeof cause.code === "string")
        parts.push(cause.code);
      else if (cause instanceof Error) parts.push(cause.message);
      cause = isRecord(cause) ? cause.cause : undefined;
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && !parts.includes(code))
      parts.splice(1, 0, code);
    return parts.join(": ");
  }
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function withCause(syncError: SyncError, cause: unknown): SyncError {
  return new SyncError(syncError.toJSON(), { cause });
}

function isResponseLike(
  value: unknown,
): value is { status: number; headers: Headers } {
  return (
    (typeof Response !== "undefined" && value instanceof Response) ||
    (isRecord(value) &&
      typeof value.status === "number" &&
      isRecord(value.headers) &&
      typeof (value.headers as { get?: unknown }).get === "function")
  );
}

function stringField(
  record: Record<string, unknown> | null | undefined,
  key: string,
): string | undefined {
  const value = record?.[key];
  return typeof value === "string" ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
