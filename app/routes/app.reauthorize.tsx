import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
} from "@remix-run/node";
import { readForm } from "~/http/body-limit.server";
import { boundary } from "@shopify/shopify-app-remix/server";

import { getPool } from "~/db.server";
import { refusal } from "~/http/refusal.server";
import { parseReauthorizeForm, reauthorizeShop } from "~/shops/reauthorize.server";
import { authenticate } from "~/shopify.server";

// The banner's re-authorize button, and a page asking for an optional scope (`scope`,
// e.g. read_all_orders) (POST only): see ~/shops/reauthorize.server.
export const action = async ({ request }: ActionFunctionArgs) => {
  const form = await readForm(request);
  const { session, scopes } = await authenticate.admin(request);
  const parsed = parseReauthorizeForm(form);
  if (!parsed.ok) throw refusal(request, 400, parsed.error);
  await reauthorizeShop({
    db: getPool(),
    shop: session.shop,
    scopes: {
      query: () => scopes.query(),
      request: (missing) => scopes.request(missing),
    },
    optional: parsed.optional,
  });
  return redirect(parsed.returnTo);
};

export const loader = () => redirect("/app");

// With single fetch, a Response thrown by this action reaches the browser with this
// route's headers only: without this, App Bridge never sees the retry header
// (X-Shopify-Retry-Invalid-Session-Request) or the reauthorize URL, and the merchant
// gets a bare "401 Unauthorized" page instead of a re-authorization.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
