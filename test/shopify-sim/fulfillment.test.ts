import { describe, expect, it } from "vitest";
import { FULFILLMENT_CREATE, harness, ORDER_STATE, SHOP, twoLineOrder } from "./fixtures";

const FO = "gid://shopify/FulfillmentOrder/110";
const MUG_LINE = "gid://shopify/FulfillmentOrderLineItem/111";
const TOWEL_LINE = "gid://shopify/FulfillmentOrderLineItem/112";

function byFulfillmentOrder(fulfillmentOrderId: string, lines?: { id: string; quantity: number }[]) {
  return { fulfillmentOrderId, ...(lines ? { fulfillmentOrderLineItems: lines } : {}) };
}

async function setup() {
  const h = await harness();
  const order = twoLineOrder(h.sim);
  const create = async (fulfillment: Record<string, unknown>) =>
    (await h.gql(FULFILLMENT_CREATE, { fulfillment })).body.data.fulfillmentCreate;
  const state = async () => (await h.gql(ORDER_STATE, { id: order.id })).body.data.order;
  return { ...h, order, create, state };
}

describe("fulfillmentCreate", () => {
  it("fulfils part of an FO: remaining quantities drop and the FO is IN_PROGRESS", async () => {
    const { create, state } = await setup();
    const result = await create({
      lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO, [{ id: MUG_LINE, quantity: 2 }])],
      trackingInfo: { company: "Yamato (JA)", number: "438912345675", url: "https://example.test/t/438912345675" },
    });
    expect(result).toEqual({
      fulfillment: {
        id: expect.stringMatching(/^gid:\/\/shopify\/Fulfillment\/\d+$/),
        status: "SUCCESS",
        trackingInfo: [{ company: "Yamato (JA)", number: "438912345675", url: "https://example.test/t/438912345675" }],
      },
      userErrors: [],
    });
    const order = await state();
    expect(order.displayFulfillmentStatus).toBe("PARTIALLY_FULFILLED");
    const fo = order.fulfillmentOrders.nodes[0];
    expect(fo.status).toBe("IN_PROGRESS");
    expect(fo.lineItems.nodes.map((line: any) => [line.id, line.remainingQuantity, line.totalQuantity])).toEqual([
      [MUG_LINE, 1, 3],
      [TOWEL_LINE, 1, 1],
    ]);
    expect(order.fulfillments).toEqual([
      {
        id: result.fulfillment.id,
        status: "SUCCESS",
        trackingInfo: [{ company: "Yamato (JA)", number: "438912345675", url: "https://example.test/t/438912345675" }],
        fulfillmentLineItems: { nodes: [{ id: expect.any(String), quantity: 2, lineItem: { id: "gid://shopify/LineItem/101" } }] },
      },
    ]);
  });

  it("fulfils the whole FO when the lines are omitted: FO CLOSED, order FULFILLED", async () => {
    const { create, state } = await setup();
    const result = await create({
      lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)],
      trackingInfo: { company: "Sagawa (JA)", numbers: ["1", "2"], urls: ["https://a.test/1", "https://a.test/2"] },
    });
    expect(result.fulfillment.trackingInfo).toEqual([
      { company: "Sagawa (JA)", number: "1", url: "https://a.test/1" },
      { company: "Sagawa (JA)", number: "2", url: "https://a.test/2" },
    ]);
    const order = await state();
    expect(order.displayFulfillmentStatus).toBe("FULFILLED");
    expect(order.fulfillmentOrders.nodes[0].status).toBe("CLOSED");
    expect(order.fulfillmentOrders.nodes[0].supportedActions).toEqual([]);
    expect(order.fulfillmentOrders.nodes[0].lineItems.nodes.map((line: any) => line.remainingQuantity)).toEqual([0, 0]);
  });

  it("refuses more than remains (also what a duplicate create gets)", async () => {
    const { create } = await setup();
    const fulfillment = { lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO, [{ id: MUG_LINE, quantity: 3 }])] };
    expect((await create(fulfillment)).userErrors).toEqual([]);
    expect(await create(fulfillment)).toEqual({
      fulfillment: null,
      userErrors: [{ field: ["fulfillment"], message: "Invalid fulfillment order line item quantity requested." }],
    });
  });

  it("refuses a quantity above what remains, and the same line listed twice beyond it", async () => {
    const { create, state } = await setup();
    const over = await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO, [{ id: MUG_LINE, quantity: 4 }])] });
    expect(over.userErrors[0].message).toBe("Invalid fulfillment order line item quantity requested.");
    const twice = await create({
      lineItemsByFulfillmentOrder: [
        byFulfillmentOrder(FO, [
          { id: MUG_LINE, quantity: 2 },
          { id: MUG_LINE, quantity: 2 },
        ]),
      ],
    });
    expect(twice.userErrors[0].message).toBe("Invalid fulfillment order line item quantity requested.");
    expect((await state()).fulfillments).toEqual([]);
  });

  it("refuses a CLOSED FO", async () => {
    const { create, sim } = await setup();
    sim.control.changeFulfillmentOrder({ shop: SHOP, fulfillmentOrderId: FO, action: "close" });
    expect((await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)] })).userErrors).toEqual([
      { field: ["fulfillment"], message: "Fulfillment order 110 has an unfulfillable status= closed." },
    ]);
  });

  it("refuses an ON_HOLD FO, which offers RELEASE_HOLD instead of CREATE_FULFILLMENT", async () => {
    const { create, sim, state } = await setup();
    sim.control.changeFulfillmentOrder({ shop: SHOP, fulfillmentOrderId: FO, action: "hold" });
    const fo = (await state()).fulfillmentOrders.nodes[0];
    expect(fo.status).toBe("ON_HOLD");
    expect(fo.supportedActions.map((entry: any) => entry.action)).toEqual(["RELEASE_HOLD", "HOLD", "MOVE"]);
    expect((await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)] })).userErrors[0].message).toBe(
      "Fulfillment order 110 has an unfulfillable status= on_hold.",
    );
    sim.control.changeFulfillmentOrder({ shop: SHOP, fulfillmentOrderId: FO, action: "releaseHold" });
    expect((await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)] })).userErrors).toEqual([]);
  });

  it("refuses a SCHEDULED FO, which carries its fulfillAt", async () => {
    const { create, sim, state } = await setup();
    sim.control.changeFulfillmentOrder({
      shop: SHOP,
      fulfillmentOrderId: FO,
      action: "schedule",
      fulfillAt: "2026-12-01T00:00:00.000Z",
    });
    const fo = (await state()).fulfillmentOrders.nodes[0];
    expect(fo).toMatchObject({ status: "SCHEDULED", fulfillAt: "2026-12-01T00:00:00.000Z" });
    expect(fo.supportedActions).toEqual([{ action: "MARK_AS_OPEN" }]);
    expect((await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)] })).userErrors[0].message).toBe(
      "Fulfillment order 110 has an unfulfillable status= scheduled.",
    );
  });

  it("refuses FOs of different orders", async () => {
    const { create, sim } = await setup();
    twoLineOrder(sim, 2);
    expect(
      (await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO), byFulfillmentOrder("gid://shopify/FulfillmentOrder/210")] }))
        .userErrors,
    ).toEqual([{ field: ["fulfillment"], message: "All fulfillment orders must belong to the same order." }]);
  });

  it("refuses an FO line that is not on the FO, and an FO that does not exist", async () => {
    const { create, sim } = await setup();
    twoLineOrder(sim, 2);
    const otherLine = await create({
      lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO, [{ id: "gid://shopify/FulfillmentOrderLineItem/211", quantity: 1 }])],
    });
    expect(otherLine.userErrors).toEqual([{ field: ["fulfillment"], message: "Fulfillment order line item does not exist." }]);
    const missing = await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder("gid://shopify/FulfillmentOrder/999")] });
    expect(missing.userErrors).toEqual([{ field: ["fulfillment"], message: "Fulfillment order does not exist." }]);
  });

  it("refuses number with numbers, and url with urls", async () => {
    const { create, state } = await setup();
    const both = await create({
      lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)],
      trackingInfo: { company: "Yamato (JA)", number: "1", numbers: ["1", "2"] },
    });
    expect(both).toEqual({
      fulfillment: null,
      userErrors: [{ field: ["fulfillment", "trackingInfo", "numbers"], message: "Only one of number or numbers can be provided." }],
    });
    const urls = await create({
      lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)],
      trackingInfo: { number: "1", url: "https://a.test/1", urls: ["https://a.test/1"] },
    });
    expect(urls.userErrors[0]).toEqual({ field: ["fulfillment", "trackingInfo", "urls"], message: "Only one of url or urls can be provided." });
    expect((await state()).fulfillments).toEqual([]);
  });

  it("cannot fulfil closed or cancelled orders", async () => {
    const { create, sim } = await setup();
    twoLineOrder(sim, 2);
    sim.control.setOrderState({ shop: SHOP, orderId: "gid://shopify/Order/100", state: "closed" });
    sim.control.setOrderState({ shop: SHOP, orderId: "gid://shopify/Order/200", state: "cancelled" });
    expect((await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)] })).userErrors[0].message).toBe(
      "Fulfillment order 110 has an unfulfillable status= closed.",
    );
    expect(
      (await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder("gid://shopify/FulfillmentOrder/210")] })).userErrors[0].message,
    ).toBe("Fulfillment order 210 has an unfulfillable status= cancelled.");
  });

  it("takes FOs of one order at one location only", async () => {
    const h = await harness();
    const order = h.sim.control.createOrder({
      shop: SHOP,
      lines: [
        { title: "Kettle", quantity: 1 },
        { title: "Towel", quantity: 2 },
      ],
      fulfillmentOrders: [
        { locationId: "gid://shopify/Location/2", lines: [{ lineIndex: 0, quantity: 1 }] },
        { locationId: "gid://shopify/Location/1", lines: [{ lineIndex: 1, quantity: 2 }] },
      ],
    });
    const read = (await h.gql(ORDER_STATE, { id: order.id })).body.data.order;
    expect(read.fulfillmentOrders.nodes.map((fo: any) => fo.assignedLocation)).toEqual([
      { name: "大阪倉庫" },
      { name: "東京倉庫" },
    ]);
    const both = await h.gql(FULFILLMENT_CREATE, {
      fulfillment: { lineItemsByFulfillmentOrder: order.fulfillmentOrders.map((fo) => ({ fulfillmentOrderId: fo.id })) },
    });
    expect(both.body.data.fulfillmentCreate.userErrors[0].message).toBe(
      "All fulfillment orders must be assigned to the same location.",
    );
    const osaka = await h.gql(FULFILLMENT_CREATE, {
      fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: order.fulfillmentOrders[0].id }] },
    });
    expect(osaka.body.data.fulfillmentCreate.userErrors).toEqual([]);
    const after = (await h.gql(ORDER_STATE, { id: order.id })).body.data.order;
    expect(after.displayFulfillmentStatus).toBe("PARTIALLY_FULFILLED");
    expect(after.fulfillmentOrders.nodes.map((fo: any) => fo.status)).toEqual(["CLOSED", "OPEN"]);
  });
});

