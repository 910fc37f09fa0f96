import { LeakyBucket, PLAN_LIMITS, type Plan } from "./bucket";

/**
 * The simulator's in-memory Shopify: shops, their orders, fulfillment orders (FOs) and
 * fulfillments, the app's access tokens. Plain records, so that resolvers, the control
 * API and tests read the same objects. Business rules that Shopify enforces on writes
 * live in fulfillment.ts; this module only keeps data consistent (ids, indexes).
 */

export type FulfillmentOrderStatus =
  | "OPEN"
  | "IN_PROGRESS"
  | "CLOSED"
  | "CANCELLED"
  | "INCOMPLETE"
  | "ON_HOLD"
  | "SCHEDULED";

export type FulfillmentStatus = "SUCCESS" | "CANCELLED";

export interface LocationRecord {
  __typename: "Location";
  id: string;
  name: string;
  /**
   * A location run by a fulfillment service app. Its FOs need the
   * *_third_party_fulfillment_orders scopes instead of *_merchant_managed_*.
   */
  fulfillmentService: boolean;
  /** What FulfillmentOrderAssignedLocation shows beside the name. */
  address: LocationAddress;
}

export interface LocationAddress {
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  zip: string | null;
  countryCode: string;
}

export interface LineItemRecord {
  __typename: "LineItem";
  id: string;
  orderId: string;
  sku: string | null;
  title: string;
  vendor: string | null;
  quantity: number;
}

export interface FulfillmentOrderLineRecord {
  __typename: "FulfillmentOrderLineItem";
  id: string;
  fulfillmentOrderId: string;
  lineItemId: string;
  totalQuantity: number;
  remainingQuantity: number;
}

