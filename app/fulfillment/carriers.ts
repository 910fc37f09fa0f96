/**
 * Carriers and tracking numbers: operator input → Shopify's exact tracking company names,
 * tracking number clean-up and plausibility warnings, tracking URLs for the app's links.
 *
 * Why it matters: Shopify accepts any company string silently, but only names on its
 * list (exact, case-sensitive) get a tracking link and status updates. So input is
 * mapped onto the list, and anything that cannot be mapped is kept but flagged.
 *
 * Source of the list: the description of `FulfillmentTrackingInfo.company` in the Admin
 * API 2026-10 schema (test/fulfillment/carriers.unit.test.ts checks this file against it
 * when the schema file is present). Re-check when the API version changes.
 */
import type { Locale } from "~/i18n/locale";
import { carrierDisplayName } from "./messages";

// ---------------------------------------------------------------------------
// Shopify's list
// ---------------------------------------------------------------------------

/** Tracking companies Shopify shows for shops in any country (2026-10). */
export const GLOBAL_TRACKING_COMPANIES: readonly string[] = [
  "4PX",
  "AGS",
  "Amazon",
  "Amazon Logistics UK",
  "An Post",
  "Anjun Logistics",
  "APC",
  "Asendia USA",
  "Australia Post",
  "Bonshaw",
  "BPost",
  "BPost International",
  "Canada Post",
  "Canpar",
  "CDL Last Mile",
  "China Post",
  "Chronopost",
  "Chukou1",
  "Colissimo",
  "Comingle",
  "Coordinadora",
  "Correios",
  "Correos",
  "CTT",
  "CTT Express",
  "Cyprus Post",
  "Delnext",
  "Deutsche Post",
  "DHL eCommerce",
  "DHL eCommerce Asia",
  "DHL Express",
  "DPD",
  "DPD Local",
  "DPD UK",
  "DTD Express",
  "DX",
  "Eagle",
  "Estes",
  "Evri",
  "FedEx",
  "First Global Logistics",
  "First Line",
  "FSC",
  "Fulfilla",
  "GLS",
  "Guangdong Weisuyi Information Technology (WSE)",
  "Heppner Internationale Spedition GmbH & Co.",
  "Iceland Post",
  "IDEX",
  "Israel Post",
  "Japan Post (EN)",
  "Japan Post (JA)",
  "La Poste Colissimo",
  "La Poste Burkina Faso",
  "Lasership",
  "Latvia Post",
  "Lietuvos Paštas",
  "Logisters",
  "Lone Star Overnight",
  "M3 Logistics",
  "Meteor Space",
  "Mondial Relay",
  "New Zealand Post",
  "NinjaVan",
  "North Russia Supply Chain (Shenzhen) Co.",
  "OnTrac",
  "Packeta",
  "Pago Logistics",
  "Ping An Da Tengfei Express",
  "Pitney Bowes",
  "Portal PostNord",
  "Poste Italiane",
  "PostNL",
  "PostNord DK",
  "PostNord NO",
  "PostNord SE",
  "Purolator",
  "Qxpress",
  "Qyun Express",
  "Royal Mail",
  "Royal Shipments",
  "Sagawa (EN)",
  "Sagawa (JA)",
  "Sendle",
  "SF Express",
  "SFC Fulfillment",
  "ShipBob",
  "SHREE NANDAN COURIER",
  "Singapore Post",
  "Southwest Air Cargo",
  "StarTrack",
  "Step Forward Freight",
  "Swiss Post",
  "TForce Final Mile",
  "Tinghao",
  "TNT",
  "Toll IPEC",
  "United Delivery Service",
  "UPS",
  "USPS",
  "Venipak",
  "We Post",
  "Whistl",
  "Wizmo",
  "WMYC",
  "Xpedigo",
  "XPO Logistics",
  "Yamato (EN)",
  "Yamato (JA)",
  "YiFan Express",
  "YunExpress",
];

/** Tracking companies Shopify shows only for shops in these countries (ISO 3166-1). */
export const COUNTRY_TRACKING_COMPANIES: Readonly<
  Record<string, readonly string[]>
