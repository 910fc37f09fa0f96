/**
 * A merchant's day in the admin, in a real browser: the shipments table, a shipment
 * marked shipped (toast, badge, and the fulfillment in "Shopify"), reverted through the
 * confirmation modal, and the English UI. Screenshots of each page go to
 * test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { demoShop } from "../demo/demo-data";
import { startBrowserWorld, type BrowserWorld } from "./harness";
import {
  badgeLabels,
  expectNoBrowserErrors,
  markShipped,
  openShipment,
  rows,
  titleBadge,
  toasts,
  trackingNumber,
} from "./merchant";

let world: BrowserWorld;

beforeAll(async () => {
  world = await startBrowserWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
});

const allShipments = demoShop.orders.flatMap((order) =>
  order.shipments.map((shipment) => ({ order, shipment })),
);
const shippedCount = allShipments.filter(
  ({ shipment }) => shipment.shipped,
).length;
const order = (name: string) => demoShop.orders.find((o) => o.name === name)!;

describe("the shipments pages in a browser", { timeout: 120_000 }, () => {
  test("the index table shows every seeded shipment with its status badge", async () => {
    const admin = await world.openAdmin();

    expect(
      await admin.app
        .getByRole("heading", { name: "出荷", exact: true })
        .count(),
    ).toBe(1);
    await expect.poll(() => rows(admin).count()).toBe(allShipments.length);
    for (const { order } of allShipments) {
      expect(
        await rows(admin).filter({ hasText: order.name }).count(),
      ).toBeGreaterThan(0);
    }
    const labels = await badgeLabels(rows(admin));
    expect(labels.filter((label) => label === "発送済み")).toHaveLength(
      shippedCount,
    );
    expect(labels.filter((label) => label === "未発送")).toHaveLength(
      allShipments.length - shippedCount,
    );

    // The admin frame shows the app's nav menu; <ui-nav-menu> itself stays hidden in the app.
    await expect
      .poll(() => admin.page.locator("#app-nav a").allTextContents())
      .toEqual(expect.arrayContaining(["出荷同期", "出荷一覧"]));
    expect(await admin.app.locator("ui-nav-menu").isVisible()).toBe(false);

    await admin.screenshot("index-ja");
    await admin.screenshot("admin-frame-ja", { whole: true });
    expectNoBrowserErrors(admin);
  });

  test("mark shipped: a row click opens the shipment, the form marks it shipped, a toast confirms, Shopify holds the fulfillment", async () => {
    const admin = await world.openAdmin();
    const { id: orderId, shipments } = order("#1009");
    const tracking = trackingNumber("43891239999");

    // Client-side navigation: a click on the row loads no new document.
    const documents = () =>
      admin
        .appFrame()
        .evaluate(() => performance.getEntriesByType("navigation").length);
    const before = await documents();
    await openShipment(admin, "#1009", shipments[0].vendor);
    expect(new URL(admin.appFrame().url()).pathname).toMatch(
      /^\/app\/shipments\/\d+$/,
    );
    expect(await documents()).toBe(before);
    await expect
      .poll(() => admin.page.locator("#app-path").textContent())
      .toMatch(/^\/app\/shipments\/\d+$/);
    expect(await titleBadge(admin)).toBe("未発送");
    await admin.screenshot("detail-unshipped-ja");

    await markShipped(admin, { tracking });
    await expect
      .poll(() => toasts(admin), { timeout: 30_000 })
      .toContain("発送済みにし、Shopify と同期しました");
    await expect.poll(() => titleBadge(admin)).toBe("発送済み");
    // The field names the carrier in Japanese, as the table does (with the variant chosen,
    // which sets the language of Shopify's tracking page); Shopify gets its company name.
    expect(await admin.app.getByLabel("配送業者").inputValue()).toBe("ヤマト運輸 (日本語)");
    expect(
      await admin.app.locator('input[type="hidden"][name="carrier"]').inputValue(),
    ).toBe("Yamato (JA)");

    const inShopify = world.stack.control.getOrder({
      shop: world.stack.shop,
      orderId,
    });
    expect(inShopify.fulfillments).toHaveLength(1);
    expect(inShopify.fulfillments[0]).toMatchObject({
      status: "SUCCESS",
      trackingInfo: [{ company: "Yamato (JA)", number: tracking }],
    });
    await admin.screenshot("detail-shipped-ja");
    expectNoBrowserErrors(admin);
  });

  test("未発送に戻す asks for confirmation, then cancels the fulfillment in Shopify", async () => {
    const { name, id: orderId, shipments } = order("#1001");
    const shipment = shipments.find((s) => s.shipped)!;
    const fulfillmentStatus = () =>
      world.stack.control
        .getOrder({ shop: world.stack.shop, orderId })
        .fulfillments.find((f) => f.id === shipment.shipped!.fulfillmentId)
        ?.status;
    const admin = await world.openAdmin();

    await openShipment(admin, name, shipment.vendor);
    expect(await titleBadge(admin)).toBe("発送済み");

    await admin.app.getByRole("button", { name: "未発送に戻す" }).click();
    await expect
      .poll(() =>
        admin.app.getByRole("dialog").getByText("未発送に戻しますか?").count(),
      )
      .toBe(1);
    await admin.screenshot("revert-modal-ja");
    // Cancel first: nothing changes.
    await admin.app
      .getByRole("dialog")
      .getByRole("button", { name: "キャンセル" })
      .click();
    await expect.poll(() => admin.app.getByRole("dialog").count()).toBe(0);
    expect(fulfillmentStatus()).toBe("SUCCESS");

    await admin.app.getByRole("button", { name: "未発送に戻す" }).click();
    await admin.app
      .getByRole("dialog")
      .getByRole("button", { name: "未発送に戻す" })
      .click();

    await expect
      .poll(() => toasts(admin), { timeout: 30_000 })
      .toContain("未発送に戻しました");
    await expect.poll(() => titleBadge(admin)).toBe("未発送");
    expect(fulfillmentStatus()).toBe("CANCELLED");
    expectNoBrowserErrors(admin);
  });

  test("the English UI: locale=en from the admin, kept across client navigation", async () => {
    const admin = await world.openAdmin({ locale: "en" });

    expect(
      await admin.app
        .getByRole("heading", { name: "Shipments", exact: true })
        .count(),
    ).toBe(1);
    for (const heading of [
      "Order",
      "Vendor",
      "Items",
      "Tracking",
      "Carrier",
      "Status",
    ]) {
      expect(
        await admin.app
          .getByRole("columnheader", { name: heading, exact: true })
          .count(),
      ).toBe(1);
    }
    expect(await badgeLabels(rows(admin))).toContain("Unshipped");
    expect(await admin.page.locator("#app-nav a").allTextContents()).toEqual(
      expect.arrayContaining(["Shipment sync", "Shipments"]),
    );
    await admin.screenshot("index-en");
    await admin.screenshot("admin-frame-en", { whole: true });

    // Shopify sends `locale` with the first document only; the detail page stays English.
    const { shipments } = order("#1004");
    await openShipment(admin, "#1004", shipments[0].vendor);
    expect(
      await admin.app.getByRole("button", { name: "Mark as shipped" }).count(),
    ).toBe(1);
    expect(await admin.app.getByText("Items and quantities").count()).toBe(1);
    expect(await titleBadge(admin)).toBe("Unshipped");
    await admin.screenshot("detail-unshipped-en");

    // The admin's language switch reloads the app in Japanese, on the same page.
    await admin.page.locator("#locale-switch").click();
    await admin.page.waitForURL(/locale=ja/);
    await admin.settled();
    await expect
      .poll(() =>
        admin.app.getByRole("button", { name: "発送済みにする" }).count(),
      )
      .toBe(1);
    expect(new URL(admin.appFrame().url()).pathname).toMatch(
      /^\/app\/shipments\/\d+$/,
    );
    expectNoBrowserErrors(admin);
  });

  for (const locale of ["ja", "en"] as const) {
    test(`${locale}: a tracking number whose check digit is off is flagged while it is typed, before the button; fixed, the warning goes`, async () => {
      const admin = await world.openAdmin(locale === "en" ? { locale: "en" } : {});
      const { shipments } = order("#1008");
      await openShipment(admin, "#1008", shipments[0].vendor);
      const labels =
        locale === "ja"
          ? { tracking: "追跡番号", carrier: "配送業者", warning: /チェックデジット/, query: "ヤマト", chosen: "ヤマト運輸 (日本語)" }
          : { tracking: "Tracking numbers", carrier: "Carrier", warning: /check digit/i, query: "Yamato", chosen: "Yamato (EN)" };
      const good = trackingNumber("43891235012");
      const bad = `${good.slice(0, 11)}${(Number(good[11]) + 1) % 10}`;
      await admin.app.getByLabel(labels.carrier).fill(labels.query);
      await admin.app.getByRole("option").first().click();
      // The chosen carrier reads as the table names it in this language.
      expect(await admin.app.getByLabel(labels.carrier).inputValue()).toBe(labels.chosen);
      await admin.app.getByLabel(labels.tracking).fill(bad);
      const warning = admin.app.getByText(labels.warning);
      await expect.poll(() => warning.count()).toBe(1);
      expect(await warning.textContent()).toContain(bad);
      await admin.screenshot(`detail-check-digit-${locale}`);
      // Nothing was sent: the shipment is still unshipped, and Shopify has no fulfillment for it.
      expect(await titleBadge(admin)).toBe(locale === "ja" ? "未発送" : "Unshipped");
      await admin.app.getByLabel(labels.tracking).fill(good);
      await expect.poll(() => warning.count()).toBe(0);
      expectNoBrowserErrors(admin);
    });
  }

  test("the Carrier column: 日本郵便 in Japanese, Shopify's own name in English; a row's items stay short", async () => {
    const shipped = allShipments.find(({ shipment }) => shipment.shipped?.carrier === "Japan Post (JA)");
    expect(shipped).toBeDefined();
    const ja = await world.openAdmin();
    await expect.poll(() => rows(ja).count()).toBeGreaterThan(0);
    const jaRow = rows(ja).filter({ hasText: shipped!.shipment.shipped!.trackingNumbers[0]! });
    expect(await jaRow.textContent()).toContain("日本郵便");
    expect(await jaRow.textContent()).not.toContain("Japan Post");
    expectNoBrowserErrors(ja);
    const en = await world.openAdmin({ locale: "en" });
    await expect.poll(() => rows(en).count()).toBeGreaterThan(0);
    const enRow = rows(en).filter({ hasText: shipped!.shipment.shipped!.trackingNumbers[0]! });
    expect(await enRow.textContent()).toContain("Japan Post (JA)");
    // At 900 px no item line runs past two lines (about 40 px of body-small text).
    const heights = await en.app
      .locator(".Polaris-IndexTable__TableRow [title]")
      .evaluateAll((items) => items.map((item) => item.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(0);
    expect(Math.max(...heights)).toBeLessThanOrEqual(44);
    await en.screenshot("index-columns-en");
    expectNoBrowserErrors(en);
  });

  test("every page speaks one language: no English word or code name in ja, no Japanese in en's labels", async () => {
    // A shipment with a sync history (the mark-shipped test above made it).
    const probe = await world.openAdmin();
    await openShipment(probe, "#1009", order("#1009").shipments[0].vendor);
    const detail = new URL(probe.appFrame().url()).pathname;
    const orderPath = `/app/orders/${encodeURIComponent(order("#1009").id.split("/").pop()!)}`;
    const pages = ["/app", detail, "/app/orders", orderPath, "/app/imports", "/app/settings"];

    // Words a page of this app could leak untranslated (status words, code names).
    const english =
      /\b(succeeded|failed|unknown|adopted|pending|in_sync|running|Shipped|Unshipped|Retry|Cancel|Save|Error|Status|Orders?|Vendor|Items|Tracking|Carrier|Settings|Loading|Previous|Next)\b/;
    const codeName = /\b[a-z]+(?:_[a-z]+)+\b/;
    const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
    // The shop's own data (vendors, product titles) is Japanese in either language.
    const data = [
      ...new Set(
        demoShop.orders.flatMap((o) => [
          ...o.shipments.map((sh) => sh.vendor),
          ...o.lines.map((line) => line.title),
        ]),
      ),
    ].sort((a, b) => b.length - a.length);
    const withoutData = (text: string) => data.reduce((rest, word) => rest.split(word).join(""), text);
    const leaks: string[] = [];
    for (const path of pages) {
      const ja = await world.openAdmin({ path });
      if (path === detail) {
        await ja.app.getByRole("heading", { name: "同期履歴" }).scrollIntoViewIfNeeded();
        await ja.screenshot("detail-history-ja");
      }
      const text = await ja.app.locator("body").innerText();
      for (const line of text.split("\n")) {
        const hit = english.exec(line) ?? codeName.exec(line);
        if (hit) leaks.push(`ja ${path}: "${hit[0]}" in "${line.trim()}"`);
      }
      expectNoBrowserErrors(ja);

      const en = await world.openAdmin({ path, locale: "en" });
      if (path === detail) {
        await en.app.getByRole("heading", { name: "Sync history" }).scrollIntoViewIfNeeded();
        await en.screenshot("detail-history-en");
      }
      // Labels, buttons, headers and tabs are the app's words; cells hold the shop's data.
      const labels = await en.app
        .locator("button, th, [role=tab], label, h2, h3, .Polaris-Badge")
        .allInnerTexts();
      for (const label of labels) {
        if (japanese.test(withoutData(label))) leaks.push(`en ${path}: "${label.trim()}"`);
      }
      expectNoBrowserErrors(en);
    }
    expect(leaks).toEqual([]);
  });
});
