/**
 * A keyset cursor as the browser carries it: the last row's sort key, as JSON in
 * base64url. Each list says what a key of its own looks like (`accept`), since a cursor
 * comes back from the browser and is input like any other (./keyset).
 */
export function encodeKeysetCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** The key back, or null for anything that is not a cursor the list made (a stale or edited URL). */
export function decodeKeysetCursor<T>(
  raw: string | null | undefined,
  accept: (value: unknown) => T | null,
): T | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  return accept(value);
}
