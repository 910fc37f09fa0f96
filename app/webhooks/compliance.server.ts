import type { Pool } from "pg";
import type { Queryable } from "~/db/queryable";
import { withTransaction } from "~/db/transaction.server";
import {
  countImportRowsNamingOrders,
  redactImportRowsNamingOrders,
} from "~/imports/store.server";
import { compliancePayloadProblem, readCompliancePayload } from "./payloads";
import {
  handleDeliveryOnce,
  type WebhookDelivery,
} from "./webhook-events.server";

/**
 * The mandatory compliance webhooks.
 *
 * What the app holds that concerns a customer: no name, e-mail, phone or address is ever
 * read from Shopify or stored (the order documents and webhook readers select none). It
 * holds, per order: the order's id and name, its lines (product title, SKU, vendor,
 * quantities), the shipments made of them with tracking numbers, carrier and URL — and
 * CSV import rows naming the order. An import row keeps only the cells of the columns
 * the import reads (order, SKU, line item, quantity, tracking, carrier, URL, notify;
 * supabase/migrations/20261202000950_import_rows_least_data.sql): the columns it ignores,
 * where a customer's name or address may have been, are never stored. So:
 * - customers/data_request: recorded with what is held for the requested orders, counted
 *   (orders, lines, shipments, import rows still holding uploaded cells). The record
 *   holds counts only, never the data: it outlives shop/redact.
 * - customers/redact: the import rows naming the orders lose their uploaded cells and
 *   the messages quoting them (redactImportRowsNamingOrders), and the record says how
 *   many. Order lines and shipments are the merchant's business records (what was
 *   shipped, with which tracking) and go with shop/redact; the record says how many
 *   were kept.
 * - shop/redact (48 hours after uninstall): every row of the shop is deleted — shipments
 *   and their lines, attempts and notes, line items, orders, sessions, runs, webhook log,
 *   imports — from every table in `public` that has a `shop` column, so a table added
 *   later is covered without touching this code. Only the compliance record itself is
 *   kept (the shop's domain, the topic, the time: the proof the deletion happened).
 */
export type ComplianceTopic =
  "customers/data_request" | "customers/redact" | "shop/redact";

export interface ComplianceRecord {
  shop: string;
  topic: ComplianceTopic;
  webhookId: string;
  requestId: string | null;
  orderIds: string[];
  result: Record<string, unknown>;
}

/** Records a compliance delivery; a repeat of the same delivery is recorded once. Returns false for a repeat. */
export async function recordComplianceRequest(
  pool: Pool,
  record: ComplianceRecord,
): Promise<boolean> {
  const inserted = await pool.query(
    `insert into compliance_requests (shop, topic, webhook_id, shopify_request_id, order_ids, result)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (shop, webhook_id) do nothing`,
    [
      record.shop,
      record.topic,
      record.webhookId,
      record.requestId,
      record.orderIds,
      record.result,
    ],
  );
  return (inserted.rowCount ?? 0) > 0;
}

/** How many of the named orders the app holds lines or shipments for. */
export async function ordersHeld(
  pool: Pool,
  shop: string,
  orderIds: readonly string[],
): Promise<number> {
  if (orderIds.length === 0) return 0;
  const result = await pool.query<{ n: string }>(
    `select count(distinct order_id) as n from (
       select order_id from line_items where shop = $1 and order_id = any($2::text[])
       union all
       select order_id from shipments where shop = $1 and order_id = any($2::text[])
     ) held`,
    [shop, [...orderIds]],
  );
  return Number(result.rows[0]?.n ?? 0);
}

/** What the app holds for these orders of the shop, counted. */
export async function heldForOrders(
  pool: Pool,
  shop: string,
  orderIds: readonly string[],
): Promise<{ ordersHeld: number; lineItems: number; shipments: number; importRows: number }> {
  if (orderIds.length === 0)
    return { ordersHeld: 0, lineItems: 0, shipments: 0, importRows: 0 };
  const counts = await pool.query<{ line_items: number; shipments: number }>(
    `select (select count(*)::int from line_items where shop = $1 and order_id = any($2::text[])) as line_items,
            (select count(*)::int from shipments where shop = $1 and order_id = any($2::text[])) as shipments`,
    [shop, [...orderIds]],
  );
  return {
    ordersHeld: await ordersHeld(pool, shop, orderIds),
    lineItems: counts.rows[0]?.line_items ?? 0,
    shipments: counts.rows[0]?.shipments ?? 0,
    importRows: await countImportRowsNamingOrders(pool, shop, orderIds),
  };
}

/** Tables kept by shop/redact: the record of compliance requests itself. */
const KEPT_TABLES = new Set(["compliance_requests"]);

/**
 * shop/redact: deletes every row of the shop, in one transaction. Returns the rows
 * deleted per table (tables with none left out). Safe to repeat: a second run deletes
 * nothing.
 */
