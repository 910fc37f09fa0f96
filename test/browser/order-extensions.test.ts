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
import { testPool } from "../support/database";
import type { SyncErrorClass } from "~/fulfillment/errors";
import { syncErrorGuidance } from "~/fulfillment/messages";
import { t as appText, readStoredDetail } from "~/i18n/messages";
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
    syncError: "同期エラー",
    retry: "再試行",
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
    syncError: "Sync error",
    retry: "Retry",
  },
} as const;

async function shot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, `${name}.png`),
    fullPage: true,
  });
}

const WAIT = { timeout: 30_000 };

async function openOrder(orderGid: string, lang: "ja" | "en") {
  const page = await context.newPage();
  await page.goto(
    `${world.stack.launcher.origin}/order?id=${orderGid.split("/").pop()}&locale=${lang}`,
  );
  return page;
}

const shipmentCard = (page: Page, vendor: string) =>
  page
    .frameLocator("#block-frame")
    .locator(`[data-shipment-id]`)
    .filter({ hasText: vendor });

/** More actions → the app's action, with the vendor's unshipped shipment chosen. */
async function openAction(page: Page, lang: "ja" | "en", vendor: string) {
  const t = COPY[lang];
  await page.getByRole("button", { name: t.more }).click();
  await page.getByRole("menuitem", { name: t.action }).click();
  const action = page.frameLocator("#action-frame");
  await expect
    .poll(() => action.locator("s-option").count(), WAIT)
    .toBeGreaterThan(0);
  await action
    .locator("s-select")
    .locator("select")
    .selectOption({ label: `${vendor} — ${t.unshipped}` });
  return action;
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
      const page = await openOrder(order.id, lang);
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });

      // The block: the vendor's shipment under the app's word.
      const card = shipmentCard(page, vendor);
      await expect
        .poll(() => card.locator("s-badge").textContent(), WAIT)
        .toBe(t.unshipped);
      await shot(page, `order-block-${lang}`);

      // The action, from More actions.
      const action = await openAction(page, lang, vendor);

      // What the app's form refuses, this one refuses: nothing sent to Shopify.
      await action.getByRole("button", { name: t.submit }).click();
      await expect
        .poll(() => action.getByRole("alert").first().textContent(), WAIT)
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
        .poll(
          () =>
            page
              .locator("#action-modal")
              .evaluate((d) => (d as HTMLDialogElement).open),
          WAIT,
        )
        .toBe(false);
      await expect
        .poll(() => card.locator("s-badge").textContent(), WAIT)
        .toBe(t.shipped);
      const fulfillments = world.stack.simulator.control
        .getOrder({ shop: demoShop.shop, orderId: order.id })
        .fulfillments.filter((f) => f.status === "SUCCESS");
      expect(fulfillments).toHaveLength(1);
      await expect
        .poll(() => page.locator("#fulfillments").textContent(), WAIT)
        .toContain(fulfillments[0]!.trackingInfo[0]!.number!);
      await shot(page, `order-shipped-${lang}`);
      // The one 400 is the refused form above (Chromium logs every 4xx fetch).
      expect(
        errors.filter((e) => !/responded with a status of 400/.test(e)),
      ).toEqual([]);
      await page.close();
    },
  );

  test("a shipment that cannot be fulfilled shows 同期エラー with one line saying why and 再試行, ja and en", async () => {
    // #1006: its fulfillment order is on hold in Shopify.
    const order = demoShop.orders.find((o) => o.name === "#1006")!;
    const vendor = order.shipments[0]!.vendor!;
    const row = () =>
      testPool().query<{
        last_error_class: SyncErrorClass;
        last_error_message: string;
        last_error_detail: unknown;
      }>(
        `select last_error_class, last_error_message, last_error_detail from shipments where order_id = $1 and vendor = $2`,
        [order.id, vendor],
      );
    for (const lang of ["ja", "en"] as const) {
      const t = COPY[lang];
      const page = await openOrder(order.id, lang);
      const card = shipmentCard(page, vendor);
      if (lang === "ja") {
        await expect
          .poll(() => card.locator("s-badge").textContent(), WAIT)
          .toBe(t.unshipped);
        const action = await openAction(page, lang, vendor);
        await action.getByLabel(t.tracking).fill("4512-3456-7000");
        await action.getByLabel(t.carrier).fill("Yamato (JA)");
        await action.getByRole("button", { name: t.submit }).click();
      }
      await expect
        .poll(() => card.locator("s-badge").textContent(), WAIT)
        .toBe(t.syncError);
      // The one line: what the app's own check found (the FO is on hold: checked before
      // calling Shopify), else the guidance's title for what Shopify answered.
      const stored = (await row()).rows[0]!;
      const detail = readStoredDetail(stored.last_error_detail);
      const guidance = syncErrorGuidance({
        errorClass: stored.last_error_class,
        message: stored.last_error_message,
        detail,
      });
      expect(detail).not.toBeNull();
      expect(
        await card.locator('s-text[tone="critical"]').first().textContent(),
      ).toBe(appText(lang, detail ?? guidance.title));
      expect(await card.getByRole("button", { name: t.retry }).count()).toBe(1);
      await shot(page, `order-failed-${lang}`);
      await page.close();
    }
  });
});
