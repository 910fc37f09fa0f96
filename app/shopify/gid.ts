/**
 * Shopify's global id for a REST-style numeric id (webhook payloads carry both forms;
 * older ones only the number). Null for a number past 2^53, which JSON has already
 * rounded: a wrong id must not be built from it.
 */
export function gidFromNumericId(type: string, id: number | string): string | null {
  if (typeof id === "number" && !Number.isSafeInteger(id)) return null;
  return `gid://shopify/${type}/${id}`;
}