export async function redactShop(
  pool: Pool,
  shop: string,
): Promise<Record<string, number>> {
  return withTransaction(pool, async (tx) => {
    const deleted: Record<string, number> = {};
    // Queued sync jobs of the shop's shipments (they would find nothing to do).
    const queue = await tx.query<{ ok: boolean }>(
      `select to_regnamespace('graphile_worker') is not null as ok`,
    );
    if (queue.rows[0]?.ok) {
      await tx.query(
        `select graphile_worker.remove_job('sync-shipment:' || id) from shipments where shop = $1`,
        [shop],
      );
    }
    // The shop row first: its foreign keys cascade to most tables.
    const cascadeCounts = await countShopRows(tx, shop);
    const shops = await tx.query(`delete from public.shops where shop = $1`, [
      shop,
    ]);
    if ((shops.rowCount ?? 0) > 0) deleted.shops = shops.rowCount ?? 0;
    const remaining = await countShopRows(tx, shop);
    for (const [table, before] of Object.entries(cascadeCounts)) {
      const gone = before - (remaining[table] ?? 0);
      if (gone > 0) deleted[table] = gone;
    }
    // Then every other table with a shop column (no foreign key to shops).
    for (const table of Object.keys(remaining)) {
      if ((remaining[table] ?? 0) === 0) continue;
      const result = await tx.query(
        `delete from public.${quoteIdent(table)} where shop = $1`,
        [shop],
      );
      deleted[table] = (deleted[table] ?? 0) + (result.rowCount ?? 0);
    }
    return deleted;
  });
}

async function countShopRows(
  tx: Queryable,
  shop: string,
): Promise<Record<string, number>> {
  const tables = await tx.query<{ table_name: string }>(
    `select c.table_name
       from information_schema.columns c
       join information_schema.tables t
         on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'shop' and t.table_type = 'BASE TABLE'
      order by c.table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    if (KEPT_TABLES.has(table_name) || table_name === "shops") continue;
    const result = await tx.query<{ n: string }>(
      `select count(*) as n from public.${quoteIdent(table_name)} where shop = $1`,
      [shop],
    );
    counts[table_name] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A compliance delivery: recorded, then acted on. shop/redact deletes the shop's data
 * only when the shop is not installed (Shopify sends it 48 hours after app/uninstalled;
 * a shop that reinstalled since keeps its data) and records what it deleted, per table.
 * 200 for a known topic, including a repeat and a shop the app never knew: Shopify only
 * needs to know it was received. The route has already checked the payload's shop.
 */
export async function handleComplianceWebhook(
  pool: Pool,
  delivery: WebhookDelivery & { payload: unknown },
): Promise<{ status: number; result: Record<string, unknown> }> {
  const topic = complianceTopic(delivery.topic);
  if (!topic)
    return {
      status: 400,
      result: { error: `not a compliance topic: ${delivery.topic}` },
    };
  const problem = compliancePayloadProblem(topic, delivery.payload);
  if (problem)
    return { status: 400, result: { error: problem } };
  const { orderIds, requestId } = readCompliancePayload(delivery.payload);
  let result: Record<string, unknown> = {};
  await handleDeliveryOnce(pool, delivery, async () => {
    switch (topic) {
      case "customers/data_request":
        result = {
          contactDetailsStored: false,
          ...(await heldForOrders(pool, delivery.shop, orderIds)),
        };
        break;
      case "customers/redact": {
        const redacted = await redactImportRowsNamingOrders(
          pool,
          delivery.shop,
          orderIds,
        );
        const kept = await heldForOrders(pool, delivery.shop, orderIds);
        result = {
          contactDetailsStored: false,
          ordersHeld: kept.ordersHeld,
          redacted: { importRows: redacted },
          keptUntilShopRedact: {
            lineItems: kept.lineItems,
            shipments: kept.shipments,
          },
        };
        break;
      }
      case "shop/redact":
        result = (await shopIsInstalled(pool, delivery.shop))
          ? {
              deleted: {},
              refused:
                "the shop is installed: shop/redact deletes a shop's data only after app/uninstalled",
            }
          : { deleted: await redactShop(pool, delivery.shop) };
        break;
    }
    await recordComplianceRequest(pool, {
      shop: delivery.shop,
      topic,
      webhookId: delivery.webhookId,
      requestId,
      orderIds,
      result,
    });
    return { outcome: "refused" in result ? "refused_installed" : "applied", details: result };
  });
  return { status: 200, result };
}

async function shopIsInstalled(pool: Pool, shop: string): Promise<boolean> {
  const installed = await pool.query(
    `select 1 from shops where shop = $1 and uninstalled_at is null`,
    [shop],
  );
  return (installed.rowCount ?? 0) > 0;
}

function complianceTopic(topic: string): ComplianceTopic | null {
  switch (topic.toUpperCase()) {
    case "CUSTOMERS_DATA_REQUEST":
    case "CUSTOMERS/DATA_REQUEST":
      return "customers/data_request";
    case "CUSTOMERS_REDACT":
    case "CUSTOMERS/REDACT":
      return "customers/redact";
    case "SHOP_REDACT":
    case "SHOP/REDACT":
      return "shop/redact";
    default:
      return null;
  }
}
