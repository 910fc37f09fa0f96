/**
 * Shopify refusing the app, in a real browser: a revoked token (401) and a removed scope
 * (403 / ACCESS_DENIED) pause syncing and put a banner on every page; its button
 * re-authorizes (token exchange, or Shopify's grant screen — played by the demo's admin
 * frame), the paused sync resumes by itself, and a merchant who declines stays on a
 * stable page.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { demoShop } from "../demo/demo-data";
import { REMOVABLE_SCOPE } from "../demo/faults";
import {
  startBrowserWorld,
  type AdminPage,
  type BrowserWorld,
} from "./harness";
import {
  expectNoBrowserErrors,
  markShipped,
  openShipment,
  rows,
  titleBadge,
  trackingNumber,
} from "./merchant";

let world: BrowserWorld;

beforeAll(async () => {
  world = await startBrowserWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
});

const order = (name: string) => demoShop.orders.find((o) => o.name === name)!;
const fulfillmentsOf = (orderId: string) =>
  world.stack.control
    .getOrder({ shop: world.stack.shop, orderId })
    .fulfillments.filter((f) => f.status === "SUCCESS");

const REAUTH_TITLE =
  "Shopify への接続が切れています – アプリの再認証が必要です";
const SCOPE_TITLE = "権限が不足しています – アプリの再認可をご確認ください";

const REAUTH_BUTTON = "アプリを再認証する";
const SCOPE_BUTTON = "権限を再認可する";

/** The shop-wide pause banner (the one with the re-authorize button). */
function banner(admin: AdminPage, title: string) {
  const button = title === REAUTH_TITLE ? REAUTH_BUTTON : SCOPE_BUTTON;
  return admin.app
    .locator(".Polaris-Banner")
    .filter({ hasText: title })
    .filter({ has: admin.app.getByRole("button", { name: button }) });
}

async function panel(admin: AdminPage, kind: string) {
  await admin.page.locator(`button[data-fault="${kind}"]`).click();
  await expect
    .poll(() => admin.page.locator("#fault-log").textContent())
    .not.toBe("");
}

// Refused requests show up in the console as failed resource loads; that is expected here.
const REFUSED_LOADS = [
  /Failed to load resource: the server responded with a status of 401/,
];

