import type { AdminApiSession } from "./admin-graphql.server";
import { sessionStorage } from "~/shopify.server";

/**
 * The shop's offline token, as stored by the library after token exchange. Background
 * work (the queue, inline syncs after an action) uses it: it does not expire with the
 * staff member's session.
 */
export async function loadOfflineSession(shop: string): Promise<AdminApiSession | null> {
  const session = await sessionStorage.loadSession(`offline_${shop}`);
  if (!session?.accessToken) return null;
  return { shop: session.shop, accessToken: session.accessToken };
}