describe("fulfillmentCancel", () => {
  const CANCEL = `mutation($id: ID!) { fulfillmentCancel(id: $id) { fulfillment { id status } userErrors { field message } } }`;

  it("gives a partially fulfilled FO its units back", async () => {
    const { create, gql, state } = await setup();
    const { fulfillment } = await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO, [{ id: MUG_LINE, quantity: 2 }])] });
    const cancelled = (await gql(CANCEL, { id: fulfillment.id })).body.data.fulfillmentCancel;
    expect(cancelled).toEqual({ fulfillment: { id: fulfillment.id, status: "CANCELLED" }, userErrors: [] });
    const order = await state();
    expect(order.displayFulfillmentStatus).toBe("UNFULFILLED");
    expect(order.fulfillmentOrders.nodes).toHaveLength(1);
    expect(order.fulfillmentOrders.nodes[0].status).toBe("OPEN");
    expect(order.fulfillmentOrders.nodes[0].lineItems.nodes.map((line: any) => line.remainingQuantity)).toEqual([3, 1]);
    expect(order.fulfillments.map((entry: any) => entry.status)).toEqual(["CANCELLED"]);
  });

  it("re-opens the cancelled units of a CLOSED FO on a new FO at the same location (documented behaviour)", async () => {
    const { create, gql, state } = await setup();
    const { fulfillment } = await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)] });
    await gql(CANCEL, { id: fulfillment.id });
    const order = await state();
    const [original, reopened] = order.fulfillmentOrders.nodes;
    expect(original).toMatchObject({ id: FO, status: "CLOSED" });
    expect(reopened).toMatchObject({ status: "OPEN", assignedLocation: { name: "東京倉庫" } });
    expect(reopened.id).not.toBe(FO);
    // The same order lines come back, under new FO line ids: map by lineItem.id.
    expect(reopened.lineItems.nodes.map((line: any) => [line.lineItem.id, line.remainingQuantity])).toEqual([
      ["gid://shopify/LineItem/101", 3],
      ["gid://shopify/LineItem/102", 1],
    ]);
    expect(reopened.lineItems.nodes.map((line: any) => line.id)).not.toContain(MUG_LINE);
    expect(order.displayFulfillmentStatus).toBe("UNFULFILLED");
  });

  it("re-opens the same FO when the shop is switched to that behaviour", async () => {
    const { create, gql, state, sim } = await setup();
    sim.control.setSettings({ shop: SHOP, reopenSameFulfillmentOrder: true });
    const { fulfillment } = await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)] });
    await gql(CANCEL, { id: fulfillment.id });
    const nodes = (await state()).fulfillmentOrders.nodes;
    expect(nodes.map((fo: any) => [fo.id, fo.status])).toEqual([[FO, "OPEN"]]);
    expect(nodes[0].lineItems.nodes.map((line: any) => line.remainingQuantity)).toEqual([3, 1]);
  });

  it("refuses to cancel a cancelled fulfillment, or one that does not exist", async () => {
    const { create, gql } = await setup();
    const { fulfillment } = await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO, [{ id: TOWEL_LINE, quantity: 1 }])] });
    await gql(CANCEL, { id: fulfillment.id });
    expect((await gql(CANCEL, { id: fulfillment.id })).body.data.fulfillmentCancel).toEqual({
      fulfillment: null,
      userErrors: [{ field: ["id"], message: "Fulfillment has already been cancelled." }],
    });
    expect((await gql(CANCEL, { id: "gid://shopify/Fulfillment/1" })).body.data.fulfillmentCancel.userErrors).toEqual([
      { field: ["id"], message: "Fulfillment does not exist." },
    ]);
  });
});

