import { describe, expect, it } from "vitest";
import { adminGraphql } from "./client";
import { FULFILLMENT_CREATE, harness, ORDER_STATE, SHOP, TOKEN, twoLineOrder } from "./fixtures";
import type { FaultRuleInput } from "./faults";

const FO = "gid://shopify/FulfillmentOrder/110";
const CREATE_ALL = { fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: FO }] } };

async function setup() {
  const h = await harness();
  const order = twoLineOrder(h.sim);
  const fulfillments = () => h.sim.control.getOrder({ shop: SHOP, orderId: order.id }).fulfillments;
  return { ...h, order, fulfillments };
}

describe("HTTP failures", () => {
  it("answers 500/503 with JSON bodies and 502/504 with the edge's HTML pages, for the next N calls only", async () => {
    const { sim, gql } = await setup();
    const expected = [
      [500, "application/json", { errors: "Internal Server Error" }],
      [502, "text/html", /<title>502 Bad Gateway<\/title>/],
      [503, "application/json", { errors: "Service Unavailable" }],
      [504, "text/html", /<title>504 Gateway Time-out<\/title>/],
    ] as const;
    for (const [status, contentType, body] of expected) {
      sim.control.injectFault({ shop: SHOP, action: { type: "httpError", status }, times: 1 });
      const response = await gql(`{ shop { id } }`);
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toContain(contentType);
      if (body instanceof RegExp) expect(response.body).toMatch(body);
      else expect(response.body).toEqual(body);
    }
    expect((await gql(`{ shop { id } }`)).status).toBe(200);
    expect(sim.control.faultLog().map((entry) => (entry.action as { status: number }).status)).toEqual([500, 502, 503, 504]);
  });

  it("answers 429 with Retry-After, and THROTTLED on demand", async () => {
    const { sim, gql } = await setup();
    sim.control.injectFault({ action: { type: "rateLimited", retryAfterSeconds: 3 }, times: 1 });
    const limited = await gql(`{ shop { id } }`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3.0");
    expect(limited.body).toEqual({
      errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
    });
    sim.control.injectFault({ action: { type: "throttled" }, times: 1 });
    const throttled = await gql(`{ shop { id } }`);
    expect(throttled.status).toBe(200);
    expect(throttled.body.errors[0].extensions.code).toBe("THROTTLED");
    expect(throttled.body.extensions.cost.actualQueryCost).toBeNull();
  });

  it("adds latency", async () => {
    const { sim, gql } = await setup();
    sim.control.injectFault({ action: { type: "latency", ms: 200 }, times: 1 });
    const started = performance.now();
    expect((await gql(`{ shop { id } }`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(sim.control.requestLog()[0].faultLatencyMs).toBe(200);
  });

  it("matches rules by operation (root field) and by shop", async () => {
    const { sim, gql } = await setup();
    sim.control.createShop({ shop: "other.myshopify.com", token: "other" });
    sim.control.injectFault({ shop: SHOP, operation: "fulfillmentCreate", action: { type: "httpError", status: 500 } });
    expect((await gql(ORDER_STATE, { id: "gid://shopify/Order/100" })).status).toBe(200);
    expect((await gql(FULFILLMENT_CREATE, CREATE_ALL, { shop: "other.myshopify.com", token: "other" })).status).toBe(200);
    expect((await gql(FULFILLMENT_CREATE, CREATE_ALL)).status).toBe(500);
    expect(sim.control.faultLog()).toEqual([
      expect.objectContaining({ shop: SHOP, operation: "fulfillmentCreate", requestId: 3 }),
    ]);
  });
});

describe("lost answers", () => {
  it("after commit (socket destroyed): the client sees a network error, the fulfillment exists", async () => {
    const { sim, gql, fulfillments } = await setup();
    sim.control.injectFault({ operation: "fulfillmentCreate", action: { type: "dropAfterCommit", mode: "destroy" }, times: 1 });
    await expect(gql(FULFILLMENT_CREATE, CREATE_ALL)).rejects.toThrow();
    expect(fulfillments()).toHaveLength(1);
    expect(sim.control.requestLog()[0]).toMatchObject({ outcome: "dropped", actualQueryCost: 10 });
    // The obvious retry is refused: what remains is 0. The app must reconcile instead.
    const retry = await gql(FULFILLMENT_CREATE, CREATE_ALL);
    expect(retry.body.data.fulfillmentCreate.userErrors[0].message).toBe("Fulfillment order 110 has an unfulfillable status= closed.");
  });

  it("after commit (hung): the client's timeout fires, the fulfillment exists", async () => {
    const { sim, gql, fulfillments } = await setup();
    sim.control.injectFault({ operation: "fulfillmentCreate", action: { type: "dropAfterCommit", mode: "hang" }, times: 1 });
    await expect(gql(FULFILLMENT_CREATE, CREATE_ALL, { timeoutMs: 300 })).rejects.toThrow(/timeout|aborted/i);
    expect(fulfillments()).toHaveLength(1);
    expect(sim.control.requestLog()[0].outcome).toBe("hung");
  });

  it("after commit (504 from the gateway): an error status, yet the fulfillment exists", async () => {
    const { sim, gql, fulfillments } = await setup();
    sim.control.injectFault({ operation: "fulfillmentCreate", action: { type: "httpError", status: 504, afterCommit: true }, times: 1 });
    expect((await gql(FULFILLMENT_CREATE, CREATE_ALL)).status).toBe(504);
    expect(fulfillments()).toHaveLength(1);
  });

  it("before commit (connection dropped): the client sees a network error, nothing happened", async () => {
    const { sim, gql, fulfillments } = await setup();
    sim.control.injectFault({ operation: "fulfillmentCreate", action: { type: "dropBeforeCommit" }, times: 1 });
    await expect(gql(FULFILLMENT_CREATE, CREATE_ALL)).rejects.toThrow();
    expect(fulfillments()).toEqual([]);
    expect(sim.control.requestLog()[0]).toMatchObject({ outcome: "dropped", requestedQueryCost: null });
    expect((await gql(FULFILLMENT_CREATE, CREATE_ALL)).body.data.fulfillmentCreate.userErrors).toEqual([]);
  });
});

describe("state changes on demand", () => {
  it("revokes the token: this call and later ones get 401", async () => {
    const { sim, gql } = await setup();
    sim.control.injectFault({ shop: SHOP, action: { type: "revokeToken" }, times: 1 });
    expect((await gql(`{ shop { id } }`)).status).toBe(401);
    expect((await gql(`{ shop { id } }`)).status).toBe(401);
    expect(sim.control.getShop({ shop: SHOP }).tokens).toEqual([]);
  });

  it("removes a scope: the write is denied", async () => {
    const { sim, gql, fulfillments } = await setup();
    sim.control.injectFault({
      operation: "fulfillmentCreate",
      action: { type: "removeScope", scope: "write_merchant_managed_fulfillment_orders" },
      times: 1,
    });
    const response = await gql(FULFILLMENT_CREATE, CREATE_ALL);
    expect(response.body.errors[0].extensions.code).toBe("ACCESS_DENIED");
    expect(fulfillments()).toEqual([]);
  });

  it("freezes (402) and locks (423) the shop", async () => {
    const { sim, gql } = await setup();
    sim.control.injectFault({ action: { type: "freezeShop" }, times: 1 });
    expect((await gql(`{ shop { id } }`)).status).toBe(402);
    sim.control.setShopAvailability({ shop: SHOP, frozen: false });
    sim.control.injectFault({ action: { type: "lockShop" }, times: 1 });
    expect((await gql(`{ shop { id } }`)).status).toBe(423);
  });
});

describe("fulfillment-order races between the app's read and its write", () => {
  async function raced(change: "close" | "hold" | "move") {
    const h = await setup();
    const read = (await h.gql(ORDER_STATE, { id: h.order.id })).body.data.order;
    expect(read.fulfillmentOrders.nodes[0].status).toBe("OPEN");
    h.sim.control.injectFault({ action: { type: "fulfillmentOrderRace", change }, times: 1 });
    const write = await h.gql(FULFILLMENT_CREATE, CREATE_ALL);
    return { ...h, write: write.body.data.fulfillmentCreate };
  }

  it("closed", async () => {
    const { write } = await raced("close");
    expect(write.userErrors[0].message).toBe("Fulfillment order 110 has an unfulfillable status= closed.");
  });

  it("put on hold", async () => {
    const { write } = await raced("hold");
    expect(write.userErrors[0].message).toBe("Fulfillment order 110 has an unfulfillable status= on_hold.");
  });

  it("moved to another location: the old FO is closed, a new one at Osaka holds the units", async () => {
    const { write, gql, order, sim } = await raced("move");
    expect(write.userErrors[0].message).toBe("Fulfillment order 110 has an unfulfillable status= closed.");
    const nodes = (await gql(ORDER_STATE, { id: order.id })).body.data.order.fulfillmentOrders.nodes;
    expect(nodes.map((fo: any) => [fo.status, fo.assignedLocation.name])).toEqual([
      ["CLOSED", "東京倉庫"],
      ["OPEN", "大阪倉庫"],
    ]);
    const displayable = await gql(`query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5, displayable: true) { nodes { id } } } }`, {
      id: order.id,
    });
    expect(displayable.body.data.order.fulfillmentOrders.nodes).toEqual([{ id: nodes[1].id }]);
    expect(sim.control.faultLog()[0]).toMatchObject({ operation: "fulfillmentCreate", action: { change: "move" } });
  });
});

describe("reproducibility", () => {
  async function faultPattern(seed: number): Promise<number[]> {
    const h = await harness({}, { seed });
    const rule: FaultRuleInput = { action: { type: "httpError", status: 503 }, probability: 0.4 };
    h.sim.control.injectFault(rule);
    h.sim.control.injectFault({ action: { type: "latency", ms: 1 }, probability: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      statuses.push((await adminGraphql({ origin: h.sim.origin, shop: SHOP, token: TOKEN, query: "{ shop { id } }" })).status);
    }
    const log = h.sim.control.faultLog();
    expect(log.filter((entry) => entry.action.type === "httpError").map((entry) => entry.requestId)).toEqual(
      statuses.flatMap((status, index) => (status === 503 ? [index + 1] : [])),
    );
    return statuses;
  }

  it("gives the same fault sequence for the same seed, and another for another seed", async () => {
    const first = await faultPattern(7);
    const second = await faultPattern(7);
    const other = await faultPattern(8);
    expect(second).toEqual(first);
    expect(first.filter((status) => status === 503).length).toBeGreaterThan(3);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(3);
    expect(other).not.toEqual(first);
  });

  it("restarts the sequence on reset", async () => {
    const h = await harness({}, { seed: 3 });
    const run = async () => {
      h.sim.control.injectFault({ action: { type: "httpError", status: 500 }, probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await h.gql("{ shop { id } }")).status);
      return statuses;
    };
    const before = await run();
    h.sim.control.reset();
    h.sim.control.createShop({ shop: SHOP, token: TOKEN });
    expect(await run()).toEqual(before);
  });
});
