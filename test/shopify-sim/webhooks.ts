import { createHmac } from "node:crypto";
import type { GraphQLEnumType, GraphQLSchema } from "graphql";
import { createPrng } from "./faults";
import { ControlError, hasScope, type Store, type StoreEvent } from "./store";

/**
 * Webhook deliveries as Shopify makes them, to the app's endpoints.
 *
 * Every change in a simulated shop fires its topics (events.ts). A topic the app
 * subscribes to (its shopify.app.toml subscriptions, passed in) is delivered when the app
 * is installed on the shop and holds one of the scopes the topic requires (read from the
 * schema's WebhookSubscriptionTopic descriptions). Each delivery is an HTTP POST of the
 * compact JSON payload with Shopify's headers, signed with the app's secret.
 *
 * At least once, not in order: each delivery waits a random time before its first attempt
 * (so two changes made close together can arrive in either order), some are late, some
 * are sent twice (a second webhook id carrying the same event id), and a delivery the app
 * does not answer with 2xx within the timeout is retried on a schedule (Shopify: 8 retries
 * over 4 hours with exponential backoff, compressed here). Retries re-send the same body,
 * webhook id, event id and triggered-at. Randomness is seeded; see README.md for which of
 * these behaviours are confirmed and which are chosen.
 */

export interface WebhookSubscription {
  topics: string[];
  /** Path on the app, e.g. "/webhooks/orders". */
  uri: string;
}

export interface WebhookConfig {
  /** Where the app is served, e.g. http://127.0.0.1:3101 */
  appUrl: string;
  /** The app's client secret: X-Shopify-Hmac-Sha256 is keyed with it. */
  secret: string;
  subscriptions: WebhookSubscription[];
  /** shopify.app.toml's [webhooks] api_version (X-Shopify-API-Version). */
  apiVersion: string;
  /** PRNG seed for delays, duplicates and ids. Default: the simulator's seed. */
  seed?: number;
  /** Chance that an event is delivered twice (same event id, new webhook id). Default 0. */
  duplicateRate?: number;
  /** Each delivery's first attempt waits uniformly 0..this (reordering). Default 0. */
  reorderWindowMs?: number;
  /** Chance that a delivery is late by `lateDelayMs` on top. Default 0. */
  lateRate?: number;
  lateDelayMs?: number;
  /** Wait before each retry; its length is the number of retries. Default: Shopify's, scaled by `timeScale`. */
  retryScheduleMs?: number[];
  /** Multiplies Shopify's retry schedule when `retryScheduleMs` is not given. Default 0.001 (4 h → 14 s). */
  timeScale?: number;
  /** Shopify waits 5 s for an answer. */
  timeoutMs?: number;
  /** Told about every attempt (the demo's log). */
  onAttempt?: (record: WebhookDeliveryRecord, attempt: WebhookAttempt) => void;
}

/**
 * Shopify's documented retry budget: 8 retries over 4 hours, exponential backoff. The
 * exact intervals are not published: doubling from 56.5 s sums to 4 hours (chosen).
 */
export const SHOPIFY_RETRY_SCHEDULE_MS: readonly number[] = Array.from(
  { length: 8 },
  (_, i) => Math.round((4 * 3_600_000 * 2 ** i) / 255),
);

export interface WebhookAttempt {
  at: string;
  /** HTTP status, or what went wrong instead. */
  outcome: number | "timeout" | "connection_error";
}

export interface WebhookDeliveryRecord {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  uri: string;
  triggeredAt: string;
  /** The second delivery of an event (same event id). */
  duplicate: boolean;
  state: "scheduled" | "delivered" | "retrying" | "failed";
  attempts: WebhookAttempt[];
  body: string;
}

export class WebhookDispatcher {
  private config: (WebhookConfig & { random: () => number }) | null = null;
  private paused = false;
  private readonly records: WebhookDeliveryRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private readonly topicScopes: Map<string, string[]>;
  private readonly unsubscribe: () => void;
  private readonly defaultSeed: number;

  constructor(store: Store, schema: GraphQLSchema, seed: number) {
    this.defaultSeed = seed;
    this.topicScopes = topicScopesFromSchema(schema);
    this.unsubscribe = store.onEvent((event) => this.publish(store, event));
  }

