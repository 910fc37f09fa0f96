import { describe, expect, it } from "vitest";
import { createControlClient, SimulatorControlError } from "./client";
import { harness, SHOP } from "./fixtures";

describe("control API over HTTP", () => {
  it("offers the in-process operations with the same results", async () => {
    const { sim } = await harness();
    const remote = createControlClient(sim.origin);
    const created = await remote.createOrder({ shop: SHOP, name: "#2001", lines: [{ title: "Mug", quantity: 2 }] });
    expect(created).toEqual(sim.control.getOrder({ shop: SHOP, orderId: created.id }));
    const token = await remote.installToken({ shop: SHOP });
    expect(token.token).toMatch(/^shpat_[0-9a-f]{32}$/);
    expect((await remote.getShop({ shop: SHOP })).tokens.map((entry) => entry.token)).toContain(token.token);
    await remote.injectFault({ id: "boom", action: { type: "httpError", status: 500 }, times: 1 });
    expect(await remote.listFaults()).toEqual([expect.objectContaining({ id: "boom", times: 1, fired: 0 })]);
  });

  it("reports mistakes as 4xx with a message, and serves reads over GET", async () => {
    const { sim } = await harness();
    const remote = createControlClient(sim.origin);
    await expect(remote.createShop({ shop: "not a domain" })).rejects.toThrow(SimulatorControlError);
    await expect(remote.getOrder({ shop: SHOP, orderId: "gid://shopify/Order/1" })).rejects.toMatchObject({ status: 404 });
    const unknown = await fetch(`${sim.origin}/_simulator/dropDatabase`, { method: "POST" });
    expect(unknown.status).toBe(404);
    const read = await fetch(`${sim.origin}/_simulator/getShop?shop=${SHOP}`);
    expect((await read.json()).shop).toBe(SHOP);
    expect((await fetch(`${sim.origin}/_simulator/reset`)).status).toBe(405);
  });

  it("keeps a request log with per-request cost", async () => {
    const { sim, gql } = await harness();
    await gql(`query ShopName { shop { name } }`);
    await gql(`{ nope }`);
    expect(sim.control.requestLog()).toEqual([
      expect.objectContaining({ id: 1, shop: SHOP, operationName: "ShopName", rootFields: ["shop"], outcome: 200, requestedQueryCost: 1, actualQueryCost: 1 }),
      expect.objectContaining({ id: 2, rootFields: ["nope"], requestedQueryCost: null }),
    ]);
  });

  it("advances the clock for everything that depends on time", async () => {
    const { sim, gql } = await harness();
    sim.control.setBucket({ shop: SHOP, currentlyAvailable: 0 });
    sim.control.advanceClock({ ms: 2000 });
    expect((await gql(`{ shop { id } }`)).body.extensions.cost.throttleStatus.currentlyAvailable).toBe(199);
  });

  it("refuses an order whose FOs do not hold exactly its lines", async () => {
    const { sim } = await harness();
    expect(() =>
      sim.control.createOrder({
        shop: SHOP,
        lines: [{ title: "Mug", quantity: 2 }],
        fulfillmentOrders: [{ locationId: "gid://shopify/Location/1", lines: [{ lineIndex: 0, quantity: 1 }] }],
      }),
    ).toThrow(/holds? 1/);
    expect(sim.control.getShop({ shop: SHOP }).orders).toEqual([]);
  });
});
