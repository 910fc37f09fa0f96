import fc from "fast-check";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { documentAccess, isSatisfied, parseRequiredAccess } from "./access";
import { DEFAULT_SCOPES } from "./control";
import { FULFILLMENT_CREATE, harness, SHOP, twoLineOrder } from "./fixtures";
import { loadAccessIndex, loadAdminSchema } from "./schema";

const LOCATION_ACCESS =
  "`read_locations` access scope, `read_inventory` access scope or `read_markets_home` access scope.";

const ASSIGNED_LOCATION = /* GraphQL */ `
  query AssignedLocation($id: ID!) {
    order(id: $id) {
      id
      fulfillmentOrders(first: 5) {
        nodes { id assignedLocation { name location { id } } }
      }
    }
  }
`;

const offline = (scopes: string[]) => ({ scopes, tokenKind: "offline" as const });

describe("requiredAccess, as the schema words it", () => {
  it("reads alternatives as any one of them, and write_X as granting read_X", () => {
    const location = parseRequiredAccess(LOCATION_ACCESS);
    expect(location.clauses).toEqual([["read_locations", "read_inventory", "read_markets_home"]]);
    expect(isSatisfied(location, offline(["read_inventory"]))).toBe(true);
    expect(isSatisfied(location, offline(["write_locations"]))).toBe(true);
    expect(isSatisfied(location, offline(["read_orders"]))).toBe(false);
  });

  it("needs every 'as well as' clause and every scope an 'Also:' sentence names", () => {
    const both = parseRequiredAccess(
      "`write_products` access scope as well as any of `write_own_subscription_contracts`, `write_purchase_options` access scopes. Also: The user must have `manage_orders_information` permissions.",
    );
    expect(both.clauses).toEqual([["write_products"], ["write_own_subscription_contracts", "write_purchase_options"]]);
    expect(both.staffPermissions).toEqual(["manage_orders_information"]);
    expect(isSatisfied(both, offline(["write_products"]))).toBe(false);
    expect(isSatisfied(both, offline(["write_products", "write_purchase_options"]))).toBe(true);
    const also = parseRequiredAccess("`read_customers` access scope. Also: Requires `read_customer_payment_methods` scope.");
    expect(also.clauses).toEqual([["read_customers"], ["read_customer_payment_methods"]]);
  });

  it("holds staff permissions against online tokens only, and refuses text it cannot read", () => {
    const create = parseRequiredAccess(
      "`write_assigned_fulfillment_orders` access scope, `write_merchant_managed_fulfillment_orders` access scope or `write_third_party_fulfillment_orders` access scope. Also: The user must have fulfill_and_ship_orders permission.",
    );
    expect(create.staffPermissions).toEqual(["fulfill_and_ship_orders"]);
    const granted = ["write_merchant_managed_fulfillment_orders"];
    expect(isSatisfied(create, offline(granted))).toBe(true);
    expect(isSatisfied(create, { scopes: granted, tokenKind: "online" })).toBe(false);
    const markets = parseRequiredAccess("`read_markets` for queries and both `read_markets` as well as `write_markets` for mutations.");
    expect(markets.unparsed).not.toBeNull();
    expect(isSatisfied(markets, offline(["read_markets", "write_markets"]))).toBe(false);
  });

  it("round-trips any list of alternatives in Shopify's wording", () => {
    const scope = fc.stringMatching(/^(read|write)_[a-z]{1,8}(_[a-z]{1,8}){0,2}$/);
    fc.assert(
      fc.property(fc.uniqueArray(scope, { minLength: 1, maxLength: 6 }), (scopes) => {
        const parts = scopes.map((name) => `\`${name}\` access scope`);
        const text = `${parts.length > 1 ? `${parts.slice(0, -1).join(", ")} or ${parts.at(-1)}` : parts[0]}.`;
        const requirement = parseRequiredAccess(text);
        expect(requirement.unparsed).toBeNull();
        expect(requirement.clauses).toEqual([scopes]);
      }),
    );
  });

  it("reads every requirement of the types and fields the simulator resolves", () => {
    const index = loadAccessIndex();
    const modelled = ["Order", "LineItem", "FulfillmentOrder", "FulfillmentOrderLineItem", "Fulfillment", "Location", "Mutation"];
    const texts = [
      ...[...index.types].filter(([name]) => modelled.includes(name)).map(([, text]) => text),
      ...[...index.fields].filter(([key]) => modelled.includes(key.split(".")[0]!)).map(([, text]) => text),
    ];
    const fulfillmentMutations = ["Mutation.fulfillmentCreate", "Mutation.fulfillmentTrackingInfoUpdate"];
    for (const key of fulfillmentMutations) expect(parseRequiredAccess(index.fields.get(key)!).unparsed).toBeNull();
    expect(texts.length).toBeGreaterThan(0);
  });
});

