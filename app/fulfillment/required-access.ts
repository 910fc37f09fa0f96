/**
 * Shopify's `extensions.requiredAccess` on an ACCESS_DENIED error, e.g.
 * "`write_assigned_fulfillment_orders` access scope, `write_merchant_managed_fulfillment_orders`
 * access scope or `write_third_party_fulfillment_orders` access scope. Also: The user must
 * have fulfill_and_ship_orders permission."
 *
 * Read as requirements, each met by ANY ONE of its scopes: the main clause's list is one
 * requirement; "… as well as any of …" starts another; an "Also:" sentence naming scopes
 * adds one per scope. Staff permissions are not scopes and are left out (the app's
 * offline token is not held to them).
 */
export type ScopeRequirement = string[];

const SCOPE = /\b(?:unauthenticated_)?(?:read|write)_[a-z0-9_]+\b/g;

export function requirementsIn(requiredAccess: string): ScopeRequirement[] {
  const [main, ...also] = requiredAccess.split(/\bAlso:\s*/);
  const requirements = main!
    .split(/\bas well as\b/)
    .map((part) => unique(part.match(SCOPE) ?? []))
    .filter((scopes) => scopes.length > 0);
  for (const sentence of also.join(" ").split(/\.\s+/)) {
    if (/\bpermissions?\b/i.test(sentence)) continue;
    for (const scope of unique(sentence.match(SCOPE) ?? []))
      requirements.push([scope]);
  }
  return requirements;
}

/** Whether the granted scopes cover `scope` (a write scope grants its read scope, as on Shopify). */
export function grants(granted: readonly string[], scope: string): boolean {
  return (
    granted.includes(scope) ||
    (scope.startsWith("read_") && granted.includes(`write_${scope.slice(5)}`))
  );
}

/** Whether any one of a requirement's alternatives is granted. */
export function isMet(
  granted: readonly string[],
  requirement: ScopeRequirement,
): boolean {
  return requirement.some((scope) => grants(granted, scope));
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
