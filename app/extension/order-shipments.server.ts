import { z } from "zod";

import { getPool } from "~/db.server";
import { isSyncErrorClass } from "~/components/error-copy";
import { carrierOptions } from "~/fulfillment/carriers";
import { shipmentBadge, syncErrorGuidance } from "~/fulfillment/messages";
import type { Locale } from "~/i18n/locale";
import { inEveryLocale, message, type Message } from "~/i18n/messages";
import { orderGidFromParam } from "~/orders/orders.server";
import type { Shipment } from "~/fulfillment/shipment-state";
import { loadShipment } from "~/fulfillment/shipment-store.server";
import {
  parseShipmentId,
  performShipmentAction,
} from "~/shipments/shipment-actions.server";
import type {
  LocalizedText,
  OrderShipmentView,
  OrderShipmentsBody,
  ShipmentCommandBody,
} from "./contract";

/**
 * The order-page block and action's backend, behind /api/extension/*: what the app
 * knows of one order of the authenticated shop, and the shipment page's own commands
 * (mark shipped, retry) for a shipment of that order. Nothing here decides a status,
 * a word or a rule of its own: badge, guidance, tracking validation and commands are
 * the app's (~/fulfillment/messages, ~/shipments/*).
 */

const BAD_ORDER = message("extension.badOrder");
const BAD_SHIPMENT = message("extension.badShipment");
const NOT_FOUND = message("shipments.shipmentNotFound");
const NOT_JSON = message("extension.notJson");
const TOO_LARGE = message("extension.tooLarge");
const UNKNOWN_INTENT = message("extension.unknownIntent");
const wrongType = (field: string, type: string) =>
  message(
    type === "boolean"
      ? "extension.wrongTypeBoolean"
      : "extension.wrongTypeString",
    { field },
  );

/** A command is a few hundred bytes; the route reads at most this much of a body. */
export const MAX_COMMAND_BODY_BYTES = 16 * 1024;

export async function loadOrderShipments(
  shop: string,
  orderParam: string | undefined,
  options: { locale: Locale; includeCarriers: boolean },
): Promise<{
  status: number;
  body: OrderShipmentsBody | { error: LocalizedText };
}> {
  const orderId = orderGidFromParam(orderParam);
  if (!orderId)
    return { status: 400, body: { error: inEveryLocale(BAD_ORDER) } };
  const pool = getPool();
  const ids = await pool.query<{ id: string }>(
    `select id from shipments where shop = $1 and order_id = $2 order by vendor nulls last, id`,
    [shop, orderId],
  );
  const shipments = (
    await Promise.all(
      ids.rows.map((row) => loadShipment(pool, shop, Number(row.id))),
    )
  ).filter((s): s is Shipment => s !== null);
  const name = await pool.query<{ order_name: string }>(
    `select order_name from orders where shop = $1 and order_id = $2
     union all
     select order_name from shipments where shop = $1 and order_id = $2
     limit 1`,
    [shop, orderId],
  );
  return {
    status: 200,
    body: {
      order: { name: name.rows[0]?.order_name ?? null },
      shipments: shipments.map(toView),
      // An order the app has not seen (or another shop's): the orders page, where it is imported.
      createPath: name.rows[0] ? `/app/orders/${orderParam}` : "/app/orders",
      ...(options.includeCarriers
        ? {
            carriers: carrierOptions(options.locale).map(
              ({ value, label, keywords }) => ({
                value,
                label,
                keywords,
              }),
            ),
          }
        : {}),
    },
  };
}

