import { tryRunLock } from "~/db/run-lock.server";
import type { Pool } from "pg";
import {
  adminGraphql,
  DEFAULT_TIMEOUT_MS,
  type AdminApiSession,
  type AdminGraphqlResult,
  type QueryCost,
} from "~/shopify/admin-graphql.server";
import {
  FULFILLMENT_CANCEL_MUTATION,
  FULFILLMENT_CREATE_MUTATION,
  FULFILLMENT_QUERY,
  FULFILLMENT_ORDER_LINES_PAGE_QUERY,
  FULFILLMENT_TRACKING_UPDATE_MUTATION,
  ORDER_FULFILLMENT_ORDERS_PAGE_QUERY,
  ORDER_FULFILLMENT_ORDER_LINES_QUERY,
  ORDER_FULFILLMENT_ORDERS_QUERY,
  ORDER_FULFILLMENTS_QUERY,
} from "~/shopify/documents";
import type { AdminDocument, AnswerOf, VariablesOf } from "~/shopify/admin-operations";
import {
  answeredCreateSince,
  finishAttempt,
  markOrphanedAttemptsUnknown,
  openAttempt,
  settleUnknownAttempts,
  unansweredCreateInFlightMs,
  unknownCreatesSince,
  type CallOperation,
} from "~/fulfillment/attempt-log.server";
import { storedShopCountryCode } from "~/shops/shop-country.server";
import { storedShopTimeZone } from "~/shops/shop-time-zone.server";
import { prepareTrackingInfo, type FulfillmentTrackingInput } from "~/fulfillment/carriers";
import { READ_ALL_ORDERS } from "~/shops/declared-scopes";
import { grants } from "~/fulfillment/required-access";
import {
  classifyShopifyOutcome,
  createSyncError,
  toSyncError,
  type SyncError,
  type UserErrorLike,
} from "~/fulfillment/errors";
import {
  findMatchingFulfillment,
  isDeadFulfillmentStatus,
  trackingNumberComparisonKey,
  mapShipmentToFulfillmentOrders,
  type FulfillmentOrderSnapshot,
  type MappingProblem,
  type RecordedFulfillment,
} from "~/fulfillment/mapping";
import { mappingProblemsMessage } from "~/fulfillment/messages";
import { message, t } from "~/i18n/messages";
import { decideRetry, nextRetryDelayMs } from "~/fulfillment/retry-policy";
import { sameTrackingNumbers, type Shipment, type SyncOperation } from "~/fulfillment/shipment-state";
import {
  fulfillmentIdsHeldByOthers,
  linkFulfillment,
  loadRetrySettings,
  loadShipment,
  recordShopPaused,
  recordSyncFailure,
  recordSyncSuccess,
} from "~/fulfillment/shipment-store.server";

/**
 * The sync operations: bring Shopify in step with what an operator asked for (the
 * shipment's pending_operation). Route actions call it inline with a short deadline and
 * the queue worker calls it for everything else: one code path for every attempt.
 *
 * Exactly-once without an idempotency key (fulfillmentCreate has none):
 * - a per-shipment run lock (app/db/run-lock.server.ts), held for the whole run, keeps
 *   two runs (an action and a worker) off one shipment; it dies with the connection,
 *   so a killed worker leaves no stale lock;
 * - every call is written to sync_attempts BEFORE it is sent and finished after; a row
 *   left without an outcome (a dead worker) or with outcome 'unknown' (a lost answer)
 *   makes the next run read the order's fulfillments first and adopt what it made;
 * - `revision` guards against operator changes made while a call was in flight.
 */
export interface SyncDependencies {
  pool: Pool;
  /** The shop's offline Admin API session; null when the shop has none (uninstalled). */
  loadSession(shop: string): Promise<AdminApiSession | null>;
  /** Deadline for each call to Shopify. */
  callTimeoutMs?: number;
  /**
   * How long a create sent without an answer (its run died, or timed out) may still be
   * applied by Shopify: until then a read that does not find its fulfillment does not
   * prove it never will be. Default: the call deadline plus IN_FLIGHT_MARGIN_MS.
   */
  inFlightHorizonMs?: number;
  now?: () => Date;
  random?: () => number;
  /** First retry delay before jitter and doubling (retry-policy's default: 2 s). */
  retryBaseMs?: number;
  /** Every response's cost, with the document's operation name (pacing listens here). */
  onCost?: (shop: string, cost: QueryCost, operationName: string) => void;
  /** Awaited before each call to Shopify (pacing waits here). */
  beforeCall?: (shop: string, operationName: string) => Promise<void>;
  /**
   * When given, a refused token (401) or scope (403 / ACCESS_DENIED) pauses the shop's
   * sync instead of failing the shipment: it stays pending until the shop is
   * authorized again (see ~/shops/sync-circuit.server).
   */
  pauseShop?: (shop: string, error: SyncError) => Promise<void>;
  /**
   * Fulfillment-order reads shared between runs of one order's shipments (the worker
   * passes one; see ~/sync/order-read-cache). Without it every create reads afresh.
   */
  orderReads?: {
    get(key: string, read: () => Promise<FulfillmentOrderRead>): Promise<FulfillmentOrderRead>;
    fulfilled(key: string, lines: { fulfillmentOrderId: string; fulfillmentOrderLineItems: { id: string; quantity: number }[] }[]): Promise<void>;
    invalidate(key: string): void;
  };
}

