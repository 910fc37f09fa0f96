import type { LoaderFunctionArgs } from "@remix-run/node";

import { loadOrderShipments } from "~/extension/order-shipments.server";
import { resolveLocale } from "~/i18n/locale";
import { authenticate } from "~/shopify.server";

/**
 * GET /api/extension/orders/:orderId — the order-page block's and action's data, for
 * the order they are open on. Called by the extensions with their session token
 * (Shopify adds it to fetch); the shop is the token's. OPTIONS (CORS preflight) is
 * answered by authenticate.admin, as the library does for extensions.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const url = new URL(request.url);
  const result = await loadOrderShipments(session.shop, params.orderId, {
    locale: resolveLocale(request),
    includeCarriers: url.searchParams.get("include") === "carriers",
  });
  return cors(Response.json(result.body, { status: result.status }));
};
