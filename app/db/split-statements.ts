/**
 * The Supabase CLI's SQL statement splitter (pkg/parser: token.go, state.go), ported
 * faithfully, so a migration's recorded `statements` are what the CLI would store
 * (migrate.server.ts); the demo (test/demo) runs its seed split the same way.
 *
 * Quirks are kept on purpose: the CLI walks the input byte by byte (a multibyte character is
 * seen once whole, then as U+FFFD for each continuation byte), a `(` … `)` group ends at its
 * first `)`, and `BEGIN ATOMIC` bodies end at the first `end`. Each statement keeps its
 * leading comments; trailing `;` and white space are trimmed; empty statements are dropped
 * (parser.SplitAndTrim).
 */
/** Splits SQL into statements exactly as `supabase migration up` / `db push` does. */
export function splitStatements(sql: string): string[] {
  return splitTokens(sql)
    .map((token) => trimGoSpace(token.replace(/;+$/, "")))
    .filter((s) => s.length > 0);
}

type State =
  | { kind: "ready" }
  | { kind: "comment" }
  | { kind: "block"; depth: number }
  | { kind: "quote"; delimiter: number; escape: boolean }
  | { kind: "dollar"; delimiter: Uint8Array }
  | { kind: "tag"; offset: number }
  | { kind: "escape" }
  | { kind: "atomic"; prev: State; delimiter: Uint8Array };

const RUNE_ERROR = 0xfffd;
const ATOMIC = Buffer.from("ATOMIC");
const END = Buffer.from("END");
const CLOSE_PAREN = Buffer.from(")");
const NEWLINE = Buffer.from("\n");
const OPEN_BLOCK = Buffer.from("/*");
const CLOSE_BLOCK = Buffer.from("*/");

function splitTokens(sql: string): string[] {
  const buf = Buffer.from(sql, "utf8");
  const tokens: string[] = [];
  let start = 0;
  let state: State = { kind: "ready" };
  for (let i = 0; i < buf.length; i++) {
    const [rune, width] = decodeRune(buf, i);
    const end = i + width;
    const next = step(state, rune, buf.subarray(start, end));
    if (next === null) {
      tokens.push(buf.toString("utf8", start, end));
      start = end;
      // The CLI resumes right after the emitted token.
      i = end - 1;
      state = { kind: "ready" };
    } else {
      state = next;
    }
  }
  if (start < buf.length) tokens.push(buf.toString("utf8", start));
  return tokens;
}

/** Returns the next state, or null to end the current statement (an unquoted `;`). */
function step(s: State, r: number, data: Buffer): State | null {
  switch (s.kind) {
    case "ready":
      return readyNext(s, r, data);
    case "comment":
      if (r === 0x2d /* - */) return { kind: "dollar", delimiter: NEWLINE };
      return readyNext({ kind: "ready" }, r, data);
    case "block": {
      const window = data.subarray(data.length - 2);
      if (window.equals(OPEN_BLOCK)) {
        s.depth += 1;
        return s;
      }
      if (s.depth === 0) return readyNext({ kind: "ready" }, r, data);
      if (window.equals(CLOSE_BLOCK)) {
        s.depth -= 1;
        if (s.depth === 0) return { kind: "ready" };
      }
      return s;
    }
    case "quote":
      if (s.escape) {
        if (r === s.delimiter) {
          s.escape = false; // a doubled quote stays inside the literal
          return s;
        }
        return readyNext({ kind: "ready" }, r, data);
      }
      if (r === s.delimiter) s.escape = true;
      return s;
    case "dollar":
      return tail(data, s.delimiter.length).equals(s.delimiter)
        ? { kind: "ready" }
        : s;
    case "tag":
      if (r === 0x24 /* $ */)
        return {
          kind: "dollar",
          delimiter: Buffer.from(data.subarray(s.offset)),
        };
      if (isTagRune(r)) return s;
      return readyNext({ kind: "ready" }, r, data);
    case "escape":
      return { kind: "ready" };
    case "atomic": {
      const curr = step(s.prev, r, data);
      if (curr !== null) s.prev = curr;
      if (
        s.prev.kind === "ready" &&
        equalFoldAscii(tail(data, s.delimiter.length), s.delimiter)
      ) {
        return { kind: "ready" };
      }
      return s;
    }
  }
}

function readyNext(s: State, r: number, data: Buffer): State | null {
  switch (r) {
    case 0x24: // $
      return { kind: "tag", offset: data.length - 1 };
    case 0x27: // '
    case 0x22: // "
      return { kind: "quote", delimiter: r, escape: false };
    case 0x2d: // -
      return { kind: "comment" };
    case 0x2f: // /
      return { kind: "block", depth: 0 };
    case 0x5c: // \
      return { kind: "escape" };
    case 0x3b: // ;
      return null;
    case 0x28: // (
      return { kind: "atomic", prev: s, delimiter: CLOSE_PAREN };
    case 0x63: // c
    case 0x43: {
      // C: BEGIN ATOMIC (only as a separate word)
      const offset = data.length - ATOMIC.length;
      if (
        offset > 0 &&
        equalFoldAscii(data.subarray(offset), ATOMIC) &&
        isGoSpace(data[offset - 1])
      ) {
        return { kind: "atomic", prev: s, delimiter: END };
      }
      return s;
    }
    default:
      return s;
  }
}

function tail(data: Buffer, n: number): Buffer {
  return data.subarray(Math.max(0, data.length - n));
}

function equalFoldAscii(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] >= 0x61 && a[i] <= 0x7a ? a[i] - 0x20 : a[i];
    const y = b[i] >= 0x61 && b[i] <= 0x7a ? b[i] - 0x20 : b[i];
    if (x !== y) return false;
  }
  return true;
}

function isTagRune(r: number): boolean {
  return r === 0x5f || /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r));
}

/** Go's unicode.IsSpace, applied (like the CLI) to a single byte. */
function isGoSpace(byte: number): boolean {
  return (
    (byte >= 0x09 && byte <= 0x0d) ||
    byte === 0x20 ||
    byte === 0x85 ||
    byte === 0xa0
  );
}

/** Go's strings.TrimSpace (Unicode White_Space; unlike String.prototype.trim, not U+FEFF). */
function trimGoSpace(s: string): string {
  const space =
    "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  return s.replace(new RegExp(`^${space}+|${space}+$`, "g"), "");
}

/** utf8.DecodeRune: the rune at buf[i] and its width; (U+FFFD, 1) for an invalid byte. */
function decodeRune(buf: Buffer, i: number): [number, number] {
  const b0 = buf[i];
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number) =>
    i + k < buf.length && (buf[i + k] & 0xc0) === 0x80;
  if (b0 >= 0xc2 && b0 <= 0xdf && cont(1))
    return [((b0 & 0x1f) << 6) | (buf[i + 1] & 0x3f), 2];
  if (b0 >= 0xe0 && b0 <= 0xef && cont(1) && cont(2)) {
    const r =
      ((b0 & 0x0f) << 12) | ((buf[i + 1] & 0x3f) << 6) | (buf[i + 2] & 0x3f);
    if (r >= 0x800 && (r < 0xd800 || r > 0xdfff)) return [r, 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4 && cont(1) && cont(2) && cont(3)) {
    const r =
      ((b0 & 0x07) << 18) |
      ((buf[i + 1] & 0x3f) << 12) |
      ((buf[i + 2] & 0x3f) << 6) |
      (buf[i + 3] & 0x3f);
    if (r >= 0x10000 && r <= 0x10ffff) return [r, 4];
  }
  return [RUNE_ERROR, 1];
}