export interface FulfillmentOrderRead {
  cancelledAt: string | null;
  fulfillmentOrders: FulfillmentOrderSnapshot[];
  /**
   * False for a read of the lines alone (ORDER_FULFILLMENT_ORDER_LINES_QUERY):
   * supportedActions is assumed from the status and locations are not known.
   */
  complete: boolean;
}

export type { SyncOperation };

export type SyncOutcome =
  | {
      kind: "synced";
      operation: SyncOperation;
      fulfillmentId: string | null;
      /** A fulfillment made by an earlier attempt whose answer was lost was adopted. */
      adopted: boolean;
      /** The operator changed the shipment meanwhile (or tracking must follow): run again. */
      stillPending: boolean;
    }
  | { kind: "nothing_to_do" }
  | { kind: "busy" }
  | {
      kind: "failed";
      operation: SyncOperation;
      error: SyncError;
      /** When the next automatic attempt is due; null when an operator must act. */
      retryAt: Date | null;
      /** The shop's sync was paused (re-authorization or scopes needed). */
      paused?: boolean;
    };

/** `fulfillments(first: 25)` in ORDER_FULFILLMENTS_QUERY: a list that long may be cut short. */
const ORDER_FULFILLMENTS_LIMIT = 25;

/** Shopify shows an app only this much of a shop's order history without read_all_orders. */
const ORDER_AGE_LIMIT_MS = 60 * 86_400_000;

/** Added to the call deadline for the in-flight horizon (SyncDependencies.inFlightHorizonMs). */
const IN_FLIGHT_MARGIN_MS = 5_000;

const LOCK_NAMESPACE = 7301; // run lock (namespace, shipment id)

export async function syncShipment(
  deps: SyncDependencies,
  shop: string,
  shipmentId: number,
): Promise<SyncOutcome> {
  const lock = await tryRunLock(deps.pool, LOCK_NAMESPACE, shipmentId);
  if (!lock) return { kind: "busy" };
  try {
    // Holding the lock, any call of this shipment still without an outcome belongs to a
    // run that died (a killed worker): it may or may not have reached Shopify. (Read
    // alongside: both are done before this run records a call of its own.)
    const [, shipment] = await Promise.all([
      markOrphanedAttemptsUnknown(deps.pool, shop, shipmentId),
      loadShipment(deps.pool, shop, shipmentId),
    ]);
    if (!shipment || shipment.syncState !== "pending" || !shipment.pendingOperation) {
      return { kind: "nothing_to_do" };
    }
    return await new SyncRun(deps, shipment).execute();
  } finally {
    await lock.release();
  }
}

/** A fulfillment as Shopify answers it (FulfillmentFields: FULFILLMENT_QUERY, ORDER_FULFILLMENTS_QUERY). */
type ShopifyFulfillment = NonNullable<AnswerOf<typeof FULFILLMENT_QUERY>["fulfillment"]>;

/** One run of one shipment's pending operation. */
class SyncRun {
  private readonly now: () => Date;
  private session: AdminApiSession | null = null;