  /** Starts delivering to the app (replaces an earlier configuration). */
  configure(config: WebhookConfig): { subscribedTopics: string[] } {
    if (!/^https?:\/\//.test(config.appUrl)) throw new ControlError("webhooks need the app's http(s) URL");
    if (!config.secret) throw new ControlError("webhooks need the app's secret");
    for (const rate of [config.duplicateRate, config.lateRate]) {
      if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new ControlError("rates must be within [0, 1]");
    }
    for (const subscription of config.subscriptions) {
      for (const topic of subscription.topics) {
        if (!this.topicScopes.has(topic)) throw new ControlError(`${topic} is not a webhook topic in the schema`);
      }
    }
    this.config = { ...config, random: createPrng(config.seed ?? this.defaultSeed) };
    return { subscribedTopics: config.subscriptions.flatMap((s) => s.topics) };
  }

  /**
   * While paused, changes fire no deliveries at all (webhooks lost for good, as when
   * Shopify gave up on an app that was down: the app's reconcile job must catch up).
   */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /** Stops delivering; scheduled deliveries and retries are dropped. */
  stop(): void {
    this.config = null;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.inFlight = 0;
    this.settle();
  }

  close(): void {
    this.stop();
    this.unsubscribe();
  }

  deliveries(filter: { shop?: string; topic?: string } = {}): WebhookDeliveryRecord[] {
    return this.records
      .filter((r) => (!filter.shop || r.shop === filter.shop) && (!filter.topic || r.topic === filter.topic))
      .map((r) => ({ ...r, attempts: [...r.attempts] }));
  }

  /** Resolves when nothing is scheduled, in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private publish(store: Store, event: StoreEvent): void {
    const config = this.config;
    if (!config || this.paused) return;
    const subscription = config.subscriptions.find((s) => s.topics.includes(event.topic));
    if (!subscription) return;
    const shop = store.findShop(event.shop);
    if (!shop) return;
    if (event.topic !== "app/uninstalled" && !shop.installed) return;
    const required = this.topicScopes.get(event.topic) ?? [];
    if (required.length > 0 && !required.some((scope) => hasScope(shop.scopes, scope))) return;

    const body = JSON.stringify(event.payload);
    const eventId = uuid(config.random);
    const copies = config.random() < (config.duplicateRate ?? 0) ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      const record: WebhookDeliveryRecord = {
        webhookId: uuid(config.random),
        eventId,
        topic: event.topic,
        shop: event.shop,
        uri: subscription.uri,
        triggeredAt: event.triggeredAt,
        duplicate: copy > 0,
        state: "scheduled",
        attempts: [],
        body,
      };
      this.records.push(record);
      let delay = Math.floor(config.random() * (config.reorderWindowMs ?? 0));
      if (config.random() < (config.lateRate ?? 0)) delay += config.lateDelayMs ?? 0;
      this.inFlight += 1;
      this.schedule(record, delay, 0);
    }
  }

  private schedule(record: WebhookDeliveryRecord, delayMs: number, retry: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(record, retry);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(record: WebhookDeliveryRecord, retry: number): Promise<void> {
    const config = this.config;
    if (!config) return;
    const outcome = await post(config, record);
    if (this.config !== config) return; // stopped meanwhile
    const attempt: WebhookAttempt = { at: new Date().toISOString(), outcome };
    record.attempts.push(attempt);
    const schedule = config.retryScheduleMs ?? SHOPIFY_RETRY_SCHEDULE_MS.map((ms) => ms * (config.timeScale ?? 0.001));
    const ok = typeof outcome === "number" && outcome >= 200 && outcome < 300;
    if (ok) record.state = "delivered";
    else if (retry < schedule.length) record.state = "retrying";
    else record.state = "failed";
    config.onAttempt?.(record, attempt);
    if (record.state === "retrying") {
      this.schedule(record, Math.round(schedule[retry]!), retry + 1);
      return;
    }
    this.inFlight -= 1;
    this.settle();
  }

  private settle(): void {
    if (this.inFlight > 0) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

async function post(config: WebhookConfig, record: WebhookDeliveryRecord): Promise<WebhookAttempt["outcome"]> {
  const url = new URL(record.uri, config.appUrl);
  try {
    const response = await fetch(url, {
      method: "POST",
      body: record.body,
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Shopify-Captain-Hook",
        "X-Shopify-Topic": record.topic,
        "X-Shopify-Hmac-Sha256": signWebhookBody(record.body, config.secret),
        "X-Shopify-Shop-Domain": record.shop,
        "X-Shopify-API-Version": config.apiVersion,
        "X-Shopify-Webhook-Id": record.webhookId,
        "X-Shopify-Event-Id": record.eventId,
        "X-Shopify-Triggered-At": record.triggeredAt,
      },
      signal: AbortSignal.timeout(config.timeoutMs ?? 5_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  } catch (error) {
    return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
      ? "timeout"
      : "connection_error";
  }
}

/** X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body, keyed with the app's secret. */
export function signWebhookBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/**
 * "orders/create" → the scopes its WebhookSubscriptionTopic value's description requires
 * ("Requires the `read_orders` scope." / "Requires at least one of the following scopes:
 * a, b."); an empty list when it names none (app/uninstalled).
 */
export function topicScopesFromSchema(schema: GraphQLSchema): Map<string, string[]> {
  const topics = schema.getType("WebhookSubscriptionTopic") as GraphQLEnumType;
  const result = new Map<string, string[]>();
  for (const value of topics.getValues()) {
    const description = (value.description ?? "").replace(/\s+/g, " ");
    const name = /`([a-z_]+\/[a-z_]+)`/.exec(description)?.[1];
    if (!name) continue;
    const single = /Requires the `([a-z_]+)` scope/.exec(description);
    const list = /Requires at least one of the following scopes: ([a-z_, ]+)\./.exec(description);
    result.set(
      name,
      single ? [single[1]!] : list ? list[1]!.split(",").map((s) => s.trim()).filter(Boolean) : [],
    );
  }
  return result;
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
