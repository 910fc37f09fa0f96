/**
 * Every GraphQL document the app sends to the Admin API, in one place.
 * test/shopify-sim/documents.test.ts validates each one against Shopify's published
 * schema for ADMIN_API_VERSION, so an unknown field fails the suite, not production.
 *
 * Page sizes are chosen for Shopify's cost rules: a query may request at most 1000
 * points, and what it requests (not what it uses) is checked against the bucket.
 *
 * Their answer and variable types are generated (./admin-operations.ts says how): after
 * changing a document, run `npm run graphql-codegen`. A document built with a fragment
 * is declared `as const`, so that its type is its text.
 */

/** An FO line: matched to the shipment's lines by lineItem.id (never SKU). */
const FULFILLMENT_ORDER_LINE_FIELDS = `#graphql
  fragment FulfillmentOrderLineFields on FulfillmentOrderLineItem {
    id
    remainingQuantity
    totalQuantity
    lineItem { id sku }
  }
`;

/**
 * The order's fulfillment orders: what the mapping needs and nothing about vendors.
 * `assignedLocation`'s own name and address tell locations apart; its `location` field
 * is a `Location`, which would need read_locations (README, Decisions: no Location scope).
 */
export const FULFILLMENT_ORDER_FIELDS = `#graphql
  fragment FulfillmentOrderFields on FulfillmentOrder {
    id
    status
    fulfillAt
    supportedActions { action }
    assignedLocation { name address1 address2 city province zip countryCode }
    lineItems(first: 20) {
      nodes { ...FulfillmentOrderLineFields }
      pageInfo { hasNextPage endCursor }
    }
  }
  ${FULFILLMENT_ORDER_LINE_FIELDS}
` as const;

export const FULFILLMENT_FIELDS = `#graphql
  fragment FulfillmentFields on Fulfillment {
    id
    status
    createdAt
    trackingInfo(first: 5) { company number url }
    fulfillmentLineItems(first: 10) {
      nodes {
        quantity
        lineItem { id }
      }
      pageInfo { hasNextPage }
    }
  }
`;

/** One order's fulfillment orders, for a first create attempt. */
export const ORDER_FULFILLMENT_ORDERS_QUERY = `#graphql
  query OrderFulfillmentOrders($id: ID!) {
    order(id: $id) {
      id
      closed
      cancelledAt
      fulfillmentOrders(first: 5) {
        nodes { ...FulfillmentOrderFields }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
  ${FULFILLMENT_ORDER_FIELDS}
` as const;

/**
 * The order's fulfillment orders without supportedActions and assignedLocation: what a
 * create needs when the order has a single FO (no location to choose, and Shopify itself
 * refuses an FO that cannot take a fulfillment). ~10 actual points for a two-line order
 * against ~17 for ORDER_FULFILLMENT_ORDERS_QUERY; an order with several FOs is read
 * again with that one.
 */
export const ORDER_FULFILLMENT_ORDER_LINES_QUERY = `#graphql
  query OrderFulfillmentOrderLines($id: ID!) {
    order(id: $id) {
      id
      cancelledAt
      fulfillmentOrders(first: 5) {
        nodes {
          id
          status
          fulfillAt
          lineItems(first: 20) {
            nodes { ...FulfillmentOrderLineFields }
            pageInfo { hasNextPage endCursor }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
  ${FULFILLMENT_ORDER_LINE_FIELDS}
` as const;

/**
 * The order's fulfillments: read before re-sending a create whose earlier attempt may
 * have reached Shopify (reconcile first, never a duplicate). Order.fulfillments is a
 * plain list (no pages): a full list (25, ORDER_FULFILLMENTS_LIMIT in sync.server)
 * means "maybe more", which the sync treats as unknown rather than guessing.
 */
export const ORDER_FULFILLMENTS_QUERY = `#graphql
  query OrderFulfillments($id: ID!) {
    order(id: $id) {
      id
      fulfillments(first: 25) { ...FulfillmentFields }
    }
  }
  ${FULFILLMENT_FIELDS}
` as const;

/** The next page of an order's fulfillment orders (orders at many locations). */
export const ORDER_FULFILLMENT_ORDERS_PAGE_QUERY = `#graphql
  query OrderFulfillmentOrdersPage($id: ID!, $after: String!) {
    order(id: $id) {
      id
      fulfillmentOrders(first: 5, after: $after) {
        nodes { ...FulfillmentOrderFields }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
  ${FULFILLMENT_ORDER_FIELDS}
` as const;

/** The next page of one fulfillment order's lines (orders with many lines). */
export const FULFILLMENT_ORDER_LINES_PAGE_QUERY = `#graphql
  query FulfillmentOrderLinesPage($id: ID!, $after: String!) {
    fulfillmentOrder(id: $id) {
      id
      lineItems(first: 100, after: $after) {
        nodes {
          id
          remainingQuantity
          totalQuantity
          lineItem { id sku }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

/** One fulfillment's current state: is a cancel still needed? */
export const FULFILLMENT_QUERY = `#graphql
  query FulfillmentState($id: ID!) {
    fulfillment(id: $id) { ...FulfillmentFields }
  }
  ${FULFILLMENT_FIELDS}
` as const;

export const FULFILLMENT_CREATE_MUTATION = `#graphql
  mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment {
        id
        status
        trackingInfo(first: 10) { company number url }
      }
      userErrors { field message }
    }
  }
`;

export const FULFILLMENT_CANCEL_MUTATION = `#graphql
  mutation FulfillmentCancel($id: ID!) {
    fulfillmentCancel(id: $id) {
      fulfillment { id status }
      userErrors { field message }
    }
  }
`;

export const FULFILLMENT_TRACKING_UPDATE_MUTATION = `#graphql
  mutation FulfillmentTrackingInfoUpdate(
    $fulfillmentId: ID!
    $trackingInfoInput: FulfillmentTrackingInput!
    $notifyCustomer: Boolean
  ) {
    fulfillmentTrackingInfoUpdate(
      fulfillmentId: $fulfillmentId
      trackingInfoInput: $trackingInfoInput
      notifyCustomer: $notifyCustomer
    ) {
      fulfillment {
        id
        trackingInfo(first: 10) { company number url }
      }
      userErrors { field message }
    }
  }
`;

/** The scopes the shop has granted the app (re-authorization decides from these). */
export const ACCESS_SCOPES_QUERY = `#graphql
  query AppAccessScopes {
    currentAppInstallation { accessScopes { handle } }
  }
`;

/**
 * The shop's country, for carrier names (Shopify lists some tracking companies only for
 * shops in certain countries). `shopAddress` needs no scope (2026-10 schema: no
 * requiredAccess on Shop, shopAddress or ShopAddress.countryCodeV2); `billingAddress` is
 * deprecated in its favour. 1 point.
 */
export const SHOP_COUNTRY_QUERY = `#graphql
  query ShopCountry {
    shop { shopAddress { countryCodeV2 } }
  }
`;

/**
 * The shop's time zone, for every time the app shows (app/i18n/format-time.ts labels it
 * per instant with Intl). `ianaTimezone` (String!) needs no scope (2026-10 schema: no
 * requiredAccess on QueryRoot.shop, Shop or Shop.ianaTimezone). Shop.timezoneAbbreviation
 * is not read: it is one string for the zone, while the label depends on the date shown
 * (EST / EDT). 1 point.
 */
export const SHOP_TIME_ZONE_QUERY = `#graphql
  query ShopTimeZone {
    shop { ianaTimezone }
  }
`;
