import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  GraphqlQueryError,
  HttpInternalError,
  HttpMaxRetriesError,
  HttpResponseError,
  HttpThrottlingError,
} from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import {
  classifyShopifyOutcome,
  classifyUserErrors,
  createSyncError,
  inferNetworkPhase,
  outcomeFromGraphQLBody,
  parseRetryAfter,
  SYNC_ERROR_CLASSES,
  SyncError,
  throttleWaitMs,
  toSyncError,
  type QueryCost,
  type SyncErrorClass,
} from "~/fulfillment/errors";
import { t } from "~/i18n/messages";
import type { SyncErrorGuidance } from "~/fulfillment/messages";

/** An error's guidance (codes and parameters) as a page shows it, in both languages. */
const text = (guidance: SyncErrorGuidance) => ({
  ja: { title: t("ja", guidance.title), action: t("ja", guidance.action) },
  en: { title: t("en", guidance.title), action: t("en", guidance.action) },
});

// Bodies as Shopify sends them (docs/shopify-admin-api.md and Shopify's docs).
const BODY_401 = {
  errors:
    "[API] Invalid API key or access token (unrecognized login or wrong password)",
};
const REQUIRED_ACCESS =
  "`write_assigned_fulfillment_orders` access scope, `write_merchant_managed_fulfillment_orders` access scope or `write_third_party_fulfillment_orders` access scope.";
const ACCESS_DENIED_BODY = {
  data: { fulfillmentCreate: null },
  errors: [
    {
      message: `Access denied for fulfillmentCreate field. Required access: ${REQUIRED_ACCESS}`,
      locations: [{ line: 2, column: 3 }],
      path: ["fulfillmentCreate"],
      extensions: {
        code: "ACCESS_DENIED",
        documentation: "https://shopify.dev/api/usage/access-scopes",
        requiredAccess: REQUIRED_ACCESS,
      },
    },
  ],
  extensions: {
    cost: {
      requestedQueryCost: 10,
      actualQueryCost: 10,
      throttleStatus: {
        maximumAvailable: 2000,
        currentlyAvailable: 1990,
        restoreRate: 100,
      },
    },
  },
};
const THROTTLED_COST: QueryCost = {
  requestedQueryCost: 752,
  actualQueryCost: null,
  throttleStatus: {
    maximumAvailable: 2000,
    currentlyAvailable: 12,
    restoreRate: 100,
  },
};
const THROTTLED_BODY = {
  errors: [
    {
      message: "Throttled",
      extensions: {
        code: "THROTTLED",
        documentation: "https://shopify.dev/api/usage/rate-limits",
      },
    },
  ],
  extensions: { cost: THROTTLED_COST },
};
const INTERNAL_ERROR = {
  message:
    "Internal error. Looks like something went wrong on our end.\nRequest ID: 1b355a21-7117-44c5-8d8b-8948082f40a8 (include this in support requests).",
  extensions: {
    code: "INTERNAL_SERVER_ERROR",
    requestId: "1b355a21-7117-44c5-8d8b-8948082f40a8",
  },
};
const QUANTITY_MESSAGE =
  "Invalid fulfillment order line item quantity requested.";
const CLOSED_MESSAGE =
  "Fulfillment order gid://shopify/FulfillmentOrder/1 has an unfulfillable status= closed.";
const FO_GONE_MESSAGE = "Fulfillment order does not exist.";
const FOLI_GONE_MESSAGE = "Fulfillment order line item does not exist.";
const SAME_ORDER_MESSAGE =
  "All fulfillment orders must belong to the same order.";

const MISSING_SCOPE_TITLE_JA =
  "権限が不足しています – アプリの再認可をご確認ください";

function http(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  isMutation = true,
) {
  return classifyShopifyOutcome({
    kind: "http",
    status,
    body,
    headers,
    requestSent: true,
    isMutation,
  });
}

