/**
 * Fulfillment-order reads shared by the shipments of one order within a worker.
 *
 * The bucket is charged the actual cost of what a query returns, so batching several
 * orders into one nodes(ids:) query saves almost nothing (and each order's requested
 * cost, ~233 points, caps a batch at four). What does save points is not reading the
 * same order twice: vendors' shipments of one order are queued together, so their runs
 * share one in-flight read (single flight), and a read stays usable for a few seconds
 * with the quantities this worker has since fulfilled taken off. A stale entry can only
 * make Shopify refuse a create (quantity or status); the sync then re-reads once.
 */
export interface CachedFulfillmentOrder {
  id: string;
  lineItems: { nodes: readonly { id: string; remainingQuantity: number }[] };
}

interface Entry<T> {
  value: Promise<T>;
  at: number;
}

export class OrderReadCache<T extends { fulfillmentOrders: readonly CachedFulfillmentOrder[] }> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  hits = 0;
  misses = 0;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached read of `key`, or `read()` — one at a time per key. */
  async get(key: string, read: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at <= this.ttlMs) {
      this.hits++;
      return entry.value;
    }
    this.misses++;
    const value = read();
    this.entries.set(key, { value, at: this.now() });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** After a create: take what was fulfilled off the cached remaining quantities. */
  async fulfilled(
    key: string,
    lines: { fulfillmentOrderId: string; fulfillmentOrderLineItems: { id: string; quantity: number }[] }[],
  ): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    const value = await entry.value.catch(() => null);
    if (!value) return;
    for (const group of lines) {
      const fo = value.fulfillmentOrders.find((f) => f.id === group.fulfillmentOrderId);
      for (const line of group.fulfillmentOrderLineItems) {
        const node = fo?.lineItems.nodes.find((n) => n.id === line.id);
        if (node) node.remainingQuantity = Math.max(0, node.remainingQuantity - line.quantity);
      }
    }
  }

  /** Forget an order (Shopify refused a create based on it, or it changed). */
  invalidate(key: string): void {
    this.entries.delete(key);
  }
}
