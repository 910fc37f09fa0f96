import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";

import { getPool } from "~/db.server";
import { refusal } from "~/http/refusal.server";
import {
  parseShipmentId,
  SHIPMENT_NOT_FOUND,
} from "~/shipments/shipment-actions.server";
import { getShipmentSyncPulse } from "~/shipments/shipment-detail.server";
import { authenticate } from "~/shopify.server";

/**
 * The shipment page's live poll (a resource route, no UI): one short read telling the
 * open page whether its shipment moved on, so it revalidates only when something changed.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parseShipmentId(params.id);
  const pulse = id ? await getShipmentSyncPulse(getPool(), session.shop, id) : null;
  if (pulse === null) throw refusal(request, 404, SHIPMENT_NOT_FOUND);
  return { pulse };
};

// Thrown authentication responses keep their headers only if passed on: routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