describe("HTTP statuses", () => {
  it("401 → reauth_required, not retryable, with Shopify's message and the request id", () => {
    const error = http(401, BODY_401, { "X-Request-Id": "req-401" });
    expect(error.toJSON()).toMatchObject({
      errorClass: "reauth_required",
      retryable: false,
      nextAction: "reauthorize",
      httpStatus: 401,
      requestId: "req-401",
      message:
        "HTTP 401: [API] Invalid API key or access token (unrecognized login or wrong password)",
    });
    expect(text(error.guidance).ja.title).toBe(
      "Shopify との接続が無効になっています",
    );
  });

  it("403 → missing_scope with the scope named in the body and the exact Japanese title", () => {
    const error = http(403, {
      errors:
        "[API] This action requires merchant approval for write_merchant_managed_fulfillment_orders scope.",
    });
    expect(error.errorClass).toBe("missing_scope");
    expect(error.retryable).toBe(false);
    expect(error.nextAction).toBe("request_scopes");
    expect(error.missingScopes).toEqual([
      "write_merchant_managed_fulfillment_orders",
    ]);
    expect(text(error.guidance).ja.title).toBe(MISSING_SCOPE_TITLE_JA);
    expect(text(error.guidance).ja.action).toContain(
      "write_merchant_managed_fulfillment_orders",
    );
    expect(text(error.guidance).en.action).toContain(
      "write_merchant_managed_fulfillment_orders",
    );
  });

  it("403 without a scope in the body still says what to do", () => {
    const error = http(403, { errors: "Forbidden" });
    expect(error.missingScopes).toEqual([]);
    expect(text(error.guidance).ja.title).toBe(MISSING_SCOPE_TITLE_JA);
    expect(text(error.guidance).ja.action).toContain("特定できませんでした");
  });

  it.each([404, 410])(
    "%s → not_found, not retryable, reconcile (re-read the FOs)",
    (status) => {
      const error = http(status, { errors: "Not Found" });
      expect(error.toJSON()).toMatchObject({
        errorClass: "not_found",
        retryable: false,
        nextAction: "reconcile",
        httpStatus: status,
      });
    },
  );

  it("402 → shop_unavailable (frozen), 423 → shop_unavailable (locked), neither retryable", () => {
    const frozen = http(402, { errors: "Unavailable Shop" });
    expect(frozen.toJSON()).toMatchObject({
      errorClass: "shop_unavailable",
      shopUnavailableReason: "frozen",
      retryable: false,
      nextAction: "contact_shopify_or_wait",
    });
    expect(text(frozen.guidance).ja.title).toBe("ストアが凍結されています");
    const locked = http(423, { errors: "Locked" });
    expect(locked.toJSON()).toMatchObject({
      errorClass: "shop_unavailable",
      shopUnavailableReason: "locked",
      retryable: false,
    });
    expect(text(locked.guidance).en.title).toBe("The store is locked");
  });

  it.each([
    ["2", 2000],
    ["2.0", 2000],
    ["7.25", 7250],
    ["0.2", 1000],
    ["0", 1000],
  ])(
    "429 with Retry-After %s → throttled, retryAfterMs %s (at least 1 s)",
    (retryAfter, expected) => {
      const error = http(
        429,
        { errors: "Exceeded 2 calls per second for api client." },
        { "Retry-After": retryAfter },
      );
      expect(error.toJSON()).toMatchObject({
        errorClass: "throttled",
        retryable: true,
        nextAction: "wait_and_retry",
        retryAfterMs: expected,
      });
    },
  );

  it("429 without Retry-After waits 1 s; with an HTTP date, until that date", () => {
    expect(http(429, null).retryAfterMs).toBe(1000);
    const now = Date.parse("2026-11-25T10:00:00Z");
    const error = classifyShopifyOutcome(
      {
        kind: "http",
        status: 429,
        headers: { "retry-after": "Wed, 25 Nov 2026 10:00:30 GMT" },
        isMutation: false,
      },
      { now },
    );
    expect(error.retryAfterMs).toBe(30_000);
    expect(text(error.guidance).ja.action).toContain("30 秒");
  });

  it.each([
    [{ errors: { base: [QUANTITY_MESSAGE] } }, "quantity", "reconcile"],
    [{ errors: { base: [CLOSED_MESSAGE] } }, "status", "reconcile"],
    [{ errors: { tracking_number: ["is too long"] } }, "tracking", "fix_input"],
    [{ errors: "Unprocessable Entity" }, "other", "fix_input"],
  ] as const)("422 %j → invalid/%s", (body, reason, nextAction) => {
    const error = http(422, body);
    expect(error.toJSON()).toMatchObject({
      errorClass: "invalid",
      invalidReason: reason,
      retryable: false,
      nextAction,
    });
  });

  it.each([500, 502, 503, 504])(
    "%s on a mutation → outcome_unknown (retry after reconciling)",
    (status) => {
      const error = http(status, "<html>Bad Gateway</html>", {}, true);
      expect(error.toJSON()).toMatchObject({
        errorClass: "outcome_unknown",
        retryable: true,
        nextAction: "reconcile",
        httpStatus: status,
      });
    },
  );

  it.each([500, 502, 503, 504])("%s on a query → transient", (status) => {
    const error = http(status, null, {}, false);
    expect(error.toJSON()).toMatchObject({
      errorClass: "transient",
      retryable: true,
      nextAction: "retry",
    });
  });

  it("503 with Retry-After keeps the wait", () => {
    expect(http(503, null, { "retry-after": "5" }, false).retryAfterMs).toBe(
      5000,
    );
  });

  it.each([400, 406, 409, 413, 301])(
    "%s → invalid/other, not retryable",
    (status) => {
      expect(http(status, { errors: "Bad" }).toJSON()).toMatchObject({
        errorClass: "invalid",
        invalidReason: "other",
        retryable: false,
      });
    },
  );

  it("200 with THROTTLED errors in the body → throttled (via the body)", () => {
    const error = http(200, THROTTLED_BODY, { "x-request-id": "r-200" }, true);
    expect(error.toJSON()).toMatchObject({
      errorClass: "throttled",
      retryAfterMs: 7400,
      httpStatus: 200,
      requestId: "r-200",
    });
  });

  it("200 with userErrors in the body → classified userErrors", () => {
    const body = {
      data: {
        fulfillmentCreate: {
          fulfillment: null,
          userErrors: [{ field: null, message: FO_GONE_MESSAGE }],
        },
      },
    };
    expect(http(200, body).errorClass).toBe("not_found");
  });

  it("200 without data or errors → invalid/other (never a silent success)", () => {
    expect(http(200, {}).toJSON()).toMatchObject({
      errorClass: "invalid",
      invalidReason: "other",
    });
  });

  it("reads headers case-insensitively, from arrays (shopify-api) and from Headers", () => {
    expect(
      classifyShopifyOutcome({
        kind: "http",
        status: 401,
        headers: { "X-REQUEST-ID": ["a", "b"] },
        isMutation: true,
      }).requestId,
    ).toBe("a");
    expect(
      classifyShopifyOutcome({
        kind: "http",
        status: 401,
        headers: new Headers({ "x-request-id": "h" }),
        isMutation: true,
      }).requestId,
    ).toBe("h");
  });

  it("reads a JSON body given as a string", () => {
    expect(http(401, JSON.stringify(BODY_401)).message).toBe(
      "HTTP 401: [API] Invalid API key or access token (unrecognized login or wrong password)",
    );
  });
});