export interface FulfillmentOrderRecord {
  __typename: "FulfillmentOrder";
  id: string;
  orderId: string;
  locationId: string;
  /** Snapshot of the location's name at assignment, as FulfillmentOrderAssignedLocation is. */
  locationName: string;
  status: FulfillmentOrderStatus;
  /** Status to return to when a hold is released or a schedule becomes due. */
  statusBeforeHold: FulfillmentOrderStatus | null;
  fulfillAt: string | null;
  lines: FulfillmentOrderLineRecord[];
  /** Closed after its items moved elsewhere: hidden from `fulfillmentOrders(displayable: true)`. */
  movedAway: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TrackingInfoRecord {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface FulfillmentLineRecord {
  __typename: "FulfillmentLineItem";
  id: string;
  lineItemId: string;
  fulfillmentOrderId: string;
  fulfillmentOrderLineId: string;
  quantity: number;
}

export interface FulfillmentRecord {
  __typename: "Fulfillment";
  id: string;
  orderId: string;
  name: string;
  status: FulfillmentStatus;
  locationId: string;
  tracking: TrackingInfoRecord[];
  lines: FulfillmentLineRecord[];
  notifyCustomer: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface OrderRecord {
  __typename: "Order";
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  cancelledAt: string | null;
  lineItems: LineItemRecord[];
  fulfillmentOrderIds: string[];
  fulfillmentIds: string[];
}

export interface AccessTokenRecord {
  token: string;
  shop: string;
  kind: "offline" | "online";
  /** Epoch ms; null for non-expiring offline tokens. */
  expiresAt: number | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: number | null;
  revoked: boolean;
  /** How the token came to be (tokens.ts). */
  via: "installed" | "exchange" | "migration" | "refresh";
  issuedAt: number;
  /** First Admin API call with the access token, or first refresh with its refresh token. */
  firstUsedAt: number | null;
  /** First time its refresh token was exchanged for a new pair. */
  refreshedAt: number | null;
  /** The pair whose refresh token produced this one. */
  predecessor: string | null;
  /** The newest pair produced from this one's refresh token. */
  successor: string | null;
  /** Set when a successor was first used (or superseded): both tokens stop working. */
  retiredAt: number | null;
  /** Non-expiring tokens: the expiring pair they were exchanged for. */
  migratedTo: string | null;
  migratedAt: number | null;
}

export interface TokenLifetimes {
  /** `expires_in` of an expiring offline access token. Shopify: 3600. */
  offlineAccessSeconds: number;
  /** `refresh_token_expires_in`. Shopify: 90 days. */
  refreshSeconds: number;
}

export const SHOPIFY_TOKEN_LIFETIMES: TokenLifetimes = { offlineAccessSeconds: 3_600, refreshSeconds: 7_776_000 };

/** From this instant Shopify refuses public apps' non-expiring offline tokens. */
export const NON_EXPIRING_CUTOFF = Date.parse("2027-01-01T00:00:00Z");

/** One request to POST /admin/oauth/access_token, as the control API reports it. */
export interface TokenGrantLogEntry {
  id: number;
  at: string;
  shop: string | null;
  grant: "token_exchange" | "migration" | "refresh_token" | "other";
  status: number;
  error: string | null;
  /** The access token issued (or returned again). */
  issued: string | null;
  /** The refresh token presented (refresh grant). */
  refreshToken: string | null;
  /** Whether its answer has been sent (false while held by holdTokenAnswers). */
  answered: boolean;
}

export interface ShopRecord {
  __typename: "Shop";
  id: string;
  domain: string;
  name: string;
  currencyCode: string;
  /** The shop's address country (ISO 3166-1 alpha-2): Shop.shopAddress.countryCodeV2. */
  countryCode: string;
  /** The shop's time zone (IANA name, e.g. "Asia/Tokyo"): Shop.ianaTimezone. */
  ianaTimezone: string;
  plan: Plan;
  /** The scopes granted to the app on this shop; every token of the shop carries them. */
  scopes: string[];
  /**
   * What the app asks for (its shopify.app.toml): `app.requestedAccessScopes`. Set to the
   * scopes granted at install, so a scope the merchant removes later shows as missing.
   */
  requestedScopes: string[];
  installed: boolean;
  /** 402 "Unavailable Shop": unpaid bill. */
  frozen: boolean;
  /** 423: locked by Shopify. */
  locked: boolean;
  appInstallationId: string;
  settings: ShopSettings;
  locations: Map<string, LocationRecord>;
  orders: Map<string, OrderRecord>;
  fulfillmentOrders: Map<string, FulfillmentOrderRecord>;
  fulfillments: Map<string, FulfillmentRecord>;
  bucket: LeakyBucket;
}

/** Behaviour switches where Shopify's behaviour is documented one way but commonly assumed another. */
export interface ShopSettings {
  /**
   * false (default, as documented for fulfillmentCancel): cancelling a fulfillment of a
   * CLOSED fulfillment order creates a NEW fulfillment order for the cancelled units.
   * true: the units go back onto the original fulfillment order, which reopens.
   */
  reopenSameFulfillmentOrder: boolean;
  /**
   * true (default, as Shopify): without read_all_orders the app sees only orders created in
   * the last 60 days. The demo turns it off because its data has fixed dates.
   */
  enforceOrderAgeLimit: boolean;
  /**
   * The app's protected customer data approval (Partner Dashboard): "level1" (default:
   * customer data without name, address, phone and email — what this app asks for),
   * "level2" (those fields too) or "none" (withheld: Order data is refused).
   */
  protectedCustomerData: ProtectedCustomerDataLevel;
}

export type ProtectedCustomerDataLevel = "none" | "level1" | "level2";

/** The resource kinds the simulator stores, by the type name in their gid. */
export type ResourceKind =
  | "Shop"
  | "Location"
  | "Order"
  | "LineItem"
  | "FulfillmentOrder"
  | "FulfillmentOrderLineItem"
  | "Fulfillment"
  | "FulfillmentLineItem"
  | "AppInstallation";

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/;

/** `gid://shopify/Order/12` → { type: "Order", id: 12 }; null for anything else. */
export function parseGid(value: string): { type: string; id: number } | null {
  const match = GID.exec(value);
  return match ? { type: match[1], id: Number(match[2]) } : null;
}

export function gid(type: ResourceKind, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

/** The numeric tail of a gid, as Shopify prints it in some userError messages. */
export function legacyId(value: string): string {
  return parseGid(value)?.id.toString() ?? value;
}

/**
 * Hands out gids. Gids are global in Shopify (not per shop), so one allocator serves the
 * whole store; explicit ids (from demo data or a test) are claimed so that generated
 * ones never collide with them.
 */
export class IdAllocator {
  private readonly last = new Map<string, number>();
  private readonly used = new Set<string>();

  /** Registers an explicit gid; throws when it is malformed, of another type, or taken. */
  claim(value: string, type: ResourceKind): string {
    const parsed = parseGid(value);
    if (!parsed || parsed.type !== type) {
      throw new ControlError(`"${value}" is not a gid://shopify/${type}/<number> id`);
    }
    if (this.used.has(value)) throw new ControlError(`id ${value} is already in use`);
    this.used.add(value);
    this.last.set(type, Math.max(this.last.get(type) ?? FIRST_ID - 1, parsed.id));
    return value;
  }

  next(type: ResourceKind): string {
    const id = Math.max(this.last.get(type) ?? FIRST_ID - 1, FIRST_ID - 1) + 1;
    this.last.set(type, id);
    const value = gid(type, id);
    this.used.add(value);
    return value;
  }

  /** An explicit id when given, else a fresh one. */
  take(type: ResourceKind, explicit?: string | null): string {
    return explicit ? this.claim(explicit, type) : this.next(type);
  }

  reset(): void {
    this.last.clear();
    this.used.clear();
  }
}

// Generated ids start high enough to look like Shopify's and stay clear of the small
// numbers hand-written fixtures tend to use.
const FIRST_ID = 5_000_000_001;

/** A new shop's time zone unless told otherwise (a Japanese merchant's). */
export const DEFAULT_IANA_TIMEZONE = "Asia/Tokyo";

/**
 * A time zone as Shop.ianaTimezone holds it: an IANA name that Intl knows
 * ("America/New_York", "Etc/UTC"), not an offset ("+09:00"). Shopify's admin offers a
 * fixed list of zones; any zone Intl knows is taken here.
 */
export function checkIanaTimezone(value: unknown): string {
  let known = typeof value === "string";
  try {
    if (known) new Intl.DateTimeFormat("en-US", { timeZone: value as string });
  } catch {
    known = false;
  }
  if (!known || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value as string)) {
    throw new ControlError(`ianaTimezone must be an IANA time zone such as "Asia/Tokyo", got ${JSON.stringify(value)}`);
  }
  return value as string;
}

/** A mistake in a control-API call (bad id, unknown shop...): HTTP 400 on the wire. */
export class ControlError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "ControlError";
  }
}

export interface StoreOptions {
  clock: () => number;
}

/**
 * A change in a shop that Shopify announces as a webhook topic (webhooks.ts delivers it).
 * The payload is serialised when the change happens, as Shopify does.
 */
export interface StoreEvent {
  shop: string;
  topic: string;
  payload: unknown;
  /** When the change happened, on the simulator's clock (X-Shopify-Triggered-At). */
  triggeredAt: string;
}

/** Every shop the simulator knows, plus the token index used to find a token's shop. */
export class Store {
  readonly shops = new Map<string, ShopRecord>();
  readonly tokens = new Map<string, AccessTokenRecord>();
  readonly tokenGrants: TokenGrantLogEntry[] = [];
  /** holdTokenAnswers: token endpoint answers matching this wait until released. */
  tokenAnswerHold: { shop: string | null; grants: TokenGrantLogEntry["grant"][] } | null = null;
  readonly heldTokenAnswers: (() => void)[] = [];
  tokenLifetimes: TokenLifetimes = { ...SHOPIFY_TOKEN_LIFETIMES };
  readonly ids = new IdAllocator();

