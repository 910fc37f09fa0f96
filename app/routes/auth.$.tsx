import type { LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "../shopify.server";

// /auth/* belongs to the library (session-token bounce page, exit-iframe, login
// redirects): authenticate.admin answers those paths by throwing the right response.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);

  return null;
};