describe("GraphQL errors (HTTP 200)", () => {
  it("ACCESS_DENIED → missing_scope naming every scope from requiredAccess, in order", () => {
    const outcome = outcomeFromGraphQLBody(ACCESS_DENIED_BODY, {
      isMutation: true,
      requestId: "r1",
    });
    expect(outcome?.kind).toBe("graphql_errors");
    const error = classifyShopifyOutcome(outcome!);
    expect(error.toJSON()).toMatchObject({
      errorClass: "missing_scope",
      retryable: false,
      nextAction: "request_scopes",
      graphqlCodes: ["ACCESS_DENIED"],
      requestId: "r1",
      missingScopes: [
        "write_assigned_fulfillment_orders",
        "write_merchant_managed_fulfillment_orders",
        "write_third_party_fulfillment_orders",
      ],
    });
    expect(text(error.guidance).ja.title).toBe(MISSING_SCOPE_TITLE_JA);
    expect(text(error.guidance).ja.action).toContain(
      "write_assigned_fulfillment_orders、write_merchant_managed_fulfillment_orders、write_third_party_fulfillment_orders",
    );
  });

  it("ACCESS_DENIED without requiredAccess takes the scope from the message", () => {
    const error = classifyShopifyOutcome({
      kind: "graphql_errors",
      errors: [
        {
          message:
            "Access denied for order field. Required access: `read_all_orders` access scope.",
          extensions: { code: "ACCESS_DENIED" },
        },
      ],
    });
    expect(error.missingScopes).toEqual(["read_all_orders"]);
  });

  it("THROTTLED → wait (requested − available) / restoreRate", () => {
    const error = classifyShopifyOutcome({
      kind: "graphql_errors",
      errors: THROTTLED_BODY.errors,
      cost: THROTTLED_COST,
    });
    expect(error.toJSON()).toMatchObject({
      errorClass: "throttled",
      retryable: true,
      retryAfterMs: 7400,
      nextAction: "wait_and_retry",
    });
    expect(text(error.guidance).ja.action).toContain("8 秒");
  });

  it("THROTTLED reads the cost from extensions too, and waits at least 1 s", () => {
    expect(
      classifyShopifyOutcome({
        kind: "graphql_errors",
        errors: THROTTLED_BODY.errors,
        extensions: { cost: THROTTLED_COST },
      }).retryAfterMs,
    ).toBe(7400);
    const small: QueryCost = {
      requestedQueryCost: 10,
      throttleStatus: {
        maximumAvailable: 2000,
        currentlyAvailable: 5,
        restoreRate: 100,
      },
    };
    expect(
      classifyShopifyOutcome({
        kind: "graphql_errors",
        errors: THROTTLED_BODY.errors,
        cost: small,
      }).retryAfterMs,
    ).toBe(1000);
    expect(
      classifyShopifyOutcome({
        kind: "graphql_errors",
        errors: THROTTLED_BODY.errors,
      }).retryAfterMs,
    ).toBe(1000);
  });

  it("INTERNAL_SERVER_ERROR → outcome_unknown for a mutation (default), transient for a query", () => {
    const mutation = classifyShopifyOutcome({
      kind: "graphql_errors",
      errors: [INTERNAL_ERROR],
      isMutation: true,
    });
    expect(mutation.toJSON()).toMatchObject({
      errorClass: "outcome_unknown",
      requestId: "1b355a21-7117-44c5-8d8b-8948082f40a8",
      nextAction: "reconcile",
    });
    expect(
      classifyShopifyOutcome({
        kind: "graphql_errors",
        errors: [INTERNAL_ERROR],
      }).errorClass,
    ).toBe("outcome_unknown");
    expect(
      classifyShopifyOutcome({
        kind: "graphql_errors",
        errors: [INTERNAL_ERROR],
        isMutation: false,
      }).errorClass,
    ).toBe("transient");
  });

  it("RESOURCE_NOT_FOUND and 'Invalid id' → not_found", () => {
    expect(
      classifyShopifyOutcome({
        kind: "graphql_errors",
        errors: [
          {
            message: "Invalid id: gid://shopify/Fulfillment/0",
            extensions: { code: "RESOURCE_NOT_FOUND" },
          },
        ],
      }).errorClass,
    ).toBe("not_found");
    expect(
      classifyShopifyOutcome({
        kind: "graphql_errors",
        errors: [{ message: "Invalid id: gid://shopify/Fulfillment/0" }],
      }).errorClass,
    ).toBe("not_found");
  });

  it("a document error (unknown field) is invalid/other, not not_found", () => {
    const error = classifyShopifyOutcome({
      kind: "graphql_errors",
      errors: [
        {
          message:
            "Field 'fulfillableQuantity' doesn't exist on type 'FulfillmentOrderLineItem'",
          extensions: { code: "undefinedField" },
        },
      ],
    });
    expect(error.toJSON()).toMatchObject({
      errorClass: "invalid",
      invalidReason: "other",
      retryable: false,
      graphqlCodes: ["undefinedField"],
    });
  });

  it("MAX_COST_EXCEEDED → invalid/other (waiting does not make a query cheaper)", () => {
    const error = classifyShopifyOutcome({
      kind: "graphql_errors",
      errors: [
        {
          message:
            "Query cost is 1252, which exceeds the single query max cost limit (1000).",
          extensions: { code: "MAX_COST_EXCEEDED" },
        },
      ],
    });
    expect(error.toJSON()).toMatchObject({
      errorClass: "invalid",
      invalidReason: "other",
      retryable: false,
    });
  });

  it("ACCESS_DENIED outranks THROTTLED when both appear", () => {
    const error = classifyShopifyOutcome({
      kind: "graphql_errors",
      errors: [...THROTTLED_BODY.errors, ...ACCESS_DENIED_BODY.errors],
    });
    expect(error.errorClass).toBe("missing_scope");
    expect(error.message).toBe(
      `Throttled; Access denied for fulfillmentCreate field. Required access: ${REQUIRED_ACCESS}`,
    );
  });
});

