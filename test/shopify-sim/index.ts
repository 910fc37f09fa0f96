/**
 * The Shopify Admin API simulator: what tests and the demo import.
 * Test and demo infrastructure only — production code never imports it. A leaf: it
 * imports nothing of the demo or of the tests that use it.
 */
export { startSimulator, DEFAULT_API_KEY, DEFAULT_API_SECRET, type Simulator, type SimulatorOptions } from "./server";
export {
  Control,
  DEFAULT_SCOPES,
  type CreateOrderInput,
  type CreateShopInput,
  type OrderSnapshot,
  type RequestLogEntry,
  type SeedFulfillmentInput,
  type ShopSnapshot,
} from "./control";
export {
  adminGraphql,
  createControlClient,
  exchangeToken,
  postAccessToken,
  SimulatorControlError,
  type AdminRequest,
  type AdminResponse,
  type AnyControl,
  type RemoteControl,
} from "./client";
export { sessionTokenClaims, signSessionToken, INVALID_TOKEN_BODY } from "./auth";
export { PLAN_LIMITS, MAX_QUERY_COST, type Plan, type ThrottleStatus } from "./bucket";
export { requestedQueryCost } from "./cost";
export type { FaultAction, FaultLogEntry, FaultRule, FaultRuleInput } from "./faults";
export { ADMIN_API_VERSION, loadAdminSchema } from "./schema";
export {
  WebhookDispatcher,
  SHOPIFY_RETRY_SCHEDULE_MS,
  signWebhookBody,
  topicScopesFromSchema,
  type WebhookAttempt,
  type WebhookConfig,
  type WebhookDeliveryRecord,
  type WebhookSubscription,
} from "./webhooks";
export { orderPayload, fulfillmentPayload } from "./webhook-payloads";
