import { describe, expect, it } from "vitest";
import { LeakyBucket, PLAN_LIMITS } from "./bucket";
import { harness, manualClock, SHOP } from "./fixtures";

describe("leaky bucket", () => {
  it("restores at the plan's rate and never above the bucket size", () => {
    const time = manualClock();
    const bucket = new LeakyBucket(PLAN_LIMITS.standard, time.clock);
    expect(bucket.tryTake(2000)).toBe(true);
    expect(bucket.status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 });
    time.advance(2500);
    expect(bucket.status().currentlyAvailable).toBe(250);
    time.advance(60_000);
    expect(bucket.status().currentlyAvailable).toBe(2000);
  });

  it("uses Shopify's documented restore rates per plan", () => {
    expect(PLAN_LIMITS.standard.restoreRate).toBe(100);
    expect(PLAN_LIMITS.advanced.restoreRate).toBe(200);
    expect(PLAN_LIMITS.plus.restoreRate).toBe(1000);
    expect(PLAN_LIMITS.enterprise.restoreRate).toBe(2000);
    const time = manualClock();
    const plus = new LeakyBucket(PLAN_LIMITS.plus, time.clock);
    plus.setAvailable(0);
    time.advance(1500);
    expect(plus.status().currentlyAvailable).toBe(1500);
  });

  it("takes nothing when it cannot pay the whole cost", () => {
    const time = manualClock();
    const bucket = new LeakyBucket(PLAN_LIMITS.standard, time.clock);
    bucket.setAvailable(9);
    expect(bucket.tryTake(10)).toBe(false);
    expect(bucket.status().currentlyAvailable).toBe(9);
  });
});

describe("throttling over HTTP", () => {
  const MUTATION = `mutation($id: ID!) { fulfillmentCancel(id: $id) { userErrors { message } } }`;

  it("answers THROTTLED (HTTP 200, nothing executed) when the bucket cannot pay the requested cost", async () => {
    const { sim, gql, time } = await harness();
    sim.control.setBucket({ shop: SHOP, currentlyAvailable: 5 });
    const throttled = await gql(MUTATION, { id: "gid://shopify/Fulfillment/1" });
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 10,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 5, restoreRate: 100 },
        },
      },
    });

    // 50 ms later the bucket holds 10 points: the same call runs (and empties it).
    time.advance(50);
    const ran = await gql(MUTATION, { id: "gid://shopify/Fulfillment/1" });
    expect(ran.body.data.fulfillmentCancel.userErrors).toHaveLength(1);
    expect(ran.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(0);
    expect(sim.control.requestLog().map((entry) => entry.throttled)).toEqual([true, false]);
  });

  it("drains by cost and restores by time: 200 mutations at 10 points empty a Standard bucket", async () => {
    const { gql, time } = await harness();
    let last;
    for (let i = 0; i < 200; i += 1) last = await gql(MUTATION, { id: "gid://shopify/Fulfillment/1" });
    expect(last!.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(0);
    expect((await gql(MUTATION, { id: "gid://shopify/Fulfillment/1" })).body.errors[0].extensions.code).toBe("THROTTLED");
    time.advance(1000);
    const after = await gql(`{ shop { id } }`);
    // 100 restored in one second, 1 spent on this query.
    expect(after.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(99);
  });

  it("follows plan changes", async () => {
    const { sim, gql } = await harness({ plan: "plus" });
    expect((await gql(`{ shop { id } }`)).body.extensions.cost.throttleStatus).toEqual({
      maximumAvailable: 20000,
      currentlyAvailable: 19999,
      restoreRate: 1000,
    });
    sim.control.setPlan({ shop: SHOP, plan: "advanced" });
    expect((await gql(`{ shop { id } }`)).body.extensions.cost.throttleStatus).toEqual({
      maximumAvailable: 4000,
      currentlyAvailable: 3999,
      restoreRate: 200,
    });
  });

  it("keeps one bucket per shop", async () => {
    const { sim, gql } = await harness();
    sim.control.createShop({ shop: "other.myshopify.com", token: "other-token" });
    sim.control.setBucket({ shop: SHOP, currentlyAvailable: 0 });
    const other = await gql(`{ shop { id } }`, {}, { shop: "other.myshopify.com", token: "other-token" });
    expect(other.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(1999);
  });
});