describe("userErrors", () => {
  it.each([
    [
      QUANTITY_MESSAGE,
      [
        "fulfillment",
        "lineItemsByFulfillmentOrder",
        "0",
        "fulfillmentOrderLineItems",
        "0",
        "quantity",
      ],
      "invalid",
      "quantity",
      "reconcile",
    ],
    [CLOSED_MESSAGE, ["fulfillment"], "invalid", "status", "reconcile"],
    [
      FO_GONE_MESSAGE,
      ["fulfillment", "lineItemsByFulfillmentOrder", "0", "fulfillmentOrderId"],
      "not_found",
      undefined,
      "reconcile",
    ],
    [FOLI_GONE_MESSAGE, null, "not_found", undefined, "reconcile"],
    [SAME_ORDER_MESSAGE, ["fulfillment"], "invalid", "other", "fix_input"],
    // Illustrative tracking messages (the field path decides; Shopify's wording varies).
    [
      "is invalid",
      ["fulfillment", "trackingInfo", "urls"],
      "invalid",
      "tracking",
      "fix_input",
    ],
    ["Tracking number is too long", null, "invalid", "tracking", "fix_input"],
  ] as const)(
    "%j → %s/%s",
    (message, field, errorClass, reason, nextAction) => {
      const error = classifyShopifyOutcome({
        kind: "user_errors",
        userErrors: [{ field: field ? [...field] : null, message }],
        requestId: "u1",
      });
      expect(error.errorClass).toBe(errorClass);
      expect(error.invalidReason).toBe(reason);
      expect(error.nextAction).toBe(nextAction);
      expect(error.retryable).toBe(false);
      expect(error.message).toBe(message);
      expect(error.requestId).toBe("u1");
      expect(error.userErrors).toEqual([
        { field: field ? [...field] : null, message },
      ]);
    },
  );

  it("the most telling error wins: not_found, then status, then quantity", () => {
    expect(
      classifyUserErrors([
        { message: QUANTITY_MESSAGE },
        { message: FO_GONE_MESSAGE },
      ]).errorClass,
    ).toBe("not_found");
    expect(
      classifyUserErrors([
        { message: QUANTITY_MESSAGE },
        { message: CLOSED_MESSAGE },
      ]).invalidReason,
    ).toBe("status");
    expect(
      classifyUserErrors([
        { message: SAME_ORDER_MESSAGE },
        { message: QUANTITY_MESSAGE },
      ]).invalidReason,
    ).toBe("quantity");
    expect(
      classifyUserErrors([
        { message: QUANTITY_MESSAGE },
        { message: CLOSED_MESSAGE },
      ]).message,
    ).toBe(`${QUANTITY_MESSAGE}; ${CLOSED_MESSAGE}`);
  });

  it("guidance matches the reason", () => {
    expect(
      text(classifyUserErrors([{ message: QUANTITY_MESSAGE }]).guidance).ja
        .title,
    ).toBe("数量が Shopify の未発送数量と合いません");
    expect(
      text(classifyUserErrors([{ message: CLOSED_MESSAGE }]).guidance).en
        .title,
    ).toBe("The fulfillment order cannot be fulfilled now");
    expect(
      text(classifyUserErrors([{ message: SAME_ORDER_MESSAGE }]).guidance).en
        .action,
    ).toContain(SAME_ORDER_MESSAGE);
  });
});