  constructor(
    private readonly deps: SyncDependencies,
    private shipment: Shipment,
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  async execute(): Promise<SyncOutcome> {
    const operation = this.shipment.pendingOperation as SyncOperation;
    try {
      this.session = await this.deps.loadSession(this.shipment.shop);
      if (!this.session) {
        throw createSyncError(
          "reauth_required",
          "No offline access token is stored for this shop (not installed, or uninstalled).",
        );
      }
      return await this.perform(operation);
    } catch (error) {
      return this.recordFailure(operation, toSyncError(error));
    }
  }

  private async perform(operation: SyncOperation): Promise<SyncOutcome> {
    await this.linkAnsweredCreate();
    switch (operation) {
      case "create_fulfillment":
        // A create the operator's later commands overtook may already have made the
        // shipment's fulfillment (linked when its answer came back): correct that one
        // rather than ask Shopify for units it has already fulfilled.
        if (this.shipment.shopifyFulfillmentId) return this.updateTracking();
        return this.createFulfillment();
      case "cancel_fulfillment":
        return this.cancelFulfillment();
      case "update_tracking":
        return this.updateTracking();
    }
  }

  /**
   * A create Shopify answered (its fulfillment recorded in sync_attempts) whose run died
   * before linking it to the shipment (a worker killed between the two writes): link it
   * now, so the run corrects or cancels that fulfillment, read first, instead of asking
   * Shopify for units it has already fulfilled or declaring a revert done.
   */
  private async linkAnsweredCreate(): Promise<void> {
    if (this.shipment.shopifyFulfillmentId) return;
    const { pool } = this.deps;
    const { shop, id } = this.shipment;
    const answered = await answeredCreateSince(pool, shop, id, this.shipment.shippedAt ?? this.shipment.createdAt);
    if (!answered || (await fulfillmentIdsHeldByOthers(pool, shop, id)).has(answered)) return;
    await linkFulfillment(pool, shop, id, answered);
    this.shipment = { ...this.shipment, shopifyFulfillmentId: answered };
  }

  // --- create ---------------------------------------------------------------------

  private async createFulfillment(): Promise<SyncOutcome> {
    const earlier = await this.earlierUnknownCreates();
    if (earlier.length > 0) {
      // An earlier create may have reached Shopify: look for its fulfillment first.
      const adopted = await this.adoptEarlierFulfillment(await this.readFulfillments(), earlier);
      if (adopted) return adopted;
      await this.notInFlight();
      await this.settleUnknownCreates(null);
    }
    this.beforeMutation();
    try {
      return await this.mapAndCreate(await this.fulfillmentOrders());
    } catch (error) {
      const classified = toSyncError(error);
      const cacheKey = this.cacheKey();
      this.deps.orderReads?.invalidate(cacheKey);
      // A shared read may have been overtaken by another fulfillment, and a read of the
      // lines alone lacks what explains a refusal: read afresh, in full, once.
      const again =
        (!this.readFresh || !this.mappedFromCompleteRead) &&
        (classified.errorClass === "invalid" || classified.errorClass === "not_found");
      if (!again) throw error;
      this.readInFull = true;
      return this.mapAndCreate(await this.fulfillmentOrders());
    }
  }

  /** Whether this run read the order itself (not a read shared by a sibling run). */
  private readFresh = false;
  private readInFull = false;
  private mappedFromCompleteRead = true;

  private cacheKey() {
    return `${this.shipment.shop}|${this.shipment.orderId}`;
  }

  private async fulfillmentOrders(): Promise<FulfillmentOrderRead> {
    const read = async () => {
      this.readFresh = true;
      return this.readFulfillmentOrders();
    };
    return this.deps.orderReads ? this.deps.orderReads.get(this.cacheKey(), read) : read();
  }

  private async mapAndCreate(order: FulfillmentOrderRead): Promise<SyncOutcome> {
    this.mappedFromCompleteRead = order.complete;
    if (order.cancelledAt) {
      const detail = message("fulfillment.problems.orderCancelled", { order: this.shipment.orderName });
      throw createSyncError("invalid", t("en", detail), {
        detail,
        invalidReason: "status",
        nextAction: "fix_input",
      });
    }
    const mapping = mapShipmentToFulfillmentOrders(
      {
        lines: this.shipment.lines.map((l) => ({
          lineItemId: l.lineItemId,
          quantity: l.quantity,
          title: l.title,
          sku: l.sku,
        })),
      },
      order.fulfillmentOrders,
    );
    if (!mapping.ok) {
      throw mappingError(mapping.problems, await storedShopTimeZone(this.deps.pool, this.shipment.shop));
    }
    if (!order.complete && mapping.lineItemsByFulfillmentOrder.length > 1) {
      // Several FOs: only the full read tells whether they share a location.
      this.deps.orderReads?.invalidate(this.cacheKey());
      this.readInFull = true;
      return this.mapAndCreate(await this.fulfillmentOrders());
    }

    const fulfillment = {
      lineItemsByFulfillmentOrder: mapping.lineItemsByFulfillmentOrder,
      notifyCustomer: this.shipment.notifyCustomer,
      trackingInfo: await this.trackingInput(),
    };
    const result = await this.call("create_fulfillment", FULFILLMENT_CREATE_MUTATION, { fulfillment }, fulfillment);
    const payload = result.data.fulfillmentCreate;
    this.throwOnUserErrors(payload);
    if (!payload?.fulfillment) {
      throw createSyncError("transient", "fulfillmentCreate answered without a fulfillment.");
    }
    await this.deps.orderReads?.fulfilled(this.cacheKey(), mapping.lineItemsByFulfillmentOrder);
    return this.recordSuccess("create_fulfillment", payload.fulfillment.id, false);
  }

  /**
   * The order's fulfillment orders, lines first (~10 points instead of ~17): a shipment
   * mapped onto one FO needs nothing more (one FO is one location; an FO that cannot take
   * a fulfillment is refused by Shopify, and a refusal re-reads in full). A shipment
   * spread over several FOs is mapped again on the full read, which has their locations.
   */
  private async readFulfillmentOrders(): Promise<FulfillmentOrderRead> {
    if (this.readInFull) return this.readFulfillmentOrdersInFull();
    const lines = await this.call("read_fulfillment_orders", ORDER_FULFILLMENT_ORDER_LINES_QUERY, {
      id: this.shipment.orderId,
    });
    const order = lines.data.order;
    if (!order) throw await this.orderNotFound();
    const nodes = order.fulfillmentOrders.nodes;
    if (order.fulfillmentOrders.pageInfo.hasNextPage || nodes.some((fo) => fo.lineItems.pageInfo.hasNextPage)) {
      return this.readFulfillmentOrdersInFull();
    }
    return {
      cancelledAt: order.cancelledAt ?? null,
      fulfillmentOrders: nodes.map((fo) => ({
        ...fo,
        supportedActions: fo.status === "OPEN" || fo.status === "IN_PROGRESS" ? [{ action: "CREATE_FULFILLMENT" }] : [],
        assignedLocation: null,
      })),
      complete: false,
    };
  }

  /**
   * The order's fulfillment orders with all their lines, supported actions and
   * locations: one query for ordinary orders, more pages only for orders with many
   * locations or lines.
   */
  private async readFulfillmentOrdersInFull(): Promise<FulfillmentOrderRead> {
    const first = await this.call("read_fulfillment_orders", ORDER_FULFILLMENT_ORDERS_QUERY, {
      id: this.shipment.orderId,
    });
    const order = first.data.order;
    if (!order) throw await this.orderNotFound();
    const fulfillmentOrders = [...order.fulfillmentOrders.nodes];
    let page = order.fulfillmentOrders.pageInfo;
    while (page.hasNextPage && page.endCursor) {
      const next = await this.call("read_fulfillment_orders", ORDER_FULFILLMENT_ORDERS_PAGE_QUERY, {
        id: this.shipment.orderId,
        after: page.endCursor,
      });
      if (!next.data.order) break;
      fulfillmentOrders.push(...next.data.order.fulfillmentOrders.nodes);
      page = next.data.order.fulfillmentOrders.pageInfo;
    }
    for (const fo of fulfillmentOrders) {
      let lines = fo.lineItems.pageInfo;
      const nodes = [...fo.lineItems.nodes];
      while (lines.hasNextPage && lines.endCursor) {
        const next = await this.call("read_fulfillment_orders", FULFILLMENT_ORDER_LINES_PAGE_QUERY, {
          id: fo.id,
          after: lines.endCursor,
        });
        if (!next.data.fulfillmentOrder) break;
        nodes.push(...next.data.fulfillmentOrder.lineItems.nodes);
        lines = next.data.fulfillmentOrder.lineItems.pageInfo;
      }
      fo.lineItems = { nodes, pageInfo: lines };
    }
    return { cancelledAt: order.cancelledAt ?? null, fulfillmentOrders, complete: true };
  }

  /**
   * Shopify answered `order: null`. Without read_all_orders an app sees only the last 60
   * days of orders, so an order the app knows to be older is hidden, not gone: that gets
   * its own class (the fix is an optional scope), anything else is not_found.
   */
  private async orderNotFound(): Promise<SyncError> {
    const known = await this.deps.pool.query<{ created: Date | null; granted: string[] | null }>(
      `select o.shopify_created_at as created, s.granted_scopes as granted
         from shops s left join orders o on o.shop = s.shop and o.order_id = $2
        where s.shop = $1`,
      [this.shipment.shop, this.shipment.orderId],
    );
    const created = known.rows[0]?.created ?? null;
    const granted = known.rows[0]?.granted ?? [];
    if (created && created.getTime() < this.now().getTime() - ORDER_AGE_LIMIT_MS && !grants(granted, READ_ALL_ORDERS)) {
      return createSyncError(
        "order_too_old",
        `Order ${this.shipment.orderName} was created on ${created.toISOString()}, more than 60 days ago; ` +
          `Shopify shows it only with the ${READ_ALL_ORDERS} scope.`,
        { missingScopes: [READ_ALL_ORDERS] },
      );
    }
    return createSyncError("not_found", `Order ${this.shipment.orderId} was not found in Shopify.`);
  }

  /** The order's fulfillments, for reconciliation. */
  private async readFulfillments(): Promise<ShopifyFulfillment[]> {
    const read = await this.call("reconcile", ORDER_FULFILLMENTS_QUERY, { id: this.shipment.orderId });
    if (!read.data.order) throw await this.orderNotFound();
    return read.data.order.fulfillments;
  }

  /**
   * A read found no fulfillment of the unknown creates: that settles them as not applied
   * only once none of them can still be in flight (a killed worker's request may reach
   * Shopify after this read). Until then the run stays pending and reads again after.
   */
  private async notInFlight(): Promise<void> {
    const horizonMs = this.deps.inFlightHorizonMs ?? (this.deps.callTimeoutMs ?? DEFAULT_TIMEOUT_MS) + IN_FLIGHT_MARGIN_MS;
    const leftMs = await unansweredCreateInFlightMs(
      this.deps.pool,
      this.shipment.shop,
      this.shipment.id,
      this.shipment.shippedAt ?? this.shipment.createdAt,
      horizonMs,
    );
    if (leftMs <= 0) return;
    throw createSyncError(
      "outcome_unknown",
      `A fulfillmentCreate sent for this shipment got no answer and may still reach Shopify; ` +
        `Shopify is read again in ${Math.ceil(leftMs / 1000)} s.`,
      { retryable: true, retryAfterMs: leftMs, nextAction: "reconcile" },
    );
  }

  /** Create attempts of this shipping cycle that may have reached Shopify, with what they sent. */
  private async earlierUnknownCreates(): Promise<string[][]> {
    return unknownCreatesSince(
      this.deps.pool,
      this.shipment.shop,
      this.shipment.id,
      this.shipment.shippedAt ?? this.shipment.createdAt,
    );
  }

  /** The fulfillment an earlier lost create made, if Shopify has one (tracking + lines match). */
  private async findEarlierFulfillment(
    fulfillments: ShopifyFulfillment[],
    earlierTracking: string[][],
  ): Promise<{ fulfillment: RecordedFulfillment; trackingNumbers: string[] } | null> {
    const exclude = await fulfillmentIdsHeldByOthers(this.deps.pool, this.shipment.shop, this.shipment.id);
    const lines = this.shipment.lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity }));
    // What was sent then may differ from today's tracking when the operator corrected it.
    for (const trackingNumbers of [this.shipment.trackingNumbers, ...earlierTracking]) {
      const match = findMatchingFulfillment({ trackingNumbers, lines }, fulfillments.map(recordedFulfillment), exclude);
      if (match) return { fulfillment: match, trackingNumbers };
    }
    // No match, but Shopify's answer may have been cut short (a full list, or a
    // fulfillment with more lines than read): creating now could duplicate, so stop
    // and let an operator look instead of guessing.
    const truncated =
      fulfillments.length >= ORDER_FULFILLMENTS_LIMIT ||
      fulfillments.some((f) => f.fulfillmentLineItems.pageInfo.hasNextPage);
    if (truncated) {
      throw createSyncError(
        "outcome_unknown",
        `Order ${this.shipment.orderName} has more fulfillments or lines than one read returns; ` +
          "check in Shopify admin whether this shipment's fulfillment exists before retrying.",
        { retryable: false, nextAction: "reconcile" },
      );
    }
    return null;
  }

  private async adoptEarlierFulfillment(
    fulfillments: ShopifyFulfillment[],
    earlierTracking: string[][],
  ): Promise<SyncOutcome | null> {
    const found = await this.findEarlierFulfillment(fulfillments, earlierTracking);
    if (!found) return null;
    await this.settleUnknownCreates(found.fulfillment.id);
    const trackingChanged = !sameTrackingNumbers(found.trackingNumbers, this.shipment.trackingNumbers);
    return this.recordSuccess(
      "create_fulfillment",
      found.fulfillment.id,
      true,
      trackingChanged ? "update_tracking" : null,
    );
  }

  // --- cancel ---------------------------------------------------------------------

  /**
   * The operator wants nothing in Shopify. Shopify is read first: a fulfillment already
   * cancelled (by an earlier attempt whose answer was lost, or in Shopify admin) or gone
   * is done, without a cancel Shopify would refuse.
   */
  private async cancelFulfillment(): Promise<SyncOutcome> {
    let fulfillmentId = this.shipment.shopifyFulfillmentId;
    if (!fulfillmentId) {
      // Only a create whose answer was lost can have made one: look for it.
      const earlier = await this.earlierUnknownCreates();
      const found = await this.findEarlierFulfillment(await this.readFulfillments(), earlier);
      if (!found) {
        await this.notInFlight();
        await this.settleUnknownCreates(null);
        return this.recordSuccess("cancel_fulfillment", null, false);
      }
      await this.settleUnknownCreates(found.fulfillment.id);
      fulfillmentId = found.fulfillment.id;
      // Shopify's fact, kept before the cancel leaves: should its answer be lost, the
      // next run reads this fulfillment (the branch below) and settles the cancel.
      await linkFulfillment(this.deps.pool, this.shipment.shop, this.shipment.id, fulfillmentId);
    } else {
      const current = await this.readFulfillment(fulfillmentId);
      // A correction whose answer was lost before the revert: the read says what it did.
      if (current) await this.settleUnknownUpdates(current, await this.trackingInput());
      if (!current || isDeadFulfillmentStatus(current.status)) {
        await this.settleUnknown("cancel_fulfillment", fulfillmentId, "reconciled: Shopify shows the fulfillment cancelled");
        return this.recordSuccess("cancel_fulfillment", null, false);
      }
      await this.settleUnknownAs("cancel_fulfillment", fulfillmentId, "failed", "reconciled: the fulfillment is still live in Shopify");
    }

    this.beforeMutation();
    const result = await this.call("cancel_fulfillment", FULFILLMENT_CANCEL_MUTATION, { id: fulfillmentId }, { fulfillmentId });
    this.throwOnUserErrors(result.data.fulfillmentCancel);
    return this.recordSuccess("cancel_fulfillment", null, false);
  }

  /**
   * Once Shopify has been read, create attempts whose outcome was unknown (lost answers,
   * rows a dead worker left open) are settled: 'adopted' when their fulfillment was
   * found, 'failed' (it never happened) when not, so they do not trigger another
   * reconciliation.
   */
  private async settleUnknownCreates(fulfillmentId: string | null) {
    await settleUnknownAttempts(this.deps.pool, this.shipment.shop, this.shipment.id, "create_fulfillment", {
      outcome: fulfillmentId ? "adopted" : "failed",
      fulfillmentId,
      note: fulfillmentId
        ? "reconciled: this attempt's fulfillment was found and adopted"
        : "reconciled: Shopify has no fulfillment from this attempt",
    });
  }

  /** Cancels and tracking updates whose answer was lost, once Shopify shows them done. */
  private async settleUnknown(operation: "cancel_fulfillment" | "update_tracking", fulfillmentId: string, note: string) {
    await settleUnknownAttempts(this.deps.pool, this.shipment.shop, this.shipment.id, operation, {
      outcome: "succeeded",
      fulfillmentId,
      note,
    });
  }

  private async settleUnknownAs(
    operation: "cancel_fulfillment" | "update_tracking",
    fulfillmentId: string,
    outcome: "succeeded" | "failed",
    note: string,
  ) {
    if (!this.mutationsAllowed && outcome === "failed") return; // a read-only pass decides nothing it would not send
    await settleUnknownAttempts(this.deps.pool, this.shipment.shop, this.shipment.id, operation, { outcome, fulfillmentId, note });
  }

  /**
   * Tracking updates whose answer was lost, settled by what Shopify's fulfillment holds
   * now: done when it holds `tracking`, else they did not apply (or were overtaken) and
   * whatever is sent next decides. Returns whether it holds it.
   */
  private async settleUnknownUpdates(current: ShopifyFulfillment, tracking: FulfillmentTrackingInput): Promise<boolean> {
    if (holdsTracking(current, tracking)) {
      await this.settleUnknown("update_tracking", current.id, "reconciled: Shopify holds this tracking");
      return true;
    }
    await this.settleUnknownAs("update_tracking", current.id, "failed", "reconciled: Shopify does not hold this attempt's tracking");
    return false;
  }

  /** Shopify's fulfillment as it is now; null when Shopify no longer has it. */
  private async readFulfillment(id: string): Promise<ShopifyFulfillment | null> {
    const state = await this.call("reconcile", FULFILLMENT_QUERY, { id });
    return state.data.fulfillment ?? null;
  }

  // --- tracking correction ----------------------------------------------------------

  /**
   * The operator wants the shipment in Shopify with this tracking. Shopify is read
   * first: the linked fulfillment may hold it already (an update whose answer was
   * lost), or may have been cancelled meanwhile (the operator's own revert reached
   * Shopify before the re-ship, or someone cancelled it in Shopify admin) — then the
   * shipment needs a new fulfillment, not an update Shopify refuses.
   */
  private async updateTracking(): Promise<SyncOutcome> {
    const fulfillmentId = this.shipment.shopifyFulfillmentId;
    // Nothing in Shopify yet: the corrected tracking rides on the create.
    if (!fulfillmentId) return this.createFulfillment();
    const current = await this.readFulfillment(fulfillmentId);
    if (!current || isDeadFulfillmentStatus(current.status)) {
      await this.settleUnknown("cancel_fulfillment", fulfillmentId, "reconciled: Shopify shows the fulfillment cancelled");
      await settleUnknownAttempts(this.deps.pool, this.shipment.shop, this.shipment.id, "update_tracking", {
        outcome: "failed",
        fulfillmentId,
        note: "reconciled: the fulfillment was cancelled in Shopify; a new one is made instead",
      });
      return this.createFulfillment();
    }
    // Live: a cancel whose answer was lost (a revert before this re-ship) did not happen.
    await this.settleUnknownAs("cancel_fulfillment", fulfillmentId, "failed", "reconciled: the fulfillment is still live in Shopify");
    const tracking = await this.trackingInput();
    if (await this.settleUnknownUpdates(current, tracking)) {
      return this.recordSuccess("update_tracking", fulfillmentId, false);
    }
    this.beforeMutation();
    const variables = {
      fulfillmentId,
      trackingInfoInput: tracking,
      notifyCustomer: this.shipment.notifyCustomer,
    };
    const result = await this.call("update_tracking", FULFILLMENT_TRACKING_UPDATE_MUTATION, variables, variables);
    this.throwOnUserErrors(result.data.fulfillmentTrackingInfoUpdate);
    return this.recordSuccess("update_tracking", fulfillmentId, false);
  }

  // --- helpers --------------------------------------------------------------------

  private async trackingInput(): Promise<FulfillmentTrackingInput> {
    // The shop's country as stored (the form and the CSV import read it from Shopify).
    const countryCode = await storedShopCountryCode(this.deps.pool, this.shipment.shop);
    return prepareTrackingInfo(
      {
        carrier: this.shipment.carrier,
        trackingNumbers: this.shipment.trackingNumbers,
        trackingUrl: this.shipment.trackingUrl,
      },
      { countryCode },
    ).trackingInfo;
  }

  private throwOnUserErrors(payload: { userErrors: readonly UserErrorLike[] } | null | undefined): void {
    if (payload && payload.userErrors.length > 0) {
      throw classifyShopifyOutcome({ kind: "user_errors", userErrors: payload.userErrors });
    }
  }

  /**
   * Sends one document and writes it to sync_attempts: inserted before the request
   * leaves and finished after, so a crash in between stays visible as "no outcome".
   */
  private async call<D extends AdminDocument>(
    operation: CallOperation,
    document: D,
    variables: VariablesOf<D>,
    request: unknown = null,
  ): Promise<AdminGraphqlResult<AnswerOf<D>>> {
    const attemptId = await openAttempt(this.deps.pool, this.shipment.shop, this.shipment.id, operation, request);
    const operationName = /\b(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? operation;
    try {
      await this.deps.beforeCall?.(this.shipment.shop, operationName);
      const result = await adminGraphql(this.session!, document, {
        variables,
        timeoutMs: this.deps.callTimeoutMs,
        onCost: (cost) => this.deps.onCost?.(this.shipment.shop, cost, operationName),
      });
      const userErrors = firstUserErrors(result.data);
      const classified = userErrors
        ? classifyShopifyOutcome({ kind: "user_errors", userErrors })
        : null;
      await finishAttempt(this.deps.pool, attemptId, {
        outcome: classified ? "failed" : "succeeded",
        httpStatus: result.httpStatus,
        requestId: result.requestId,
        errorClass: classified?.errorClass ?? null,
        message: userErrors ? userErrors.map((e) => e.message).join(" / ") : null,
        fulfillmentId: fulfillmentIdOf(result.data),
      });
      return result;
    } catch (caught) {
      const error = toSyncError(caught, { isMutation: operation !== "read_fulfillment_orders" && operation !== "reconcile" });
      await finishAttempt(this.deps.pool, attemptId, {
        outcome: error.errorClass === "outcome_unknown" ? "unknown" : "failed",
        httpStatus: error.httpStatus ?? null,
        requestId: error.requestId ?? null,
        errorClass: error.errorClass,
        message: error.message,
      });
      throw error;
    }
  }

  private run() {
    return { shop: this.shipment.shop, id: this.shipment.id, revision: this.shipment.revision };
  }

  private async recordSuccess(
    operation: SyncOperation,
    fulfillmentId: string | null,
    adopted: boolean,
    followUp: SyncOperation | null = null,
  ): Promise<SyncOutcome> {
    // Applied only when no operator change happened meanwhile (same revision);
    // otherwise Shopify's new fact (the fulfillment id) is kept and the newer request
    // stays pending for the next run.
    const done = await recordSyncSuccess(this.deps.pool, this.run(), fulfillmentId, followUp);
    let stillPending = followUp !== null;
    if (!done) {
      stillPending = true;
      await linkFulfillment(this.deps.pool, this.shipment.shop, this.shipment.id, fulfillmentId);
    }
    return { kind: "synced", operation, fulfillmentId, adopted, stillPending };
  }

  private async recordFailure(operation: SyncOperation, error: SyncError): Promise<SyncOutcome> {
    if (
      this.deps.pauseShop &&
      (error.errorClass === "reauth_required" || error.errorClass === "missing_scope")
    ) {
      // The whole shop is refused, not this shipment: pause the shop, keep this
      // shipment pending (no job: resuming the shop queues it again).
      await this.deps.pauseShop(this.shipment.shop, error);
      await recordShopPaused(this.deps.pool, this.run(), error);
      return { kind: "failed", operation, error, retryAt: null, paused: true };
    }
    const settings = await loadRetrySettings(this.deps.pool, this.shipment.shop);
    const nowMs = this.now().getTime();
    const paced = error.errorClass === "throttled";
    const attempt = paced ? this.shipment.syncAttempts : this.shipment.syncAttempts + 1;
    const decision = decideRetry({
      error,
      attempt: Math.max(1, attempt),
      failingSinceMs: this.shipment.syncFailingSince ? Date.parse(this.shipment.syncFailingSince) : nowMs,
      nowMs,
      windowMs: settings.retryWindowMinutes * 60_000,
      autoRetryEnabled: settings.autoRetryEnabled,
      random: this.deps.random,
      ...(this.deps.retryBaseMs ? { baseMs: this.deps.retryBaseMs } : {}),
    });

    let failure = error;
    let retryAt = decision.kind === "stop" ? null : new Date(nowMs + decision.delayMs);
    if (decision.kind === "stop" && error.errorClass === "outcome_unknown" && this.mutationsAllowed) {
      // Never declare a shipment failed on an unknown outcome: a read settles it
      // (whatever the budget says, it sends nothing).
      const settled = await this.settleByReading(operation);
      if (settled.kind === "done") return settled.outcome;
      if (settled.kind === "not_applied") {
        // The merchant reads that a retry is safe, in their language; the message keeps
        // Shopify's words for the logs.
        failure = createSyncError(
          "transient",
          `${error.message} — Shopify was read afterwards: nothing from this attempt is there.`,
          {
            httpStatus: error.httpStatus,
            requestId: error.requestId,
            detail: message("fulfillment.problems.settledNotApplied"),
          },
        );
      } else if (settled.kind === "unreadable") {
        // Shopify cannot be read now either: stay pending and read again later.
        retryAt = new Date(
          nowMs + nextRetryDelayMs({ attempt, error, random: this.deps.random, ...(this.deps.retryBaseMs ? { baseMs: this.deps.retryBaseMs } : {}) }),
        );
      }
    }
    await recordSyncFailure(this.deps.pool, this.run(), {
      attempts: attempt,
      retryAt,
      errorClass: failure.errorClass,
      message: failure.message,
      detail: failure.detail ?? null,
      paced,
      now: new Date(nowMs),
    });
    return { kind: "failed", operation, error: failure, retryAt };
  }

  /** Sends nothing: set while a run only reads Shopify to settle an unknown outcome. */
  private mutationsAllowed = true;

  private beforeMutation(): void {
    if (!this.mutationsAllowed) throw new WouldSend();
  }

  /**
   * The operation once more, reading only: it adopts what an unknown attempt made,
   * or finds the cancel / tracking already in Shopify. Stops where it would send.
   */
  private async settleByReading(
    operation: SyncOperation,
  ): Promise<{ kind: "done"; outcome: SyncOutcome } | { kind: "not_applied" } | { kind: "unreadable" } | { kind: "stop" }> {
    this.mutationsAllowed = false;
    try {
      return { kind: "done", outcome: await this.perform(operation) };
    } catch (caught) {
      if (caught instanceof WouldSend) return { kind: "not_applied" };
      return toSyncError(caught).retryable ? { kind: "unreadable" } : { kind: "stop" };
    } finally {
      this.mutationsAllowed = true;
    }
  }

}

