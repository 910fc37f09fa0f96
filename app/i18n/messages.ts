import type { CatalogueTree } from "./catalogue";
import { auth } from "./catalogues/auth";
import { common } from "./catalogues/common";
import { extension } from "./catalogues/extension";
import { fulfillment } from "./catalogues/fulfillment";
import { http } from "./catalogues/http";
import { imports } from "./catalogues/imports";
import { orders } from "./catalogues/orders";
import { queue } from "./catalogues/queue";
import { reconcile } from "./catalogues/reconcile";
import { shipments } from "./catalogues/shipments";
import { shops } from "./catalogues/shops";
import { formatDateTime } from "./format-time";
import { LOCALES, type Locale } from "./locale";

/**
 * The app's one way to speak two languages.
 *
 * - Words live in catalogues, one per feature (./catalogues/<feature>.ts), each in
 *   Japanese and English with the same keys and the same `{name}` placeholders
 *   (test/i18n/messages.unit.test.ts checks every catalogue).
 * - A key names a text by its catalogue and path: `"shipments.markShipped"`,
 *   `"fulfillment.badge.syncError"`, `"imports.rows.formula"`. `MessageKey` is the union
 *   of them all, so a typo does not compile, and `message()` / `t()` know each key's
 *   placeholders.
 * - Code below the pages says what to tell the operator as a `Message`: a key and its
 *   parameters, no words. A parameter is a value (string, number), another message (a
 *   field's name, a carrier's name), a list of either (joined by the catalogue's list
 *   separator) or an instant (shown in the shop's time zone). Messages are plain data:
 *   they cross from server to browser in loader data and can be stored (import rows).
 * - Pages render at the edge with `t(locale, key, params)` or `t(locale, message)`;
 *   components with `useT()` (./use-locale).
 *
 * The catalogues sit here, in the bottom layer, rather than beside their features: the
 * one lookup needs them all, and every layer above may import this folder.
 */
export const catalogues = {
  common,
  http,
  shipments,
  fulfillment,
  imports,
  orders,
  reconcile,
  queue,
  shops,
  extension,
  auth,
} as const;

export type CatalogueName = keyof typeof catalogues;

type Japanese = { readonly [N in CatalogueName]: (typeof catalogues)[N]["ja"] };

