import iconv from "iconv-lite";
import {
  message,
  type Message,
  type MessageKey,
  type ParamsArg,
} from "~/i18n/messages";
import { formatBytes, type SourceEncoding } from "./messages";
import { IMPORT_LIMITS } from "./limits";

/**
 * Bytes of an uploaded file → text, or the reason it cannot be a CSV.
 *
 * Detection, in order: nothing there (empty) → too large → UTF-16 BOM (Excel's "Unicode
 * text": refused with how to re-save) → a known binary signature or a NUL byte (an .xlsx
 * saved by mistake, an image) → UTF-8 with BOM → valid UTF-8 → CP932 (Shift_JIS as
 * Windows/Excel writes it in Japan). Valid UTF-8 is tried first because a CP932 file of
 * Japanese text is almost never valid UTF-8, while the reverse often "decodes" to
 * garbage. A file that is neither (a byte sequence CP932 has no character for) is
 * refused with the line where it happens.
 */
export type DecodeResult =
  | { ok: true; text: string; encoding: SourceEncoding }
  | { ok: false; code: FileProblemCode; message: Message };

export type FileProblemCode =
  | "upload_missing"
  | "empty"
  | "too_large"
  | "utf16"
  | "binary"
  | "undecodable"
  | "malformed"
  | "missing_columns"
  | "duplicate_column"
  | "header_only"
  | "too_many_rows"
  | "too_many_columns";

export function decodeCsvBytes(
  bytes: Uint8Array,
  limits: { maxFileBytes: number } = IMPORT_LIMITS,
): DecodeResult {
  if (bytes.length === 0) return problem("empty", "imports.file.empty");
  if (bytes.length > limits.maxFileBytes)
    return tooLarge(bytes.length, limits.maxFileBytes);
  if (
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff)
  ) {
    return problem("utf16", "imports.file.utf16");
  }
  const kind = binaryKind(bytes);
  if (kind)
    return problem("binary", "imports.file.binary", {
      kind: message(`imports.binaryKinds.${kind}`),
    });

  let text: string;
  let encoding: SourceEncoding;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const utf8 = strictUtf8(bom ? bytes.subarray(3) : bytes);
  if (utf8 !== null) {
    text = utf8;
    encoding = bom ? "utf-8-bom" : "utf-8";
  } else if (bom) {
    // A BOM promises UTF-8: a byte that breaks it is a broken file, not CP932.
    return undecodable(lineOfInvalidUtf8(bytes.subarray(3)));
  } else {
    text = iconv.decode(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      "cp932",
    );
    const bad = text.indexOf("\uFFFD");
    if (bad >= 0) {
      // Neither reads it. Name the line where the likelier reading breaks: the one that
      // got further (a UTF-8 file with one stray byte breaks late as UTF-8, early as CP932).
      return undecodable(Math.max(lineAt(text, bad), lineOfInvalidUtf8(bytes)));
    }
    encoding = "cp932";
  }
  if (text.trim() === "") return problem("empty", "imports.file.empty");
  return { ok: true, text, encoding };
}

export function tooLarge(
  size: number,
  limit: number = IMPORT_LIMITS.maxFileBytes,
): DecodeResult & { ok: false } {
  return problem("too_large", "imports.file.tooLarge", {
    size:
      size > limit && size < limit * 1.05
        ? `> ${formatBytes(limit)}`
        : formatBytes(size),
    limit: formatBytes(limit),
  });
}

function problem<K extends MessageKey>(
  code: FileProblemCode,
  key: K,
  ...params: ParamsArg<K>
): DecodeResult & { ok: false } {
  return { ok: false, code, message: message(key, ...params) };
}

function undecodable(line: number) {
  return problem("undecodable", "imports.file.undecodable", { line });
}

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The line (1-based) of the first byte that is not valid UTF-8. */
function lineOfInvalidUtf8(bytes: Uint8Array): number {
  const lenient = new TextDecoder("utf-8").decode(bytes);
  return lineAt(lenient, Math.max(0, lenient.indexOf("\uFFFD")));
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

type BinaryKind = "xlsx" | "xls" | "pdf" | "image" | "other";

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

function binaryKind(bytes: Uint8Array): BinaryKind | null {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "xlsx";
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return "xls";
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "pdf";
  if (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) ||
    startsWith(bytes, [0xff, 0xd8, 0xff]) ||
    startsWith(bytes, [0x47, 0x49, 0x46, 0x38])
  ) {
    return "image";
  }
  // No text encoding a spreadsheet writes (UTF-8, CP932) contains a NUL byte.
  return bytes.includes(0) ? "other" : null;
}

