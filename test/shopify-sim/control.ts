import { PLAN_LIMITS, type Plan, type ThrottleStatus } from "./bucket";
import { sessionTokenClaims, signSessionToken } from "./auth";
import { issueExpiringPair, issueToken } from "./tokens";
import type { FaultInjector, FaultLogEntry, FaultRule, FaultRuleInput } from "./faults";
import { appUninstalled, orderChanged, scopesUpdated, shopChanged } from "./events";
import {
  addFulfillmentOrder,
  cancelFulfillment,
  changeFulfillmentOrder,
  createFulfillment,
  fulfillmentsByFulfillmentOrderLine,
  releaseDueFulfillmentOrders,
  setOrderState,
  updateTracking,
  type FulfillmentInput,
  type FulfillmentOrderChange,
  type TrackingInput,
} from "./fulfillment";
import {
  checkIanaTimezone,
  ControlError,
  displayFulfillmentStatus,
  fulfillmentOrdersOf,
  fulfillmentsOf,
  normaliseScopes,
  normaliseShopDomain,
  supportedActions,
  type FulfillmentOrderRecord,
  type FulfillmentRecord,
  type OrderRecord,
  type ShopRecord,
  type LocationAddress,
  type ShopSettings,
  type Store,
  type TokenGrantLogEntry,
  type TokenLifetimes,
} from "./store";
import type { WebhookConfig, WebhookDeliveryRecord, WebhookDispatcher } from "./webhooks";

/**
 * The simulator's control API: everything a test or the demo does to set the scene
 * (shops, tokens, scopes, orders, FO states, faults) and to look behind the curtain
 * (store contents, fault log, request log with costs). The same operations are served
 * as JSON over HTTP at `POST /_simulator/<operation>` (see CONTROL_OPERATIONS) and, for
 * other processes, wrapped by the typed client in client.ts.
 *
 * Every operation takes at most one plain-object argument and returns plain JSON.
 */

export interface CreateShopInput {
  /** `<name>.myshopify.com`. */
  shop: string;
  name?: string;
  /** Decides the rate-limit bucket. Default standard. */
  plan?: Plan;
  /** Scopes granted to the app. Default: what a fulfillment app asks for (DEFAULT_SCOPES). */
  scopes?: string[];
  currencyCode?: string;
  /** The shop's address country (Shop.shopAddress.countryCodeV2). Default JP. */
  countryCode?: string;
  /** The shop's time zone (Shop.ianaTimezone), an IANA name. Default Asia/Tokyo. */
  ianaTimezone?: string;
  /** Default: one merchant-managed location named "Shop location". */
  locations?: { id?: string; name: string; fulfillmentService?: boolean; address?: Partial<LocationAddress> }[];
  /** Whether the app is installed. Default true. */
  installed?: boolean;
  /** An offline access token to install right away. */
  token?: string;
  settings?: Partial<ShopSettings>;
}

export const DEFAULT_SCOPES = [
  "read_orders",
  "read_merchant_managed_fulfillment_orders",
  "write_merchant_managed_fulfillment_orders",
];

export interface CreateOrderInput {
  shop: string;
  id?: string;
  name?: string;
  createdAt?: string;
  /** Applied after the order (and its FOs) exist. Default open. */
  state?: "open" | "closed" | "cancelled";
  lines: { id?: string; sku?: string | null; title: string; quantity: number; vendor?: string | null }[];
  /**
   * Which lines sit at which location. Each order line's quantity must be spread over its
   * FOs exactly. Default: one OPEN FO at the shop's first location holding every line.
   * FO lines name their order line by `lineItemId` or by `lineIndex` (into `lines`).
   */
  fulfillmentOrders?: {
    id?: string;
    locationId: string;
    status?: "OPEN" | "ON_HOLD" | "SCHEDULED";
    fulfillAt?: string;
    lines: { id?: string; lineItemId?: string; lineIndex?: number; quantity: number }[];
  }[];
}