function toView(shipment: Shipment): OrderShipmentView {
  const errorClass = isSyncErrorClass(shipment.lastErrorClass)
    ? shipment.lastErrorClass
    : null;
  const badge = shipmentBadge({
    status: shipment.status,
    syncState: shipment.syncState,
    pendingOperation: shipment.pendingOperation,
    lastErrorClass: errorClass,
  });
  const failed = shipment.syncState === "failed";
  const guidance =
    failed && errorClass
      ? syncErrorGuidance({
          errorClass,
          message: shipment.lastErrorMessage ?? undefined,
          detail: shipment.lastErrorDetail,
        })
      : null;
  return {
    id: shipment.id,
    vendor: shipment.vendor,
    status: badge.key,
    tone: badge.tone ?? "neutral",
    shipped: shipment.status === "shipped",
    lines: shipment.lines.map(({ title, sku, quantity }) => ({
      title,
      sku,
      quantity,
    })),
    trackingNumbers: shipment.trackingNumbers,
    carrier: shipment.carrier,
    // One line: what the app found wrong when it said so itself (a check before
    // calling Shopify), else the error's title.
    guidance: guidance
      ? inEveryLocale(shipment.lastErrorDetail ?? guidance.title)
      : null,
    canRetry: failed,
    appPath: `/app/shipments/${shipment.id}`,
  };
}

const commandSchema = z.object({
  intent: z.unknown(),
  trackingNumbers: z.string({ invalid_type_error: "string" }).optional(),
  carrier: z.string({ invalid_type_error: "string" }).optional(),
  trackingUrl: z.string({ invalid_type_error: "string" }).optional(),
  notifyCustomer: z.boolean({ invalid_type_error: "boolean" }).optional(),
});

/**
 * 「発送済みにする」 or 「再試行」 for a shipment of this order, through the shipment
 * page's own action (performShipmentAction): the same validation, commands and sync.
 */
export async function performExtensionCommand({
  shop,
  orderParam,
  shipmentParam,
  rawBody,
  locale,
}: {
  shop: string;
  orderParam: string | undefined;
  shipmentParam: string | undefined;
  /** The body as read by the route; null when it was larger than MAX_COMMAND_BODY_BYTES. */
  rawBody: string | null;
  locale: Locale;
}): Promise<{ status: number; body: ShipmentCommandBody }> {
  const fail = (status: number, error: Message) => ({
    status,
    body: { ok: false as const, error: inEveryLocale(error) },
  });
  const orderId = orderGidFromParam(orderParam);
  if (!orderId) return fail(400, BAD_ORDER);
  const shipmentId = parseShipmentId(shipmentParam);
  if (!shipmentId) return fail(400, BAD_SHIPMENT);
  if (rawBody === null) return fail(400, TOO_LARGE);

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return fail(400, NOT_JSON);
  }
  if (!json || typeof json !== "object" || Array.isArray(json))
    return fail(400, NOT_JSON);
  const parsed = commandSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(400, wrongType(String(issue.path[0]), issue.message));
  }
  const input = parsed.data;
  if (input.intent !== "mark_shipped" && input.intent !== "retry") {
    return fail(400, UNKNOWN_INTENT);
  }

  // Scoped twice: the shop from the token, and the order the extension is open on.
  const shipment = await loadShipment(getPool(), shop, shipmentId);
  if (!shipment || shipment.orderId !== orderId) return fail(404, NOT_FOUND);

  const form = new FormData();
  form.set("intent", input.intent);
  form.set("trackingNumbers", input.trackingNumbers ?? "");
  form.set("carrier", input.carrier ?? "");
  form.set("trackingUrl", input.trackingUrl ?? "");
  form.set("notifyCustomer", input.notifyCustomer ? "true" : "false");
  const result = await performShipmentAction({
    shop,
    shipmentId,
    form,
    // The carrier variant follows the admin's language, as on the shipment page.
    carrierContext: { locale },
  });
  const body = result.body;
  if (body.ok) {
    return {
      status: result.status,
      body: {
        ok: true,
        message: inEveryLocale(message(body.toast)),
        warnings: body.warnings.map(inEveryLocale),
      },
    };
  }
  // The wire format carries every language: the extension shows the admin's.
  return {
    status: result.status,
    body:
      "fieldErrors" in body
        ? {
            ok: false,
            fieldErrors: Object.fromEntries(
              Object.entries(body.fieldErrors).map(([field, error]) => [
                field,
                inEveryLocale(error),
              ]),
            ),
          }
        : { ok: false, error: inEveryLocale(body.error) },
  };
}
