/**
 * The fault panel's buttons, as functions on the simulator's control API: what the admin
 * frame's panel calls through the launcher, and what browser tests call directly.
 */
import type { AnyControl } from "../shopify-sim";

/** The scope the "remove a scope" button takes away: creating fulfillments needs it. */
export const REMOVABLE_SCOPE = "write_merchant_managed_fulfillment_orders";

export const FAULT_KINDS = [
  "throttle",
  "outage",
  "lostAnswers",
  "revokeToken",
  "removeScope",
  "restore",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(value: unknown): value is FaultKind {
  return (
    typeof value === "string" &&
    (FAULT_KINDS as readonly string[]).includes(value)
  );
}

export interface FaultContext {
  control: AnyControl;
  shop: string;
  /** The scopes the demo shop granted at install ("restore" brings them back). */
  installedScopes: readonly string[];
}

/**
 * Applies one fault. `count` is "the next N calls" for throttle / outage / lost answers.
 * Returns a one-line description for the panel's log.
 */
export async function applyFault(
  ctx: FaultContext,
  kind: FaultKind,
  count = 3,
): Promise<string> {
  const { control, shop } = ctx;
  const times = Math.max(1, Math.min(100, Math.floor(count)));
  switch (kind) {
    case "throttle":
      await control.injectFault({ shop, action: { type: "throttled" }, times });
      return `THROTTLED on the next ${times} Admin API calls`;
    case "outage":
      await control.injectFault({
        shop,
        operation: "fulfillmentCreate",
        action: { type: "httpError", status: 503 },
        times,
      });
      return `503 on the next ${times} fulfillmentCreate calls`;
    case "lostAnswers":
      await control.injectFault({
        shop,
        operation: "fulfillmentCreate",
        action: { type: "dropAfterCommit", mode: "destroy" },
        times,
      });
      return `the next ${times} fulfillmentCreate calls run, then their answers are lost`;
    case "revokeToken": {
      const { revoked } = await control.revokeTokens({ shop });
      return `revoked ${revoked} access token(s): the app now gets 401`;
    }
    case "removeScope": {
      const { scopes } = await control.getShop({ shop });
      await control.setScopes({
        shop,
        scopes: scopes.filter((scope) => scope !== REMOVABLE_SCOPE),
      });
      return `removed ${REMOVABLE_SCOPE}: fulfillmentCreate now gets ACCESS_DENIED`;
    }
    case "restore": {
      await control.clearFaults({ shop });
      await control.setShopAvailability({ shop, frozen: false, locked: false });
      const { scopes: previous } = await control.getShop({ shop });
      const current = [...new Set([...previous, ...ctx.installedScopes])];
      // The simulator tells the app with app/scopes_update, as Shopify does.
      if (current.length !== previous.length)
        await control.setScopes({ shop, scopes: current });
      return "fault rules cleared, scopes restored (a revoked token is renewed by the app's re-authorization)";
    }
  }
}
