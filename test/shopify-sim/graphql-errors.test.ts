import { describe, expect, it } from "vitest";
import { harness, SHOP, TOKEN } from "./fixtures";
import { adminGraphql } from "./client";

describe("documents are parsed and validated against the 2026-10 schema", () => {
  it("rejects an unknown field with Shopify's undefinedField error (HTTP 200, no data)", async () => {
    const { gql } = await harness();
    const response = await gql(`query OrderQ($id: ID!) { order(id: $id) { id fulfillableQuantity } }`, {
      id: "gid://shopify/Order/1",
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      errors: [
        {
          message: "Field 'fulfillableQuantity' doesn't exist on type 'Order'",
          locations: [{ line: 1, column: 46 }],
          path: ["query OrderQ", "order", "fulfillableQuantity"],
          extensions: { code: "undefinedField", typeName: "Order", fieldName: "fulfillableQuantity" },
        },
      ],
    });
  });

  it("rejects FulfillmentOrderLineItem.fulfillableQuantity, which exists only on LineItem", async () => {
    const { gql } = await harness();
    const response = await gql(`{ fulfillmentOrder(id: "gid://shopify/FulfillmentOrder/1") {
      lineItems(first: 5) { nodes { fulfillableQuantity } } } }`);
    expect(response.body.errors[0]).toMatchObject({
      message: "Field 'fulfillableQuantity' doesn't exist on type 'FulfillmentOrderLineItem'",
      extensions: { code: "undefinedField" },
    });
  });

  it("reports unknown arguments, missing arguments and missing selections", async () => {
    const { gql } = await harness();
    const unknownArgument = await gql(`{ shop { id } order(id: "gid://shopify/Order/1", foo: 1) { id } }`);
    expect(unknownArgument.body.errors[0]).toMatchObject({
      message: "Field 'order' doesn't accept argument 'foo'",
      path: ["query", "order", "foo"],
      extensions: { code: "argumentNotAccepted", name: "order", argumentName: "foo" },
    });
    const missing = await gql(`mutation { fulfillmentCancel { userErrors { message } } }`);
    expect(missing.body.errors[0]).toMatchObject({
      message: "Field 'fulfillmentCancel' is missing required arguments: id",
      extensions: { code: "missingRequiredArguments" },
    });
    const noSelection = await gql(`{ shop }`);
    expect(noSelection.body.errors[0]).toMatchObject({
      message: "Field must have selections (field 'shop' returns Shop but has no selections. Did you mean 'shop { ... }'?)",
      extensions: { code: "selectionMismatch", typeName: "Shop" },
    });
  });

  it("answers a syntax error with a parse error and its location", async () => {
    const { gql } = await harness();
    const response = await gql(`query { shop { id ) }`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      errors: [{ message: 'Parse error on ")" (RPAREN) at [1, 19]', locations: [{ line: 1, column: 19 }] }],
    });
  });

  it("checks variables against their declared types", async () => {
    const { gql } = await harness();
    const response = await gql(`query Q($id: ID!) { order(id: $id) { id } }`, {});
    expect(response.body.errors).toEqual([
      {
        message: "Variable $id of type ID! was provided invalid value (Expected value to not be null)",
        locations: [{ line: 1, column: 9 }],
        extensions: { code: "INVALID_VARIABLE", value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
      },
    ]);
  });

  it("rejects an id that is not a global id", async () => {
    const { gql } = await harness();
    const response = await gql(`{ order(id: "1234") { id } }`);
    expect(response.body.data).toEqual({ order: null });
    expect(response.body.errors[0]).toMatchObject({ message: "Invalid global id '1234'", path: ["order"] });
  });

  it("fails loudly on a schema field the simulator does not model", async () => {
    const { gql } = await harness();
    const response = await gql(`{ shop { id email } }`);
    expect(response.body.errors[0]).toMatchObject({
      path: ["shop", "email"],
      extensions: { code: "SIMULATOR_NOT_IMPLEMENTED" },
    });
  });

  it("answers 404 for an API version it does not serve, and 400 without a query", async () => {
    const { sim } = await harness();
    const wrongVersion = await adminGraphql({ origin: sim.origin, shop: SHOP, token: TOKEN, query: "{ shop { id } }", apiVersion: "2026-13" });
    expect(wrongVersion.status).toBe(404);
    expect(wrongVersion.body).toEqual({ errors: "Not Found" });
    const noQuery = await adminGraphql({ origin: sim.origin, shop: SHOP, token: TOKEN, query: "" });
    expect(noQuery.status).toBe(400);
    expect(noQuery.body).toEqual({ errors: { query: "Required parameter missing or invalid" } });
  });
});
