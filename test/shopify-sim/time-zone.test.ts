import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { SHOP_TIME_ZONE_QUERY } from "../../app/shopify/documents";
import { documentAccess } from "./access";
import { createControlClient, SimulatorControlError } from "./client";
import { harness, SHOP } from "./fixtures";
import { loadAccessIndex, loadAdminSchema } from "./schema";

// Shop.ianaTimezone (String!, no requiredAccess in the 2026-10 schema): per simulated shop,
// Asia/Tokyo unless the shop is created with another zone or the merchant changes it.
describe("the shop's time zone", () => {
  it("is Asia/Tokyo by default and answers the app's document at 1 point", async () => {
    const { sim, gql } = await harness();
    const response = await gql(SHOP_TIME_ZONE_QUERY);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ data: { shop: { ianaTimezone: "Asia/Tokyo" } } });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.extensions.cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 1 });
    expect(sim.control.requestLog().at(-1)).toMatchObject({ operationName: "ShopTimeZone", outcome: 200 });
  });

  it("is set per shop when the shop is created, and when the merchant changes it", async () => {
    const { sim, gql } = await harness({ ianaTimezone: "America/New_York" });
    expect(sim.control.getShop({ shop: SHOP }).ianaTimezone).toBe("America/New_York");
    expect((await gql(SHOP_TIME_ZONE_QUERY)).body.data.shop.ianaTimezone).toBe("America/New_York");

    const remote = createControlClient(sim.origin);
    expect(await remote.setShopTimeZone({ shop: SHOP, ianaTimezone: "Europe/Berlin" })).toEqual({
      ianaTimezone: "Europe/Berlin",
    });
    expect((await gql(SHOP_TIME_ZONE_QUERY)).body.data.shop.ianaTimezone).toBe("Europe/Berlin");

    sim.control.createShop({ shop: "other-shop.myshopify.com" });
    expect(sim.control.getShop({ shop: "other-shop.myshopify.com" }).ianaTimezone).toBe("Asia/Tokyo");
  });

  it("takes IANA names only: no offsets, no unknown zones (400 over HTTP)", async () => {
    const { sim } = await harness();
    for (const zone of ["+09:00", "Mars/Olympus", "", " Asia/Tokyo", 9]) {
      expect(() => sim.control.setShopTimeZone({ shop: SHOP, ianaTimezone: zone as string })).toThrow(/IANA time zone/);
    }
    expect(() => sim.control.createShop({ shop: "bad-zone.myshopify.com", ianaTimezone: "GMT+9:00" })).toThrow(
      /IANA time zone/,
    );
    const remote = createControlClient(sim.origin);
    const refused = remote.setShopTimeZone({ shop: SHOP, ianaTimezone: "Mars/Olympus" });
    await expect(refused).rejects.toBeInstanceOf(SimulatorControlError);
    await expect(refused).rejects.toMatchObject({ status: 400 });
    expect(sim.control.getShop({ shop: SHOP }).ianaTimezone).toBe("Asia/Tokyo");
  });
});

describe("access to the time zone, from the schema", () => {
  it("needs no scope: the app's document declares no requirement, and a token without scopes reads it", async () => {
    const access = documentAccess(loadAdminSchema(), loadAccessIndex(), parse(SHOP_TIME_ZONE_QUERY));
    expect(access.selections.filter((selection) => selection.requirement.clauses.length > 0)).toEqual([]);
    expect(access.protectedFields).toEqual([]);

    const { gql } = await harness({ scopes: [], ianaTimezone: "America/New_York" });
    const response = await gql(SHOP_TIME_ZONE_QUERY);
    expect(response.body).toEqual(expect.objectContaining({ data: { shop: { ianaTimezone: "America/New_York" } } }));
    expect(response.body.errors).toBeUndefined();
  });

  it("still refuses a Shop field that does need a scope, beside it, in Shopify's shape", async () => {
    const { gql } = await harness({ scopes: [] });
    const response = await gql(`query { shop { ianaTimezone orderTags(first: 1) { nodes } } }`);
    expect(response.status).toBe(200);
    // orderTags is non-null, and so is shop: the null reaches data.
    expect(response.body.data).toBeNull();
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: "Access denied for orderTags field. Required access: `read_orders` access scope.",
        path: ["shop", "orderTags"],
        extensions: expect.objectContaining({ code: "ACCESS_DENIED", requiredAccess: "`read_orders` access scope." }),
      }),
    ]);
  });

  it("leaves timezoneAbbreviation unmodelled rather than guess what Shopify shows", async () => {
    const { gql } = await harness();
    const response = await gql(`query { shop { timezoneAbbreviation } }`);
    expect(response.body.errors[0].extensions.code).toBe("SIMULATOR_NOT_IMPLEMENTED");
  });
});