> = {
  AU: [
    "Australia Post",
    "Sendle",
    "Aramex Australia",
    "TNT Australia",
    "Hunter Express",
    "Couriers Please",
    "Bonds",
    "Allied Express",
    "Direct Couriers",
    "Northline",
    "GO Logistics",
  ],
  AT: ["Österreichische Post"],
  BG: ["Speedy"],
  CA: ["Intelcom", "BoxKnight", "Loomis", "GLS"],
  CN: [
    "China Post",
    "DHL eCommerce Asia",
    "WanbExpress",
    "YunExpress",
    "Anjun Logistics",
    "SFC Fulfillment",
    "FSC",
  ],
  CZ: ["Zásilkovna"],
  DE: [
    "Deutsche Post (DE)",
    "Deutsche Post (EN)",
    "DHL",
    "DHL Express",
    "Swiship",
    "Hermes",
    "GLS",
  ],
  ES: ["SEUR"],
  FR: ["Colissimo", "Mondial Relay", "Colis Privé", "GLS"],
  GB: ["Evri", "DPD UK", "Parcelforce", "Yodel", "DHL Parcel", "Tuffnells"],
  GR: ["ACS Courier"],
  HK: ["SF Express"],
  IE: ["Fastway", "DPD Ireland"],
  IN: [
    "DTDC",
    "India Post",
    "Delhivery",
    "Gati KWE",
    "Professional Couriers",
    "XpressBees",
    "Ecom Express",
    "Ekart",
    "Shadowfax",
    "Bluedart",
  ],
  IT: ["BRT", "GLS Italy"],
  JP: [
    "エコ配",
    "西濃運輸",
    "西濃スーパーエキスプレス",
    "福山通運",
    "日本通運",
    "名鉄運輸",
    "第一貨物",
  ],
  NL: ["DHL Parcel", "DPD"],
  NO: ["Bring"],
  PL: ["Inpost"],
  TR: ["PTT", "Yurtiçi Kargo", "Aras Kargo", "Sürat Kargo"],
  US: [
    "GLS",
    "Alliance Air Freight",
    "Pilot Freight",
    "LSO",
    "Old Dominion",
    "Pandion",
    "R+L Carriers",
    "Southwest Air Cargo",
  ],
  ZA: ["Fastway", "Skynet"],
};

/** Japanese carriers this app knows by more than their Shopify name. */
export type JapaneseCarrierKey =
  | "yamato"
  | "sagawa"
  | "japan_post"
  | "seino"
  | "seino_super_express"
  | "fukuyama"
  | "nittsu"
  | "meitetsu"
  | "daiichi"
  | "ecohai";

/**
 * A stable identifier for a known carrier: a JapaneseCarrierKey, or for any other
 * company on Shopify's list a slug of its name (`DHL Express` → `dhl_express`).
 */
export type CarrierKey = JapaneseCarrierKey | (string & {});

export type CarrierVariant = "ja" | "en";

/** A Japanese carrier: its Shopify name(s) and the ways operators write it. */
export interface JapaneseCarrier {
  key: JapaneseCarrierKey;
  /** Shopify names: JA and EN variants (global list), or one name (Japan-only list). */
  companies: { ja: string; en: string } | { only: string };
  /** What operators type. Japanese-script aliases pick the JA variant. */
  aliases: readonly string[];
}

export const JAPANESE_CARRIERS: readonly JapaneseCarrier[] = [
  {
    key: "yamato",
    companies: { ja: "Yamato (JA)", en: "Yamato (EN)" },
    aliases: [
      "yamato",
      "yamato transport",
      "yamato unyu",
      "kuroneko",
      "kuroneko yamato",
      "ta-q-bin",
      "taqbin",
      "ヤマト",
      "ヤマト運輸",
      "クロネコ",
      "クロネコヤマト",
      "黒猫ヤマト",
      "宅急便",
      "宅急便コンパクト",
      "ネコポス",
    ],
  },
  {
    key: "sagawa",
    companies: { ja: "Sagawa (JA)", en: "Sagawa (EN)" },
    aliases: [
      "sagawa",
      "sagawa express",
      "sagawa kyubin",
      "sagawa-exp",
      "佐川",
      "佐川急便",
      "飛脚",
      "飛脚宅配便",
      "飛脚便",
      "sg holdings",
    ],
  },
  {
    key: "japan_post",
    companies: { ja: "Japan Post (JA)", en: "Japan Post (EN)" },
    aliases: [
      "japan post",
      "jp post",
      "japanpost",
      "nippon post",
      "yu-pack",
      "yupack",
      "yu-packet",
      "yupacket",
      "日本郵便",
      "郵便",
      "郵便局",
      "ゆうパック",
      "ゆうパケット",
      "ゆうパケットポスト",
      "レターパック",
      "クリックポスト",
      "書留",
    ],
  },
  {
    key: "seino",
    companies: { only: "西濃運輸" },
    aliases: [
      "seino",
      "seino transportation",
      "seino unyu",
      "西濃",
      "カンガルー便",
    ],
  },
  {
    key: "seino_super_express",
    companies: { only: "西濃スーパーエキスプレス" },
    aliases: ["seino super express", "スーパーエキスプレス"],
  },
  {
    key: "fukuyama",
    companies: { only: "福山通運" },
    aliases: ["fukuyama", "fukuyama transporting", "fukutsu", "福山", "福通"],
  },
  {
    key: "nittsu",
    companies: { only: "日本通運" },
    aliases: ["nittsu", "nippon express", "日通"],
  },
  {
    key: "meitetsu",
    companies: { only: "名鉄運輸" },
    aliases: ["meitetsu", "meitetsu unyu", "名鉄"],
  },
  {
    key: "daiichi",
    companies: { only: "第一貨物" },
    aliases: ["daiichi", "daiichi kamotsu", "daiichi freight"],
  },
  {
    key: "ecohai",
    companies: { only: "エコ配" },
    aliases: ["ecohai", "eco-hai", "eco hai"],
  },
];

