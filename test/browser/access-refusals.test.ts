import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPool } from "../support/database";
import { startBrowserWorld, type BrowserWorld } from "./harness";

// A shipment refused because its order is older than 60 days offers the read_all_orders
// grant (not a retry), in Japanese and English.
let world: BrowserWorld;

beforeAll(async () => {
  world = await startBrowserWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
});

describe("an order older than 60 days", () => {
  it.each(["ja", "en"] as const)("shows its own guidance and the grant button (%s)", async (locale) => {
    const shipment = await testPool().query<{ id: string; shop: string }>(
      `update shipments set status = 'shipped', shipped_at = now(), sync_state = 'failed',
                            pending_operation = 'create_fulfillment', last_error_class = 'order_too_old',
                            last_error_message = 'Order #1001 was created more than 60 days ago.'
        where id = (select min(id) from shipments) returning id, shop`,
    );
    const id = shipment.rows[0]!.id;
    const admin = await world.openAdmin({ path: `/app/shipments/${id}`, locale });
    await admin.page.setViewportSize({ width: 900, height: 900 });
    const button = locale === "ja" ? "古い注文へのアクセスを許可する" : "Allow access to older orders";
    await admin.app.getByRole("button", { name: button }).waitFor({ timeout: 20_000 });
    const title =
      locale === "ja"
        ? "60 日より前の注文は、追加の権限がないと Shopify から読み取れません"
        : "Orders older than 60 days need one more permission before Shopify shows them";
    expect(await admin.app.getByText(title).count()).toBeGreaterThan(0);
    await admin.screenshot(`order-too-old-${locale}`);
  });
});
