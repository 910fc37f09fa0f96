/**
 * The Admin API documents for orders coming in (the backfill) and for reconciling
 * Shopify-side changes. Like ./documents.ts, every document here is validated against
 * Shopify's schema for ADMIN_API_VERSION by test/shopify-sim/documents.test.ts, and has
 * generated answer and variable types (`npm run graphql-codegen` after a change).
 *
 * Requested costs (Shopify's rules, as the simulator computes them; a query may request
 * at most 1000 points):
 * - RECENT_ORDERS_QUERY with first: 10 ≈ 532 points (10 × (2 + 50 lines)).
 * - ORDER_LINE_ITEMS_PAGE_QUERY ≈ 103 points.
 * - FULFILLMENTS_STATE_QUERY ≈ 7 points per id (25 ids ≈ 175).
 * - FULFILLMENT_ORDER_ORDER_QUERY = 1 point.
 */

/** The order line fields the app keeps (line_items): never customer data. */
const ORDER_LINE_FIELDS = `#graphql
  fragment OrderLineFields on LineItem {
    id
    name
    sku
    vendor
    quantity
    currentQuantity
    requiresShipping
  }
`;

/**
 * A page of the shop's orders, newest first. The backfill stops at the first order older
 * than its cut-off, so no `query:` filter is needed (and the simulator need not model
 * Shopify's search syntax). Orders older than 60 days are invisible without
 * read_all_orders; the backfill's default window stays inside that.
 */
export const RECENT_ORDERS_QUERY = `#graphql
  query RecentOrders($first: Int!, $after: String) {
    orders(first: $first, after: $after, sortKey: CREATED_AT, reverse: true) {
      nodes {
        id
        name
        createdAt
        updatedAt
        cancelledAt
        closedAt
        lineItems(first: 50) {
          nodes { ...OrderLineFields }
          pageInfo { hasNextPage endCursor }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
  ${ORDER_LINE_FIELDS}
` as const;

/** The next page of one order's lines (orders with more than 50 lines). */
export const ORDER_LINE_ITEMS_PAGE_QUERY = `#graphql
  query OrderLineItemsPage($id: ID!, $after: String!) {
    order(id: $id) {
      id
      lineItems(first: 100, after: $after) {
        nodes { ...OrderLineFields }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
  ${ORDER_LINE_FIELDS}
` as const;

/**
 * The order a fulfillment order belongs to. fulfillment_orders/* webhooks carry only
 * fulfillment order ids; this finds the order whose failed shipments may now be synced.
 */
export const FULFILLMENT_ORDER_ORDER_QUERY = `#graphql
  query FulfillmentOrderOrder($id: ID!) {
    fulfillmentOrder(id: $id) {
      id
      status
      orderId
    }
  }
`;

/**
 * Several fulfillments at once (the reconcile job): their status and tracking as Shopify
 * holds them now. A fulfillment that no longer exists comes back as null.
 */
export const FULFILLMENTS_STATE_QUERY = `#graphql
  query FulfillmentsState($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Fulfillment {
        id
        status
        updatedAt
        trackingInfo(first: 5) { company number url }
      }
    }
  }
`;
