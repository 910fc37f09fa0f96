import { describe, expect, it } from "vitest";
import { scopesToRequest } from "~/shops/declared-scopes";
import { missingScopes, safeReturnPath } from "~/shops/reauthorize.server";

describe("missingScopes", () => {
  it("lists required scopes not granted, counting write_x as covering read_x", () => {
    expect(
      missingScopes(
        ["read_orders", "write_merchant_managed_fulfillment_orders"],
        [
          "read_orders",
          "read_merchant_managed_fulfillment_orders",
          "read_fulfillments",
          "read_fulfillments",
        ],
      ),
    ).toEqual(["read_fulfillments"]);
  });
  it("is empty when everything is granted", () => {
    expect(missingScopes(["read_orders"], ["read_orders"])).toEqual([]);
  });
});

describe("scopesToRequest", () => {
  const declared = {
    required: ["read_orders", "write_merchant_managed_fulfillment_orders"],
    optional: ["write_third_party_fulfillment_orders", "read_all_orders"],
  };
  it("asks, per requirement, only for the alternative the app declares", () => {
    expect(
      scopesToRequest(
        [
          [
            "write_assigned_fulfillment_orders",
            "write_merchant_managed_fulfillment_orders",
            "write_third_party_fulfillment_orders",
          ],
        ],
        declared,
      ),
    ).toEqual(["write_merchant_managed_fulfillment_orders"]);
  });
  it("prefers a required scope over an optional one, and takes an optional one when it is the app's only", () => {
    expect(
      scopesToRequest(
        [
          [
            "write_third_party_fulfillment_orders",
            "write_merchant_managed_fulfillment_orders",
          ],
        ],
        declared,
      ),
    ).toEqual(["write_merchant_managed_fulfillment_orders"]);
    expect(
      scopesToRequest(
        [["read_all_orders"], ["read_orders", "read_marketplace_orders"]],
        declared,
      ),
    ).toEqual(["read_all_orders", "read_orders"]);
  });
  it("shows all alternatives when the app declares none of them", () => {
    expect(
      scopesToRequest([["write_products", "write_inventory"]], declared),
    ).toEqual(["write_products", "write_inventory"]);
  });
});

describe("safeReturnPath", () => {
  it.each([
    ["/app", "/app"],
    ["/app/shipments/12", "/app/shipments/12"],
    ["/app?sync=pending&q=%231001", "/app?sync=pending&q=%231001"],
    ["https://evil.example/app", "/app"],
    ["//evil.example", "/app"],
    ["/app//evil.example", "/app"],
    ["/auth/login", "/app"],
    [null, "/app"],
  ])("%s → %s", (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });
});
