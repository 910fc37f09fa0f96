/**
 * The app's order-page extensions in the demo's "Shopify admin" order page, in Debian's
 * Chromium: the block shows the order's vendor shipments, the action (from More
 * actions) refuses what the app refuses, then marks a shipment shipped; when it closes
 * the block shows 発送済み and "Shopify" (the simulator) has the fulfillment.
 * Screenshots (900 px wide, ja and en) go to test-results/screenshots/.
 */
/* eslint-disable testing-library/prefer-screen-queries -- playwright locators, not testing-library */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { demoShop } from "../demo/demo-data";
import {
  CHROME_USER_AGENT,
  SCREENSHOT_DIR,
  startBrowserWorld,
  type BrowserWorld,
} from "./harness";

let world: BrowserWorld;
let context: BrowserContext;

beforeAll(async () => {
  world = await startBrowserWorld();
  context = await world.browser.newContext({
    userAgent: CHROME_USER_AGENT,
    viewport: { width: 900, height: 1000 },
    timezoneId: "Asia/Tokyo",
  });
}, 240_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await world?.close();
});

const COPY = {
  ja: {
    more: "その他の操作",
    action: "ベンダーの出荷を発送済みにする",
    tracking: "追跡番号",
    carrier: "配送業者",
    submit: "発送済みにする",
    unshipped: "未発送",
    shipped: "発送済み",
    required: "追跡番号を入力してください。",
  },
  en: {
    more: "More actions",
    action: "Mark a vendor's shipment as shipped",
    tracking: "Tracking numbers",
    carrier: "Carrier",
    submit: "Mark as shipped",
    unshipped: "Unshipped",
    shipped: "Shipped",
    required: "Enter a tracking number.",
  },
} as const;

async function shot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, `${name}.png`),
    fullPage: true,
  });
}

const CASES = [
  ["ja", "#1004", "ヤマト運輸", "4512-3456-7890"],
  ["en", "#1009", "Sagawa", "3001-2345-6789"],
] as const;

describe("the order page's block and action", { timeout: 180_000 }, () => {
  test.each(CASES)(
    "%s: see the block, mark a shipment shipped through the action, watch the block show it",
    async (lang, orderName, carrier, number) => {
      const t = COPY[lang];
      const order = demoShop.orders.find((o) => o.name === orderName)!;
      const vendor = order.shipments[0]!.vendor!;
      const errors: string[] = [];
      const page = await context.newPage();
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      await page.goto(
        `${world.stack.launcher.origin}/order?id=${order.id.split("/").pop()}&locale=${lang}`,
      );

      // The block: the vendor's shipment under the app's word.
      const block = page.frameLocator("#block-frame");
      const card = block
        .locator(`[data-shipment-id]`)
        .filter({ hasText: vendor });
      await expect
        .poll(() => card.locator("s-badge").textContent(), { timeout: 30_000 })
        .toBe(t.unshipped);
      await shot(page, `order-block-${lang}`);

      // The action, from More actions.
      await page.getByRole("button", { name: t.more }).click();
      await page.getByRole("menuitem", { name: t.action }).click();
      const action = page.frameLocator("#action-frame");
      await expect
        .poll(() => action.locator("s-option").count(), { timeout: 30_000 })
        .toBeGreaterThan(0);
      await action
        .locator("s-select")
        .locator("select")
        .selectOption({ label: `${vendor} — ${t.unshipped}` });

      // What the app's form refuses, this one refuses: nothing sent to Shopify.
      await action.getByRole("button", { name: t.submit }).click();
      await expect
        .poll(() => action.getByRole("alert").first().textContent())
        .toBe(t.required);
      expect(
        world.stack.simulator.control.getOrder({
          shop: demoShop.shop,
          orderId: order.id,
        }).fulfillments,
      ).toEqual([]);

      await action.getByLabel(t.tracking).fill(number);
      await action.getByLabel(t.carrier).fill(carrier);
      await shot(page, `order-action-${lang}`);
      await action.getByRole("button", { name: t.submit }).click();

      // The modal closes, the block re-renders: 発送済み / Shipped, and Shopify has it.
      await expect
        .poll(() =>
          page
            .locator("#action-modal")
            .evaluate((d) => (d as HTMLDialogElement).open),
        )
        .toBe(false);
      await expect
        .poll(() => card.locator("s-badge").textContent(), { timeout: 30_000 })
        .toBe(t.shipped);
      const fulfillments = world.stack.simulator.control
        .getOrder({ shop: demoShop.shop, orderId: order.id })
        .fulfillments.filter((f) => f.status === "SUCCESS");
      expect(fulfillments).toHaveLength(1);
      await expect
        .poll(() => page.locator("#fulfillments").textContent())
        .toContain(fulfillments[0]!.trackingInfo[0]!.number!);
      await shot(page, `order-shipped-${lang}`);
      // The one 400 is the refused form above (Chromium logs every 4xx fetch).
      expect(
        errors.filter((e) => !/responded with a status of 400/.test(e)),
      ).toEqual([]);
      await page.close();
    },
  );
});