  private readonly options: StoreOptions;
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  constructor(options: StoreOptions) {
    this.options = options;
  }

  /** Subscribes to the shop changes that webhooks announce; returns the unsubscribe. */
  onEvent(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Announces a change; the payload is only built when someone listens. */
  emit(shop: ShopRecord, topic: string, payload: () => unknown): void {
    if (this.listeners.size === 0) return;
    const event: StoreEvent = { shop: shop.domain, topic, payload: payload(), triggeredAt: this.nowIso() };
    for (const listener of this.listeners) listener(event);
  }

  now(): number {
    return this.options.clock();
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  reset(): void {
    this.shops.clear();
    this.tokens.clear();
    this.tokenGrants.length = 0;
    this.tokenAnswerHold = null;
    for (const release of this.heldTokenAnswers.splice(0)) release();
    this.tokenLifetimes = { ...SHOPIFY_TOKEN_LIFETIMES };
    this.ids.reset();
  }

  shop(domain: string): ShopRecord {
    const shop = this.shops.get(normaliseShopDomain(domain));
    if (!shop) throw new ControlError(`unknown shop ${domain}`, 404);
    return shop;
  }

  findShop(domain: string | null | undefined): ShopRecord | undefined {
    return domain ? this.shops.get(normaliseShopDomain(domain)) : undefined;
  }

  addShop(input: {
    domain: string;
    name: string;
    currencyCode: string;
    countryCode?: string;
    ianaTimezone?: string;
    plan: Plan;
    scopes: string[];
    installed: boolean;
  }): ShopRecord {
    const domain = normaliseShopDomain(input.domain);
    if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain)) {
      throw new ControlError(`shop must be a <name>.myshopify.com domain, got "${input.domain}"`);
    }
    if (this.shops.has(domain)) throw new ControlError(`shop ${domain} already exists`);
    if (input.countryCode !== undefined && !/^[A-Z]{2}$/.test(input.countryCode)) {
      throw new ControlError(`countryCode must be an ISO 3166-1 alpha-2 code such as "JP", got "${input.countryCode}"`);
    }
    const shop: ShopRecord = {
      __typename: "Shop",
      id: this.ids.next("Shop"),
      domain,
      name: input.name,
      currencyCode: input.currencyCode,
      countryCode: input.countryCode ?? "JP",
      ianaTimezone: checkIanaTimezone(input.ianaTimezone ?? DEFAULT_IANA_TIMEZONE),
      plan: input.plan,
      scopes: normaliseScopes(input.scopes),
      requestedScopes: normaliseScopes(input.scopes),
      installed: input.installed,
      frozen: false,
      locked: false,
      appInstallationId: this.ids.next("AppInstallation"),
      settings: { reopenSameFulfillmentOrder: false, enforceOrderAgeLimit: true, protectedCustomerData: "level1" },
      locations: new Map(),
      orders: new Map(),
      fulfillmentOrders: new Map(),
      fulfillments: new Map(),
      bucket: new LeakyBucket(PLAN_LIMITS[input.plan], this.options.clock),
    };
    this.shops.set(domain, shop);
    return shop;
  }

