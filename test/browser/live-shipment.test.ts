/**
 * The shipment page follows the queue (issue 14, item 7): an outage hits a shipment as
 * it is marked shipped, the open page shows 発送済み (未同期), and — nobody reloading or
 * pressing anything — it turns 発送済み by itself once the worker's retry succeeds. The
 * page polls one small resource while the sync is pending and stops once it is not.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { LIVE_POLL_MS } from "~/components/useLivePulse";
import { demoShop } from "../demo/demo-data";
import { startBrowserWorld, type AdminPage, type BrowserWorld } from "./harness";
import { expectNoBrowserErrors, markShipped, openShipment, titleBadge, trackingNumber } from "./merchant";

let world: BrowserWorld;

beforeAll(async () => {
  world = await startBrowserWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
});

const order = demoShop.orders.find((o) => o.name === "#1008")!;
const vendorOf = (part: string) => order.shipments.find((s) => s.vendor.includes(part))!.vendor;
const fulfillments = () =>
  world.stack.control.getOrder({ shop: world.stack.shop, orderId: order.id }).fulfillments.filter((f) => f.status === "SUCCESS");

async function outageOnNextCreate(admin: AdminPage) {
  await admin.page.locator("#fault-count").fill("1");
  await admin.page.locator(`button[data-fault="outage"]`).click();
  await expect.poll(() => admin.page.locator("#state-faults").textContent()).toContain("503");
}

/**
 * Counts, inside the app's frame, the pulse fetches it starts from now on (a count taken
 * where the fetch starts, so none can still be on its way to the test when it is read).
 */
async function countPulseFetches(admin: AdminPage): Promise<() => Promise<number>> {
  await admin.appFrame().evaluate(() => {
    const w = window as unknown as { __pulseFetches: number };
    w.__pulseFetches = 0;
    const fetch = window.fetch;
    window.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (/\/app\/shipments\/\d+\/pulse/.test(url)) w.__pulseFetches++;
      return fetch(input, init);
    };
  });
  return () => admin.appFrame().evaluate(() => (window as unknown as { __pulseFetches: number }).__pulseFetches);
}

/** Counts the page's live polls from now on. */
function countPolls(admin: AdminPage) {
  const polls = { n: 0 };
  admin.page.on("request", (request) => {
    if (/\/app\/shipments\/\d+\/pulse/.test(request.url())) polls.n++;
  });
  return polls;
}

const cases = [
  { locale: "ja", vendor: "今治", tracking: "43891250001", pending: "発送済み (未同期)", synced: "発送済み" },
  { locale: "en", vendor: "有田", tracking: "43891250002", pending: "Shipped (not synced)", synced: "Shipped" },
] as const;

describe("a live shipment page", { timeout: 150_000 }, () => {
  for (const c of cases) {
    test(`${c.locale}: an outage hits the shipment and the open page turns ${c.synced} by itself`, async () => {
      const admin = await world.openAdmin({ locale: c.locale });
      await admin.page.setViewportSize({ width: 900, height: 1000 });
      // The page's timers on Playwright's clock (time flows as usual until it is run by hand).
      await admin.page.clock.install();
      const before = fulfillments().length;
      await outageOnNextCreate(admin);
      await openShipment(admin, "#1008", vendorOf(c.vendor));
      const polls = countPolls(admin);
      await markShipped(
        admin,
        c.locale === "ja"
          ? { tracking: trackingNumber(c.tracking) }
          : {
              tracking: trackingNumber(c.tracking),
              carrierQuery: "Yamato",
              labels: { tracking: "Tracking numbers", carrier: "Carrier", submit: "Mark as shipped" },
            },
      );
      await expect.poll(() => titleBadge(admin), { timeout: 30_000 }).toBe(c.pending);
      await admin.screenshot(`live-shipment-pending-${c.locale}`, { whole: true });
      // A mark on this document: a reload would lose it.
      await admin.appFrame().evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

      await expect.poll(() => titleBadge(admin), { timeout: 90_000, interval: 500 }).toBe(c.synced);
      expect(fulfillments()).toHaveLength(before + 1);
      expect(await admin.appFrame().evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(
        true,
      );
      expect(polls.n).toBeGreaterThan(0);
      await admin.screenshot(`live-shipment-synced-${c.locale}`, { whole: true });

      // In sync: the page stops polling. Its clock runs two poll periods at once, and the
      // page starts no pulse fetch.
      await admin.settled();
      const pulseFetches = await countPulseFetches(admin);
      await admin.page.clock.runFor(2 * LIVE_POLL_MS);
      expect(await pulseFetches()).toBe(0);
      expectNoBrowserErrors(admin);
    });
  }
});
