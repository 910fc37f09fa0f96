import { describe, expect, it } from "vitest";
import { ShopPacer } from "~/shopify/pacer";

function clock(start = 0) {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe("ShopPacer", () => {
  const standard = { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 };

  it("lets a call go at once while the bucket holds its cost", async () => {
    const c = clock();
    const pacer = new ShopPacer(c);
    pacer.observe("a.myshopify.com", { ...standard, currentlyAvailable: 500 });
    expect(await pacer.acquire("a.myshopify.com", 233)).toBe(0);
    expect(pacer.available("a.myshopify.com")).toBe(267);
  });

  it("waits exactly as long as the restore rate needs", async () => {
    const c = clock();
    const pacer = new ShopPacer(c);
    pacer.observe("a.myshopify.com", { ...standard, currentlyAvailable: 30 });
    // 233 - 30 = 203 points at 100/s → 2.03 s
    expect(await pacer.acquire("a.myshopify.com", 233)).toBe(2030);
    expect(pacer.available("a.myshopify.com")).toBeCloseTo(0, 5);
  });

  it("never counts the bucket above its maximum", () => {
    const c = clock();
    const pacer = new ShopPacer(c);
    pacer.observe("a.myshopify.com", { ...standard, currentlyAvailable: 1990 });
    void c.sleep(60_000);
    expect(pacer.available("a.myshopify.com")).toBe(2000);
  });

  it("paces shops independently", async () => {
    const c = clock();
    const pacer = new ShopPacer(c);
    pacer.observe("a.myshopify.com", { ...standard, currentlyAvailable: 0 });
    pacer.observe("b.myshopify.com", { ...standard, restoreRate: 1000, currentlyAvailable: 10_000 });
    expect(pacer.waitMs("a.myshopify.com", 100)).toBe(1000);
    expect(pacer.waitMs("b.myshopify.com", 100)).toBe(0);
  });

  it("does not hold back a shop it has not heard about yet", () => {
    expect(new ShopPacer().waitMs("new.myshopify.com", 999)).toBe(0);
  });

  it("learns the requested cost of a document from Shopify's answers", () => {
    const pacer = new ShopPacer();
    expect(pacer.costOf("OrderFulfillmentOrders", 250)).toBe(250);
    pacer.observe("a.myshopify.com", standard, { key: "OrderFulfillmentOrders", cost: 233 });
    expect(pacer.costOf("OrderFulfillmentOrders", 250)).toBe(233);
  });
});