/** Other common ways to write companies on the list (Latin or katakana). */
const OTHER_ALIASES: Readonly<Record<string, string>> = {
  dhl: "DHL Express",
  "dhl express worldwide": "DHL Express",
  ディーエイチエル: "DHL Express",
  "federal express": "FedEx",
  フェデックス: "FedEx",
  "united parcel service": "UPS",
  "united states postal service": "USPS",
  "us postal service": "USPS",
  "u.s. postal service": "USPS",
  sf: "SF Express",
  順豊: "SF Express",
  "ninja van": "NinjaVan",
  "laser ship": "Lasership",
  "on trac": "OnTrac",
};

// ---------------------------------------------------------------------------
// Index
// ---------------------------------------------------------------------------

interface CompanyEntry {
  company: string;
  carrierKey: CarrierKey;
  /** null: shown for shops in any country. */
  countries: string[] | null;
  variant?: CarrierVariant;
}

const COMPANIES: ReadonlyMap<string, CompanyEntry> = buildCompanyIndex();

function buildCompanyIndex(): Map<string, CompanyEntry> {
  const index = new Map<string, CompanyEntry>();
  const japaneseKeyOf = new Map<
    string,
    { key: JapaneseCarrierKey; variant?: CarrierVariant }
  >();
  for (const c of JAPANESE_CARRIERS) {
    if ("only" in c.companies)
      japaneseKeyOf.set(c.companies.only, { key: c.key });
    else {
      japaneseKeyOf.set(c.companies.ja, { key: c.key, variant: "ja" });
      japaneseKeyOf.set(c.companies.en, { key: c.key, variant: "en" });
    }
  }
  const entry = (company: string): CompanyEntry => {
    const jp = japaneseKeyOf.get(company);
    return {
      company,
      carrierKey: jp?.key ?? slug(company),
      countries: [],
      ...(jp?.variant ? { variant: jp.variant } : {}),
    };
  };
  for (const company of GLOBAL_TRACKING_COMPANIES) {
    index.set(company, { ...entry(company), countries: null });
  }
  for (const [country, companies] of Object.entries(
    COUNTRY_TRACKING_COMPANIES,
  )) {
    for (const company of companies) {
      const existing = index.get(company) ?? entry(company);
      if (
        existing.countries !== null &&
        !existing.countries.includes(country)
      ) {
        existing.countries.push(country);
      }
      index.set(company, existing);
    }
  }
  return index;
}

interface AliasTarget {
  /** Exact company, or a Japanese carrier whose variant is chosen at lookup. */
  company?: string;
  japanese?: JapaneseCarrier;
  script: "japanese" | "latin";
}

const COMPANY_BY_LOOKUP_KEY: ReadonlyMap<string, CompanyEntry[]> = (() => {
  const map = new Map<string, CompanyEntry[]>();
  for (const entry of COMPANIES.values()) {
    const key = carrierLookupKey(entry.company);
    map.set(key, [...(map.get(key) ?? []), entry]);
  }
  return map;
})();

const ALIASES: ReadonlyMap<string, AliasTarget> = (() => {
  const map = new Map<string, AliasTarget>();
  for (const c of JAPANESE_CARRIERS) {
    for (const alias of c.aliases) {
      map.set(carrierLookupKey(alias), {
        japanese: c,
        script: scriptOf(alias),
      });
    }
  }
  for (const [alias, company] of Object.entries(OTHER_ALIASES)) {
    map.set(carrierLookupKey(alias), { company, script: scriptOf(alias) });
  }
  return map;
})();