describe("fulfillmentTrackingInfoUpdate", () => {
  const UPDATE = `mutation($id: ID!, $tracking: FulfillmentTrackingInput!, $notify: Boolean) {
    fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $tracking, notifyCustomer: $notify) {
      fulfillment { id trackingInfo(first: 10) { company number url } }
      userErrors { field message }
    }
  }`;

  it("replaces the tracking of an existing fulfillment without touching its lines", async () => {
    const { create, gql, state } = await setup();
    const { fulfillment } = await create({
      lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO, [{ id: MUG_LINE, quantity: 1 }])],
      trackingInfo: { company: "Yamato (JA)", number: "111" },
    });
    const updated = await gql(UPDATE, {
      id: fulfillment.id,
      tracking: { company: "Sagawa (JA)", number: "222", url: "https://a.test/222" },
      notify: false,
    });
    expect(updated.body.data.fulfillmentTrackingInfoUpdate).toEqual({
      fulfillment: { id: fulfillment.id, trackingInfo: [{ company: "Sagawa (JA)", number: "222", url: "https://a.test/222" }] },
      userErrors: [],
    });
    expect(updated.body.extensions.cost.requestedQueryCost).toBe(10);
    const order = await state();
    expect(order.fulfillments[0].fulfillmentLineItems.nodes[0].quantity).toBe(1);
    expect(order.fulfillmentOrders.nodes[0].lineItems.nodes[0].remainingQuantity).toBe(2);
  });

  it("refuses number with numbers, and a cancelled fulfillment", async () => {
    const { create, gql } = await setup();
    const { fulfillment } = await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO)] });
    const both = await gql(UPDATE, { id: fulfillment.id, tracking: { number: "1", numbers: ["2"] } });
    expect(both.body.data.fulfillmentTrackingInfoUpdate.userErrors[0].field).toEqual(["trackingInfoInput", "numbers"]);
    await gql(`mutation($id: ID!) { fulfillmentCancel(id: $id) { userErrors { message } } }`, { id: fulfillment.id });
    const cancelled = await gql(UPDATE, { id: fulfillment.id, tracking: { number: "3" } });
    expect(cancelled.body.data.fulfillmentTrackingInfoUpdate.fulfillment).toBeNull();
    expect(cancelled.body.data.fulfillmentTrackingInfoUpdate.userErrors).toHaveLength(1);
  });
});

