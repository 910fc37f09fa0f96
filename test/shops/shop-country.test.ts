import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fetchRequest, routeArgs, settle } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import {
  DEMO_SHOP,
  startSyncWorld,
  type SyncWorld,
} from "../helpers/sync-world";
import { BULK_HEADER, csvFile } from "../imports/helpers";
import { importOrder } from "../reconcile/fixtures";
import { testPool } from "../support/database";
import type * as ShipmentRoute from "~/routes/app.shipments.$id";
import type * as UploadRoute from "~/routes/app.imports._index";

// The shop's country comes from Shopify (Shop.shopAddress.countryCodeV2), is stored with
// the shop, and reaches the carrier normaliser in the form, the CSV import and the sync:
// "DHL" is Shopify's Germany-only company for a German shop and "DHL Express" elsewhere.
let world: SyncWorld;
let shipmentRoute: typeof ShipmentRoute;
let uploadRoute: typeof UploadRoute;

beforeAll(async () => {
  world = await startSyncWorld();
  shipmentRoute = await import("~/routes/app.shipments.$id");
  uploadRoute = await import("~/routes/app.imports._index");
});

afterAll(async () => {
  await world.close();
});

beforeEach(async () => {
  await testPool().query(
    `update shops set country_code = null where shop = $1`,
    [DEMO_SHOP],
  );
});

const storedCountry = async () =>
  (
    await testPool().query<{ country_code: string | null }>(
      `select country_code from shops where shop = $1`,
      [DEMO_SHOP],
    )
  ).rows[0]!.country_code;

const countryReads = () =>
  world.sim.control
    .requestLog({ shop: DEMO_SHOP })
    .filter((r) => r.operationName === "ShopCountry").length;

async function newShipment(): Promise<{ orderId: string; shipmentId: number }> {
  const { order, lines } = await importOrder(world, [
    { title: "南部鉄器 鉄瓶", quantity: 1, vendor: "南部鉄器" },
  ]);
  const { createShipmentsFromOrder } = await import("~/orders/orders.server");
  const { getPool } = await import("~/db.server");
  const created = await createShipmentsFromOrder(
    getPool(),
    DEMO_SHOP,
    order.id,
    [{ vendor: null, lines: [{ lineId: lines[0]!.id, quantity: 1 }] }],
  );
  if (!created.ok) throw new Error(created.reason);
  return { orderId: order.id, shipmentId: created.shipmentIds[0]! };
}

async function markShippedThroughTheForm(shipmentId: number, carrier: string) {
  const body = new FormData();
  body.set("intent", "mark_shipped");
  body.set("trackingNumbers", "1234567890");
  body.set("carrier", carrier);
  const request = fetchRequest(
    `/app/shipments/${shipmentId}`,
    signSessionToken({ shop: DEMO_SHOP }),
    { method: "POST", body },
  );
  const settled = await settle(() =>
    shipmentRoute.action(routeArgs(request, { id: String(shipmentId) })),
  );
  expect(settled.thrown).toBeUndefined();
}

const companyInShopify = (orderId: string) =>
  world.sim.control
    .getOrder({ shop: DEMO_SHOP, orderId })
    .fulfillments.map((f) => f.trackingInfo[0]?.company);

describe("the shop's country", () => {
  it("is read from Shopify once and stored; the form normalises with it", async () => {
    world.sim.control.setShopCountry({ shop: DEMO_SHOP, countryCode: "DE" });
    const before = countryReads();
    const german = await newShipment();
    await markShippedThroughTheForm(german.shipmentId, "dhl");
    expect(await storedCountry()).toBe("DE");
    expect(companyInShopify(german.orderId)).toEqual(["DHL"]);

    const again = await newShipment();
    await markShippedThroughTheForm(again.shipmentId, "DHL");
    expect(countryReads() - before).toBe(1);
  });

  it("a Japanese shop typing DHL gets DHL Express", async () => {
    world.sim.control.setShopCountry({ shop: DEMO_SHOP, countryCode: "JP" });
    const { orderId, shipmentId } = await newShipment();
    await markShippedThroughTheForm(shipmentId, "DHL");
    expect(await storedCountry()).toBe("JP");
    expect(companyInShopify(orderId)).toEqual(["DHL Express"]);
  });

  it("reaches the sync: a stored carrier is sent as the shop's country lists it", async () => {
    const { markShipped } =
      await import("~/shipments/shipment-commands.server");
    const { syncNow } = await import("~/sync/sync-runner.server");
    const { getPool } = await import("~/db.server");
    for (const [country, expected] of [
      ["DE", "DHL"],
      ["JP", "DHL Express"],
    ] as const) {
      await testPool().query(
        `update shops set country_code = $2 where shop = $1`,
        [DEMO_SHOP, country],
      );
      const { orderId, shipmentId } = await newShipment();
      await markShipped(getPool(), DEMO_SHOP, shipmentId, {
        trackingNumbers: ["1234567890"],
        carrier: "DHL",
        trackingUrl: null,
        notifyCustomer: false,
      });
      expect((await syncNow(DEMO_SHOP, shipmentId)).kind).toBe("synced");
      expect(companyInShopify(orderId)).toEqual([expected]);
    }
  });

  it("reaches the CSV import's preview", async () => {
    world.sim.control.setShopCountry({ shop: DEMO_SHOP, countryCode: "DE" });
    const body = new FormData();
    body.set(
      "file",
      new File(
        [
          new Uint8Array(
            csvFile([
              BULK_HEADER,
              ["#1012", "IMABARI-BT-GY", "1", "1234567890", "DHL", "", ""],
            ]),
          ),
        ],
        "tracking.csv",
        { type: "text/csv" },
      ),
    );
    body.set("locale", "ja");
    const request = fetchRequest(
      "/app/imports",
      signSessionToken({ shop: DEMO_SHOP }),
      { method: "POST", body },
    );
    const settled = await settle(() => uploadRoute.action(routeArgs(request)));
    const response = (settled.value ?? settled.thrown) as Response;
    expect(response.status).toBe(302);
    const { rows } = await testPool().query<{ carrier: string }>(
      `select r.carrier from import_rows r join imports i on i.id = r.import_id
        where i.shop = $1 order by r.id desc limit 1`,
      [DEMO_SHOP],
    );
    expect(rows[0]?.carrier).toBe("DHL");
    expect(await storedCountry()).toBe("DE");
  });
});
