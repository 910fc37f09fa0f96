/**
 * shopify.app.toml's optional_scopes: asked for from inside the app with scopes.request()
 * when a shop needs them (test/app/declared-scopes.unit.test.ts keeps this equal to the toml).
 */
export const OPTIONAL_SCOPES = [
  "read_third_party_fulfillment_orders",
  "write_third_party_fulfillment_orders",
  "read_all_orders",
] as const;

/** Shows older orders than the last 60 days (an optional scope). */
export const READ_ALL_ORDERS = "read_all_orders";

/**
 * The scope to ask the merchant for, for each requirement Shopify named (its alternatives:
 * any one will do): the one this app declares — a required scope before an optional
 * one. A requirement offering none of the app's scopes is shown whole.
 */
export function scopesToRequest(
  requirements: readonly (readonly string[])[],
  declared: { required: readonly string[]; optional: readonly string[] },
): string[] {
  const ask = requirements.flatMap((alternatives) => {
    const mine =
      alternatives.find((scope) => declared.required.includes(scope)) ??
      alternatives.find((scope) => declared.optional.includes(scope));
    return mine ? [mine] : [...alternatives];
  });
  return [...new Set(ask)];
}