/** Thrown where a read-only run would have sent a mutation. */
class WouldSend extends Error {}

/** Whether Shopify's fulfillment already carries the tracking this sync would send. */
function holdsTracking(fulfillment: ShopifyFulfillment, sent: FulfillmentTrackingInput): boolean {
  const key = (n: string) => trackingNumberComparisonKey(n);
  const theirs = new Set(fulfillment.trackingInfo.map((t) => t.number ?? "").filter((n) => n !== "").map(key));
  const ours = new Set((sent.numbers ?? []).map(key));
  if (theirs.size !== ours.size || [...ours].some((n) => !theirs.has(n))) return false;
  if ((sent.company ?? null) !== (fulfillment.trackingInfo.find((t) => t.company)?.company ?? null)) return false;
  const theirUrls = new Set(fulfillment.trackingInfo.map((t) => t.url).filter(Boolean));
  return (sent.urls ?? []).every((u) => theirUrls.has(u));
}

/**
 * Shopify's fulfillment as the matcher takes it: a tracking number or quantity the
 * answer leaves out (the schema lets both be absent) is null.
 */
function recordedFulfillment(fulfillment: ShopifyFulfillment): RecordedFulfillment {
  return {
    id: fulfillment.id,
    status: fulfillment.status,
    trackingInfo: fulfillment.trackingInfo.map((t) => ({ ...t, number: t.number ?? null })),
    fulfillmentLineItems: {
      nodes: fulfillment.fulfillmentLineItems.nodes.map((n) => ({ lineItem: n.lineItem, quantity: n.quantity ?? null })),
    },
  };
}

