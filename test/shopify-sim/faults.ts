/**
 * Faults on demand: the failures a real Shopify produces rarely and unpredictably,
 * produced here when a test asks for them, reproducibly from a seed.
 *
 * A rule matches requests of a shop (or any shop) and optionally of one operation, named
 * by root field (`fulfillmentCreate`, `order`, ...). It fires on its next `times`
 * matches, or on each match with `probability` drawn from the simulator's seeded PRNG:
 * the same seed, rules and request sequence give the same faults. Every fault that fires
 * is appended to the fault log for assertions.
 */

export type FaultAction =
  /** HTTP 5xx with Shopify's body. `afterCommit`: the request ran (a gateway timeout after the write). */
  | { type: "httpError"; status: 500 | 502 | 503 | 504; afterCommit?: boolean }
  /** HTTP 429 with Retry-After (what the REST limiter and some GraphQL resource limits send). */
  | { type: "rateLimited"; retryAfterSeconds?: number }
  /** GraphQL THROTTLED (HTTP 200) regardless of the bucket; nothing runs. */
  | { type: "throttled" }
  /** Answers `ms` later (combines with any other fault). */
  | { type: "latency"; ms: number }
  /** The connection drops before anything runs: no effect, the client sees a socket error. */
  | { type: "dropBeforeCommit" }
  /**
   * The request runs (a mutation takes effect), then the answer is lost: `destroy` resets
   * the socket, `hang` never answers (the client's timeout fires).
   */
  | { type: "dropAfterCommit"; mode?: "destroy" | "hang" }
  /** The app's tokens for the shop are revoked (uninstall-like); this request already gets 401. */
  | { type: "revokeToken" }
  /** The merchant revokes a scope; this request already runs without it. */
  | { type: "removeScope"; scope: string }
  /** The shop is frozen (402) / locked (423) from this request on. */
  | { type: "freezeShop" }
  | { type: "lockShop" }
  /**
   * Someone changes an FO between the app's read and its write: applied right before a
   * fulfillmentCreate that names the FO executes (the first FO of the input unless
   * `fulfillmentOrderId` is given).
   */
  | {
      type: "fulfillmentOrderRace";
      change: "close" | "hold" | "schedule" | "cancel" | "move";
      fulfillmentOrderId?: string;
      /** For `move`: the destination; another location of the shop when omitted. */
      toLocationId?: string;
    };

export type FaultType = FaultAction["type"];

export interface FaultRuleInput {
  /** Defaults to a generated `fault-<n>`. */
  id?: string;
  /** A shop domain; every shop when omitted. */
  shop?: string;
  /** A root field name; every operation when omitted (fulfillmentOrderRace: fulfillmentCreate). */
  operation?: string;
  action: FaultAction;
  /** Chance of firing on each match, from the seeded PRNG. Default 1. */
  probability?: number;
  /** Fire on at most this many matches ("the next N calls"); unlimited when omitted. */
  times?: number;
  /** Let this many matches pass untouched first. */
  skip?: number;
}

export interface FaultRule extends Required<Pick<FaultRuleInput, "id" | "action">> {
  shop: string | null;
  operation: string | null;
  probability: number;
  times: number | null;
  skip: number;
  fired: number;
}

export interface FaultLogEntry {
  seq: number;
  at: string;
  requestId: number;
  shop: string | null;
  /** The request's root fields, e.g. "fulfillmentCreate". */
  operation: string | null;
  ruleId: string;
  action: FaultAction;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultMatch {
  shop: string | null;
  rootFields: readonly string[];
  requestId: number;
}

export interface RequestFaults {
  /** Summed latency of every latency rule that fired. */
  latencyMs: number;
  /** At most one other fault per request: the first rule that fires. */
  fault: FaultAction | null;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private entries: FaultLogEntry[] = [];
  private random: () => number;
  private counter = 0;

  constructor(
    private seed: number,
    private readonly clock: () => number,
  ) {
    this.random = createPrng(seed);
  }

  add(input: FaultRuleInput): FaultRule {
    if (input.probability !== undefined && !(input.probability >= 0 && input.probability <= 1)) {
      throw new Error(`fault probability must be within [0, 1], got ${input.probability}`);
    }
    if (input.times !== undefined && !(Number.isInteger(input.times) && input.times > 0)) {
      throw new Error(`fault times must be a positive integer, got ${input.times}`);
    }
    this.counter += 1;
    const rule: FaultRule = {
      id: input.id ?? `fault-${this.counter}`,
      action: input.action,
      shop: input.shop?.toLowerCase() ?? null,
      operation:
        input.operation ?? (input.action.type === "fulfillmentOrderRace" ? "fulfillmentCreate" : null),
      probability: input.probability ?? 1,
      times: input.times ?? null,
      skip: input.skip ?? 0,
      fired: 0,
    };
    if (this.rules.some((existing) => existing.id === rule.id)) {
      throw new Error(`a fault rule with id ${rule.id} already exists`);
    }
    this.rules.push(rule);
    return rule;
  }

  /** Removes rules (all, or a shop's, or one by id). The log stays. */
  clear(filter: { shop?: string; id?: string } = {}): number {
    const before = this.rules.length;
    this.rules = this.rules.filter(
      (rule) =>
        !(
          (filter.id === undefined || rule.id === filter.id) &&
          (filter.shop === undefined || rule.shop === filter.shop.toLowerCase())
        ),
    );
    return before - this.rules.length;
  }

  /** Forgets rules and log and restarts the PRNG (from a new seed when given). */
  reset(seed = this.seed): void {
    this.seed = seed;
    this.rules = [];
    this.entries = [];
    this.counter = 0;
    this.random = createPrng(seed);
  }

  listRules(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  log(): FaultLogEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  /** The faults for one incoming request (everything except FO races). */
  forRequest(match: FaultMatch): RequestFaults {
    let latencyMs = 0;
    let fault: FaultAction | null = null;
    for (const rule of this.rules) {
      if (rule.action.type === "fulfillmentOrderRace") continue;
      if (fault && rule.action.type !== "latency") continue;
      if (!this.fires(rule, match)) continue;
      if (rule.action.type === "latency") latencyMs += rule.action.ms;
      else fault = rule.action;
    }
    return { latencyMs, fault };
  }

  /** The FO race to apply right before a fulfillmentCreate runs, if one fires. */
  forFulfillmentCreate(match: FaultMatch): Extract<FaultAction, { type: "fulfillmentOrderRace" }> | null {
    for (const rule of this.rules) {
      if (rule.action.type !== "fulfillmentOrderRace") continue;
      if (this.fires(rule, match)) return rule.action;
    }
    return null;
  }

  private fires(rule: FaultRule, match: FaultMatch): boolean {
    if (rule.shop !== null && rule.shop !== match.shop) return false;
    if (rule.operation !== null && !match.rootFields.includes(rule.operation)) return false;
    if (rule.times !== null && rule.fired >= rule.times) return false;
    if (rule.skip > 0) {
      rule.skip -= 1;
      return false;
    }
    // The roll is drawn only for probabilistic rules, so adding a deterministic rule does
    // not shift the sequence of the others.
    if (rule.probability < 1 && this.random() >= rule.probability) return false;
    rule.fired += 1;
    this.entries.push({
      seq: this.entries.length + 1,
      at: new Date(this.clock()).toISOString(),
      requestId: match.requestId,
      shop: match.shop,
      operation: match.rootFields.length > 0 ? match.rootFields.join(",") : null,
      ruleId: rule.id,
      action: rule.action,
    });
    return true;
  }
}