describe("access enforced from the schema", () => {
  it("refuses Location without a location scope in Shopify's shape: HTTP 200, ACCESS_DENIED, partial data", async () => {
    const { sim, gql } = await harness({ scopes: DEFAULT_SCOPES });
    const order = twoLineOrder(sim);
    const response = await gql(ASSIGNED_LOCATION, { id: order.id });
    expect(response.status).toBe(200);
    // `location` is nullable: only it is nulled, the FO and its assignedLocation name stay.
    expect(response.body.data).toEqual({
      order: {
        id: order.id,
        fulfillmentOrders: { nodes: [{ id: order.fulfillmentOrders[0]!.id, assignedLocation: { name: "東京倉庫", location: null } }] },
      },
    });
    expect(response.body.errors).toEqual([
      {
        message: `Access denied for location field. Required access: ${LOCATION_ACCESS}`,
        locations: [{ line: 6, column: 44 }],
        path: ["order", "fulfillmentOrders", "nodes", 0, "assignedLocation", "location"],
        extensions: {
          code: "ACCESS_DENIED",
          documentation: "https://shopify.dev/api/usage/access-scopes",
          requiredAccess: LOCATION_ACCESS,
        },
      },
    ]);
  });

  it("lets any one alternative in, and still checks each field's own requirement", async () => {
    const { sim, gql } = await harness({ scopes: [...DEFAULT_SCOPES, "read_inventory"] });
    const order = twoLineOrder(sim);
    const withId = await gql(ASSIGNED_LOCATION, { id: order.id });
    expect(withId.body.errors).toBeUndefined();
    expect(withId.body.data.order.fulfillmentOrders.nodes[0].assignedLocation.location).toEqual({ id: "gid://shopify/Location/1" });
    // Location.name needs read_locations or read_markets_home: read_inventory is not enough.
    const withName = await gql(`query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 1) { nodes { assignedLocation { location { name } } } } } }`, {
      id: order.id,
    });
    expect(withName.body.errors[0]).toMatchObject({
      path: ["order", "fulfillmentOrders", "nodes", 0, "assignedLocation", "location", "name"],
      extensions: { code: "ACCESS_DENIED", requiredAccess: "`read_locations` access scope or `read_markets_home` access scope." },
    });
  });

  it("refuses a mutation before it runs: nothing is fulfilled", async () => {
    const { sim, gql } = await harness({ scopes: ["read_orders", "read_merchant_managed_fulfillment_orders"] });
    const order = twoLineOrder(sim);
    const response = await gql(FULFILLMENT_CREATE, {
      fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: order.fulfillmentOrders[0]!.id }] },
    });
    expect(response.body.data).toEqual({ fulfillmentCreate: null });
    expect(response.body.errors[0]).toMatchObject({ path: ["fulfillmentCreate"], extensions: { code: "ACCESS_DENIED" } });
    expect(response.body.errors[0].extensions.requiredAccess).toContain("`write_merchant_managed_fulfillment_orders` access scope");
    expect(sim.control.getOrder({ shop: SHOP, orderId: order.id }).fulfillments).toEqual([]);
  });

  it("holds an online token to the staff permission the mutation names; offline tokens are not", async () => {
    const { sim, gql } = await harness();
    const order = twoLineOrder(sim);
    const { token } = sim.control.installToken({ shop: SHOP, kind: "online", expiresInSeconds: 3600 });
    const variables = { fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: order.fulfillmentOrders[0]!.id }] } };
    const online = await gql(FULFILLMENT_CREATE, variables, { token });
    expect(online.body.errors[0].extensions.code).toBe("ACCESS_DENIED");
    const offlineCall = await gql(FULFILLMENT_CREATE, variables);
    expect(offlineCall.body.data.fulfillmentCreate.userErrors).toEqual([]);
  });

  it("checks an interface field's values by the type each turns out to be", async () => {
    const { sim, gql } = await harness({ scopes: ["read_inventory"] });
    const order = twoLineOrder(sim);
    const response = await gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [order.id, "gid://shopify/Location/1"] });
    expect(response.body.data.nodes).toEqual([null, { id: "gid://shopify/Location/1" }]);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0]).toMatchObject({ path: ["nodes", 0], extensions: { code: "ACCESS_DENIED" } });
  });

  it("finds a fragment's requirements where the fragment is spread", () => {
    const access = documentAccess(
      loadAdminSchema(),
      loadAccessIndex(),
      parse(`query { order(id: "gid://shopify/Order/1") { fulfillmentOrders(first: 1) { nodes { ...F } } } }
             fragment F on FulfillmentOrder { assignedLocation { location { id } } }`),
    );
    const location = access.selections.filter((selection) => selection.fieldName === "location");
    expect(location.map((selection) => selection.path)).toEqual(["…F.assignedLocation.location"]);
  });
});

describe("protected customer data", () => {
  it("withheld: Order data is refused with Shopify's 'not approved' error, and no scope changes that", async () => {
    const { sim, gql } = await harness({ scopes: [...DEFAULT_SCOPES, "read_all_orders"] });
    const order = twoLineOrder(sim);
    sim.control.setSettings({ shop: SHOP, protectedCustomerData: "none" });
    const response = await gql(`query($id: ID!) { shop { name } order(id: $id) { id } }`, { id: order.id });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ shop: { name: "test-shop" }, order: null });
    expect(response.body.errors).toEqual([
      {
        message:
          "This app is not approved to access the Order object. See https://partners.shopify.com/1/apps/1/customer_data for more details.",
        locations: [{ line: 1, column: 33 }],
        path: ["order"],
        extensions: { code: "ACCESS_DENIED" },
      },
    ]);
    const fo = await gql(`query($id: ID!) { fulfillmentOrder(id: $id) { id } }`, { id: order.fulfillmentOrders[0]!.id });
    expect(fo.body.errors[0].message).toMatch(/^This app is not approved to access the FulfillmentOrder object\./);
  });

  it("Level 1 (the default) keeps name, email, phone and address fields out", async () => {
    const { sim, gql } = await harness();
    const order = twoLineOrder(sim);
    const response = await gql(`query($id: ID!) { order(id: $id) { id email } }`, { id: order.id });
    expect(response.body.data).toEqual({ order: { id: order.id, email: null } });
    expect(response.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/^This app is not approved to use the email field\./),
      path: ["order", "email"],
    });
  });

  it("rejects an unknown approval level through the control API", async () => {
    const { sim } = await harness();
    expect(() => sim.control.setSettings({ shop: SHOP, protectedCustomerData: "full" as never })).toThrow(/none, level1 or level2/);
  });
});