  addToken(record: AccessTokenRecord): void {
    if (this.tokens.has(record.token)) throw new ControlError("that access token is already installed");
    this.tokens.set(record.token, record);
  }

  /** A token that Shopify would still accept right now. */
  liveToken(token: string | null | undefined): AccessTokenRecord | undefined {
    if (!token) return undefined;
    const record = this.tokens.get(token);
    if (!record || record.revoked || record.retiredAt !== null) return undefined;
    if (record.expiresAt !== null && record.expiresAt <= this.now()) return undefined;
    // Public apps' non-expiring offline tokens stop working on 2027-01-01.
    if (record.kind === "offline" && record.expiresAt === null && this.now() >= NON_EXPIRING_CUTOFF) return undefined;
    const shop = this.shops.get(record.shop);
    if (!shop || !shop.installed) return undefined;
    return record;
  }

  /** The first use of a refreshed pair retires the pair it replaced. */
  markTokenUsed(record: AccessTokenRecord): void {
    if (record.firstUsedAt !== null) return;
    record.firstUsedAt = this.now();
    const predecessor = record.predecessor ? this.tokens.get(record.predecessor) : undefined;
    if (predecessor && predecessor.retiredAt === null) predecessor.retiredAt = this.now();
  }

  /** A new acquisition (token exchange, migration) replaces the shop's offline tokens. */
  revokeOfflineTokens(shopDomain: string): void {
    for (const record of this.tokens.values()) {
      if (record.shop === shopDomain && record.kind === "offline") record.revoked = true;
    }
  }

  revokeTokens(shopDomain: string, token?: string): number {
    let count = 0;
    for (const record of this.tokens.values()) {
      if (record.shop !== shopDomain || record.revoked) continue;
      if (token && record.token !== token) continue;
      record.revoked = true;
      count += 1;
    }
    return count;
  }
}

export function normaliseShopDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/\/.*$/, "");
}

export function normaliseScopes(scopes: string[]): string[] {
  return [...new Set(scopes.map((scope) => scope.trim()).filter(Boolean))].sort();
}

/**
 * Whether granted scopes cover `scope`. A write scope implies its read scope, as on
 * Shopify (write_orders grants read_orders).
 */
export function hasScope(granted: readonly string[], scope: string): boolean {
  if (granted.includes(scope)) return true;
  return scope.startsWith("read_") && granted.includes(`write_${scope.slice("read_".length)}`);
}