/**
 * Mapping problems become an `invalid` error whose detail names each line: a message
 * (codes and parameters, ~/i18n) each page renders in its own language, with a
 * scheduled FO's date in the shop's time zone. Its `message` is the English text, for
 * logs only.
 */
function mappingError(problems: MappingProblem[], timeZone: string | null): SyncError {
  const quantity = problems.some(
    (p) => p.kind === "quantity_exceeds_remaining" || p.kind === "already_fulfilled",
  );
  const status = problems.some((p) => p.kind.startsWith("fulfillment_order_"));
  // Checked here before calling Shopify.
  const detail = mappingProblemsMessage(problems, { timeZone });
  return createSyncError("invalid", t("en", detail), {
    detail,
    invalidReason: quantity ? "quantity" : status ? "status" : "other",
    nextAction: "fix_input",
  });
}

/** The userErrors of whichever mutation payload the answer holds (a query has none). */
function firstUserErrors(data: unknown): readonly UserErrorLike[] | null {
  if (!data || typeof data !== "object") return null;
  for (const value of Object.values(data)) {
    const errors = (value as { userErrors?: readonly UserErrorLike[] } | null)?.userErrors;
    if (Array.isArray(errors) && errors.length > 0) return errors;
  }
  return null;
}

function fulfillmentIdOf(data: unknown): string | null {
  if (!data || typeof data !== "object") return null;
  for (const value of Object.values(data)) {
    const id = (value as { fulfillment?: { id?: string } | null } | null)?.fulfillment?.id;
    if (typeof id === "string") return id;
  }
  return null;
}
