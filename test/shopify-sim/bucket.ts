/**
 * Shopify's GraphQL Admin API rate limit: a leaky bucket of cost points per app and
 * shop. A query may start only when the bucket holds its *requested* cost; afterwards
 * the difference to the *actual* cost is refunded. The bucket refills continuously at
 * the plan's restore rate.
 */

export type Plan = "standard" | "advanced" | "plus" | "enterprise";

export interface BucketLimits {
  maximumAvailable: number;
  restoreRate: number;
}

/**
 * Restore rates are Shopify's documented ones (shopify.dev, "GraphQL Admin API rate
 * limits": 100/200/1000/2000 points per second). Bucket sizes are not documented; 2000
 * on Standard is what responses show (maximumAvailable 2000, restoreRate 100), and the
 * others keep the same 20-second depth (Plus responses seen in the wild report 20000).
 */
export const PLAN_LIMITS: Record<Plan, BucketLimits> = {
  standard: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
  enterprise: { maximumAvailable: 40000, restoreRate: 2000 },
};

/** A single query may never request more than this, whatever the bucket holds. */
export const MAX_QUERY_COST = 1000;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    private limits: BucketLimits,
    private readonly clock: () => number,
  ) {
    this.available = limits.maximumAvailable;
    this.updatedAt = clock();
  }

  /** The status Shopify reports in extensions.cost.throttleStatus. */
  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.limits.maximumAvailable,
      // Shopify reports whole points.
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.limits.restoreRate,
    };
  }

  /** Takes `cost` points if the bucket holds them; false (and nothing taken) otherwise. */
  tryTake(cost: number): boolean {
    this.refill();
    if (this.available < cost) return false;
    this.available -= cost;
    return true;
  }

  /** Gives back points a query requested but did not use. */
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.limits.maximumAvailable, this.available + Math.max(0, points));
  }

  setLimits(limits: BucketLimits): void {
    this.refill();
    this.limits = limits;
    this.available = Math.min(this.available, limits.maximumAvailable);
  }

  /** Sets the level directly (control API), e.g. to start a test with an almost empty bucket. */
  setAvailable(points: number): void {
    this.refill();
    this.available = Math.max(0, Math.min(this.limits.maximumAvailable, points));
  }

  private refill(): void {
    const now = this.clock();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.available = Math.min(
      this.limits.maximumAvailable,
      this.available + elapsedSeconds * this.limits.restoreRate,
    );
    this.updatedAt = now;
  }
}