// ---------------------------------------------------------------------------------------
// Lookups and derived values shared by resolvers, rules and snapshots.

export function lineItemOf(shop: ShopRecord, lineItemId: string): LineItemRecord | undefined {
  for (const order of shop.orders.values()) {
    const line = order.lineItems.find((candidate) => candidate.id === lineItemId);
    if (line) return line;
  }
  return undefined;
}

export function fulfillmentOrdersOf(shop: ShopRecord, order: OrderRecord): FulfillmentOrderRecord[] {
  return order.fulfillmentOrderIds.map((id) => shop.fulfillmentOrders.get(id)!);
}

export function fulfillmentsOf(shop: ShopRecord, order: OrderRecord): FulfillmentRecord[] {
  return order.fulfillmentIds.map((id) => shop.fulfillments.get(id)!);
}

export function findFulfillmentOrderLine(
  shop: ShopRecord,
  lineId: string,
): FulfillmentOrderLineRecord | undefined {
  for (const fulfillmentOrder of shop.fulfillmentOrders.values()) {
    const line = fulfillmentOrder.lines.find((candidate) => candidate.id === lineId);
    if (line) return line;
  }
  return undefined;
}

export function findFulfillmentLine(shop: ShopRecord, lineId: string): FulfillmentLineRecord | undefined {
  for (const fulfillment of shop.fulfillments.values()) {
    const line = fulfillment.lines.find((candidate) => candidate.id === lineId);
    if (line) return line;
  }
  return undefined;
}

/** Units of an order line in fulfillments that still count (not cancelled). */
export function fulfilledQuantity(shop: ShopRecord, lineItem: LineItemRecord): number {
  const order = shop.orders.get(lineItem.orderId)!;
  let total = 0;
  for (const fulfillment of fulfillmentsOf(shop, order)) {
    if (fulfillment.status !== "SUCCESS") continue;
    for (const line of fulfillment.lines) if (line.lineItemId === lineItem.id) total += line.quantity;
  }
  return total;
}

/**
 * Order.displayFulfillmentStatus, derived the way the admin shows it: by units fulfilled,
 * and when none are, by what blocks the remaining ones.
 */
export function displayFulfillmentStatus(shop: ShopRecord, order: OrderRecord): string {
  const ordered = order.lineItems.reduce((sum, line) => sum + line.quantity, 0);
  if (ordered === 0) return "FULFILLMENT_NOT_REQUIRED";
  const fulfilled = order.lineItems.reduce((sum, line) => sum + fulfilledQuantity(shop, line), 0);
  if (fulfilled >= ordered) return "FULFILLED";
  if (fulfilled > 0) return "PARTIALLY_FULFILLED";
  const waiting = fulfillmentOrdersOf(shop, order).filter((fo) =>
    fo.lines.some((line) => line.remainingQuantity > 0) && fo.status !== "CANCELLED" && fo.status !== "CLOSED",
  );
  if (waiting.length > 0 && waiting.every((fo) => fo.status === "ON_HOLD")) return "ON_HOLD";
  if (waiting.length > 0 && waiting.every((fo) => fo.status === "SCHEDULED")) return "SCHEDULED";
  return "UNFULFILLED";
}

/**
 * FulfillmentOrder.supportedActions for an FO at a merchant-managed location, by status.
 * What the app reads to decide whether a create can be attempted.
 */
export function supportedActions(fulfillmentOrder: FulfillmentOrderRecord, location?: LocationRecord): string[] {
  const remaining = fulfillmentOrder.lines.some((line) => line.remainingQuantity > 0);
  switch (fulfillmentOrder.status) {
    case "OPEN":
      return remaining
        ? [
            ...(location?.fulfillmentService ? ["REQUEST_FULFILLMENT"] : []),
            "CREATE_FULFILLMENT",
            "REPORT_PROGRESS",
            "MOVE",
            "HOLD",
            "SPLIT",
          ]
        : [];
    case "IN_PROGRESS":
      return remaining ? ["CREATE_FULFILLMENT", "MOVE", "HOLD", "SPLIT"] : [];
    case "ON_HOLD":
      return ["RELEASE_HOLD", "HOLD", "MOVE"];
    case "SCHEDULED":
      return ["MARK_AS_OPEN"];
    default:
      return [];
  }
}
