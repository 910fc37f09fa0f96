/**
 * Per-shop pacing from Shopify's own numbers. Every Admin API response carries
 * throttleStatus (currentlyAvailable, restoreRate); the pacer keeps the last one per
 * shop, lets the bucket refill at restoreRate, and makes a call wait until the points
 * it may request are there — so a shop's queue runs near its ceiling without being
 * answered THROTTLED. Several worker processes each pace themselves; every response
 * corrects each one's estimate with the truth.
 *
 * Framework-free and clock-injectable so it can be tested without waiting.
 */
export interface ThrottleSnapshot {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface ShopBucket extends ThrottleSnapshot {
  at: number; // ms, when currentlyAvailable was true
}

export interface PacerOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Never wait longer than this in one go (re-checks after). */
  maxWaitMs?: number;
}

export class ShopPacer {
  private readonly buckets = new Map<string, ShopBucket>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxWaitMs: number;
  /** Requested cost learnt per document (what the bucket must hold before a call). */
  private readonly requestedCost = new Map<string, number>();

  constructor(options: PacerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
  }

  /** Records what Shopify said after a call (success or failure alike). */
  observe(shop: string, status: ThrottleSnapshot, requested?: { key: string; cost: number }): void {
    this.buckets.set(shop, { ...status, at: this.now() });
    if (requested) this.requestedCost.set(requested.key, requested.cost);
  }

  /** The points a shop's bucket holds now, by the last answer and the restore rate. */
  available(shop: string): number | null {
    const bucket = this.buckets.get(shop);
    if (!bucket) return null;
    const elapsed = Math.max(0, this.now() - bucket.at) / 1000;
    return Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + elapsed * bucket.restoreRate);
  }

  /** How long a call needing `cost` points must wait now (0 when it may go). */
  waitMs(shop: string, cost: number): number {
    const bucket = this.buckets.get(shop);
    const available = this.available(shop);
    if (!bucket || available === null || available >= cost) return 0;
    // The epsilon keeps float noise (2030.0000000000002) from adding a millisecond.
    return Math.ceil(((cost - available) / bucket.restoreRate) * 1000 - 1e-6);
  }

  /**
   * Waits until `cost` points are available for the shop, then reserves them (the
   * next observe() replaces the estimate with Shopify's figure).
   */
  async acquire(shop: string, cost: number): Promise<number> {
    let waited = 0;
    for (;;) {
      const wait = this.waitMs(shop, cost);
      if (wait <= 0) break;
      const step = Math.min(wait, this.maxWaitMs);
      await this.sleep(step);
      waited += step;
    }
    const bucket = this.buckets.get(shop);
    const available = this.available(shop);
    if (bucket && available !== null) {
      this.buckets.set(shop, { ...bucket, currentlyAvailable: available - cost, at: this.now() });
    }
    return waited;
  }

  /** The requested cost last seen for a document, else a conservative default. */
  costOf(key: string, fallback: number): number {
    return this.requestedCost.get(key) ?? fallback;
  }

  /** Points restored per second for a shop, if known (for ETAs). */
  restoreRate(shop: string): number | null {
    return this.buckets.get(shop)?.restoreRate ?? null;
  }
}