export interface SeedFulfillmentInput {
  shop: string;
  orderId: string;
  /** The fulfillment's id in the real shop (a gid); generated when omitted. */
  id?: string;
  createdAt?: string;
  /** Order lines and units; they are taken from the order's FOs that still hold them. */
  lines: { lineItemId: string; quantity: number }[];
  trackingInfo?: TrackingInput;
  notifyCustomer?: boolean;
}

export interface RequestLogEntry {
  id: number;
  at: string;
  shop: string | null;
  operationName: string | null;
  rootFields: string[];
  /** HTTP status sent, or what happened to the connection instead. */
  outcome: number | "dropped" | "hung";
  requestedQueryCost: number | null;
  actualQueryCost: number | null;
  throttled: boolean;
  faultLatencyMs: number;
  /** The bucket after the request. */
  throttleStatus: ThrottleStatus | null;
}

export interface ShopSnapshot {
  shop: string;
  id: string;
  name: string;
  currencyCode: string;
  ianaTimezone: string;
  plan: Plan;
  scopes: string[];
  installed: boolean;
  frozen: boolean;
  locked: boolean;
  settings: ShopSettings;
  throttleStatus: ThrottleStatus;
  locations: { id: string; name: string; fulfillmentService: boolean }[];
  /** Live tokens only. */
  tokens: { token: string; kind: "offline" | "online"; expiresAt: string | null; refreshTokenExpiresAt: string | null }[];
  orders: OrderSnapshot[];
}

export interface OrderSnapshot {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  cancelledAt: string | null;
  displayFulfillmentStatus: string;
  lineItems: { id: string; sku: string | null; title: string; vendor: string | null; quantity: number }[];
  fulfillmentOrders: {
    id: string;
    status: string;
    locationId: string;
    locationName: string;
    fulfillAt: string | null;
    supportedActions: string[];
    movedAway: boolean;
    lines: { id: string; lineItemId: string; totalQuantity: number; remainingQuantity: number }[];
  }[];
  fulfillments: {
    id: string;
    name: string;
    status: string;
    locationId: string;
    createdAt: string;
    updatedAt: string;
    trackingInfo: { company: string | null; number: string | null; url: string | null }[];
    lines: { id: string; lineItemId: string; fulfillmentOrderId: string; fulfillmentOrderLineId: string; quantity: number }[];
  }[];
  /** FO line id → the fulfillments that took units from it. */
  fulfillmentsByFulfillmentOrderLine: Record<string, { fulfillmentId: string; status: string; quantity: number }[]>;
}

export interface ControlDependencies {
  store: Store;
  webhooks?: WebhookDispatcher;
  faults: FaultInjector;
  requestLog: RequestLogEntry[];
  apiKey: string;
  apiSecret: string;
  randomHex: (bytes: number) => string;
  /** Moves the simulator's clock (on top of the injected clock, if any). */
  advanceClock: (ms: number) => void;
  /** Restarts the fault PRNG; a new seed when given. */
  reseed: (seed?: number) => void;
}

export class Control {
  private readonly deps: ControlDependencies;

  constructor(deps: ControlDependencies) {
    this.deps = deps;
  }

  /** Forgets every shop, token, fault rule and log entry. */
  reset(input: { seed?: number } = {}): { ok: true } {
    this.deps.store.reset();
    this.deps.reseed(input.seed);
    this.deps.requestLog.length = 0;
    return { ok: true };
  }

  createShop(input: CreateShopInput): ShopSnapshot {
    const { store } = this.deps;
    const shop = store.addShop({
      domain: input.shop,
      name: input.name ?? input.shop.split(".")[0],
      currencyCode: input.currencyCode ?? "JPY",
      countryCode: input.countryCode,
      ianaTimezone: input.ianaTimezone,
      plan: checkPlan(input.plan ?? "standard"),
      scopes: input.scopes ?? DEFAULT_SCOPES,
      installed: input.installed ?? true,
    });
    Object.assign(shop.settings, input.settings ?? {});
    const locations = input.locations ?? [{ name: "Shop location" }];
    if (locations.length === 0) throw new ControlError("a shop needs at least one location");
    for (const location of locations) {
      const id = store.ids.take("Location", location.id);
      shop.locations.set(id, {
        __typename: "Location",
        id,
        name: location.name,
        fulfillmentService: location.fulfillmentService ?? false,
        address: {
          address1: null,
          address2: null,
          city: null,
          province: null,
          zip: null,
          countryCode: "JP",
          ...location.address,
        },
      });
    }
    if (input.token) this.installToken({ shop: shop.domain, token: input.token });
    return this.getShop({ shop: shop.domain });
  }

