import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import {
  MAX_COMMAND_BODY_BYTES,
  performExtensionCommand,
} from "~/extension/order-shipments.server";
import { BodyTooLargeError, readBodyCapped } from "~/http/body-limit.server";
import { resolveLocale } from "~/i18n/locale";
import { inEveryLocale, message } from "~/i18n/messages";
import { authenticate } from "~/shopify.server";

/**
 * POST /api/extension/orders/:orderId/shipments/:shipmentId — 「発送済みにする」 and
 * 「再試行」 from the order-page extensions: a JSON body, the shipment page's own
 * validation and commands, scoped to the token's shop and to this order.
 */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  // Read within the limit before authentication; past it, the command's own 400 answer.
  const rawBody = await readBodyCapped(request, MAX_COMMAND_BODY_BYTES).then(
    (bytes) => new TextDecoder().decode(bytes),
    (error: unknown) => {
      if (error instanceof BodyTooLargeError) return null;
      throw error;
    },
  );
  const { session, cors } = await authenticate.admin(request);
  const result = await performExtensionCommand({
    shop: session.shop,
    orderParam: params.orderId,
    shipmentParam: params.shipmentId,
    rawBody,
    locale: resolveLocale(request),
  });
  return cors(Response.json(result.body, { status: result.status }));
};

/** Only the CORS preflight (OPTIONS reaches the loader): authenticate.admin answers it. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { cors } = await authenticate.admin(request);
  return cors(
    Response.json(
      { ok: false, error: inEveryLocale(message("extension.usePost")) },
      { status: 405, headers: { Allow: "POST, OPTIONS" } },
    ),
  );
};