const JAPANESE_BY_KEY: ReadonlyMap<JapaneseCarrierKey, JapaneseCarrier> =
  new Map(JAPANESE_CARRIERS.map((c) => [c.key, c]));

// ---------------------------------------------------------------------------
// Normalising operator input
// ---------------------------------------------------------------------------

/** What the shop is: decides the Yamato/Sagawa/Japan Post variant and country lists. */
export interface CarrierContext {
  /** The shop's (or admin's) language, e.g. `ja`, `ja-JP`, `en`. */
  locale?: string | null;
  /** The shop's country (ISO 3166-1 alpha-2), e.g. `JP`. */
  countryCode?: string | null;
}

export type CarrierWarning =
  | {
      code: "unknown_carrier";
      /** The input as it will be sent. */
      input: string;
      /** Up to three Shopify names that look close (typos), best first. */
      suggestions: string[];
    }
  | {
      /** On Shopify's list, but not for shops in this country: no link may be built. */
      code: "carrier_not_listed_for_country";
      company: string;
      countryCode: string;
    };

export type CarrierResolution =
  | {
      kind: "known";
      company: string;
      carrierKey: CarrierKey;
      warning?: CarrierWarning;
    }
  | { kind: "unknown"; company: string; warning: CarrierWarning }
  | { kind: "empty" };

/**
 * Maps what an operator typed to Shopify's exact tracking company name.
 *
 * Width, case, spaces, punctuation, hiragana/katakana and company-form words
 * (株式会社, Co., Ltd.) are ignored. Yamato, Sagawa and Japan Post exist on Shopify's
 * list as "(JA)" and "(EN)" variants:
 * - input naming the variant ("Yamato (EN)", "ヤマト運輸 EN") gets that variant;
 * - input in Japanese script ("ヤマト運輸", "くろねこ") gets the JA variant;
 * - input in Latin script ("yamato") follows the shop: `locale` ja* → JA, any other
 *   locale → EN; without a locale, `countryCode` JP → JA, other → EN; with neither, JA
 *   (the merchants this app is built for are in Japan).
 *
 * Order of preference: a name the shop's country sees (global or that country's), then
 * an alias, then a name Shopify lists for other countries only (with a warning when the
 * country is known). With `countryCode` unknown, "the shop's country sees" means the
 * global list only.
 *
 * Unknown input is kept (trimmed) and flagged, never refused: Shopify accepts it,
 * just without a tracking link. Blank input is `empty`.
 */
export function normalizeCarrier(
  input: string | null | undefined,
  context: CarrierContext = {},
): CarrierResolution {
  const trimmed = (input ?? "").trim();
  if (trimmed === "") return { kind: "empty" };
  const key = carrierLookupKey(trimmed);
  const country = context.countryCode
    ? context.countryCode.toUpperCase()
    : null;
  const available = (e: CompanyEntry) =>
    country === null || e.countries === null || e.countries.includes(country);

  const known = (entry: CompanyEntry): CarrierResolution => {
    const result: Extract<CarrierResolution, { kind: "known" }> = {
      kind: "known",
      company: entry.company,
      carrierKey: entry.carrierKey,
    };
    if (!available(entry) && country !== null) {
      result.warning = {
        code: "carrier_not_listed_for_country",
        company: entry.company,
        countryCode: country,
      };
    }
    return result;
  };

  // 1. A name on the list that this shop sees (exact spelling preferred). With the
  //    country unknown, only the global list: a name Shopify shows in one country only
  //    ("DHL", Germany) must not beat a global alias ("dhl" → "DHL Express").
  const byName = COMPANY_BY_LOOKUP_KEY.get(key) ?? [];
  const visible = byName.filter((e) =>
    country === null ? e.countries === null : available(e),
  );
  if (visible.length > 0)
    return known(visible.find((e) => e.company === trimmed) ?? visible[0]);

  // 2. An alias, possibly with a variant suffix ("ヤマト運輸 EN").
  const alias = resolveAlias(key, context);
  if (alias) return known(alias);

  // 3. A name on the list for shops elsewhere.
  if (byName.length > 0)
    return known(byName.find((e) => e.company === trimmed) ?? byName[0]);

  return {
    kind: "unknown",
    company: trimmed,
    warning: {
      code: "unknown_carrier",
      input: trimmed,
      suggestions: suggest(key, context),
    },
  };
}

