import { getNamedType, GraphQLError, type GraphQLFieldResolver, type GraphQLResolveInfo } from "graphql";
import {
  accessDenied,
  isSatisfied,
  notApprovedField,
  notApprovedObject,
  objectTypeRequirement,
  PROTECTED_CUSTOMER_DATA_TYPES,
  returnsAbstractType,
  type Caller,
  type FieldAccessPlan,
} from "./access";
import { canAccessFulfillmentOrder, fulfillmentOrderAccess } from "./auth";
import type { ActualCostMeter } from "./cost";
import type { AccessIndex } from "./schema";
import {
  cancelFulfillment,
  createFulfillment,
  updateTracking,
  type FulfillmentInput,
  type TrackingInput,
  type UserError,
} from "./fulfillment";
import {
  displayFulfillmentStatus,
  fulfilledQuantity,
  fulfillmentOrdersOf,
  fulfillmentsOf,
  hasScope,
  legacyId,
  lineItemOf,
  parseGid,
  supportedActions,
  type FulfillmentOrderLineRecord,
  type FulfillmentOrderRecord,
  type FulfillmentRecord,
  type LineItemRecord,
  type OrderRecord,
  type ShopRecord,
  type Store,
} from "./store";

/**
 * Field resolvers for the real Admin schema, by type and field. graphql-js calls
 * `fieldResolver` for every field; a field without an entry here fails loudly (error
 * code SIMULATOR_NOT_IMPLEMENTED) instead of quietly returning null, so a test never
 * passes against data the simulator does not actually model.
 */

export interface ResolverContext {
  store: Store;
  shop: ShopRecord;
  /** The scopes the calling token carries right now. */
  scopes: readonly string[];
  /** The calling token's scopes and kind, for the schema's access rules (./access). */
  caller: Caller;
  /** What each field of this request's document needs (documentAccess). */
  access: FieldAccessPlan;
  accessIndex: AccessIndex;
  meter: ActualCostMeter;
  /** Runs right before a fulfillmentCreate executes (where FO-race faults strike). */
  beforeFulfillmentCreate: (fulfillmentOrderIds: string[]) => void;
}

type Args = Record<string, unknown>;
type Resolver = (source: any, args: Args, context: ResolverContext, info: GraphQLResolveInfo) => unknown;

const SIXTY_DAYS_MS = 60 * 86_400_000;

export function notImplemented(info: GraphQLResolveInfo, detail?: string): GraphQLError {
  return new GraphQLError(
    `The Shopify simulator does not implement ${info.parentType.name}.${info.fieldName}${detail ? ` (${detail})` : ""}. ` +
      "Add it to test/shopify-sim/resolvers.ts before relying on it.",
    { extensions: { code: "SIMULATOR_NOT_IMPLEMENTED" } },
  );
}

/** Shopify's answer to an ID argument that is not a global id at all. */
function invalidGlobalId(value: unknown): GraphQLError {
  return new GraphQLError(`Invalid global id '${String(value)}'`, {
    extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
  });
}

function checkGid(value: unknown): string {
  if (typeof value !== "string" || !parseGid(value)) throw invalidGlobalId(value);
  return value;
}

function rejectUnsupportedArgs(info: GraphQLResolveInfo, args: Args, names: string[]): void {
  for (const name of names) {
    if (args[name] !== undefined && args[name] !== null) throw notImplemented(info, `argument ${name}`);
  }
}

// ---------------------------------------------------------------------------------------
// Connections: one value shape for every *Connection / *Edge type.

