import { describe, expect, it } from "vitest";
import { OrderReadCache } from "~/sync/order-read-cache";

const read = (remaining: number) => ({
  fulfillmentOrders: [{ id: "fo1", status: "OPEN", lineItems: { nodes: [{ id: "l1", remainingQuantity: remaining }, { id: "l2", remainingQuantity: 2 }] } }],
});

describe("OrderReadCache", () => {
  it("shares one in-flight read between the shipments of an order", async () => {
    const cache = new OrderReadCache<ReturnType<typeof read>>();
    let reads = 0;
    const load = async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 10));
      return read(3);
    };
    const [a, b] = await Promise.all([cache.get("o1", load), cache.get("o1", load)]);
    expect(reads).toBe(1);
    expect(a).toBe(b);
    expect(cache.hits).toBe(1);
  });

  it("takes fulfilled quantities off, and expires", async () => {
    let now = 0;
    const cache = new OrderReadCache<ReturnType<typeof read>>({ ttlMs: 1000, now: () => now });
    await cache.get("o1", async () => read(3));
    await cache.fulfilled("o1", [{ fulfillmentOrderId: "fo1", fulfillmentOrderLineItems: [{ id: "l1", quantity: 2 }] }]);
    const again = await cache.get("o1", async () => read(99));
    expect(again.fulfillmentOrders[0]!.lineItems.nodes.map((n) => n.remainingQuantity)).toEqual([1, 2]);
    now = 2000;
    const fresh = await cache.get("o1", async () => read(99));
    expect(fresh.fulfillmentOrders[0]!.lineItems.nodes[0]!.remainingQuantity).toBe(99);
  });

  it("does not keep a failed read", async () => {
    const cache = new OrderReadCache<ReturnType<typeof read>>();
    await expect(cache.get("o1", async () => Promise.reject(new Error("503")))).rejects.toThrow("503");
    expect((await cache.get("o1", async () => read(1))).fulfillmentOrders[0]!.lineItems.nodes[0]!.remainingQuantity).toBe(1);
  });
});