function resolveAlias(
  key: string,
  context: CarrierContext,
): CompanyEntry | null {
  const direct = ALIASES.get(key);
  if (direct) return aliasEntry(direct, null, context);
  const suffix = /^(.+?)(ja|en)$/.exec(key);
  if (suffix) {
    const base = ALIASES.get(suffix[1]);
    if (base?.japanese && !("only" in base.japanese.companies)) {
      return aliasEntry(base, suffix[2] as CarrierVariant, context);
    }
  }
  return null;
}

function aliasEntry(
  target: AliasTarget,
  explicitVariant: CarrierVariant | null,
  context: CarrierContext,
): CompanyEntry | null {
  if (target.company) return COMPANIES.get(target.company) ?? null;
  const jp = target.japanese;
  if (!jp) return null;
  if ("only" in jp.companies) return COMPANIES.get(jp.companies.only) ?? null;
  const variant =
    explicitVariant ??
    (target.script === "japanese" ? "ja" : preferredVariant(context));
  return COMPANIES.get(jp.companies[variant]) ?? null;
}

/**
 * JA or EN for Latin input naming Yamato, Sagawa or Japan Post: see normalizeCarrier.
 */
export function preferredVariant(context: CarrierContext): CarrierVariant {
  if (context.locale && context.locale.trim() !== "") {
    return /^ja(?:[-_]|$)/i.test(context.locale.trim()) ? "ja" : "en";
  }
  if (context.countryCode && context.countryCode.trim() !== "") {
    return context.countryCode.trim().toUpperCase() === "JP" ? "ja" : "en";
  }
  return "ja";
}

function suggest(key: string, context: CarrierContext): string[] {
  if (key.length < 2) return [];
  const scored = new Map<string, number>();
  const consider = (candidateKey: string, company: string | null) => {
    if (!company) return;
    const distance = levenshtein(key, candidateKey);
    const limit = Math.max(
      1,
      Math.floor(Math.min(key.length, candidateKey.length) / 4),
    );
    let score: number | null = distance <= limit ? distance : null;
    if (score === null && key.length >= 2 && candidateKey.length >= 2) {
      if (key.includes(candidateKey) || candidateKey.includes(key))
        score = limit + 1;
    }
    if (score !== null && (scored.get(company) ?? Infinity) > score)
      scored.set(company, score);
  };
  for (const [candidateKey, entries] of COMPANY_BY_LOOKUP_KEY) {
    for (const e of entries) consider(candidateKey, e.company);
  }
  for (const [candidateKey, target] of ALIASES) {
    consider(candidateKey, aliasEntry(target, null, context)?.company ?? null);
  }
  return [...scored.entries()]
    .sort(([a, sa], [b, sb]) => sa - sb || a.localeCompare(b))
    .slice(0, 3)
    .map(([company]) => company);
}

/**
 * The form in which carrier names are compared: NFKC (full-width → half-width, half-width
 * katakana → full-width), lower case, Latin accents dropped, hiragana → katakana,
 * company-form words removed, then only letters and digits kept.
 */
export function carrierLookupKey(value: string): string {
  let s = value.normalize("NFKC").toLowerCase();
  s = s.replace(/[\u00C0-\u024F]/g, (ch) =>
    ch.normalize("NFD").replace(/\p{M}/gu, ""),
  );
  s = s.replace(/[\u3041-\u3096]/g, (ch) =>
    String.fromCharCode(ch.charCodeAt(0) + 0x60),
  );
  s = s.replace(/株式会社|有限会社|合同会社|\(株\)|\(有\)/g, " ");
  s = s.replace(
    /[\s,.]*\b(co\.?,?\s*ltd|inc|corp|corporation|ltd)\.?\s*$/g,
    "",
  );
  return s.replace(/[^\p{L}\p{N}]/gu, "");
}

/** The carrier key of an exact Shopify company name, or null when not on the list. */
export function carrierKeyOf(
  company: string | null | undefined,
): CarrierKey | null {
  if (!company) return null;
  return COMPANIES.get(company)?.carrierKey ?? null;
}

/**
 * A stored Shopify company as a column shows it: in ja the Japanese display name of a
 * Japanese carrier (日本郵便, not "Japan Post (JA)"), otherwise Shopify's own name — one
 * kind of name per language.
 */
export function carrierShownName(company: string, locale: Locale): string {
  if (locale !== "ja") return company;
  const key = carrierKeyOf(company);
  if (!key) return company;
  const shown = carrierDisplayName(key, locale);
  return shown === key ? company : shown;
}

