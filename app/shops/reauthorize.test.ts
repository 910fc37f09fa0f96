import { describe, expect, it } from "vitest";
import { scopesToRequest } from "~/worker/sync-deps.server";
import { missingScopes, safeReturnPath } from "./reauthorize.server";

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
  const requested = new Set([
    "read_orders",
    "write_merchant_managed_fulfillment_orders",
  ]);
  it("asks only for the alternative the app requests", () => {
    expect(
      scopesToRequest(
        [
          "write_merchant_managed_fulfillment_orders",
          "write_third_party_fulfillment_orders",
        ],
        requested,
      ),
    ).toEqual(["write_merchant_managed_fulfillment_orders"]);
  });
  it("shows all alternatives when the app requests none of them", () => {
    expect(
      scopesToRequest(["write_products", "write_inventory"], requested),
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
