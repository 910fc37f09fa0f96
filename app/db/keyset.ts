/**
 * Keyset cursors come back from the browser, so they are input like any other: a
 * timestamp key must be exactly what the app writes (UTC ISO 8601, microseconds) before
 * it reaches a `::timestamptz` cast, and a text key must hold no NUL (Postgres refuses
 * it in text). Anything else is not a cursor the app made.
 */
const ISO_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function isTimestampKey(value: string): boolean {
  if (!ISO_KEY.test(value)) return false;
  const at = Date.parse(value);
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 19) === value.slice(0, 19);
}

export function isTextKey(value: string, maxLength = 1_000): boolean {
  return value.length <= maxLength && !value.includes("\u0000");
}

/** Longer than any cursor the app writes (sort values are order names and timestamps). */
export const MAX_CURSOR_CHARS = 500;
