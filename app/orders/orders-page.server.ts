import { getPool } from "~/db.server";
import { message, type Message } from "~/i18n/messages";
import {
  refuseControlCharacters,
  refuseUnreadableCursor,
} from "~/http/refusal.server";
import { reconcileShop, listReconcileRuns } from "~/reconcile/reconcile.server";
import { loadOfflineSession } from "~/offline-session.server";
import { sharedPacer } from "~/shopify/paced-query.server";
import {
  getLatestBackfill,
  runBackfill,
  startBackfill,
  DEFAULT_BACKFILL_DAYS,
} from "./backfill.server";
import {
  createShipmentsFromOrder,
  decodeOrdersCursor,
  getOrderDetail,
  listOrders,
  orderGidFromParam,
} from "./orders.server";
import { parseShipmentPlanForm } from "./shipment-plan-form";

/**
 * What the orders pages' loaders and actions do, so the routes stay parse →
 * authenticate → call → render. Every function takes the shop from the caller's
 * authenticated session, never from the request.
 */

/** A route action's slice of backfill work: short enough for one request. */
export const BACKFILL_SLICE_MS = 8_000;
/** An on-demand reconcile compares at most this many shipments (the scheduled one: all). */
export const MANUAL_RECONCILE_LIMIT = 250;

function readDeps() {
  return {
    pool: getPool(),
    loadSession: loadOfflineSession,
    pacer: sharedPacer(),
    callTimeoutMs: 15_000,
  };
}

/** The orders list; an `after` cursor the list did not write, or a search with a control character, is refused (400). */
export async function loadOrdersIndex(shop: string, request: Request) {
  const url = new URL(request.url);
  refuseControlCharacters(request, url.searchParams, ["q"]);
  refuseUnreadableCursor(request, url.searchParams.get("after"), decodeOrdersCursor);
  const pool = getPool();
  const [page, backfill, reconcileRuns] = await Promise.all([
    listOrders(pool, shop, {
      search: url.searchParams.get("q") ?? undefined,
      after: url.searchParams.get("after"),
    }),
    getLatestBackfill(pool, shop),
    listReconcileRuns(pool, shop, 3),
  ]);
  return {
    orders: page.rows,
    nextCursor: page.nextCursor,
    search: url.searchParams.get("q") ?? "",
    backfill,
    backfillDays: DEFAULT_BACKFILL_DAYS,
    reconcileRuns,
  };
}

export type OrdersIndexActionBody =
  | {
      ok: true;
      intent: "backfill";
      backfill: Awaited<ReturnType<typeof getLatestBackfill>>;
      started: boolean;
    }
  | {
      ok: true;
      intent: "reconcile";
      run: Awaited<ReturnType<typeof reconcileShop>>;
    }
  | { ok: false; error: Message };

export async function performOrdersIndexAction(
  shop: string,
  form: FormData,
): Promise<{ status: number; body: OrdersIndexActionBody }> {
  const pool = getPool();
  switch (form.get("intent")) {
    case "start_backfill": {
      const before = await getLatestBackfill(pool, shop);
      const run = await startBackfill(pool, shop);
      await runBackfill(readDeps(), shop, { deadlineMs: BACKFILL_SLICE_MS });
      return {
        status: 200,
        body: {
          ok: true,
          intent: "backfill",
          backfill: await getLatestBackfill(pool, shop),
          started: before?.id !== run.id,
        },
      };
    }
    case "continue_backfill": {
      await runBackfill(readDeps(), shop, { deadlineMs: BACKFILL_SLICE_MS });
      return {
        status: 200,
        body: {
          ok: true,
          intent: "backfill",
          backfill: await getLatestBackfill(pool, shop),
          started: false,
        },
      };
    }
    case "reconcile": {
      const run = await reconcileShop(readDeps(), shop, {
        trigger: "manual",
        limit: MANUAL_RECONCILE_LIMIT,
      });
      return { status: 200, body: { ok: true, intent: "reconcile", run } };
    }
    default:
      return {
        status: 400,
        body: {
          ok: false,
          error: message("common.unknownAction"),
        },
      };
  }
}

export const ORDER_NOT_FOUND: Message = message("orders.errorNotFound");

export async function loadOrderPage(shop: string, idParam: string | undefined) {
  const orderId = orderGidFromParam(idParam);
  const order = orderId ? await getOrderDetail(getPool(), shop, orderId) : null;
  return order;
}

export type OrderPageActionBody =
  | { ok: true; created: number[] }
  | { ok: false; fieldErrors: Record<string, Message>; error?: Message };

const ERRORS = {
  notFound: ORDER_NOT_FOUND,
  cancelled: message("orders.createCancelled"),
  overRemaining: message("orders.errorOverRemaining"),
} as const;

/** Creates the shipments of the submitted plan (one per vendor group with units). */
export async function performOrderPageAction(
  shop: string,
  idParam: string | undefined,
  form: FormData,
): Promise<{ status: number; body: OrderPageActionBody }> {
  const orderId = orderGidFromParam(idParam);
  const order = orderId ? await getOrderDetail(getPool(), shop, orderId) : null;
  if (!orderId || !order)
    return {
      status: 404,
      body: { ok: false, fieldErrors: {}, error: ERRORS.notFound },
    };
  if (order.cancelledAt)
    return {
      status: 409,
      body: { ok: false, fieldErrors: {}, error: ERRORS.cancelled },
    };
  const plan = parseShipmentPlanForm(form, order.lines);
  if (!plan.ok) {
    return {
      status: 400,
      body: { ok: false, fieldErrors: plan.fieldErrors, error: plan.formError },
    };
  }
  const created = await createShipmentsFromOrder(
    getPool(),
    shop,
    orderId,
    plan.shipments,
  );
  if (!created.ok) {
    const error =
      created.reason === "not_found"
        ? ERRORS.notFound
        : created.reason === "order_cancelled"
          ? ERRORS.cancelled
          : ERRORS.overRemaining;
    return {
      status: created.reason === "not_found" ? 404 : 409,
      body: { ok: false, fieldErrors: {}, error },
    };
  }
  return { status: 200, body: { ok: true, created: created.shipmentIds } };
}
