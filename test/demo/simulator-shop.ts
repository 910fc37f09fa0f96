/**
 * The demo shop in the Shopify simulator. The simulator knows nothing of the demo: the
 * demo hands its data over through the simulator's control API, here.
 */
import { exchangeToken, type AnyControl, type Simulator } from "../shopify-sim";
import { demoShop } from "./demo-data";
import type { DemoShop } from "./demo-data.types";

/**
 * Puts the demo shop (test/demo/demo-data.ts, the same description supabase/seed.sql is
 * generated from) into a simulator: locations, orders with their lines and fulfillment
 * orders under the demo's own ids, and a fulfillment for every shipment the demo says was
 * already shipped and synced. So the database seed and "Shopify" agree.
 *
 * Works with the in-process `Simulator.control` and with the HTTP client alike.
 */
export async function loadDemoShop(
  control: AnyControl,
  demoShop: DemoShop,
  options: {
    /** An offline access token to install for the app (else none: use token exchange). */
    token?: string;
    /**
     * The demo's orders carry fixed dates that age past Shopify's 60-day window; by default
     * the window is switched off for the demo shop so the demo keeps working. Pass true to
     * keep Shopify's rule.
     */
    enforceOrderAgeLimit?: boolean;
  } = {},
): Promise<{ shop: string; orders: number; fulfillments: number; token: string | null }> {
  await control.createShop({
    shop: demoShop.shop,
    name: demoShop.name,
    currencyCode: demoShop.locale === "ja" ? "JPY" : "USD",
    scopes: demoShop.scopes,
    locations: demoShop.locations.map((location) => ({ id: location.id, name: location.name })),
    settings: { enforceOrderAgeLimit: options.enforceOrderAgeLimit ?? false },
  });

  let fulfillments = 0;
  for (const order of demoShop.orders) {
    await control.createOrder({
      shop: demoShop.shop,
      id: order.id,
      name: order.name,
      createdAt: order.createdAt,
      lines: order.lines.map((line) => ({
        id: line.id,
        sku: line.sku,
        title: line.title,
        quantity: line.quantity,
        vendor: line.vendor,
      })),
      fulfillmentOrders: order.fulfillmentOrders.map((fulfillmentOrder) => ({
        id: fulfillmentOrder.id,
        locationId: fulfillmentOrder.locationId,
        status: fulfillmentOrder.status ?? "OPEN",
        lines: fulfillmentOrder.lines.map((line) => ({
          id: line.id,
          lineItemId: line.lineItemId,
          quantity: line.quantity,
        })),
      })),
    });

    for (const shipment of order.shipments) {
      if (!shipment.shipped) continue;
      const { trackingNumbers, carrier, trackingUrl, fulfillmentId, shippedAt } = shipment.shipped;
      await control.seedFulfillment({
        shop: demoShop.shop,
        orderId: order.id,
        id: fulfillmentId,
        createdAt: shippedAt,
        lines: shipment.lines,
        // The demo's URL is built for the first number; it pairs with that one only.
        trackingInfo:
          trackingNumbers.length === 1
            ? { company: carrier, number: trackingNumbers[0], url: trackingUrl }
            : { company: carrier, numbers: trackingNumbers, urls: trackingUrl ? [trackingUrl] : undefined },
      });
      fulfillments += 1;
    }

    // Closed and cancelled last: their shipped items were shipped while the order was open.
    if (order.state && order.state !== "open") {
      await control.setOrderState({ shop: demoShop.shop, orderId: order.id, state: order.state });
    }
  }

  const token = options.token
    ? (await control.installToken({ shop: demoShop.shop, token: options.token })).token
    : null;
  return { shop: demoShop.shop, orders: demoShop.orders.length, fulfillments, token };
}

/**
 * `npm run simulator` (test/shopify-sim/cli.ts --setup test/demo/simulator-shop.ts): the
 * simulator process with the demo shop loaded and an offline token for the app —
 * SIMULATOR_DEMO_TOKEN's if set, else one obtained by token exchange as the app's
 * embedded auth would. Prints `SIMULATOR_DEMO_TOKEN=<token>` for a parent process to read.
 */
export default async function setUpDemoShop(simulator: Simulator): Promise<void> {
  const loaded = await loadDemoShop(simulator.control, demoShop, {
    token: process.env.SIMULATOR_DEMO_TOKEN || undefined,
  });
  let token = loaded.token;
  if (!token) {
    const { sessionToken } = simulator.control.sessionToken({ shop: loaded.shop });
    const exchanged = await exchangeToken({
      origin: simulator.origin,
      shop: loaded.shop,
      apiKey: simulator.apiKey,
      apiSecret: simulator.apiSecret,
      sessionToken,
    });
    if (exchanged.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(exchanged.body)}`);
    token = (exchanged.body as { access_token: string }).access_token;
  }
  console.log(
    `[demo] shop ${loaded.shop}: ${loaded.orders} orders, ${loaded.fulfillments} fulfillments already synced`,
  );
  console.log(`SIMULATOR_DEMO_TOKEN=${token}`);
}
