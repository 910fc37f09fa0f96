import { redirect, type ActionFunctionArgs } from "@remix-run/node";

import { getPool } from "~/db.server";
import { reauthorizeShop, safeReturnPath } from "~/shops/reauthorize.server";
import { authenticate } from "~/shopify.server";

// The banner's re-authorize button (POST only): see ~/shops/reauthorize.server.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, scopes } = await authenticate.admin(request);
  const form = await request.formData();
  await reauthorizeShop({
    db: getPool(),
    shop: session.shop,
    scopes: {
      query: () => scopes.query(),
      request: (missing) => scopes.request(missing),
    },
  });
  return redirect(safeReturnPath(form.get("returnTo")));
};

export const loader = () => redirect("/app");
