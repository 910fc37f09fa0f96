import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { splitStatements } from "../../app/db/split-statements";
import { testPool } from "../support/database";
import { demoShop } from "./demo-data";
import { generateSeedSql, SEED_PATH } from "./generate-seed";

const allShipments = demoShop.orders.flatMap((o) =>
  o.shipments.map((s) => ({ order: o, shipment: s })),
);
const shippedShipments = allShipments.filter(
  ({ shipment }) => shipment.shipped,
);

describe("supabase/seed.sql", () => {
  test("is what test/demo/generate-seed.ts produces from demo-data.ts", () => {
    const committed = readFileSync(SEED_PATH, "utf8");
    expect(
      committed,
      "supabase/seed.sql is out of date: run `npx tsx test/demo/generate-seed.ts` and commit the result",
    ).toBe(generateSeedSql(demoShop));
  });

  test("loads into a freshly migrated database, as `supabase db reset` loads it", async () => {
    const client = await testPool().connect();
    try {
      await client.query("begin");
      for (const statement of splitStatements(readFileSync(SEED_PATH, "utf8")))
        await client.query(statement);
      await client.query("commit");

      const counts = await client.query(`select
        (select count(*)::int from public.shops) as shops,
        (select count(*)::int from public.line_items) as line_items,
        (select count(*)::int from public.shipments) as shipments,
        (select count(*)::int from public.shipment_line_items) as shipment_line_items,
        (select count(*)::int from public.sync_attempts where outcome = 'succeeded') as attempts`);
      expect(counts.rows[0]).toEqual({
        shops: 1,
        line_items: demoShop.orders.flatMap((o) => o.lines).length,
        shipments: allShipments.length,
        shipment_line_items: allShipments.flatMap(
          ({ shipment }) => shipment.lines,
        ).length,
        attempts: shippedShipments.length,
      });

      const shipped = await client.query(
        `select order_name, shopify_fulfillment_id, tracking_numbers, carrier
         from public.shipments
         where status = 'shipped' and sync_state = 'in_sync' and synced_at > shipped_at
         order by id`,
      );
      expect(shipped.rows).toEqual(
        shippedShipments.map(({ order, shipment }) => ({
          order_name: order.name,
          shopify_fulfillment_id: shipment.shipped!.fulfillmentId,
          tracking_numbers: shipment.shipped!.trackingNumbers,
          carrier: shipment.shipped!.carrier,
        })),
      );

      // Shipment lines never ship more than was ordered.
      const over = await client.query(`
        select li.order_name, li.title from public.line_items li
        join public.shipment_line_items sli on sli.line_item_id = li.id
        group by li.id having sum(sli.quantity) > li.quantity`);
      expect(over.rows).toEqual([]);

      // The app's next shipment does not collide with the seeded ids.
      const next = await client.query<{ id: string }>(
        `insert into public.shipments (shop, order_id, order_name)
         values ($1, $2, $3) returning id`,
        [demoShop.shop, demoShop.orders[0].id, demoShop.orders[0].name],
      );
      expect(Number(next.rows[0].id)).toBe(allShipments.length + 1);
    } finally {
      await client.query("rollback").catch(() => undefined);
      client.release();
    }
  });
});

describe("the demo shop", () => {
  const gid = (type: string) => new RegExp(`^gid://shopify/${type}/[0-9]+$`);

  test("uses Shopify's id formats, each id once", () => {
    const ids = [
      ...demoShop.locations.map((l) => [l.id, "Location"]),
      ...demoShop.orders.flatMap((o) => [
        [o.id, "Order"],
        ...o.lines.map((l) => [l.id, "LineItem"]),
        ...o.fulfillmentOrders.flatMap((fo) => [
          [fo.id, "FulfillmentOrder"],
          ...fo.lines.map((l) => [l.id, "FulfillmentOrderLineItem"]),
        ]),
        ...o.shipments.flatMap((s) =>
          s.shipped ? [[s.shipped.fulfillmentId, "Fulfillment"]] : [],
        ),
      ]),
    ];
    for (const [id, type] of ids) expect(id).toMatch(gid(type));
    expect(new Set(ids.map(([id]) => id)).size).toBe(ids.length);
    expect(demoShop.orders.map((o) => o.name)).toEqual(
      Array.from({ length: demoShop.orders.length }, (_, i) => `#${1001 + i}`),
    );
  });

  test("assigns every ordered unit to exactly one fulfillment order at a known location", () => {
    const locations = new Set(demoShop.locations.map((l) => l.id));
    for (const order of demoShop.orders) {
      for (const fo of order.fulfillmentOrders)
        expect(locations.has(fo.locationId)).toBe(true);
      const assigned = order.fulfillmentOrders.flatMap((fo) =>
        fo.lines.map((l) => [l.lineItemId, l.quantity]),
      );
      expect(assigned.sort()).toEqual(
        order.lines.map((l) => [l.id, l.quantity]).sort(),
      );
    }
    expect(demoShop.orders.some((o) => o.fulfillmentOrders.length === 2)).toBe(
      true,
    );
    expect(
      demoShop.orders.some((o) =>
        o.fulfillmentOrders.some((fo) => fo.status === "ON_HOLD"),
      ),
    ).toBe(true);
  });

  test("ships each shipment from one open fulfillment order, one vendor, never beyond the order", () => {
    for (const order of demoShop.orders) {
      const foOf = (lineItemId: string) =>
        order.fulfillmentOrders.find((fo) =>
          fo.lines.some((l) => l.lineItemId === lineItemId),
        )!;
      const shippedPerLine = new Map<string, number>();
      for (const shipment of order.shipments) {
        const fos = new Set(shipment.lines.map((l) => foOf(l.lineItemId)));
        expect(fos.size).toBe(1);
        if (shipment.shipped) expect([...fos][0].status ?? "OPEN").toBe("OPEN");
        for (const line of shipment.lines) {
          const orderLine = order.lines.find((l) => l.id === line.lineItemId)!;
          expect(orderLine.vendor).toBe(shipment.vendor);
          shippedPerLine.set(
            line.lineItemId,
            (shippedPerLine.get(line.lineItemId) ?? 0) + line.quantity,
          );
          expect(shippedPerLine.get(line.lineItemId)).toBeLessThanOrEqual(
            orderLine.quantity,
          );
        }
      }
    }
    expect(
      allShipments.filter(({ shipment }) => shipment.lines.length > 0).length,
    ).toBe(allShipments.length);
    expect(shippedShipments.length).toBeLessThan(allShipments.length / 2);
  });

  test("tracks shipped parcels with Japanese carriers' real number formats", () => {
    const carriers = new Set(
      shippedShipments.map(({ shipment }) => shipment.shipped!.carrier),
    );
    expect([...carriers].sort()).toEqual([
      "Japan Post (JA)",
      "Sagawa (JA)",
      "Yamato (JA)",
    ]);
    for (const { shipment } of shippedShipments) {
      for (const number of shipment.shipped!.trackingNumbers) {
        // Yamato, Sagawa and Japan Post (ゆうパック): 11 digits and a mod-7 check digit.
        expect(number).toMatch(/^[0-9]{12}$/);
        expect(Number(number.slice(0, 11)) % 7).toBe(Number(number[11]));
      }
      expect(shipment.shipped!.trackingUrl).toContain(
        shipment.shipped!.trackingNumbers[0],
      );
    }
  });
});
