import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  DEMO_SHOP,
  demoShipmentId,
  shipmentRow,
  startSyncWorld,
  type SyncWorld,
} from "../../test/helpers/sync-world";
import { testPool } from "../../test/support/database";
import { syncErrorGuidance } from "~/fulfillment/messages";
import { catalogues, t as appText } from "~/i18n/messages";
import { Extension } from "../vendor-shipments-block/src/BlockExtension";
import {
  mountExtension,
  setStatus,
  translator,
  waitFor,
  type Host,
  type Lang,
} from "./harness";

/**
 * The order-page block rendered for every status in both languages, with its data from
 * the app's real backend (route, authenticate.admin, Postgres): the app's status words,
 * items, tracking, the failed shipment's guidance and retry, the links into the app.
 */
let world: SyncWorld;
let host: Host | null = null;

beforeAll(async () => {
  world = await startSyncWorld();
});
afterAll(async () => {
  await world.close();
});
afterEach(() => {
  host?.unmount();
  host = null;
});

const STATUSES = [
  "unshipped",
  "shipped",
  "shippedNotSynced",
  "unshippedNotSynced",
  "syncError",
] as const;
const LANGS: Lang[] = ["ja", "en"];

async function open(orderGid: string, lang: Lang) {
  host = await mountExtension("vendor-shipments-block", () => <Extension />, {
    lang,
    orderGid,
    shop: DEMO_SHOP,
  });
  return host;
}

describe.each(LANGS)("the block in %s", (lang) => {
  const t = translator("vendor-shipments-block", lang);

  it.each(STATUSES)(
    "shows a %s shipment with the app's word, its items, tracking and link",
    async (status) => {
      const id = await demoShipmentId("#1003");
      await setStatus(id, status);
      const row = await shipmentRow(id);
      const h = await open(row.order_id as string, lang);
      const card = await waitFor(() => {
        const found = h.find(`[data-shipment-id="${id}"]`)[0];
        if (!found) throw new Error("not rendered yet");
        return found;
      });
      expect(card.querySelector("s-badge")!.textContent).toBe(
        catalogues.fulfillment[lang].badge[status],
      );
      expect(card.textContent).toContain(row.vendor as string);
      const lines = await testPool().query<{ title: string; quantity: number }>(
        `select li.title, sli.quantity from shipment_line_items sli join line_items li on li.id = sli.line_item_id
        where sli.shipment_id = $1 order by li.id`,
        [id],
      );
      expect(
        [...card.querySelectorAll("s-list-item")].map((li) => li.textContent),
      ).toEqual(
        lines.rows.map((l) =>
          t("item", { title: l.title, quantity: l.quantity }),
        ),
      );
      expect(card.textContent).toContain(
        status === "unshipped" || status === "unshippedNotSynced"
          ? t("noTracking")
          : t("tracking", { numbers: "451234567890 (Yamato (JA))" }),
      );
      const link = card.querySelector("s-link")!;
      expect(link.getAttribute("href")).toBe(`app:app/shipments/${id}`);
      expect(link.textContent).toBe(t("open"));

      const retry = [...card.querySelectorAll("s-button")].find(
        (b) => b.textContent === t("retry"),
      );
      if (status === "syncError") {
        // One line of the app's guidance, and 「再試行」.
        const guidance = syncErrorGuidance({
          errorClass: "invalid",
          message: row.last_error_message as string,
        });
        expect(card.textContent).toContain(appText(lang, guidance.title));
        expect(retry).toBeDefined();
      } else {
        expect(retry).toBeUndefined();
        expect(card.querySelector('s-text[tone="critical"]')).toBeNull();
      }
    },
  );

  it("shows one line with a link to create shipments when the order has none", async () => {
    // An order the app has imported, without shipments: the link opens its page.
    const orderGid = "gid://shopify/Order/5550001012";
    await testPool().query(
      `insert into orders (shop, order_id, order_name) values ($1, $2, '#1012') on conflict do nothing`,
      [DEMO_SHOP, orderGid],
    );
    const h = await open(orderGid, lang);
    await waitFor(() => expect(h.text()).toContain(t("empty")));
    const link = h.find("s-link")[0]!;
    expect(link.getAttribute("href")).toBe("app:app/orders/5550001012");
    expect(link.textContent).toBe(t("create"));
    expect(h.find("s-badge")).toHaveLength(0);
  });

  it("links an order the app has not seen yet to the orders page", async () => {
    const h = await open("gid://shopify/Order/5550009999", lang);
    await waitFor(() => expect(h.text()).toContain(t("empty")));
    expect(h.find("s-link")[0]!.getAttribute("href")).toBe("app:app/orders");
  });
});

describe("the block's actions", () => {
  it("retries a failed shipment through the app and shows what the app then says", async () => {
    const id = await demoShipmentId("#1004");
    // A failed create that Shopify will now accept: the retry syncs it.
    await testPool().query(
      `update shipments set status = 'shipped', shipped_at = now(), sync_state = 'failed',
              pending_operation = 'create_fulfillment', last_error_class = 'transient',
              tracking_numbers = '{451234567890}', carrier = 'Yamato (JA)' where id = $1`,
      [id],
    );
    const row = await shipmentRow(id);
    const h = await open(row.order_id as string, "ja");
    const retry = await waitFor(() => {
      const button = h
        .find(`[data-shipment-id="${id}"] s-button`)
        .find((b) => b.textContent === "再試行");
      if (!button) throw new Error("no retry yet");
      return button;
    });
    await h.click(retry);
    await waitFor(() => {
      const badge = h.find(`[data-shipment-id="${id}"] s-badge`)[0];
      expect(badge?.textContent).toBe("発送済み");
    });
    expect(
      h.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`),
    ).toContain(
      `POST /api/extension/orders/${(row.order_id as string).split("/").pop()}/shipments/${id}`,
    );
    expect(await shipmentRow(id)).toMatchObject({
      status: "shipped",
      sync_state: "in_sync",
    });
  });

  it("opens the action from its button", async () => {
    const id = await demoShipmentId("#1005");
    const row = await shipmentRow(id);
    const h = await open(row.order_id as string, "en");
    const button = await waitFor(() => {
      const found = h
        .find("s-button")
        .find((b) => b.textContent === "Mark as shipped");
      if (!found) throw new Error("not yet");
      return found;
    });
    await h.click(button);
    expect(h.navigations).toEqual(["extension:vendor-shipments-action"]);
  });
});