  /**
   * Installs an access token for the shop's app: offline and non-expiring unless said
   * otherwise; `expiring: true` gives an expiring offline pair with the simulator's
   * lifetimes, as token exchange with expiring=1 would.
   */
  installToken(input: {
    shop: string;
    token?: string;
    kind?: "offline" | "online";
    expiresInSeconds?: number;
    expiring?: boolean;
  }): { token: string; refreshToken: string | null; expiresAt: string | null; refreshTokenExpiresAt: string | null } {
    const shop = this.deps.store.shop(input.shop);
    const config = { randomHex: this.deps.randomHex };
    const record =
      input.expiring && (input.kind ?? "offline") === "offline"
        ? issueExpiringPair(this.deps.store, config, shop.domain, "installed", input.token)
        : issueToken(this.deps.store, config, shop.domain, input.kind ?? "offline", input.expiresInSeconds ?? null, null, input.token);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      token: record.token,
      refreshToken: record.refreshToken,
      expiresAt: iso(record.expiresAt),
      refreshTokenExpiresAt: iso(record.refreshTokenExpiresAt),
    };
  }

  /**
   * Lifetimes of expiring offline tokens issued from now on (Shopify: 3600 s access,
   * 90 days refresh). Tests shorten them to seconds.
   */
  setTokenLifetimes(input: Partial<TokenLifetimes>): TokenLifetimes {
    for (const key of ["offlineAccessSeconds", "refreshSeconds"] as const) {
      const value = input[key];
      if (value === undefined) continue;
      if (!(typeof value === "number" && value > 0)) throw new ControlError(`${key} must be a positive number of seconds`);
      this.deps.store.tokenLifetimes[key] = value;
    }
    return { ...this.deps.store.tokenLifetimes };
  }

  /** Every request to the token endpoint (exchange, migration, refresh), oldest first. */
  tokenGrants(input: { shop?: string } = {}): TokenGrantLogEntry[] {
    const shop = input.shop ? normaliseShopDomain(input.shop) : undefined;
    return this.deps.store.tokenGrants.filter((entry) => !shop || entry.shop === shop).map((entry) => ({ ...entry }));
  }

  /**
   * From now on, token endpoint requests of these grants (for the shop, or any) are
   * carried out but their answers wait until releaseTokenAnswers: the window in which a
   * caller has changed Shopify's tokens without having heard about it.
   */
  holdTokenAnswers(input: { shop?: string; grants?: TokenGrantLogEntry["grant"][] } = {}): { ok: true } {
    this.deps.store.tokenAnswerHold = {
      shop: input.shop ? normaliseShopDomain(input.shop) : null,
      grants: input.grants ?? ["refresh_token", "migration", "token_exchange"],
    };
    return { ok: true };
  }

  /** Stops holding and sends every held answer. */
  releaseTokenAnswers(): { released: number } {
    this.deps.store.tokenAnswerHold = null;
    const held = this.deps.store.heldTokenAnswers.splice(0);
    for (const release of held) release();
    return { released: held.length };
  }

  /** Revokes one token, or all of the shop's. */
  revokeTokens(input: { shop: string; token?: string }): { revoked: number } {
    const shop = this.deps.store.shop(input.shop);
    return { revoked: this.deps.store.revokeTokens(shop.domain, input.token) };
  }

  /** The merchant uninstalls the app: tokens die, token exchange is refused. */
  uninstallApp(input: { shop: string }): { revoked: number } {
    const shop = this.deps.store.shop(input.shop);
    shop.installed = false;
    const revoked = this.deps.store.revokeTokens(shop.domain);
    appUninstalled(this.deps.store, shop);
    return { revoked };
  }

  /** The merchant (re)installs the app, optionally granting a different set of scopes. */
  installApp(input: { shop: string; scopes?: string[] }): { ok: true } {
    const shop = this.deps.store.shop(input.shop);
    shop.installed = true;
    if (input.scopes) {
      const previous = shop.scopes;
      shop.scopes = normaliseScopes(input.scopes);
      scopesUpdated(this.deps.store, shop, previous, shop.scopes);
    }
    return { ok: true };
  }

  /** Replaces the app's granted scopes; every token of the shop carries them from now on. */
  setScopes(input: { shop: string; scopes: string[] }): { scopes: string[] } {
    const shop = this.deps.store.shop(input.shop);
    const previous = shop.scopes;
    shop.scopes = normaliseScopes(input.scopes);
    scopesUpdated(this.deps.store, shop, previous, shop.scopes);
    return { scopes: shop.scopes };
  }

  setPlan(input: { shop: string; plan: Plan }): { throttleStatus: ThrottleStatus } {
    const shop = this.deps.store.shop(input.shop);
    shop.plan = checkPlan(input.plan);
    shop.bucket.setLimits(PLAN_LIMITS[shop.plan]);
    return { throttleStatus: shop.bucket.status() };
  }

  /** Freezes (402) or locks (423) the shop, or lifts either. */
  setShopAvailability(input: { shop: string; frozen?: boolean; locked?: boolean }): { frozen: boolean; locked: boolean } {
    const shop = this.deps.store.shop(input.shop);
    if (input.frozen !== undefined) shop.frozen = input.frozen;
    if (input.locked !== undefined) shop.locked = input.locked;
    return { frozen: shop.frozen, locked: shop.locked };
  }

  /** Sets how many points the shop's bucket holds right now. */
  setBucket(input: { shop: string; currentlyAvailable: number }): { throttleStatus: ThrottleStatus } {
    const shop = this.deps.store.shop(input.shop);
    shop.bucket.setAvailable(input.currentlyAvailable);
    return { throttleStatus: shop.bucket.status() };
  }

  /** The merchant changes the shop's address country (Shop.shopAddress.countryCodeV2). */
  setShopCountry(input: { shop: string; countryCode: string }): { countryCode: string } {
    const shop = this.deps.store.shop(input.shop);
    if (!/^[A-Z]{2}$/.test(input.countryCode)) throw new ControlError("countryCode must be like JP");
    shop.countryCode = input.countryCode;
    return { countryCode: shop.countryCode };
  }

  /**
   * The merchant changes the shop's time zone in Shopify admin (Shop.ianaTimezone). No
   * webhook is fired: the simulator does not model shop/update (nor does the app subscribe).
   */
  setShopTimeZone(input: { shop: string; ianaTimezone: string }): { ianaTimezone: string } {
    const shop = this.deps.store.shop(input.shop);
    const zone = checkIanaTimezone(input.ianaTimezone);
    if (zone !== shop.ianaTimezone) {
      shop.ianaTimezone = zone;
      shopChanged(this.deps.store, shop);
    }
    return { ianaTimezone: shop.ianaTimezone };
  }

  setSettings(input: { shop: string } & Partial<ShopSettings>): ShopSettings {
    const shop = this.deps.store.shop(input.shop);
    if (input.reopenSameFulfillmentOrder !== undefined) {
      shop.settings.reopenSameFulfillmentOrder = input.reopenSameFulfillmentOrder;
    }
    if (input.enforceOrderAgeLimit !== undefined) shop.settings.enforceOrderAgeLimit = input.enforceOrderAgeLimit;
    if (input.protectedCustomerData !== undefined) {
      // The app's protected customer data approval: "none" withholds it (Order data refused).
      if (!["none", "level1", "level2"].includes(input.protectedCustomerData)) {
        throw new ControlError(`protectedCustomerData must be none, level1 or level2, got "${String(input.protectedCustomerData)}"`);
      }
      shop.settings.protectedCustomerData = input.protectedCustomerData;
    }
    return { ...shop.settings };
  }

  createOrder(input: CreateOrderInput): OrderSnapshot {
    const { store } = this.deps;
    const shop = store.shop(input.shop);
    if (input.lines.length === 0) throw new ControlError("an order needs at least one line");
    const id = store.ids.take("Order", input.id);
    const createdAt = input.createdAt ?? store.nowIso();
    const order: OrderRecord = {
      __typename: "Order",
      id,
      name: input.name ?? `#${1000 + shop.orders.size + 1}`,
      createdAt,
      updatedAt: createdAt,
      closedAt: null,
      cancelledAt: null,
      lineItems: input.lines.map((line) => {
        if (!(Number.isInteger(line.quantity) && line.quantity > 0)) {
          throw new ControlError(`order line quantity must be a positive integer, got ${line.quantity}`);
        }
        return {
          __typename: "LineItem" as const,
          id: store.ids.take("LineItem", line.id),
          orderId: id,
          sku: line.sku ?? null,
          title: line.title,
          vendor: line.vendor ?? null,
          quantity: line.quantity,
        };
      }),
      fulfillmentOrderIds: [],
      fulfillmentIds: [],
    };
    shop.orders.set(id, order);
    try {
      const plans: NonNullable<CreateOrderInput["fulfillmentOrders"]> = input.fulfillmentOrders ?? [
        {
          locationId: [...shop.locations.keys()][0],
          lines: order.lineItems.map((line) => ({ lineItemId: line.id, quantity: line.quantity })),
        },
      ];
      const assigned = new Map<string, number>();
      for (const plan of plans) {
        const lines = plan.lines.map((line) => {
          const lineItemId =
            line.lineItemId ?? (line.lineIndex !== undefined ? order.lineItems[line.lineIndex]?.id : undefined);
          if (!lineItemId) throw new ControlError("each fulfillment order line needs a lineItemId or a valid lineIndex");
          assigned.set(lineItemId, (assigned.get(lineItemId) ?? 0) + line.quantity);
          return { id: line.id, lineItemId, quantity: line.quantity };
        });
        addFulfillmentOrder(store, shop, order, {
          id: plan.id,
          locationId: plan.locationId,
          status: plan.status ?? "OPEN",
          fulfillAt: plan.fulfillAt,
          lines,
        });
      }
      for (const line of order.lineItems) {
        if ((assigned.get(line.id) ?? 0) !== line.quantity) {
          throw new ControlError(
            `line ${line.id} has quantity ${line.quantity} but its fulfillment orders hold ${assigned.get(line.id) ?? 0}`,
          );
        }
      }
    } catch (error) {
      // A half-built order would be a state Shopify can never be in.
      for (const foId of order.fulfillmentOrderIds) shop.fulfillmentOrders.delete(foId);
      shop.orders.delete(id);
      throw error;
    }
    orderChanged(store, shop, order, "orders/create");
    if (input.state && input.state !== "open") setOrderState(store, shop, id, input.state);
    return this.getOrder({ shop: shop.domain, orderId: id });
  }

  /** Closes (archives), cancels or reopens an order. */
  setOrderState(input: { shop: string; orderId: string; state: "open" | "closed" | "cancelled" }): OrderSnapshot {
    const shop = this.deps.store.shop(input.shop);
    setOrderState(this.deps.store, shop, input.orderId, input.state);
    return this.getOrder({ shop: shop.domain, orderId: input.orderId });
  }

  /** Merchant-side FO change: hold, release, schedule, open, close, cancel, move. */
  changeFulfillmentOrder(
    input: { shop: string; fulfillmentOrderId: string } & FulfillmentOrderChange,
  ): { fulfillmentOrderId: string; status: string; locationId: string } {
    const { shop: domain, fulfillmentOrderId, ...change } = input;
    const shop = this.deps.store.shop(domain);
    const result = changeFulfillmentOrder(this.deps.store, shop, fulfillmentOrderId, change as FulfillmentOrderChange);
    return { fulfillmentOrderId: result.id, status: result.status, locationId: result.locationId };
  }

  /** "In Shopify admin": the merchant cancels a fulfillment (fulfillmentCancel's rules). */
  cancelFulfillment(input: { shop: string; fulfillmentId: string }): OrderSnapshot {
    const shop = this.deps.store.shop(input.shop);
    const result = cancelFulfillment(this.deps.store, shop, input.fulfillmentId, {
      reopenSameFulfillmentOrder: shop.settings.reopenSameFulfillmentOrder,
    });
    if (!result.fulfillment) throw new ControlError(result.userErrors.map((error) => error.message).join(" "));
    return this.getOrder({ shop: shop.domain, orderId: result.fulfillment.orderId });
  }

  /** "In Shopify admin": the merchant edits a fulfillment's tracking. */
  updateFulfillmentTracking(input: {
    shop: string;
    fulfillmentId: string;
    tracking: TrackingInput;
    notifyCustomer?: boolean;
  }): OrderSnapshot {
    const shop = this.deps.store.shop(input.shop);
    const result = updateTracking(this.deps.store, shop, input.fulfillmentId, input.tracking, input.notifyCustomer);
    if (!result.fulfillment) throw new ControlError(result.userErrors.map((error) => error.message).join(" "));
    return this.getOrder({ shop: shop.domain, orderId: result.fulfillment.orderId });
  }

  /** Opens every scheduled FO whose fulfillAt has come (also done by advanceClock). */
  releaseDueFulfillmentOrders(input: { shop?: string } = {}): { opened: string[] } {
    const shops = input.shop ? [this.deps.store.shop(input.shop)] : [...this.deps.store.shops.values()];
    return { opened: shops.flatMap((shop) => releaseDueFulfillmentOrders(this.deps.store, shop).map((fo) => fo.id)) };
  }

  /** Starts delivering webhooks to the app (webhooks.ts). */
  configureWebhooks(input: WebhookConfig): { subscribedTopics: string[] } {
    if (!this.deps.webhooks) throw new ControlError("this simulator has no webhook dispatcher");
    return this.deps.webhooks.configure(input);
  }

  /** Every webhook delivery made so far, with its attempts. */
  webhookDeliveries(input: { shop?: string; topic?: string } = {}): WebhookDeliveryRecord[] {
    return this.deps.webhooks?.deliveries(input) ?? [];
  }

  /**
   * Records a fulfillment that already exists in the shop (e.g. shipped and synced before
   * the demo starts), through the same rules as fulfillmentCreate.
   */
  seedFulfillment(input: SeedFulfillmentInput): OrderSnapshot {
    const { store } = this.deps;
    const shop = store.shop(input.shop);
    const order = shop.orders.get(input.orderId);
    if (!order) throw new ControlError(`unknown order ${input.orderId} on ${shop.domain}`);
    const groups = new Map<string, { id: string; quantity: number }[]>();
    for (const wanted of input.lines) {
      let missing = wanted.quantity;
      for (const fulfillmentOrder of fulfillmentOrdersOf(shop, order)) {
        if (fulfillmentOrder.status !== "OPEN" && fulfillmentOrder.status !== "IN_PROGRESS") continue;
        for (const line of fulfillmentOrder.lines) {
          if (line.lineItemId !== wanted.lineItemId || missing === 0) continue;
          const already = (groups.get(fulfillmentOrder.id) ?? [])
            .filter((entry) => entry.id === line.id)
            .reduce((sum, entry) => sum + entry.quantity, 0);
          const take = Math.min(missing, line.remainingQuantity - already);
          if (take <= 0) continue;
          groups.set(fulfillmentOrder.id, [...(groups.get(fulfillmentOrder.id) ?? []), { id: line.id, quantity: take }]);
          missing -= take;
        }
      }
      if (missing > 0) {
        throw new ControlError(
          `order ${order.id} has no fulfillable units left for ${wanted.quantity} × ${wanted.lineItemId} (missing ${missing})`,
        );
      }
    }
    const fulfillmentInput: FulfillmentInput = {
      lineItemsByFulfillmentOrder: [...groups].map(([fulfillmentOrderId, items]) => ({
        fulfillmentOrderId,
        fulfillmentOrderLineItems: items,
      })),
      trackingInfo: input.trackingInfo,
      notifyCustomer: input.notifyCustomer,
    };
    const result = createFulfillment(store, shop, fulfillmentInput, { id: input.id, createdAt: input.createdAt });
    if (!result.fulfillment) {
      throw new ControlError(`fulfillment rejected: ${result.userErrors.map((error) => error.message).join(" ")}`);
    }
    return this.getOrder({ shop: shop.domain, orderId: order.id });
  }

  injectFault(input: FaultRuleInput): FaultRule {
    try {
      return this.deps.faults.add(input);
    } catch (error) {
      throw new ControlError(error instanceof Error ? error.message : String(error));
    }
  }

  clearFaults(input: { shop?: string; id?: string } = {}): { removed: number } {
    return { removed: this.deps.faults.clear(input) };
  }

  listFaults(): FaultRule[] {
    return this.deps.faults.listRules();
  }

  faultLog(): FaultLogEntry[] {
    return this.deps.faults.log();
  }

  requestLog(input: { shop?: string } = {}): RequestLogEntry[] {
    const shop = input.shop ? normaliseShopDomain(input.shop) : undefined;
    return this.deps.requestLog.filter((entry) => !shop || entry.shop === shop).map((entry) => ({ ...entry }));
  }

  /** Moves the simulator's clock forward (bucket refills, token expiry, fulfillAt). */
  advanceClock(input: { ms: number }): { now: string } {
    if (!(input.ms >= 0)) throw new ControlError("advanceClock takes a non-negative ms");
    this.deps.advanceClock(input.ms);
    this.releaseDueFulfillmentOrders();
    return { now: this.deps.store.nowIso() };
  }

  now(): { now: string } {
    return { now: this.deps.store.nowIso() };
  }

  /**
   * A session token (App Bridge id token) for the shop, signed with the app secret the
   * simulator was configured with — what Shopify admin would hand the embedded app.
   */
  sessionToken(input: { shop: string; userId?: string }): { sessionToken: string } {
    const shop = this.deps.store.shop(input.shop);
    const claims = sessionTokenClaims(shop.domain, this.deps.apiKey, this.deps.store.now(), input.userId);
    return { sessionToken: signSessionToken(claims, this.deps.apiSecret) };
  }

  getShop(input: { shop: string }): ShopSnapshot {
    const { store } = this.deps;
    const shop = store.shop(input.shop);
    return {
      shop: shop.domain,
      id: shop.id,
      name: shop.name,
      currencyCode: shop.currencyCode,
      ianaTimezone: shop.ianaTimezone,
      plan: shop.plan,
      scopes: [...shop.scopes],
      installed: shop.installed,
      frozen: shop.frozen,
      locked: shop.locked,
      settings: { ...shop.settings },
      throttleStatus: shop.bucket.status(),
      locations: [...shop.locations.values()].map(({ id, name, fulfillmentService }) => ({ id, name, fulfillmentService })),
      tokens: [...store.tokens.values()]
        .filter((record) => record.shop === shop.domain && store.liveToken(record.token))
        .map((record) => ({
          token: record.token,
          kind: record.kind,
          expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
          refreshTokenExpiresAt:
            record.refreshTokenExpiresAt === null ? null : new Date(record.refreshTokenExpiresAt).toISOString(),
        })),
      orders: [...shop.orders.values()].map((order) => snapshotOrder(shop, order)),
    };
  }

  getOrder(input: { shop: string; orderId: string }): OrderSnapshot {
    const shop = this.deps.store.shop(input.shop);
    const order = shop.orders.get(input.orderId);
    if (!order) throw new ControlError(`unknown order ${input.orderId} on ${shop.domain}`, 404);
    return snapshotOrder(shop, order);
  }

  listShops(): { shops: string[] } {
    return { shops: [...this.deps.store.shops.keys()] };
  }
}

