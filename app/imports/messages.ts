/**
 * The CSV import's vocabulary: the fields it reads, the encodings it accepts, its
 * statuses, and how it writes sizes and counts. Its words are the `imports` catalogue
 * (~/i18n/catalogues/imports); what the import tells the operator (file problems, row
 * errors, notices, refusals) is a `Message` of it, stored as such in import rows.
 */
import { message, type Message } from "~/i18n/messages";

/** The columns an import understands (see columns.ts for the header names accepted). */
export type ImportField =
  | "orderName"
  | "orderId"
  | "sku"
  | "lineItemId"
  | "quantity"
  | "trackingNumbers"
  | "carrier"
  | "trackingUrl"
  | "notifyCustomer";

export type SourceEncoding = "utf-8" | "utf-8-bom" | "cp932";

/** imports.status: see supabase/migrations/20261125000004_imports.sql. */
export type ImportStatus = "previewed" | "committing" | "committed" | "refused";

/** A column's name for people. */
export function fieldLabel(field: ImportField): Message {
  return message(`imports.fields.${field}`);
}

/** "10 MB", "12.3 MB", "512 KB" (base 1024, as operating systems show file sizes). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    const mb = bytes / (1024 * 1024);
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }
  if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** "10,000" / "10,000" — thousands separators, the same in both languages. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}