describe("network failures", () => {
  const refused = Object.assign(new TypeError("fetch failed"), {
    cause: Object.assign(new Error("connect ECONNREFUSED 23.227.38.65:443"), {
      code: "ECONNREFUSED",
    }),
  });
  const reset = Object.assign(new TypeError("fetch failed"), {
    cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
  });

  it("before sending → transient, for a mutation too", () => {
    const error = classifyShopifyOutcome({
      kind: "network",
      phase: "before_send",
      error: refused,
      isMutation: true,
    });
    expect(error.toJSON()).toMatchObject({
      errorClass: "transient",
      retryable: true,
      nextAction: "retry",
    });
    expect(error.cause).toBe(refused);
    expect(error.message).toBe(
      "Network error (before_send): fetch failed: ECONNREFUSED",
    );
  });

  it("after sending → outcome_unknown for a mutation, transient for a query", () => {
    expect(
      classifyShopifyOutcome({
        kind: "network",
        phase: "after_send",
        error: reset,
        isMutation: true,
      }).toJSON(),
    ).toMatchObject({
      errorClass: "outcome_unknown",
      retryable: true,
      nextAction: "reconcile",
    });
    expect(
      classifyShopifyOutcome({
        kind: "network",
        phase: "after_send",
        error: reset,
        isMutation: false,
      }).errorClass,
    ).toBe("transient");
  });

  it("inferNetworkPhase: only codes that prove nothing was sent count as before_send", () => {
    expect(inferNetworkPhase(refused)).toBe("before_send");
    expect(
      inferNetworkPhase(Object.assign(new Error("x"), { code: "ENOTFOUND" })),
    ).toBe("before_send");
    expect(
      inferNetworkPhase(
        Object.assign(new Error("x"), { code: "UND_ERR_CONNECT_TIMEOUT" }),
      ),
    ).toBe("before_send");
    expect(inferNetworkPhase(reset)).toBe("unknown");
    expect(
      inferNetworkPhase(
        new DOMException(
          "The operation was aborted due to timeout",
          "TimeoutError",
        ),
      ),
    ).toBe("unknown");
    expect(inferNetworkPhase("boom")).toBe("unknown");
  });
});