function checkPlan(plan: string): Plan {
  if (!(plan in PLAN_LIMITS)) throw new ControlError(`plan must be one of ${Object.keys(PLAN_LIMITS).join(", ")}`);
  return plan as Plan;
}

function snapshotFulfillmentOrder(shop: ShopRecord, fulfillmentOrder: FulfillmentOrderRecord) {
  return {
    id: fulfillmentOrder.id,
    status: fulfillmentOrder.status,
    locationId: fulfillmentOrder.locationId,
    locationName: fulfillmentOrder.locationName,
    fulfillAt: fulfillmentOrder.fulfillAt,
    supportedActions: supportedActions(fulfillmentOrder, shop.locations.get(fulfillmentOrder.locationId)),
    movedAway: fulfillmentOrder.movedAway,
    lines: fulfillmentOrder.lines.map(({ id, lineItemId, totalQuantity, remainingQuantity }) => ({
      id,
      lineItemId,
      totalQuantity,
      remainingQuantity,
    })),
  };
}

function snapshotFulfillment(fulfillment: FulfillmentRecord) {
  return {
    id: fulfillment.id,
    name: fulfillment.name,
    status: fulfillment.status,
    locationId: fulfillment.locationId,
    createdAt: fulfillment.createdAt,
    updatedAt: fulfillment.updatedAt,
    trackingInfo: fulfillment.tracking.map((tracking) => ({ ...tracking })),
    lines: fulfillment.lines.map(({ id, lineItemId, fulfillmentOrderId, fulfillmentOrderLineId, quantity }) => ({
      id,
      lineItemId,
      fulfillmentOrderId,
      fulfillmentOrderLineId,
      quantity,
    })),
  };
}