// ---------------------------------------------------------------------------
// Options for a searchable select
// ---------------------------------------------------------------------------

export interface CarrierOption {
  /** Exactly what is sent to Shopify. */
  value: string;
  /** Shown to the operator, in the admin's language. */
  label: string;
  carrierKey: CarrierKey;
  /** Extra words the select should match (aliases such as クロネコ, ゆうパック). */
  keywords: string[];
  group: "japan" | "global" | "country";
}

/**
 * The list for a searchable carrier select: Japanese carriers first (the variant that
 * fits `locale` before the other), then Japan-only companies (for shops in Japan, or
 * when the country is not known), then every other global company A→Z, then the
 * companies Shopify lists only for `countryCode`.
 */
export function carrierOptions(
  locale: Locale,
  context: { countryCode?: string | null } = {},
): CarrierOption[] {
  const country = context.countryCode
    ? context.countryCode.toUpperCase()
    : null;
  const variantFirst = preferredVariant({ locale });
  const options: CarrierOption[] = [];
  const seen = new Set<string>();
  const push = (option: CarrierOption) => {
    if (seen.has(option.value)) return;
    seen.add(option.value);
    options.push(option);
  };

  for (const c of JAPANESE_CARRIERS) {
    if ("only" in c.companies) continue;
    const order: CarrierVariant[] =
      variantFirst === "ja" ? ["ja", "en"] : ["en", "ja"];
    for (const variant of order) {
      push({
        value: c.companies[variant],
        label: carrierDisplayName(c.key, locale, variant),
        carrierKey: c.key,
        keywords: [c.companies[variant], ...c.aliases],
        group: "japan",
      });
    }
  }
  if (country === null || country === "JP") {
    for (const c of JAPANESE_CARRIERS) {
      if (!("only" in c.companies)) continue;
      push({
        value: c.companies.only,
        label: carrierDisplayName(c.key, locale),
        carrierKey: c.key,
        keywords: [c.companies.only, ...c.aliases],
        group: "japan",
      });
    }
  }
  const byName = (a: string, b: string) =>
    a.toLowerCase().localeCompare(b.toLowerCase());
  for (const company of [...GLOBAL_TRACKING_COMPANIES].sort(byName)) {
    push({
      value: company,
      label: company,
      carrierKey: COMPANIES.get(company)!.carrierKey,
      keywords: [company, ...aliasesOf(company)],
      group: "global",
    });
  }
  if (country !== null && country !== "JP") {
    for (const company of [...(COUNTRY_TRACKING_COMPANIES[country] ?? [])].sort(
      byName,
    )) {
      push({
        value: company,
        label: company,
        carrierKey: COMPANIES.get(company)!.carrierKey,
        keywords: [company, ...aliasesOf(company)],
        group: "country",
      });
    }
  }
  return options;
}

function aliasesOf(company: string): string[] {
  return Object.entries(OTHER_ALIASES)
    .filter(([, target]) => target === company)
    .map(([alias]) => alias);
}

// ---------------------------------------------------------------------------
// Tracking numbers
// ---------------------------------------------------------------------------

/**
 * Carriers whose numbers are plain digits/letters, where spaces and hyphens are only
 * print formatting ("1234-5678-9012") and may be removed safely.
 */
const COMPACT_NUMBER_CARRIERS: ReadonlySet<string> = new Set([
  ...JAPANESE_CARRIERS.map((c) => c.key),
  "ups",
  "fedex",
  "usps",
  "dhl_express",
]);

const SEPARATORS = /[\s\-‐‑‒–—―−ー]/g;

/**
 * Cleans a tracking number as typed: NFKC (full-width digits and letters → ASCII),
 * trimmed. For carriers whose numbers are digits/letters only (Japanese carriers, UPS,
 * FedEx, USPS, DHL Express) also removes spaces and hyphens (including ー typed by a
 * Japanese IME) and upper-cases letters. For other or unknown carriers inner spaces and
 * hyphens are kept: they may be part of the number.
 *
 * @param carrier an exact Shopify company name or a CarrierKey; null when unknown.
 */
export function normalizeTrackingNumber(
  raw: string,
  carrier?: string | null,
): string {
  const value = raw.normalize("NFKC").trim();
  const key = resolveCarrierKey(carrier);
  if (key !== null && COMPACT_NUMBER_CARRIERS.has(key)) {
    return value.replace(SEPARATORS, "").toUpperCase();
  }
  return value;
}

