/**
 * Changes made "in Shopify admin" from the fault panel reach the app through webhooks
 * the simulator delivers (signed, some duplicated, in any order): the shipments table
 * shows a fulfillment cancelled there as 未発送, and tracking edited there as the new
 * number.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { demoShop } from "../demo/demo-data";
import {
  startBrowserWorld,
  type AdminPage,
  type BrowserWorld,
} from "./harness";
import { expectNoBrowserErrors, row, rowStatus } from "./merchant";

let world: BrowserWorld;

beforeAll(async () => {
  world = await startBrowserWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
});

/** The demo's shipped-and-synced shipments: [order, vendor]. */
const synced = demoShop.orders.flatMap((order) =>
  order.shipments
    .filter((s) => s.shipped)
    .map((s) => ({ order, vendor: s.vendor, shipped: s.shipped! })),
);
// One synced shipment per order, so "the order's fulfillment" is this shipment's.
const [cancelled, retracked] = synced.filter(
  (s) => synced.filter((other) => other.order.id === s.order.id).length === 1,
);

async function inShopifyAdmin(
  admin: AdminPage,
  action: string,
  orderId: string,
  trackingNumber?: string,
) {
  await admin.page.locator("#admin-order").selectOption(orderId);
  if (trackingNumber)
    await admin.page.locator("#admin-tracking").fill(trackingNumber);
  await admin.page.locator(`button[data-admin-action="${action}"]`).click();
  await expect
    .poll(() => admin.page.locator("#admin-log").textContent())
    .not.toBe("");
}

/** The shipments table is reloaded until `check` holds (webhooks arrive within ~1 s). */
async function untilTable(admin: AdminPage, check: () => Promise<boolean>) {
  await expect
    .poll(
      async () => {
        await admin.page.locator("#reload").click();
        await admin.page.waitForLoadState("load");
        await admin.settled();
        return check();
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .toBe(true);
}

describe("in Shopify admin, in a browser", { timeout: 120_000 }, () => {
  test("a fulfillment cancelled in Shopify admin turns the shipment back to 未発送", async () => {
    expect(cancelled && retracked).toBeTruthy();
    const admin = await world.openAdmin();
    expect(
      await rowStatus(admin, cancelled!.order.name, cancelled!.vendor),
    ).toBe("発送済み");
    await inShopifyAdmin(admin, "cancelFulfillment", cancelled!.order.id);
    await untilTable(
      admin,
      async () =>
        (await rowStatus(admin, cancelled!.order.name, cancelled!.vendor)) ===
        "未発送",
    );
    const deliveries = world.stack.control.webhookDeliveries({
      topic: "fulfillments/update",
    });
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.state === "delivered")).toBe(true);
    await admin.page.setViewportSize({ width: 900, height: 1100 });
    await admin.page.locator("#shopify-admin").scrollIntoViewIfNeeded();
    await admin.screenshot("shopify-admin-cancelled-ja", { whole: true });
    expectNoBrowserErrors(admin);
  });

  test("tracking edited in Shopify admin shows in the table", async () => {
    const admin = await world.openAdmin({ locale: "en" });
    await inShopifyAdmin(
      admin,
      "editTracking",
      retracked!.order.id,
      "987654321098",
    );
    await untilTable(admin, async () =>
      (
        (await row(
          admin,
          retracked!.order.name,
          retracked!.vendor,
        ).textContent()) ?? ""
      ).includes("987654321098"),
    );
    await admin.page.setViewportSize({ width: 900, height: 1100 });
    await admin.page.locator("#shopify-admin").scrollIntoViewIfNeeded();
    await admin.screenshot("shopify-admin-tracking-en", { whole: true });
    expectNoBrowserErrors(admin);
  });
});