export function snapshotOrder(shop: ShopRecord, order: OrderRecord): OrderSnapshot {
  return {
    id: order.id,
    name: order.name,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    closedAt: order.closedAt,
    cancelledAt: order.cancelledAt,
    displayFulfillmentStatus: displayFulfillmentStatus(shop, order),
    lineItems: order.lineItems.map(({ id, sku, title, vendor, quantity }) => ({ id, sku, title, vendor, quantity })),
    fulfillmentOrders: fulfillmentOrdersOf(shop, order).map((fo) => snapshotFulfillmentOrder(shop, fo)),
    fulfillments: fulfillmentsOf(shop, order).map(snapshotFulfillment),
    fulfillmentsByFulfillmentOrderLine: fulfillmentsByFulfillmentOrderLine(shop, order),
  };
}

/** Operation names served over HTTP; GET is allowed for the read-only ones. */
export const CONTROL_OPERATIONS = [
  "reset",
  "createShop",
  "installToken",
  "setTokenLifetimes",
  "tokenGrants",
  "holdTokenAnswers",
  "releaseTokenAnswers",
  "revokeTokens",
  "uninstallApp",
  "installApp",
  "setScopes",
  "setPlan",
  "setShopAvailability",
  "setBucket",
  "setSettings",
  "setShopCountry",
  "setShopTimeZone",
  "createOrder",
  "setOrderState",
  "changeFulfillmentOrder",
  "seedFulfillment",
  "cancelFulfillment",
  "updateFulfillmentTracking",
  "releaseDueFulfillmentOrders",
  "configureWebhooks",
  "webhookDeliveries",
  "injectFault",
  "clearFaults",
  "listFaults",
  "faultLog",
  "requestLog",
  "advanceClock",
  "now",
  "sessionToken",
  "getShop",
  "getOrder",
  "listShops",
] as const satisfies readonly (keyof Control)[];

export type ControlOperation = (typeof CONTROL_OPERATIONS)[number];

export const READ_ONLY_OPERATIONS: readonly ControlOperation[] = [
  "tokenGrants",
  "listFaults",
  "faultLog",
  "requestLog",
  "webhookDeliveries",
  "now",
  "getShop",
  "getOrder",
  "listShops",
];

export function isControlOperation(name: string): name is ControlOperation {
  return (CONTROL_OPERATIONS as readonly string[]).includes(name);
}
