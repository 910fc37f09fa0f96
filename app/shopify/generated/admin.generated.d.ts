/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type FulfillmentOrderLineFieldsFragment = (
  Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
  & { lineItem: Pick<AdminTypes.LineItem, 'id' | 'sku'> }
);

export type FulfillmentOrderFieldsFragment = (
  Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'fulfillAt'>
  & { supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, assignedLocation: Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name' | 'address1' | 'address2' | 'city' | 'province' | 'zip' | 'countryCode'>, lineItems: { nodes: Array<(
      Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
      & { lineItem: Pick<AdminTypes.LineItem, 'id' | 'sku'> }
    )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
);

export type FulfillmentFieldsFragment = (
  Pick<AdminTypes.Fulfillment, 'id' | 'status' | 'createdAt'>
  & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'company' | 'number' | 'url'>>, fulfillmentLineItems: { nodes: Array<(
      Pick<AdminTypes.FulfillmentLineItem, 'quantity'>
      & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
    )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'> } }
);

export type OrderFulfillmentOrdersQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type OrderFulfillmentOrdersQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'closed' | 'cancelledAt'>
    & { fulfillmentOrders: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'fulfillAt'>
        & { supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, assignedLocation: Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name' | 'address1' | 'address2' | 'city' | 'province' | 'zip' | 'countryCode'>, lineItems: { nodes: Array<(
            Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
            & { lineItem: Pick<AdminTypes.LineItem, 'id' | 'sku'> }
          )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )> };

export type OrderFulfillmentOrderLinesQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type OrderFulfillmentOrderLinesQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'cancelledAt'>
    & { fulfillmentOrders: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'fulfillAt'>
        & { lineItems: { nodes: Array<(
            Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
            & { lineItem: Pick<AdminTypes.LineItem, 'id' | 'sku'> }
          )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )> };

export type OrderFulfillmentsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type OrderFulfillmentsQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id'>
    & { fulfillments: Array<(
      Pick<AdminTypes.Fulfillment, 'id' | 'status' | 'createdAt'>
      & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'company' | 'number' | 'url'>>, fulfillmentLineItems: { nodes: Array<(
          Pick<AdminTypes.FulfillmentLineItem, 'quantity'>
          & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
        )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'> } }
    )> }
  )> };

export type OrderFulfillmentOrdersPageQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after: AdminTypes.Scalars['String']['input'];
}>;


export type OrderFulfillmentOrdersPageQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id'>
    & { fulfillmentOrders: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'fulfillAt'>
        & { supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, assignedLocation: Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name' | 'address1' | 'address2' | 'city' | 'province' | 'zip' | 'countryCode'>, lineItems: { nodes: Array<(
            Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
            & { lineItem: Pick<AdminTypes.LineItem, 'id' | 'sku'> }
          )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )> };

export type FulfillmentOrderLinesPageQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after: AdminTypes.Scalars['String']['input'];
}>;


