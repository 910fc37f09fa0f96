import { testPool } from "../support/database";
import { DEMO_SHOP, startSyncWorldOn, type SyncWorld, type SyncWorldOptions } from "./sync-world-core";

/**
 * Everything a sync test needs, real all the way: this file's Postgres (migrated and
 * seeded with supabase/seed.sql), the Shopify simulator loaded with the same demo shop,
 * the app's own shopify.server pointed at the simulator by its one setting
 * (SHOPIFY_ADMIN_API_ORIGIN), and the shop's offline session — an expiring pair, as
 * token exchange with expiring=1 issues it — stored through the app's session storage
 * (encrypted) as token exchange would have stored it. (./sync-world-core builds it on
 * any database, for scripts outside vitest.)
 */
export { DEMO_SHOP, DEMO_TOKEN, type SyncWorld } from "./sync-world-core";

export async function startSyncWorld(options: SyncWorldOptions = {}): Promise<SyncWorld> {
  return startSyncWorldOn(testPool(), options);
}

/** A seeded shipment of the demo shop by order name and vendor. */
export async function demoShipmentId(orderName: string, vendor?: string): Promise<number> {
  const result = await testPool().query<{ id: string }>(
    `select id from shipments where shop = $1 and order_name = $2
        and ($3::text is null or vendor = $3) order by id limit 1`,
    [DEMO_SHOP, orderName, vendor ?? null],
  );
  if (!result.rows[0]) throw new Error(`no demo shipment for ${orderName} ${vendor ?? ""}`);
  return Number(result.rows[0].id);
}

export async function shipmentRow(id: number) {
  const result = await testPool().query(`select * from shipments where id = $1`, [id]);
  return result.rows[0] as Record<string, unknown> & {
    status: string;
    sync_state: string;
    pending_operation: string | null;
    shopify_fulfillment_id: string | null;
    last_error_class: string | null;
    last_error_message: string | null;
    tracking_numbers: string[];
    sync_attempts: number;
    next_retry_at: Date | null;
  };
}

export async function attemptsOf(id: number) {
  const result = await testPool().query(
    `select operation, outcome, error_class, http_status, message, fulfillment_id
       from sync_attempts where shipment_id = $1 order by id`,
    [id],
  );
  return result.rows as {
    operation: string;
    outcome: string | null;
    error_class: string | null;
    http_status: number | null;
    message: string | null;
    fulfillment_id: string | null;
  }[];
}