describe("toSyncError", () => {
  it("returns a SyncError as is", () => {
    const original = createSyncError("transient", "x");
    expect(toSyncError(original)).toBe(original);
  });

  it("classifies a Response thrown by admin.graphql by its status", () => {
    const response = new Response(JSON.stringify(BODY_401), {
      status: 401,
      headers: { "x-request-id": "rr" },
    });
    const error = toSyncError(response);
    expect(error.toJSON()).toMatchObject({
      errorClass: "reauth_required",
      httpStatus: 401,
      requestId: "rr",
    });
    expect(error.cause).toBe(response);
  });

  it("an HTTP 403 body's scope and message are kept (as the Admin API client passes it on)", () => {
    const error = classifyShopifyOutcome({
      kind: "http",
      status: 403,
      body: {
        errors:
          "[API] This action requires merchant approval for read_orders scope.",
      },
      headers: new Headers(),
      isMutation: false,
    });
    expect(error.missingScopes).toEqual(["read_orders"]);
    expect(error.message).toBe(
      "HTTP 403: [API] This action requires merchant approval for read_orders scope.",
    );
  });

  it("understands GraphqlQueryError (THROTTLED with cost, request id from canonical headers)", () => {
    const thrown = new GraphqlQueryError({
      message: "Throttled",
      response: {},
      headers: { "X-Request-Id": ["gq-1"] },
      body: {
        errors: {
          networkStatusCode: 200,
          message: "GraphQL Client: An error occurred",
          graphQLErrors: THROTTLED_BODY.errors,
        },
        extensions: { cost: THROTTLED_COST },
      },
    });
    const error = toSyncError(thrown, { isMutation: true });
    expect(error.toJSON()).toMatchObject({
      errorClass: "throttled",
      retryAfterMs: 7400,
      requestId: "gq-1",
    });
    expect(error.cause).toBe(thrown);
  });

  it("understands HttpThrottlingError's retryAfter", () => {
    const thrown = new HttpThrottlingError({
      message: "Shopify is throttling requests",
      code: 429,
      statusText: "Too Many Requests",
      body: { errors: "Exceeded 2 calls per second for api client." },
      headers: {},
      retryAfter: 2,
    });
    expect(toSyncError(thrown).toJSON()).toMatchObject({
      errorClass: "throttled",
      retryAfterMs: 2000,
      httpStatus: 429,
    });
  });

  it("understands HttpInternalError and HttpResponseError", () => {
    const internal = new HttpInternalError({
      message: "Shopify internal error",
      code: 502,
      statusText: "Bad Gateway",
      headers: {},
    });
    expect(toSyncError(internal).errorClass).toBe("outcome_unknown");
    expect(toSyncError(internal, { isMutation: false }).errorClass).toBe(
      "transient",
    );
    const forbidden = new HttpResponseError({
      message: "Received an error response (403 Forbidden) from Shopify",
      code: 403,
      statusText: "Forbidden",
      body: {
        errors:
          "[API] This action requires merchant approval for write_third_party_fulfillment_orders scope.",
      },
      headers: { "X-Request-Id": ["hr-1"] },
    });
    expect(toSyncError(forbidden).toJSON()).toMatchObject({
      errorClass: "missing_scope",
      missingScopes: ["write_third_party_fulfillment_orders"],
      requestId: "hr-1",
    });
  });

  it("treats HttpMaxRetriesError (status lost) as a failure after sending", () => {
    const thrown = new HttpMaxRetriesError(
      "Attempted the maximum number of retries for HTTP request.",
    );
    expect(toSyncError(thrown).errorClass).toBe("outcome_unknown");
    expect(toSyncError(thrown, { isMutation: false }).errorClass).toBe(
      "transient",
    );
  });

  it("uses the network error's code: refused → transient even for a mutation; reset → outcome_unknown", () => {
    const refused = Object.assign(new TypeError("fetch failed"), {
      cause: { code: "ECONNREFUSED" },
    });
    const reset = Object.assign(new TypeError("fetch failed"), {
      cause: { code: "ECONNRESET" },
    });
    expect(toSyncError(refused).errorClass).toBe("transient");
    expect(toSyncError(reset).errorClass).toBe("outcome_unknown");
    expect(
      toSyncError(new DOMException("timeout", "TimeoutError")).errorClass,
    ).toBe("outcome_unknown");
  });

  it("never throws, whatever it is given", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("no access");
        },
      },
    );
    for (const value of [
      null,
      undefined,
      "boom",
      42,
      Symbol("s"),
      hostile,
      { status: "x" },
    ]) {
      const error = toSyncError(value);
      expect(error).toBeInstanceOf(SyncError);
      expect(SYNC_ERROR_CLASSES).toContain(error.errorClass);
    }
    expect(toSyncError("boom", { isMutation: false }).errorClass).toBe(
      "transient",
    );
  });
});