export type FulfillmentOrderLinesPageQuery = { fulfillmentOrder?: AdminTypes.Maybe<(
    Pick<AdminTypes.FulfillmentOrder, 'id'>
    & { lineItems: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
        & { lineItem: Pick<AdminTypes.LineItem, 'id' | 'sku'> }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )> };

export type FulfillmentStateQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type FulfillmentStateQuery = { fulfillment?: AdminTypes.Maybe<(
    Pick<AdminTypes.Fulfillment, 'id' | 'status' | 'createdAt'>
    & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'company' | 'number' | 'url'>>, fulfillmentLineItems: { nodes: Array<(
        Pick<AdminTypes.FulfillmentLineItem, 'quantity'>
        & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'> } }
  )> };

export type FulfillmentCreateMutationVariables = AdminTypes.Exact<{
  fulfillment: AdminTypes.FulfillmentInput;
}>;


export type FulfillmentCreateMutation = { fulfillmentCreate?: AdminTypes.Maybe<{ fulfillment?: AdminTypes.Maybe<(
      Pick<AdminTypes.Fulfillment, 'id' | 'status'>
      & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'company' | 'number' | 'url'>> }
    )>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type FulfillmentCancelMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type FulfillmentCancelMutation = { fulfillmentCancel?: AdminTypes.Maybe<{ fulfillment?: AdminTypes.Maybe<Pick<AdminTypes.Fulfillment, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type FulfillmentTrackingInfoUpdateMutationVariables = AdminTypes.Exact<{
  fulfillmentId: AdminTypes.Scalars['ID']['input'];
  trackingInfoInput: AdminTypes.FulfillmentTrackingInput;
  notifyCustomer?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
}>;


export type FulfillmentTrackingInfoUpdateMutation = { fulfillmentTrackingInfoUpdate?: AdminTypes.Maybe<{ fulfillment?: AdminTypes.Maybe<(
      Pick<AdminTypes.Fulfillment, 'id'>
      & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'company' | 'number' | 'url'>> }
    )>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type AppAccessScopesQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type AppAccessScopesQuery = { currentAppInstallation: { accessScopes: Array<Pick<AdminTypes.AccessScope, 'handle'>> } };

export type ShopCountryQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopCountryQuery = { shop: { shopAddress: Pick<AdminTypes.ShopAddress, 'countryCodeV2'> } };

export type ShopTimeZoneQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopTimeZoneQuery = { shop: Pick<AdminTypes.Shop, 'ianaTimezone'> };

export type OrderLineFieldsFragment = Pick<AdminTypes.LineItem, 'id' | 'name' | 'sku' | 'vendor' | 'quantity' | 'currentQuantity' | 'requiresShipping'>;

export type RecentOrdersQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type RecentOrdersQuery = { orders: { nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'name' | 'createdAt' | 'updatedAt' | 'cancelledAt' | 'closedAt'>
      & { lineItems: { nodes: Array<Pick<AdminTypes.LineItem, 'id' | 'name' | 'sku' | 'vendor' | 'quantity' | 'currentQuantity' | 'requiresShipping'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
    )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type OrderLineItemsPageQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after: AdminTypes.Scalars['String']['input'];
}>;


export type OrderLineItemsPageQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id'>
    & { lineItems: { nodes: Array<Pick<AdminTypes.LineItem, 'id' | 'name' | 'sku' | 'vendor' | 'quantity' | 'currentQuantity' | 'requiresShipping'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )> };

export type FulfillmentOrderOrderQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type FulfillmentOrderOrderQuery = { fulfillmentOrder?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'orderId'>> };

export type FulfillmentsStateQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type FulfillmentsStateQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.Fulfillment, 'id' | 'status' | 'updatedAt'>
    & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'company' | 'number' | 'url'>> }
  )>> };

interface GeneratedQueryTypes {
  "#graphql\n  query OrderFulfillmentOrders($id: ID!) {\n    order(id: $id) {\n      id\n      closed\n      cancelledAt\n      fulfillmentOrders(first: 5) {\n        nodes { ...FulfillmentOrderFields }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n  #graphql\n  fragment FulfillmentOrderFields on FulfillmentOrder {\n    id\n    status\n    fulfillAt\n    supportedActions { action }\n    assignedLocation { name address1 address2 city province zip countryCode }\n    lineItems(first: 20) {\n      nodes { ...FulfillmentOrderLineFields }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n  #graphql\n  fragment FulfillmentOrderLineFields on FulfillmentOrderLineItem {\n    id\n    remainingQuantity\n    totalQuantity\n    lineItem { id sku }\n  }\n\n\n": {return: OrderFulfillmentOrdersQuery, variables: OrderFulfillmentOrdersQueryVariables},
  "#graphql\n  query OrderFulfillmentOrderLines($id: ID!) {\n    order(id: $id) {\n      id\n      cancelledAt\n      fulfillmentOrders(first: 5) {\n        nodes {\n          id\n          status\n          fulfillAt\n          lineItems(first: 20) {\n            nodes { ...FulfillmentOrderLineFields }\n            pageInfo { hasNextPage endCursor }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n  #graphql\n  fragment FulfillmentOrderLineFields on FulfillmentOrderLineItem {\n    id\n    remainingQuantity\n    totalQuantity\n    lineItem { id sku }\n  }\n\n": {return: OrderFulfillmentOrderLinesQuery, variables: OrderFulfillmentOrderLinesQueryVariables},
  "#graphql\n  query OrderFulfillments($id: ID!) {\n    order(id: $id) {\n      id\n      fulfillments(first: 25) { ...FulfillmentFields }\n    }\n  }\n  #graphql\n  fragment FulfillmentFields on Fulfillment {\n    id\n    status\n    createdAt\n    trackingInfo(first: 5) { company number url }\n    fulfillmentLineItems(first: 10) {\n      nodes {\n        quantity\n        lineItem { id }\n      }\n      pageInfo { hasNextPage }\n    }\n  }\n\n": {return: OrderFulfillmentsQuery, variables: OrderFulfillmentsQueryVariables},
  "#graphql\n  query OrderFulfillmentOrdersPage($id: ID!, $after: String!) {\n    order(id: $id) {\n      id\n      fulfillmentOrders(first: 5, after: $after) {\n        nodes { ...FulfillmentOrderFields }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n  #graphql\n  fragment FulfillmentOrderFields on FulfillmentOrder {\n    id\n    status\n    fulfillAt\n    supportedActions { action }\n    assignedLocation { name address1 address2 city province zip countryCode }\n    lineItems(first: 20) {\n      nodes { ...FulfillmentOrderLineFields }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n  #graphql\n  fragment FulfillmentOrderLineFields on FulfillmentOrderLineItem {\n    id\n    remainingQuantity\n    totalQuantity\n    lineItem { id sku }\n  }\n\n\n": {return: OrderFulfillmentOrdersPageQuery, variables: OrderFulfillmentOrdersPageQueryVariables},
  "#graphql\n  query FulfillmentOrderLinesPage($id: ID!, $after: String!) {\n    fulfillmentOrder(id: $id) {\n      id\n      lineItems(first: 100, after: $after) {\n        nodes {\n          id\n          remainingQuantity\n          totalQuantity\n          lineItem { id sku }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": {return: FulfillmentOrderLinesPageQuery, variables: FulfillmentOrderLinesPageQueryVariables},
  "#graphql\n  query FulfillmentState($id: ID!) {\n    fulfillment(id: $id) { ...FulfillmentFields }\n  }\n  #graphql\n  fragment FulfillmentFields on Fulfillment {\n    id\n    status\n    createdAt\n    trackingInfo(first: 5) { company number url }\n    fulfillmentLineItems(first: 10) {\n      nodes {\n        quantity\n        lineItem { id }\n      }\n      pageInfo { hasNextPage }\n    }\n  }\n\n": {return: FulfillmentStateQuery, variables: FulfillmentStateQueryVariables},
  "#graphql\n  query AppAccessScopes {\n    currentAppInstallation { accessScopes { handle } }\n  }\n": {return: AppAccessScopesQuery, variables: AppAccessScopesQueryVariables},
  "#graphql\n  query ShopCountry {\n    shop { shopAddress { countryCodeV2 } }\n  }\n": {return: ShopCountryQuery, variables: ShopCountryQueryVariables},
  "#graphql\n  query ShopTimeZone {\n    shop { ianaTimezone }\n  }\n": {return: ShopTimeZoneQuery, variables: ShopTimeZoneQueryVariables},
  "#graphql\n  query RecentOrders($first: Int!, $after: String) {\n    orders(first: $first, after: $after, sortKey: CREATED_AT, reverse: true) {\n      nodes {\n        id\n        name\n        createdAt\n        updatedAt\n        cancelledAt\n        closedAt\n        lineItems(first: 50) {\n          nodes { ...OrderLineFields }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n  #graphql\n  fragment OrderLineFields on LineItem {\n    id\n    name\n    sku\n    vendor\n    quantity\n    currentQuantity\n    requiresShipping\n  }\n\n": {return: RecentOrdersQuery, variables: RecentOrdersQueryVariables},
  "#graphql\n  query OrderLineItemsPage($id: ID!, $after: String!) {\n    order(id: $id) {\n      id\n      lineItems(first: 100, after: $after) {\n        nodes { ...OrderLineFields }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n  #graphql\n  fragment OrderLineFields on LineItem {\n    id\n    name\n    sku\n    vendor\n    quantity\n    currentQuantity\n    requiresShipping\n  }\n\n": {return: OrderLineItemsPageQuery, variables: OrderLineItemsPageQueryVariables},
  "#graphql\n  query FulfillmentOrderOrder($id: ID!) {\n    fulfillmentOrder(id: $id) {\n      id\n      status\n      orderId\n    }\n  }\n": {return: FulfillmentOrderOrderQuery, variables: FulfillmentOrderOrderQueryVariables},
  "#graphql\n  query FulfillmentsState($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on Fulfillment {\n        id\n        status\n        updatedAt\n        trackingInfo(first: 5) { company number url }\n      }\n    }\n  }\n": {return: FulfillmentsStateQuery, variables: FulfillmentsStateQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {\n    fulfillmentCreate(fulfillment: $fulfillment) {\n      fulfillment {\n        id\n        status\n        trackingInfo(first: 10) { company number url }\n      }\n      userErrors { field message }\n    }\n  }\n": {return: FulfillmentCreateMutation, variables: FulfillmentCreateMutationVariables},
  "#graphql\n  mutation FulfillmentCancel($id: ID!) {\n    fulfillmentCancel(id: $id) {\n      fulfillment { id status }\n      userErrors { field message }\n    }\n  }\n": {return: FulfillmentCancelMutation, variables: FulfillmentCancelMutationVariables},
  "#graphql\n  mutation FulfillmentTrackingInfoUpdate(\n    $fulfillmentId: ID!\n    $trackingInfoInput: FulfillmentTrackingInput!\n    $notifyCustomer: Boolean\n  ) {\n    fulfillmentTrackingInfoUpdate(\n      fulfillmentId: $fulfillmentId\n      trackingInfoInput: $trackingInfoInput\n      notifyCustomer: $notifyCustomer\n    ) {\n      fulfillment {\n        id\n        trackingInfo(first: 10) { company number url }\n      }\n      userErrors { field message }\n    }\n  }\n": {return: FulfillmentTrackingInfoUpdateMutation, variables: FulfillmentTrackingInfoUpdateMutationVariables},
}
declare module '~/shopify/admin-operations' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