export type TrackingNumberWarning =
  | { code: "not_numeric"; carrierKey: CarrierKey; number: string }
  | {
      code: "unexpected_length";
      carrierKey: CarrierKey;
      number: string;
      /** Lengths this carrier's numbers usually have. */
      expectedLengths: number[];
      actualLength: number;
    }
  | { code: "check_digit_mismatch"; carrierKey: CarrierKey; number: string }
  | {
      /** Japan Post: neither 11–13 digits nor "AA123456789JP". */
      code: "unexpected_format";
      carrierKey: CarrierKey;
      number: string;
    };

/**
 * Plausibility checks for a tracking number: warnings, never refusals (formats change,
 * and a wrong warning must not block a shipment). The number is normalised first.
 *
 * - Yamato: 12 digits; last digit = first 11 digits mod 7 ("7DR" check digit).
 * - Sagawa: 12 digits; same 7DR check digit.
 * - Japan Post: 11–13 digits (no check: not all services have a verifiable check
 *   digit), or the international form AA123456789JP with the UPU S10 check digit.
 * - Other Japanese carriers: digits only. Other carriers: no check.
 *
 * Formats come from public descriptions, not carrier specifications (see report).
 */
export function checkTrackingNumber(
  carrier: string | null | undefined,
  trackingNumber: string,
): TrackingNumberWarning[] {
  const carrierKey = resolveCarrierKey(carrier);
  if (
    carrierKey === null ||
    !JAPANESE_BY_KEY.has(carrierKey as JapaneseCarrierKey)
  )
    return [];
  const number = normalizeTrackingNumber(trackingNumber, carrierKey);
  if (number === "") return [];

  if (carrierKey === "japan_post") {
    if (/^\d+$/.test(number)) {
      return number.length >= 11 && number.length <= 13
        ? []
        : [
            {
              code: "unexpected_length",
              carrierKey,
              number,
              expectedLengths: [11, 12, 13],
              actualLength: number.length,
            },
          ];
    }
    const s10 = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/.exec(number);
    if (!s10) return [{ code: "unexpected_format", carrierKey, number }];
    if (s10[4] !== "JP")
      return [{ code: "unexpected_format", carrierKey, number }];
    return s10CheckDigit(s10[2]) === Number(s10[3])
      ? []
      : [{ code: "check_digit_mismatch", carrierKey, number }];
  }

  if (!/^\d+$/.test(number))
    return [{ code: "not_numeric", carrierKey, number }];
  if (carrierKey === "yamato" || carrierKey === "sagawa") {
    if (number.length !== 12) {
      return [
        {
          code: "unexpected_length",
          carrierKey,
          number,
          expectedLengths: [12],
          actualLength: number.length,
        },
      ];
    }
    return sevenCheckDigit(number.slice(0, 11)) === Number(number[11])
      ? []
      : [{ code: "check_digit_mismatch", carrierKey, number }];
  }
  return [];
}

/** "7DR": the number formed by the digits, modulo 7. */
function sevenCheckDigit(digits: string): number {
  return Number(BigInt(digits) % 7n);
}