type KeysOf<T, Prefix extends string> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${K}`
    : KeysOf<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every text of every catalogue: `"<catalogue>.<path>"`. */
export type MessageKey = KeysOf<Japanese, "">;

type TextAt<T, K extends string> = K extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? TextAt<T[Head], Rest>
    : never
  : K extends keyof T
    ? T[K]
    : never;

type Holes<S> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Holes<Rest>
  : never;

/** The keys below a group, without its prefix: `SubKey<"fulfillment.badge">` is `"unshipped" | …`. */
export type SubKey<Prefix extends string> = MessageKey extends infer K
  ? K extends `${Prefix}.${infer Rest}`
    ? Rest
    : never
  : never;

/** The placeholders of a key's text, e.g. `"count"` for `"shipments.moreItems"`. */
export type PlaceholderOf<K extends MessageKey> = Holes<TextAt<Japanese, K>>;

/** The values a key's text needs: one per placeholder, none other. */
export type ParamsOf<K extends MessageKey> = {
  readonly [P in PlaceholderOf<K>]: MessageParam;
};

/** `message(key)` for a text without placeholders, `message(key, params)` otherwise. */
export type ParamsArg<K extends MessageKey> = [PlaceholderOf<K>] extends [never]
  ? []
  : [params: ParamsOf<K>];

/** What to tell the operator, without its words: a catalogue key and its values. */
export interface Message {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}

export type MessageParams = Readonly<Record<string, MessageParam>>;

export type MessageParam =
  | string
  | number
  | Message
  | MessageList
  | MessageInstant;

/** Values shown as one list: `common.listSeparator` ("、" / ", ") between them, or `separator`'s text. */
export interface MessageList {
  readonly list: readonly MessageParam[];
  readonly separator?: MessageKey;
}

/** An instant (ISO 8601), shown with the app's one formatter in the shop's time zone. */
export interface MessageInstant {
  readonly dateTime: string;
  readonly timeZone?: string | null;
}

/** A message: `message("shipments.moreItems", { count: 3 })`. */
export function message<K extends MessageKey>(
  key: K,
  ...params: ParamsArg<K>
): Message {
  const values = params[0] as MessageParams | undefined;
  return values === undefined ? { key } : { key, params: values };
}

/** A list parameter. */
export function list(
  items: readonly MessageParam[],
  separator?: MessageKey,
): MessageList {
  return separator ? { list: items, separator } : { list: items };
}

/** Looks up a text and fills its `{name}` placeholders. */
export function t<K extends MessageKey>(
  locale: Locale,
  key: K,
  ...params: ParamsArg<K>
): string;
/** Renders a message in a language. */
export function t(locale: Locale, message: Message): string;
export function t(
  locale: Locale,
  what: MessageKey | Message,
  params?: MessageParams,
): string {
  return typeof what === "string"
    ? render(locale, what, params)
    : render(locale, what.key, what.params);
}

/** `t` bound to one language: what `useT()` gives components. */
export interface Translate {
  <K extends MessageKey>(key: K, ...params: ParamsArg<K>): string;
  (message: Message): string;
}

export function translator(locale: Locale): Translate {
  return ((what: MessageKey | Message, params?: MessageParams) =>
    typeof what === "string"
      ? render(locale, what, params)
      : render(locale, what.key, what.params)) as Translate;
}

/**
 * A message in every language at once, for what must carry both: the order-page
 * extensions' wire format (`LocalizedText`), which shows the admin's language itself.
 */
export function inEveryLocale(message: Message): Record<Locale, string> {
  return Object.fromEntries(
    LOCALES.map((locale) => [locale, t(locale, message)]),
  ) as Record<Locale, string>;
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && TEXTS.ja.has(value);
}

// ---------------------------------------------------------------------------
// Stored messages
// ---------------------------------------------------------------------------

/**
 * The words of both languages, as rows written before messages were stored as codes
 * hold them (import_rows.errors / warnings, imports.notices / refusal in databases that
 * ran an older version): still shown, in the language asked for.
 */
export interface LegacyText {
  readonly ja: string;
  readonly en: string;
}

/** A message as a jsonb column holds it: a code with parameters, or older rows' words. */
export type StoredMessage = Message | LegacyText;

/**
 * A stored message as read back: a `{ key, params }` (what the app writes now) or a
 * `{ ja, en }` (what it wrote before). Anything else (never written by the app) reads
 * as a dash, so one odd row cannot break a page.
 */
export function readStoredMessage(value: unknown): StoredMessage {
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.key === "string") {
      const params =
        record.params && typeof record.params === "object"
          ? (record.params as MessageParams)
          : undefined;
      return params
        ? { key: record.key as MessageKey, params }
        : { key: record.key as MessageKey };
    }
    if (typeof record.ja === "string" && typeof record.en === "string")
      return { ja: record.ja, en: record.en };
  }
  return { ja: "—", en: "—" };
}

/**
 * A column that holds only messages the app wrote as codes (shipments.last_error_detail):
 * the message, or null when there is none. A value of another shape (never written by
 * the app) reads as null too, so the page shows its fallback instead of breaking.
 */
export function readStoredDetail(value: unknown): Message | null {
  if (value === null || value === undefined) return null;
  const stored = readStoredMessage(value);
  return "key" in stored ? stored : null;
}

/** A stored message's text in a language, whichever shape it was stored in. */
export function storedText(locale: Locale, stored: StoredMessage): string {
  return "key" in stored ? t(locale, stored) : stored[locale];
}

// ---------------------------------------------------------------------------
// Lookup
// ---------------------------------------------------------------------------

function flatten(
  tree: CatalogueTree,
  prefix: string,
  into: Map<string, string>,
): Map<string, string> {
  for (const [name, value] of Object.entries(tree)) {
    if (typeof value === "string") into.set(`${prefix}${name}`, value);
    else flatten(value, `${prefix}${name}.`, into);
  }
  return into;
}

/** Every text by key, per language. */
const TEXTS: Readonly<Record<Locale, ReadonlyMap<string, string>>> = {
  ja: textsOf("ja"),
  en: textsOf("en"),
};

function textsOf(locale: Locale): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [name, catalogue] of Object.entries(catalogues))
    flatten(catalogue[locale], `${name}.`, texts);
  return texts;
}

/**
 * A key's text with its placeholders filled. A key the catalogues no longer have (a
 * stored message from a version that named it differently) shows as itself, and a
 * placeholder without a value stays as `{name}`: visible, never silently blank.
 */
function render(
  locale: Locale,
  key: string,
  params: MessageParams | undefined,
): string {
  const text = TEXTS[locale].get(key);
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params && Object.prototype.hasOwnProperty.call(params, name)
      ? renderParam(locale, params[name])
      : whole,
  );
}

function renderParam(locale: Locale, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (typeof v.key === "string")
      return render(locale, v.key, v.params as MessageParams | undefined);
    if (Array.isArray(v.list))
      return v.list
        .map((item) => renderParam(locale, item))
        .join(
          render(
            locale,
            typeof v.separator === "string" ? v.separator : "common.listSeparator",
            undefined,
          ),
        );
    if (typeof v.dateTime === "string")
      return formatDateTime(v.dateTime, locale, {
        timeZone: typeof v.timeZone === "string" ? v.timeZone : null,
      });
  }
  return String(value);
}
