import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  DEMO_SHOP,
  demoShipmentId,
  shipmentRow,
  startSyncWorld,
  type SyncWorld,
} from "../../test/helpers/sync-world";
import { catalogues, t as appText } from "~/i18n/messages";
import { parseTrackingForm } from "~/shipments/tracking-form";
import { Extension } from "../vendor-shipments-action/src/ActionExtension";
import {
  mountExtension,
  setStatus,
  translator,
  waitFor,
  type Host,
  type Lang,
} from "./harness";

/**
 * The order-page action (「ベンダーの出荷を発送済みにする」) rendered against the app's
 * real backend: the shipment picker with the app's status words, the tracking form,
 * the app's carrier list, and the app's own validation — what the shipment page's
 * form refuses, this form refuses with the same words, and nothing is written.
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
  host = await mountExtension("vendor-shipments-action", () => <Extension />, {
    lang,
    orderGid,
    shop: DEMO_SHOP,
  });
  const h = host;
  await waitFor(() => {
    if (
      h.find("s-option").length === 0 &&
      !h.text().includes(translator("vendor-shipments-action", lang)("none"))
    )
      throw new Error("not loaded");
  });
  return h;
}

const submitButton = (h: Host) => h.find('s-button[slot="primary-action"]')[0]!;

describe.each(LANGS)("the action in %s", (lang) => {
  const t = translator("vendor-shipments-action", lang);

  it.each(STATUSES)(
    "offers a %s shipment under the app's word, with its tracking filled in",
    async (status) => {
      const id = await demoShipmentId("#1007");
      await setStatus(id, status);
      const row = await shipmentRow(id);
      const h = await open(row.order_id as string, lang);
      const option = h.find(`s-option[value="${id}"]`)[0]!;
      expect(option.textContent).toBe(
        `${row.vendor} — ${catalogues.fulfillment[lang].badge[status]}`,
      );
      await h.choose("s-select", String(id));
      await waitFor(() =>
        expect(h.valueOf("s-text-area")).toBe(row.tracking_numbers.join("\n")),
      );
      expect(h.find("s-text-field")[0]!.getAttribute("label")).toBe(
        t("carrier"),
      );
      expect(h.find("s-admin-action")[0]!.getAttribute("heading")).toBe(
        t("heading"),
      );
      expect(submitButton(h).textContent).toBe(t("submit"));
    },
  );

  it("suggests carriers from the app's list as the operator types", async () => {
    const id = await demoShipmentId("#1007");
    const row = await shipmentRow(id);
    const h = await open(row.order_id as string, lang);
    await h.type('s-text-field[name="carrier"]', "ヤマト");
    const chips = await waitFor(() => {
      const found = h.find("s-clickable-chip");
      if (found.length === 0) throw new Error("no suggestions");
      return found;
    });
    expect(chips.map((c) => c.textContent)).toContain(
      lang === "ja" ? "ヤマト運輸 (日本語)" : "Yamato Transport (Japanese)",
    );
    await h.click(chips[0]!);
    await waitFor(() =>
      expect(h.valueOf('s-text-field[name="carrier"]')).toMatch(
        /^Yamato \((JA|EN)\)$/,
      ),
    );
  });
});

describe("the action's form", () => {
  // Inputs near the edges of the app's rules: blanks, separators, too many numbers,
  // too long values, URLs with other schemes.
  const numbers = fc.oneof(
    fc.constantFrom(
      "",
      "  ",
      "\n\n",
      "4512-3456-7890",
      "1111\n2222",
      "1、2，3",
      "３００１２３４５６７８９",
    ),
    fc
      .array(fc.constantFrom("12345678", "ABC-1"), {
        minLength: 19,
        maxLength: 22,
      })
      .map((a) => a.join("\n")),
    fc.string({ maxLength: 12 }),
    fc.constant("9".repeat(2001)),
  );
  const carrier = fc.oneof(
    fc.constantFrom("", " ", "ヤマト運輸", "sagawa", "Some Courier"),
    fc.string({ maxLength: 8 }),
    fc.constant("x".repeat(201)),
  );
  const url = fc.oneof(
    fc.constantFrom(
      "",
      "https://example.com/t/1",
      "ftp://example.com/x",
      "example.com",
      "javascript:alert(1)",
    ),
    fc.string({ maxLength: 10 }),
  );

  it("refuses exactly what the shipment page's form refuses, with the same words, and writes nothing", async () => {
    const id = await demoShipmentId("#1007");
    await setStatus(id, "unshipped");
    const row = await shipmentRow(id);
    await fc.assert(
      fc.asyncProperty(
        numbers,
        carrier,
        url,
        fc.constantFrom<Lang>("ja", "en"),
        async (n, c, u, lang) => {
          await setStatus(id, "unshipped");
          const before = await shipmentRow(id);
          const form = new FormData();
          form.set("trackingNumbers", n);
          form.set("carrier", c);
          form.set("trackingUrl", u);
          const app = parseTrackingForm(form, { locale: lang });

          const h = await open(row.order_id as string, lang);
          await h.choose("s-select", String(id));
          await h.type('s-text-area[name="trackingNumbers"]', n);
          await h.type('s-text-field[name="carrier"]', c);
          await h.type('s-url-field[name="trackingUrl"]', u);
          const sent = h.requests.length;
          await h.click(submitButton(h));
          await waitFor(() => {
            if (h.requests.length === sent) throw new Error("not sent");
            if (!app.ok && h.closed === 0 && !h.find("[error]").length)
              throw new Error("no answer yet");
            if (app.ok && h.closed === 0) throw new Error("not closed yet");
          });
          if (app.ok) {
            expect(h.closed).toBe(1);
          } else {
            expect(h.closed).toBe(0);
            const shown = Object.fromEntries(
              h
                .find("[error]")
                .map((field) => [
                  field.getAttribute("name"),
                  field.getAttribute("error"),
                ]),
            );
            const expected = Object.fromEntries(
              Object.entries(app.fieldErrors).map(([field, message]) => [
                field,
                appText(lang, message!),
              ]),
            );
            expect(shown).toEqual(expected);
            const after = await shipmentRow(id);
            expect(after).toEqual(before);
          }
          host!.unmount();
          host = null;
        },
      ),
      { numRuns: 30, seed: 18 },
    );
  });

  it("marks the chosen shipment shipped and closes (the app syncs it to Shopify)", async () => {
    const id = await demoShipmentId("#1001", "今治タオル工房");
    await setStatus(id, "unshipped");
    const row = await shipmentRow(id);
    const h = await open(row.order_id as string, "ja");
    await h.choose("s-select", String(id));
    await h.type('s-text-area[name="trackingNumbers"]', "4512-3456-7890");
    await h.type('s-text-field[name="carrier"]', "ヤマト運輸");
    await h.click(submitButton(h));
    await waitFor(() => expect(h.closed).toBe(1));
    expect(JSON.parse(h.requests.at(-1)!.body!)).toEqual({
      intent: "mark_shipped",
      trackingNumbers: "4512-3456-7890",
      carrier: "ヤマト運輸",
      trackingUrl: "",
      notifyCustomer: false,
    });
    expect(await shipmentRow(id)).toMatchObject({
      status: "shipped",
      carrier: "Yamato (JA)",
    });
  });
});