/** UPU S10 check digit over the 8-digit serial (weights 8 6 4 2 3 5 9 7). */
function s10CheckDigit(serial: string): number {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = [...serial].reduce(
    (acc, d, i) => acc + Number(d) * weights[i],
    0,
  );
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

// ---------------------------------------------------------------------------
// Tracking URLs
// ---------------------------------------------------------------------------

/**
 * A tracking page URL for Yamato, Sagawa or Japan Post, for the app's own links when
 * the operator gave none; null for other carriers or an empty number.
 *
 * Not sent to Shopify by default: for companies on its list Shopify builds the link
 * itself, and a URL we send would take precedence over Shopify's.
 *
 * URL forms are the carriers' public deep links as widely used (not from a carrier
 * specification); Japan Post gets `locale=en` for its EN variant.
 *
 * @param carrier an exact Shopify company name or a CarrierKey.
 */
export function buildTrackingUrl(
  carrier: string | null | undefined,
  trackingNumber: string,
): string | null {
  const key = resolveCarrierKey(carrier);
  if (key === null) return null;
  const number = normalizeTrackingNumber(trackingNumber, key);
  if (number === "") return null;
  const n = encodeURIComponent(number);
  switch (key) {
    case "yamato":
      return `https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=${n}`;
    case "sagawa":
      return `https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=${n}`;
    case "japan_post": {
      const locale =
        carrier && COMPANIES.get(carrier)?.variant === "en" ? "en" : "ja";
      return `https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=${n}&searchKind=S002&locale=${locale}`;
    }
    default:
      return null;
  }
}

function resolveCarrierKey(
  carrier: string | null | undefined,
): CarrierKey | null {
  if (!carrier) return null;
  const byCompany = COMPANIES.get(carrier);
  if (byCompany) return byCompany.carrierKey;
  if (JAPANESE_BY_KEY.has(carrier as JapaneseCarrierKey)) return carrier;
  for (const entry of COMPANIES.values())
    if (entry.carrierKey === carrier) return carrier;
  return null;
}

// ---------------------------------------------------------------------------
// FulfillmentTrackingInput
// ---------------------------------------------------------------------------

/** `FulfillmentTrackingInput` as this app sends it (always `numbers`, never `number`). */
export interface FulfillmentTrackingInput {
  company?: string;
  numbers?: string[];
  /** Paired with `numbers` by position. */
  urls?: string[];
}

export interface PreparedTracking {
  trackingInfo: FulfillmentTrackingInput;
  carrier: CarrierResolution;
  /** Cleaned, de-duplicated numbers (the same as trackingInfo.numbers). */
  numbers: string[];
  /** One link per number for the app's UI: the operator's URL, else a built one, else null. */
  displayUrls: (string | null)[];
  carrierWarnings: CarrierWarning[];
  numberWarnings: TrackingNumberWarning[];
}

/**
 * Turns a shipment's tracking fields into `FulfillmentTrackingInput`, with warnings.
 *
 * - carrier → Shopify's name (normalizeCarrier); unknown names are sent as typed.
 * - numbers → normalizeTrackingNumber, blanks dropped, duplicates (same comparison
 *   form) dropped, order kept; sent as `numbers` (Shopify: never both number/numbers).
 * - url → sent only when the operator typed one (a shipment never holds a URL Shopify
 *   made: see reconcile's decideRepair). `urls` pair with `numbers` by position, so each
 *   number gets one: the typed URL with the first number replaced by that number when
 *   the URL contains it (a carrier's tracking link), else the same URL.
 */
export function prepareTrackingInfo(
  draft: {
    carrier: string | null;
    trackingNumbers: readonly string[];
    trackingUrl?: string | null;
  },
  context: CarrierContext = {},
): PreparedTracking {
  const carrier = normalizeCarrier(draft.carrier, context);
  const company = carrier.kind === "empty" ? null : carrier.company;
  const keyOrCompany = carrier.kind === "known" ? carrier.company : null;
  const numbers: string[] = [];
  const compared = new Set<string>();
  for (const raw of draft.trackingNumbers) {
    const number = normalizeTrackingNumber(raw, keyOrCompany);
    const comparison = number.toUpperCase().replace(SEPARATORS, "");
    if (number === "" || compared.has(comparison)) continue;
    compared.add(comparison);
    numbers.push(number);
  }
  const url = draft.trackingUrl?.trim() || null;
  const trackingInfo: FulfillmentTrackingInput = {};
  if (company) trackingInfo.company = company;
  if (numbers.length > 0) trackingInfo.numbers = numbers;
  const typedUrls = url ? urlPerNumber(url, numbers) : [];
  if (typedUrls.length > 0) trackingInfo.urls = typedUrls;
  return {
    trackingInfo,
    carrier,
    numbers,
    displayUrls: numbers.map(
      (n, i) => typedUrls[i] ?? buildTrackingUrl(keyOrCompany, n),
    ),
    carrierWarnings:
      carrier.kind === "empty" || !carrier.warning ? [] : [carrier.warning],
    numberWarnings: numbers.flatMap((n) =>
      checkTrackingNumber(keyOrCompany, n),
    ),
  };
}

/**
 * One URL per tracking number from the one the operator typed: where it names the first
 * number (as typed or cleaned), that number is swapped for each other one.
 */
export function urlPerNumber(
  url: string,
  numbers: readonly string[],
): string[] {
  const first = numbers[0];
  if (first === undefined) return [];
  const candidates = [first, encodeURIComponent(first)].filter((c) => c !== "");
  const named = candidates.find((c) => url.includes(c));
  return numbers.map((n, i) =>
    i === 0 || !named
      ? url
      : url.split(named).join(named === first ? n : encodeURIComponent(n)),
  );
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function scriptOf(value: string): "japanese" | "latin" {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(value)
    ? "japanese"
    : "latin";
}

function slug(company: string): string {
  return company
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[y.length];
}