describe("SyncError", () => {
  it("is an Error with name, original message and cause", () => {
    const cause = new Error("socket hang up");
    const error = createSyncError(
      "outcome_unknown",
      "Network error (after_send): socket hang up",
      { cause },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SyncError);
    expect(error.name).toBe("SyncError");
    expect(error.message).toBe("Network error (after_send): socket hang up");
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe(
      "SyncError: Network error (after_send): socket hang up",
    );
  });

  it("serialises to plain details without undefined fields", () => {
    const error = createSyncError("throttled", "Throttled", {
      retryAfterMs: 1500,
      requestId: "r",
    });
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual([
      "errorClass",
      "guidance",
      "message",
      "nextAction",
      "requestId",
      "retryAfterMs",
      "retryable",
    ]);
    expect(json).toMatchObject({
      errorClass: "throttled",
      retryable: true,
      retryAfterMs: 1500,
      nextAction: "wait_and_retry",
    });
  });

  it.each([
    ["reauth_required", false, "reauthorize"],
    ["missing_scope", false, "request_scopes"],
    ["not_found", false, "reconcile"],
    ["invalid", false, "fix_input"],
    ["throttled", true, "wait_and_retry"],
    ["transient", true, "retry"],
    ["outcome_unknown", true, "reconcile"],
    ["shop_unavailable", false, "contact_shopify_or_wait"],
  ] as const)(
    "%s defaults: retryable %s, next %s",
    (errorClass, retryable, nextAction) => {
      const error = createSyncError(errorClass, "m");
      expect(error.retryable).toBe(retryable);
      expect(error.nextAction).toBe(nextAction);
      for (const locale of ["ja", "en"] as const) {
        expect(text(error.guidance)[locale].title.length).toBeGreaterThan(0);
        expect(text(error.guidance)[locale].action.length).toBeGreaterThan(0);
        expect(text(error.guidance)[locale].action).not.toMatch(/\{\w+\}/);
      }
    },
  );

  it("gives every class (and invalid reason) its own title", () => {
    const titles = [
      ...SYNC_ERROR_CLASSES.filter((c) => c !== "invalid").map(
        (c) => text(createSyncError(c, "m").guidance).ja.title,
      ),
      ...(["quantity", "status", "tracking", "other"] as const).map(
        (r) =>
          text(createSyncError("invalid", "m", { invalidReason: r }).guidance)
            .ja.title,
      ),
    ];
    expect(new Set(titles).size).toBe(titles.length);
  });
});

describe("SYNC_ERROR_CLASSES", () => {
  it("equals the database enum sync_error_class, in order (values added by later migrations last)", () => {
    const dir = fileURLToPath(
      new URL("../../supabase/migrations/", import.meta.url),
    );
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".sql"))
      .sort();
    const values: string[] = [];
    for (const file of files) {
      const sql = readFileSync(`${dir}${file}`, "utf8");
      const body =
        /create type public\.sync_error_class as enum \(([\s\S]*?)\);/.exec(
          sql,
        )?.[1];
      if (body)
        values.push(...[...body.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!));
      for (const added of sql.matchAll(
        /alter type public\.sync_error_class add value (?:if not exists )?'([a-z_]+)'/g,
      ))
        values.push(added[1]!);
    }
    expect(values).toEqual([...SYNC_ERROR_CLASSES]);
    const _typeCheck: SyncErrorClass[] = values as SyncErrorClass[];
    expect(_typeCheck).toHaveLength(10);
  });
});

