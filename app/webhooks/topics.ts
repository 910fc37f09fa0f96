import { FULFILLMENT_ORDER_TOPICS } from "./payloads";

/**
 * The topics each webhook route handles, as shopify.app.toml subscribes them
 * (test/webhooks/topics.test.ts holds the two together). A delivery whose topic header
 * names another topic is refused by the route: the header is not signed.
 */
export const WEBHOOK_ROUTE_TOPICS = {
  orders: ["orders/create", "orders/updated", "orders/cancelled"],
  fulfillments: ["fulfillments/create", "fulfillments/update"],
  fulfillmentOrders: FULFILLMENT_ORDER_TOPICS,
  compliance: ["customers/data_request", "customers/redact", "shop/redact"],
  appUninstalled: ["app/uninstalled"],
  appScopesUpdate: ["app/scopes_update"],
  shopUpdate: ["shop/update"],
} as const satisfies Record<string, readonly string[]>;