describe("reads", () => {
  it("returns several orders and an FO at once with nodes(ids:), null for unknown ids", async () => {
    const { sim, gql } = await setup();
    twoLineOrder(sim, 2);
    const response = await gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) {
        __typename id
        ... on Order { name fulfillmentOrders(first: 5) { nodes { id status } } }
        ... on FulfillmentOrder { status orderName }
      } }`,
      { ids: ["gid://shopify/Order/100", "gid://shopify/Order/200", "gid://shopify/Order/999", "gid://shopify/FulfillmentOrder/210"] },
    );
    expect(response.body.data.nodes).toEqual([
      { __typename: "Order", id: "gid://shopify/Order/100", name: "#1001", fulfillmentOrders: { nodes: [{ id: FO, status: "OPEN" }] } },
      {
        __typename: "Order",
        id: "gid://shopify/Order/200",
        name: "#1002",
        fulfillmentOrders: { nodes: [{ id: "gid://shopify/FulfillmentOrder/210", status: "OPEN" }] },
      },
      null,
      { __typename: "FulfillmentOrder", id: "gid://shopify/FulfillmentOrder/210", status: "OPEN", orderName: "#1002" },
    ]);
  });

  it("reads one FO and one fulfillment by id, and pages FO lines with cursors", async () => {
    const { create, gql } = await setup();
    const { fulfillment } = await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO, [{ id: TOWEL_LINE, quantity: 1 }])] });
    const page1 = await gql(`{ fulfillmentOrder(id: "${FO}") { id status lineItems(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } } }`);
    const fo = page1.body.data.fulfillmentOrder;
    expect(fo).toMatchObject({ id: FO, status: "IN_PROGRESS", lineItems: { nodes: [{ id: MUG_LINE }], pageInfo: { hasNextPage: true } } });
    const page2 = await gql(`query($after: String) { fulfillmentOrder(id: "${FO}") { lineItems(first: 1, after: $after) { nodes { id } pageInfo { hasNextPage } } } }`, {
      after: fo.lineItems.pageInfo.endCursor,
    });
    expect(page2.body.data.fulfillmentOrder.lineItems).toEqual({ nodes: [{ id: TOWEL_LINE }], pageInfo: { hasNextPage: false } });
    const read = await gql(`query($id: ID!) { fulfillment(id: $id) { id status totalQuantity order { id } } }`, { id: fulfillment.id });
    expect(read.body.data.fulfillment).toEqual({ id: fulfillment.id, status: "SUCCESS", totalQuantity: 1, order: { id: "gid://shopify/Order/100" } });
  });

  it("lets control snapshots show fulfillments per FO line", async () => {
    const { create, sim } = await setup();
    const { fulfillment } = await create({ lineItemsByFulfillmentOrder: [byFulfillmentOrder(FO, [{ id: MUG_LINE, quantity: 2 }])] });
    expect(sim.control.getOrder({ shop: SHOP, orderId: "gid://shopify/Order/100" }).fulfillmentsByFulfillmentOrderLine).toEqual({
      [MUG_LINE]: [{ fulfillmentId: fulfillment.id, status: "SUCCESS", quantity: 2 }],
    });
  });
});