interface ConnectionValue {
  __connection: true;
  items: { id: string }[];
  startIndex: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

function cursorOf(item: { id: string }): string {
  const id = parseGid(item.id)?.id ?? item.id;
  return Buffer.from(JSON.stringify({ last_id: id, last_value: String(id) })).toString("base64");
}

function indexOfCursor(items: { id: string }[], cursor: unknown, info: GraphQLResolveInfo): number {
  try {
    const decoded = JSON.parse(Buffer.from(String(cursor), "base64").toString("utf8")) as { last_id?: unknown };
    const index = items.findIndex((item) => (parseGid(item.id)?.id ?? item.id) === decoded.last_id);
    if (index >= 0) return index;
  } catch {
    // fall through
  }
  throw new GraphQLError(`Invalid cursor for ${info.fieldName}.`, { extensions: { code: "INVALID_CURSOR" } });
}

function paginate(items: { id: string }[], args: Args, info: GraphQLResolveInfo): ConnectionValue {
  const first = args.first as number | null | undefined;
  const last = args.last as number | null | undefined;
  if (first == null && last == null) {
    throw new GraphQLError("you must provide one of first or last", {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  let list = args.reverse ? [...items].reverse() : items;
  let start = 0;
  let end = list.length;
  if (args.after != null) start = indexOfCursor(list, args.after, info) + 1;
  if (args.before != null) end = indexOfCursor(list, args.before, info);
  list = list.slice(start, Math.max(start, end));
  let offset = start;
  let hasNextPage = end < items.length;
  let hasPreviousPage = start > 0;
  if (first != null) {
    hasNextPage = hasNextPage || list.length > first;
    list = list.slice(0, Math.max(0, first));
  }
  if (last != null) {
    hasPreviousPage = hasPreviousPage || list.length > last;
    offset += Math.max(0, list.length - last);
    list = list.slice(Math.max(0, list.length - last));
  }
  return { __connection: true, items: list, startIndex: offset, hasNextPage, hasPreviousPage };
}

const connectionFields: Record<string, Resolver> = {
  nodes: (source: ConnectionValue) => source.items,
  edges: (source: ConnectionValue) => source.items.map((node) => ({ __edge: true, node, cursor: cursorOf(node) })),
  pageInfo: (source: ConnectionValue) => ({
    __pageInfo: true,
    hasNextPage: source.hasNextPage,
    hasPreviousPage: source.hasPreviousPage,
    startCursor: source.items.length > 0 ? cursorOf(source.items[0]) : null,
    endCursor: source.items.length > 0 ? cursorOf(source.items[source.items.length - 1]) : null,
  }),
};

const edgeFields: Record<string, Resolver> = {
  node: (source: { node: unknown }) => source.node,
  cursor: (source: { cursor: string }) => source.cursor,
};

// ---------------------------------------------------------------------------------------
// Visibility rules shared by several fields.

function orderVisible(context: ResolverContext, order: OrderRecord): boolean {
  // Without read_all_orders an app only sees the last 60 days of orders.
  if (hasScope(context.scopes, "read_all_orders") || !context.shop.settings.enforceOrderAgeLimit) return true;
  return Date.parse(order.createdAt) >= context.store.now() - SIXTY_DAYS_MS;
}

function readableFulfillmentOrders(context: ResolverContext, list: FulfillmentOrderRecord[]) {
  const canRead = fulfillmentOrderAccess(context.shop, context.scopes, "read");
  return list.filter(canRead);
}

function fulfillmentWritable(context: ResolverContext) {
  return (fulfillment: FulfillmentRecord) =>
    canAccessFulfillmentOrder(context.scopes, context.shop.locations.get(fulfillment.locationId), "write");
}

/**
 * A node by gid, as visible as through the typed root field for its kind; the access
 * its type needs is checked on the value (fieldResolver), as for any interface field.
 */
function nodeById(context: ResolverContext, id: unknown): unknown {
  if (typeof id !== "string" || !parseGid(id)) return invalidGlobalId(id);
  const { shop } = context;
  const kind = parseGid(id)!.type;
  switch (kind) {
    case "Order": {
      const order = shop.orders.get(id);
      return order && orderVisible(context, order) ? order : null;
    }
    case "LineItem":
      return lineItemOf(shop, id) ?? null;
    case "Fulfillment":
      return shop.fulfillments.get(id) ?? null;
    case "FulfillmentOrder": {
      const fulfillmentOrder = shop.fulfillmentOrders.get(id);
      return fulfillmentOrder ? (readableFulfillmentOrders(context, [fulfillmentOrder])[0] ?? null) : null;
    }
    case "Location":
      return shop.locations.get(id) ?? null;
    case "Shop":
      return id === shop.id ? shop : null;
    default:
      return null;
  }
}

function mutationPayload(result: { fulfillment: FulfillmentRecord | null; userErrors: UserError[] }) {
  return { fulfillment: result.fulfillment, userErrors: result.userErrors };
}

const plain =
  (property: string): Resolver =>
  (source) =>
    source[property] ?? null;

function plainFields(...names: string[]): Record<string, Resolver> {
  return Object.fromEntries(names.map((name) => [name, plain(name)]));
}

const legacyResourceId: Resolver = (source: { id: string }) => legacyId(source.id);

// ---------------------------------------------------------------------------------------

export const RESOLVERS: Record<string, Record<string, Resolver>> = {
  QueryRoot: {
    shop: (_source, _args, context) => context.shop,
    order: (_source, args, context, info) => {
      const order = context.shop.orders.get(checkGid(args.id));
      return order && orderVisible(context, order) ? order : null;
    },
    orders: (_source, args, context, info) => {
      rejectUnsupportedArgs(info, args, ["query", "savedSearchId"]);
      const sortKey = (args.sortKey as string | null | undefined) ?? "ID";
      if (sortKey !== "ID" && sortKey !== "CREATED_AT") throw notImplemented(info, `sortKey ${sortKey}`);
      // Gids grow with creation, so both sort keys order alike; CREATED_AT breaks ties by id.
      const list = [...context.shop.orders.values()]
        .filter((order) => orderVisible(context, order))
        .sort((a, b) =>
          sortKey === "CREATED_AT" && a.createdAt !== b.createdAt
            ? Date.parse(a.createdAt) - Date.parse(b.createdAt)
            : (parseGid(a.id)?.id ?? 0) - (parseGid(b.id)?.id ?? 0),
        );
      return paginate(list, args, info);
    },
    node: (_source, args, context) => {
      const value = nodeById(context, args.id);
      if (value instanceof Error) throw value;
      return value;
    },
    nodes: (_source, args, context) => (args.ids as unknown[]).map((id) => nodeById(context, id)),
    fulfillmentOrder: (_source, args, context, info) => {
      const fulfillmentOrder = context.shop.fulfillmentOrders.get(checkGid(args.id));
      if (!fulfillmentOrder) return null;
      return readableFulfillmentOrders(context, [fulfillmentOrder])[0] ?? null;
    },
    fulfillment: (_source, args, context, info) => {
      return context.shop.fulfillments.get(checkGid(args.id)) ?? null;
    },
    currentAppInstallation: (_source, _args, context) => ({
      __typename: "AppInstallation",
      id: context.shop.appInstallationId,
      scopes: context.scopes,
    }),
    // The library's scopes.query()/request() read this (FetchAccessScopes).
    app: (_source, _args, context) => ({
      __typename: "App",
      requestedScopes: context.shop.requestedScopes,
      installation: { __typename: "AppInstallation", id: context.shop.appInstallationId, scopes: context.scopes },
    }),
  },

  Mutation: {
    fulfillmentCreate: (_source, args, context, info) => {
      const input = args.fulfillment as FulfillmentInput;
      for (const group of input.lineItemsByFulfillmentOrder) checkGid(group.fulfillmentOrderId);
      context.beforeFulfillmentCreate(input.lineItemsByFulfillmentOrder.map((group) => group.fulfillmentOrderId));
      return mutationPayload(
        createFulfillment(context.store, context.shop, input, {
          canAccess: fulfillmentOrderAccess(context.shop, context.scopes, "write"),
        }),
      );
    },
    fulfillmentCancel: (_source, args, context, info) => {
      return mutationPayload(
        cancelFulfillment(context.store, context.shop, checkGid(args.id), {
          canAccess: fulfillmentWritable(context),
          reopenSameFulfillmentOrder: context.shop.settings.reopenSameFulfillmentOrder,
        }),
      );
    },
    fulfillmentTrackingInfoUpdate: (_source, args, context, info) => {
      return mutationPayload(
        updateTracking(
          context.store,
          context.shop,
          checkGid(args.fulfillmentId),
          args.trackingInfoInput as TrackingInput,
          args.notifyCustomer as boolean | null | undefined,
          fulfillmentWritable(context),
        ),
      );
    },
  },

  FulfillmentCreatePayload: plainFields("fulfillment", "userErrors"),
  FulfillmentCancelPayload: plainFields("fulfillment", "userErrors"),
  FulfillmentTrackingInfoUpdatePayload: plainFields("fulfillment", "userErrors"),
  UserError: plainFields("field", "message"),

  Shop: {
    // Of the time zone fields, the zone's name only: timezoneAbbreviation and
    // timezoneOffset(Minutes) stay unmodelled (Shopify does not say for which instant they
    // are given, nor what a zone without an abbreviation shows).
    ...plainFields("id", "name", "currencyCode", "ianaTimezone"),
    myshopifyDomain: (shop: ShopRecord) => shop.domain,
    url: (shop: ShopRecord) => `https://${shop.domain}`,
    shopAddress: (shop: ShopRecord) => ({ countryCodeV2: shop.countryCode }),
  },
  ShopAddress: plainFields("countryCodeV2"),

  AppInstallation: {
    id: plain("id"),
    accessScopes: (installation: { scopes: string[] }) =>
      installation.scopes.map((handle) => ({ handle, description: `Access scope ${handle}` })),
  },
  AccessScope: plainFields("handle", "description"),

  App: {
    requestedAccessScopes: (app: { requestedScopes: string[] }) =>
      app.requestedScopes.map((handle) => ({ handle, description: `Access scope ${handle}` })),
    optionalAccessScopes: () => [],
    installation: plain("installation"),
  },

  Location: {
    ...plainFields("id", "name"),
    legacyResourceId,
  },

  Order: {
    ...plainFields("id", "name", "createdAt", "updatedAt", "closedAt", "cancelledAt"),
    legacyResourceId,
    number: (order: OrderRecord) => Number(order.name.replace(/\D/g, "")) || 0,
    closed: (order: OrderRecord) => order.closedAt !== null,
    currencyCode: (_order, _args, context) => context.shop.currencyCode,
    displayFulfillmentStatus: (order: OrderRecord, _args, context) => displayFulfillmentStatus(context.shop, order),
    lineItems: (order: OrderRecord, args, _context, info) => paginate(order.lineItems, args, info),
    fulfillmentOrders: (order: OrderRecord, args, context, info) => {
      rejectUnsupportedArgs(info, args, ["query"]);
      let list = readableFulfillmentOrders(context, fulfillmentOrdersOf(context.shop, order));
      // displayable: true hides FOs the merchant never sees, such as ones closed by a move.
      if (args.displayable) list = list.filter((fulfillmentOrder) => !fulfillmentOrder.movedAway);
      return paginate(list, args, info);
    },
    fulfillments: (order: OrderRecord, args, context, info) => {
      rejectUnsupportedArgs(info, args, ["query"]);
      const list = fulfillmentsOf(context.shop, order);
      return typeof args.first === "number" ? list.slice(0, Math.max(0, args.first)) : list;
    },
  },

  LineItem: {
    ...plainFields("id", "sku", "title", "vendor", "quantity"),
    name: (line: LineItemRecord) => line.title,
    // Order edits are not modelled: the current quantity is the ordered one.
    currentQuantity: (line: LineItemRecord) => line.quantity,
    requiresShipping: () => true,
    unfulfilledQuantity: (line: LineItemRecord, _args, context) => line.quantity - fulfilledQuantity(context.shop, line),
    fulfillableQuantity: (line: LineItemRecord, _args, context) => {
      const order = context.shop.orders.get(line.orderId)!;
      return fulfillmentOrdersOf(context.shop, order)
        .filter((fulfillmentOrder) => fulfillmentOrder.status === "OPEN" || fulfillmentOrder.status === "IN_PROGRESS")
        .flatMap((fulfillmentOrder) => fulfillmentOrder.lines)
        .filter((foLine) => foLine.lineItemId === line.id)
        .reduce((sum, foLine) => sum + foLine.remainingQuantity, 0);
    },
  },

  FulfillmentOrder: {
    ...plainFields("id", "status", "fulfillAt", "createdAt", "updatedAt", "orderId"),
    requestStatus: () => "UNSUBMITTED",
    orderName: (fulfillmentOrder: FulfillmentOrderRecord, _args, context) =>
      context.shop.orders.get(fulfillmentOrder.orderId)!.name,
    order: (fulfillmentOrder: FulfillmentOrderRecord, _args, context, info) => {
      return context.shop.orders.get(fulfillmentOrder.orderId);
    },
    supportedActions: (fulfillmentOrder: FulfillmentOrderRecord, _args, context) =>
      supportedActions(fulfillmentOrder, context.shop.locations.get(fulfillmentOrder.locationId)).map((action) => ({
        action,
      })),
    assignedLocation: (fulfillmentOrder: FulfillmentOrderRecord) => ({
      name: fulfillmentOrder.locationName,
      locationId: fulfillmentOrder.locationId,
    }),
    lineItems: (fulfillmentOrder: FulfillmentOrderRecord, args, _context, info) =>
      paginate(fulfillmentOrder.lines, args, info),
    fulfillments: (fulfillmentOrder: FulfillmentOrderRecord, args, context, info) => {
      const order = context.shop.orders.get(fulfillmentOrder.orderId)!;
      const list = fulfillmentsOf(context.shop, order).filter((fulfillment) =>
        fulfillment.lines.some((line) => line.fulfillmentOrderId === fulfillmentOrder.id),
      );
      return paginate(list, args, info);
    },
  },

  FulfillmentOrderAssignedLocation: {
    name: plain("name"),
    // The location's address as it is now (what Shopify shows for FOs not yet in work).
    ...Object.fromEntries(
      (["address1", "address2", "city", "province", "zip", "countryCode"] as const).map((field) => [
        field,
        (assigned: { locationId: string }, _args: Args, context: ResolverContext) =>
          context.shop.locations.get(assigned.locationId)?.address[field] ?? null,
      ]),
    ),
    location: (assigned: { locationId: string }, _args, context) => context.shop.locations.get(assigned.locationId) ?? null,
  },

  FulfillmentOrderSupportedAction: plainFields("action"),

  FulfillmentOrderLineItem: {
    ...plainFields("id", "totalQuantity", "remainingQuantity"),
    lineItem: (line: FulfillmentOrderLineRecord, _args, context) => lineItemOf(context.shop, line.lineItemId),
    sku: (line: FulfillmentOrderLineRecord, _args, context) => lineItemOf(context.shop, line.lineItemId)?.sku ?? null,
    vendor: (line: FulfillmentOrderLineRecord, _args, context) =>
      lineItemOf(context.shop, line.lineItemId)?.vendor ?? null,
  },

  Fulfillment: {
    ...plainFields("id", "name", "status", "createdAt", "updatedAt"),
    legacyResourceId,
    displayStatus: (fulfillment: FulfillmentRecord) => (fulfillment.status === "CANCELLED" ? "CANCELED" : "FULFILLED"),
    totalQuantity: (fulfillment: FulfillmentRecord) => fulfillment.lines.reduce((sum, line) => sum + line.quantity, 0),
    order: (fulfillment: FulfillmentRecord, _args, context, info) => {
      return context.shop.orders.get(fulfillment.orderId);
    },
    location: (fulfillment: FulfillmentRecord, _args, context) => context.shop.locations.get(fulfillment.locationId) ?? null,
    trackingInfo: (fulfillment: FulfillmentRecord, args) =>
      typeof args.first === "number" ? fulfillment.tracking.slice(0, Math.max(0, args.first)) : fulfillment.tracking,
    fulfillmentLineItems: (fulfillment: FulfillmentRecord, args, _context, info) =>
      paginate(fulfillment.lines, args, info),
    fulfillmentOrders: (fulfillment: FulfillmentRecord, args, context, info) => {
      const ids = [...new Set(fulfillment.lines.map((line) => line.fulfillmentOrderId))];
      const list = ids.map((id) => context.shop.fulfillmentOrders.get(id)!);
      return paginate(readableFulfillmentOrders(context, list), args, info);
    },
  },

  FulfillmentTrackingInfo: plainFields("company", "number", "url"),

  FulfillmentLineItem: {
    ...plainFields("id", "quantity"),
    lineItem: (line: { lineItemId: string }, _args, context) => lineItemOf(context.shop, line.lineItemId),
  },

  PageInfo: plainFields("hasNextPage", "hasPreviousPage", "startCursor", "endCursor"),
};

/**
 * The resolver graphql-js calls for every field: access first (./access: the schema's
 * requiredAccess, protected customer data), then the table above, the shared connection
 * and edge shapes, or a loud failure. It also feeds the actual-cost meter.
 */
export const fieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (source, args, context, info) => {
  checkFieldAccess(context, info);
  const typeName = info.parentType.name;
  let resolver = RESOLVERS[typeName]?.[info.fieldName];
  if (!resolver && typeName.endsWith("Connection") && isConnectionValue(source)) {
    resolver = connectionFields[info.fieldName];
  }
  if (!resolver && typeName.endsWith("Edge")) resolver = edgeFields[info.fieldName];
  if (!resolver) throw notImplemented(info);
  const value = guardObjects(context, info, resolver(source, args, context, info));
  context.meter.record(info, value);
  return value;
};

function checkFieldAccess(context: ResolverContext, info: GraphQLResolveInfo): void {
  for (const requirement of context.access.get(info.fieldNodes[0]) ?? []) {
    if (!isSatisfied(requirement, context.caller)) throw accessDenied(info.fieldName, requirement);
  }
  const level = context.shop.settings.protectedCustomerData;
  if (level !== "level2" && context.accessIndex.protectedFields.has(`${info.parentType.name}.${info.fieldName}`)) {
    throw notApprovedField(info.fieldName);
  }
}

/**
 * Objects a field returns that the caller may not see become errors in their place
 * (graphql-js reports an Error value at its own path): an interface/union value whose
 * concrete type needs a scope the caller lacks, and protected customer data without
 * approval.
 */
function guardObjects(context: ResolverContext, info: GraphQLResolveInfo, value: unknown): unknown {
  const abstract = returnsAbstractType(info);
  const withholdProtected = context.shop.settings.protectedCustomerData === "none";
  if (!abstract && !withholdProtected) return value;
  const declared = getNamedType(info.returnType).name;
  const guard = (item: unknown): unknown => {
    if (item === null || typeof item !== "object" || item instanceof Error) return item;
    const typeName = abstract ? (typeResolver(item) ?? declared) : declared;
    if (abstract) {
      const requirement = objectTypeRequirement(context.accessIndex, typeName);
      if (requirement && !isSatisfied(requirement, context.caller)) return accessDenied(info.fieldName, requirement);
    }
    if (withholdProtected && PROTECTED_CUSTOMER_DATA_TYPES.has(typeName)) return notApprovedObject(typeName);
    return item;
  };
  return Array.isArray(value) ? value.map(guard) : guard(value);
}

/** Whether the simulator resolves `typeName.fieldName` (for checking documents up front). */
export function isImplemented(typeName: string, fieldName: string): boolean {
  if (fieldName === "__typename" || RESOLVERS[typeName]?.[fieldName]) return true;
  if (typeName.endsWith("Connection")) return fieldName in connectionFields;
  if (typeName.endsWith("Edge")) return fieldName in edgeFields;
  return false;
}

function isConnectionValue(value: unknown): value is ConnectionValue {
  return typeof value === "object" && value !== null && "__connection" in value;
}

/** Node/interface resolution: every stored record carries its GraphQL type name. */
export function typeResolver(value: unknown): string | undefined {
  return typeof value === "object" && value !== null && "__typename" in value
    ? String((value as { __typename: unknown }).__typename)
    : undefined;
}