describe("401 and 403 from Shopify, in a browser", { timeout: 150_000 }, () => {
  test("401: a revoked token → banner on every page → 再認証 → a new token, the paused sync finishes", async () => {
    const { control, shop } = world.stack;
    const { id: orderId, shipments } = order("#1007");
    const vendor = shipments[0].vendor;
    // Its first shipment is the one with the mug (one item a line in the table).
    const itemsOfFirst = "有田焼 マグカップ 花唐草 × 1";
    const admin = await world.openAdmin();

    await panel(admin, "revokeToken");
    await expect
      .poll(() => admin.page.locator("#state-token").textContent())
      .toContain("失効");
    const revokedTokens = control.getShop({ shop }).tokens.length;
    expect(revokedTokens).toBe(0);

    await admin.app
      .locator(".Polaris-IndexTable__TableRow")
      .filter({ hasText: "#1007" })
      .filter({ hasText: itemsOfFirst })
      .click();
    await expect
      .poll(() =>
        admin.app.getByRole("heading", { name: `#1007 — ${vendor}` }).count(),
      )
      .toBe(1);
    await admin.settled();
    await markShipped(admin, { tracking: trackingNumber("43891240021") });

    await expect
      .poll(() => banner(admin, REAUTH_TITLE).count(), { timeout: 30_000 })
      .toBe(1);
    await expect
      .poll(() => titleBadge(admin), { timeout: 15_000 })
      .toBe("発送済み (未同期)");
    await admin.screenshot("banner-401-ja");
    // Every page says so: the table too.
    await admin.page.locator("#app-nav a", { hasText: "出荷一覧" }).click();
    await expect
      .poll(() => banner(admin, REAUTH_TITLE).count(), { timeout: 20_000 })
      .toBe(1);
    await admin.settled();
    expect(fulfillmentsOf(orderId)).toHaveLength(0);

    await admin.screenshot("banner-401-index-ja");
    await banner(admin, REAUTH_TITLE)
      .getByRole("button", { name: REAUTH_BUTTON })
      .click();
    await expect
      .poll(() => banner(admin, REAUTH_TITLE).count(), { timeout: 30_000 })
      .toBe(0);
    expect(control.getShop({ shop }).tokens.length).toBeGreaterThan(0);

    // The paused sync runs again by itself and lands exactly once.
    await expect
      .poll(() => fulfillmentsOf(orderId).length, {
        timeout: 45_000,
        interval: 500,
      })
      .toBe(1);
    // The table follows (live revalidation); short reads so a re-render mid-poll
    // only costs one round, not the whole deadline.
    await expect
      .poll(
        async () =>
          (
            await rows(admin)
              .filter({ hasText: itemsOfFirst })
              .locator(".Polaris-Badge")
              .first()
              .innerText({ timeout: 2_000 })
              .catch(() => "")
          ).trim(),
        { timeout: 60_000, interval: 1_000 },
      )
      .toContain("発送済み");
    expectNoBrowserErrors(admin, REFUSED_LOADS);
  });

  test("403: a removed scope → banner naming it → the merchant declines (stable page), then grants → sync resumes", async () => {
    const { control, shop } = world.stack;
    const { id: orderId, shipments } = order("#1010");
    const vendor = shipments.find((s) => !s.shipped)!.vendor;
    const admin = await world.openAdmin();

    await panel(admin, "removeScope");
    expect(control.getShop({ shop }).scopes).not.toContain(REMOVABLE_SCOPE);

    await openShipment(admin, "#1010", vendor);
    await markShipped(admin, { tracking: trackingNumber("43891240031") });
    await expect
      .poll(() => banner(admin, SCOPE_TITLE).count(), { timeout: 30_000 })
      .toBe(1);
    expect(await banner(admin, SCOPE_TITLE).innerText()).toContain(
      REMOVABLE_SCOPE,
    );
    await admin.screenshot("banner-403-ja");

    // The button sends the merchant to Shopify's grant screen (the admin frame's dialog).
    const button = banner(admin, SCOPE_TITLE).getByRole("button", {
      name: SCOPE_BUTTON,
    });
    await button.click();
    const grant = admin.page.locator("dialog#grant");
    await expect.poll(() => grant.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await grant.locator("li").allTextContents()).toEqual([
      REMOVABLE_SCOPE,
    ]);
    await admin.screenshot("grant-dialog-ja", { whole: true });

    // Declining: Shopify brings the merchant back to the app, which stays on the same
    // page with its banner — one reload, no redirect loop.
    let appDocuments = 0;
    admin.page.on("request", (request) => {
      if (
        request.resourceType() === "document" &&
        request.url().startsWith(world.stack.appOrigin)
      )
        appDocuments += 1;
    });
    const declinedReload = admin.page.waitForEvent("load");
    await admin.page.locator("#grant-decline").click();
    await declinedReload;
    await admin.settled();
    // The reloaded page's own live poll (every 2.5 s while the sync is pending) comes
    // round: its code has run past any redirect it could make on load, and made none.
    const pulse = /\/app\/shipments\/\d+\/pulse/;
    await admin.page.waitForResponse((r) => pulse.test(r.url()), {
      timeout: 20_000,
    });
    expect(appDocuments).toBe(1);
    expect(await banner(admin, SCOPE_TITLE).count()).toBe(1);
    await expect
      .poll(() => titleBadge(admin), { timeout: 15_000 })
      .toBe("発送済み (未同期)");
    expect(control.getShop({ shop }).scopes).not.toContain(REMOVABLE_SCOPE);

    // Granting: Shopify sends app/scopes_update, the paused sync resumes, the app reloads.
    await button.click();
    await expect.poll(() => grant.isVisible(), { timeout: 30_000 }).toBe(true);
    const grantedReload = admin.page.waitForEvent("load");
    await admin.page.locator("#grant-accept").click();
    await grantedReload;
    await admin.settled();
    expect(control.getShop({ shop }).scopes).toContain(REMOVABLE_SCOPE);
    await expect
      .poll(() => fulfillmentsOf(orderId).length, {
        timeout: 45_000,
        interval: 500,
      })
      .toBe(shipments.filter((s) => s.shipped).length + 1);
    const reloaded = admin.page.waitForEvent("load");
    await admin.page.locator("#reload").click();
    await reloaded;
    await admin.settled();
    await expect
      .poll(() => titleBadge(admin), { timeout: 20_000 })
      .toBe("発送済み");
    expect(await banner(admin, SCOPE_TITLE).count()).toBe(0);
    expectNoBrowserErrors(admin, REFUSED_LOADS);
  });
});
