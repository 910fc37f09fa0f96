import { MAX_CURSOR_CHARS } from "~/db/keyset";
import { resolveLocale } from "~/i18n/locale";
import { message, t, type Message } from "~/i18n/messages";

/**
 * Input a loader cannot use, refused: a 4xx Response with one specific message in the
 * request's language, for the loader to throw. Nothing has been read or written for it.
 *
 * The app's error boundary (routes/app.tsx → the library's boundary.error) puts a thrown
 * Response's body into the page as HTML, so the text is escaped here: a message that
 * quotes what was sent can never become markup.
 */
export function refusal(
  request: Request,
  status: 400 | 404 | 405 | 409 | 413 | 422,
  message: Message,
): Response {
  return new Response(escapeHtml(t(resolveLocale(request), message)), {
    status,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
    },
  });
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[
        c
      ]!,
  );
}

export const UNREADABLE_CURSOR: Message = message("http.unreadableCursor");

/**
 * A keyset cursor from the URL that the app did not make (edited, truncated, padded):
 * refused with 400, never read as "no cursor" (page 1 shown as if it were the page
 * asked for). `decode` is the list's own reader, null for anything it did not write.
 * An absent or empty parameter is the first page.
 */
export function refuseUnreadableCursor(
  request: Request,
  raw: string | null | undefined,
  decode: (raw: string) => unknown,
): void {
  if (!raw) return;
  if (raw.length > MAX_CURSOR_CHARS || decode(raw) === null)
    throw refusal(request, 400, UNREADABLE_CURSOR);
}

// Tab, CR and LF are whitespace a paste from a spreadsheet brings along (the search is
// trimmed, and Postgres takes them); every other control character is refused.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Search and filter text from the URL holding a control character (NUL among them, which
 * Postgres refuses in text) is nothing anyone typed or bookmarked: 400 naming the
 * parameter, before any query. Other odd values keep the lists' own fallbacks (an
 * unknown filter value opens the list unfiltered: a stale bookmark still works).
 */
export function refuseControlCharacters(
  request: Request,
  params: URLSearchParams,
  names: readonly string[],
): void {
  for (const name of names) {
    for (const value of params.getAll(name)) {
      const found = CONTROL.exec(value);
      if (!found) continue;
      const codepoint = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
      throw refusal(
        request,
        400,
        message("http.controlCharacter", { name, codepoint }),
      );
    }
  }
}