describe("helpers", () => {
  it("parseRetryAfter", () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("")).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("1.5")).toBe(1500);
    expect(
      parseRetryAfter(
        "Wed, 25 Nov 2026 10:00:00 GMT",
        Date.parse("2026-11-25T10:00:10Z"),
      ),
    ).toBe(0);
  });

  it("throttleWaitMs", () => {
    expect(throttleWaitMs(THROTTLED_COST)).toBe(7400);
    expect(
      throttleWaitMs({
        requestedQueryCost: 1000,
        throttleStatus: {
          maximumAvailable: 20000,
          currentlyAvailable: 0,
          restoreRate: 1000,
        },
      }),
    ).toBe(1000);
    expect(
      throttleWaitMs({
        requestedQueryCost: 1000,
        throttleStatus: {
          maximumAvailable: 2000,
          currentlyAvailable: 0,
          restoreRate: 0,
        },
      }),
    ).toBe(1000);
    expect(throttleWaitMs(null)).toBe(1000);
  });

  it("outcomeFromGraphQLBody: null for a success or empty userErrors", () => {
    expect(
      outcomeFromGraphQLBody({
        data: {
          fulfillmentCreate: { fulfillment: { id: "x" }, userErrors: [] },
        },
      }),
    ).toBeNull();
    expect(outcomeFromGraphQLBody({ data: { order: null } })).toBeNull();
    expect(outcomeFromGraphQLBody("not json")).toBeNull();
    expect(
      outcomeFromGraphQLBody(JSON.stringify(THROTTLED_BODY)),
    ).toMatchObject({ kind: "graphql_errors", cost: THROTTLED_COST });
  });
});

describe("refusals no install-screen scope fixes", () => {
  const notApproved = {
    kind: "graphql_errors" as const,
    errors: [
      {
        message:
          "This app is not approved to access the Order object. See https://partners.shopify.com/1/apps/1/customer_data for more details.",
        extensions: { code: "ACCESS_DENIED" },
      },
    ],
  };

  it("protected customer data: its own class, not missing_scope, never retried, the Partner Dashboard step", () => {
    const error = classifyShopifyOutcome(notApproved);
    expect(error.errorClass).toBe("protected_customer_data");
    expect(error.retryable).toBe(false);
    expect(error.nextAction).toBe("approve_customer_data");
    expect(error.missingScopes).toBeUndefined();
    expect(text(error.guidance).ja.action).toContain("Partner Dashboard");
    expect(text(error.guidance).ja.action).toContain(
      "保護された顧客データへのアクセス",
    );
    expect(text(error.guidance).en.action).toContain(
      "API access requests → Protected customer data access",
    );
  });

  it("a Level 2 field refusal is the same class", () => {
    const error = classifyShopifyOutcome({
      kind: "graphql_errors",
      errors: [
        {
          message:
            "This app is not approved to use the email field. See https://partners.shopify.com/1/apps/1/customer_data for more details.",
          extensions: { code: "ACCESS_DENIED" },
        },
      ],
    });
    expect(error.errorClass).toBe("protected_customer_data");
  });

  it("order_too_old asks for read_all_orders", () => {
    const error = createSyncError("order_too_old", "old", {
      missingScopes: ["read_all_orders"],
    });
    expect(error.nextAction).toBe("request_scopes");
    expect(error.retryable).toBe(false);
    expect(text(error.guidance).en.action).toContain("read_all_orders");
  });

  it("missing_scope keeps requirements with 'as well as' and scope sentences apart from staff permissions", () => {
    const requiredAccess =
      "`write_products` access scope as well as any of `write_own_subscription_contracts`, `write_purchase_options` access scopes. Also: The user must have `manage_orders_information` permissions.";
    const error = classifyShopifyOutcome({
      kind: "graphql_errors",
      errors: [
        {
          message: `Access denied for x field. Required access: ${requiredAccess}`,
          extensions: { code: "ACCESS_DENIED", requiredAccess },
        },
      ],
    });
    expect(error.requiredAccess).toEqual([
      ["write_products"],
      ["write_own_subscription_contracts", "write_purchase_options"],
    ]);
  });
});
