import type { Queryable } from "~/db/queryable";
import { message, type Message } from "~/i18n/messages";
import { grants } from "~/fulfillment/required-access";
import { OPTIONAL_SCOPES } from "./declared-scopes";
import {
  getShopSyncPause,
  resumeShopSync,
  unmetRequirements,
} from "./sync-circuit.server";

/**
 * The 「再認可」 button's work, framework-free: find out what Shopify refuses and send
 * the merchant through exactly one fix.
 *
 * - Ask Shopify for the app's scopes through the library's own client. If the shop's
 *   token is dead, the library invalidates it itself and answers 401; we answer "retry
 *   this request" (X-Shopify-Retry-Invalid-Session-Request), so App Bridge repeats it
 *   with a fresh session token and the library's token exchange gets a new offline
 *   token — no page leaves the admin.
 * - Scopes still missing (the granted set against what the app requires, plus the scope
 *   asked for each requirement of the pause none of whose alternatives is granted yet,
 *   plus an optional scope the page asks for, e.g. read_all_orders for orders older than
 *   60 days) → the library's scopes.request(missing) sends the
 *   merchant to Shopify's grant screen, once, from a click — never from a page load, so
 *   a merchant who declines lands back on a stable page with the banner, not in a loop.
 * - Nothing missing → the shop's paused syncs resume and the operator returns to the
 *   page they were on.
 */
export interface ScopesApi {
  query(): Promise<{ granted: string[]; required: string[] }>;
  request(scopes: string[]): Promise<void>;
}

export type ReauthorizeResult =
  { kind: "resumed"; queued: number } | { kind: "nothing_to_do" };

export async function reauthorizeShop(options: {
  db: Queryable;
  shop: string;
  scopes: ScopesApi;
  /** Optional scopes (shopify.app.toml optional_scopes) the page asks for; others are ignored. */
  optional?: readonly string[];
}): Promise<ReauthorizeResult> {
  const { db, shop, scopes } = options;
  const optional = (options.optional ?? []).filter((scope) =>
    (OPTIONAL_SCOPES as readonly string[]).includes(scope),
  );
  let detail: { granted: string[]; required: string[] };
  try {
    detail = await scopes.query();
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 401) {
      // The library has just invalidated the dead token: have App Bridge retry so
      // token exchange runs on the retried request.
      throw new Response(undefined, {
        status: 401,
        statusText: "Unauthorized",
        headers: { "X-Shopify-Retry-Invalid-Session-Request": "1" },
      });
    }
    throw thrown;
  }
  const pause = await getShopSyncPause(db, shop);
  const unmet = pause ? unmetRequirements(pause, detail.granted) : [];
  // The scope asked for each requirement still unmet (a requirement met by another
  // alternative needs nothing more).
  const asked = (pause?.missingScopes ?? []).filter(
    (scope) =>
      unmet.some((r) => r.includes(scope)) ||
      !pause!.missingAccess.some((r) => r.includes(scope)),
  );
  const missing = missingScopes(detail.granted, [
    ...detail.required,
    ...asked,
    ...optional,
  ]);
  if (missing.length > 0) {
    await scopes.request(missing); // throws the library's redirect to the grant screen
  }
  if (!pause) return { kind: "nothing_to_do" };
  return { kind: "resumed", queued: await resumeShopSync(db, shop) };
}

/** Required scopes not covered by the granted ones (write_x covers read_x, as on Shopify). */
export function missingScopes(
  granted: readonly string[],
  required: readonly string[],
): string[] {
  return [...new Set(required)]
    .filter((scope) => !grants(granted, scope))
    .sort();
}

/**
 * The re-authorize form: optional scopes the page asks for (`scope`, repeated) and where
 * to return. A scope the app does not declare as optional can only be typed by hand: it
 * is refused (400) before Shopify is asked anything. `returnTo` is the page the button
 * was on; anything but a path inside the app falls back to /app (safeReturnPath).
 */
export function parseReauthorizeForm(
  form: FormData,
):
  | { ok: true; optional: string[]; returnTo: string }
  | { ok: false; error: Message } {
  const asked = form.getAll("scope").map(String);
  const unknown = asked.find(
    (scope) => !(OPTIONAL_SCOPES as readonly string[]).includes(scope),
  );
  if (unknown !== undefined) {
    return {
      ok: false,
      error: message("shops.reauthorize.notOptionalScope", {
        scope: unknown.slice(0, 60),
      }),
    };
  }
  return { ok: true, optional: asked, returnTo: safeReturnPath(form.get("returnTo")) };
}

/** Only a path inside the app: never an open redirect. */
export function safeReturnPath(raw: FormDataEntryValue | null): string {
  const value = typeof raw === "string" ? raw : "";
  return /^\/app([/?][\w\-./?=&%+]*)?$/.test(value) && !value.includes("//")
    ? value
    : "/app";
}
