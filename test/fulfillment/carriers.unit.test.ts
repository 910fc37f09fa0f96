import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildTrackingUrl,
  carrierKeyOf,
  carrierLookupKey,
  carrierOptions,
  checkTrackingNumber,
  COUNTRY_TRACKING_COMPANIES,
  GLOBAL_TRACKING_COMPANIES,
  JAPANESE_CARRIERS,
  normalizeCarrier,
  normalizeTrackingNumber,
  preferredVariant,
  prepareTrackingInfo,
  type CarrierContext,
} from "~/fulfillment/carriers";

const JA_SHOP: CarrierContext = { locale: "ja", countryCode: "JP" };
const EN_SHOP: CarrierContext = { locale: "en", countryCode: "US" };

function company(input: string, context: CarrierContext = JA_SHOP) {
  const result = normalizeCarrier(input, context);
  return result.kind === "known" ? result.company : `${result.kind}`;
}

describe("normalizeCarrier: aliases", () => {
  const yamato = [
    "yamato",
    "Yamato Transport",
    "ヤマト",
    "ヤマト運輸",
    "クロネコ",
    "クロネコヤマト",
    "宅急便",
    "kuroneko yamato",
    "TA-Q-BIN",
    "ネコポス",
  ];
  const sagawa = [
    "sagawa",
    "Sagawa Express",
    "佐川",
    "佐川急便",
    "飛脚",
    "飛脚宅配便",
    "sagawa-exp",
  ];
  const japanPost = [
    "日本郵便",
    "ゆうパック",
    "ゆうパケット",
    "japan post",
    "jp post",
    "JapanPost",
    "郵便",
    "郵便局",
    "yu-pack",
    "レターパック",
    "クリックポスト",
  ];

  it.each(yamato)("%s → Yamato (JA) for a Japanese shop", (input) => {
    expect(normalizeCarrier(input, JA_SHOP)).toEqual({
      kind: "known",
      company: "Yamato (JA)",
      carrierKey: "yamato",
    });
  });
  it.each(sagawa)("%s → Sagawa (JA) for a Japanese shop", (input) => {
    expect(normalizeCarrier(input, JA_SHOP)).toEqual({
      kind: "known",
      company: "Sagawa (JA)",
      carrierKey: "sagawa",
    });
  });
  it.each(japanPost)("%s → Japan Post (JA) for a Japanese shop", (input) => {
    expect(normalizeCarrier(input, JA_SHOP)).toEqual({
      kind: "known",
      company: "Japan Post (JA)",
      carrierKey: "japan_post",
    });
  });

  it.each([
    ["yamato", "Yamato (EN)"],
    ["Yamato Transport", "Yamato (EN)"],
    ["sagawa", "Sagawa (EN)"],
    ["japan post", "Japan Post (EN)"],
    ["jp post", "Japan Post (EN)"],
  ])(
    "Latin %s → %s for a shop whose language is not Japanese",
    (input, expected) => {
      expect(company(input, EN_SHOP)).toBe(expected);
    },
  );

  it.each([
    ["ヤマト運輸", "Yamato (JA)"],
    ["クロネコ", "Yamato (JA)"],
    ["佐川急便", "Sagawa (JA)"],
    ["ゆうパック", "Japan Post (JA)"],
  ])(
    "Japanese-script %s → %s even in an English-language shop",
    (input, expected) => {
      expect(company(input, EN_SHOP)).toBe(expected);
    },
  );

  it.each([
    ["西濃", "西濃運輸", "seino"],
    ["西濃運輸", "西濃運輸", "seino"],
    ["seino", "西濃運輸", "seino"],
    ["Seino Transportation", "西濃運輸", "seino"],
    ["カンガルー便", "西濃運輸", "seino"],
    [
      "西濃スーパーエキスプレス",
      "西濃スーパーエキスプレス",
      "seino_super_express",
    ],
    ["福山通運", "福山通運", "fukuyama"],
    ["福通", "福山通運", "fukuyama"],
    ["fukuyama", "福山通運", "fukuyama"],
    ["日本通運", "日本通運", "nittsu"],
    ["nittsu", "日本通運", "nittsu"],
    ["日通", "日本通運", "nittsu"],
    ["Nippon Express", "日本通運", "nittsu"],
    ["名鉄運輸", "名鉄運輸", "meitetsu"],
    ["meitetsu", "名鉄運輸", "meitetsu"],
    ["第一貨物", "第一貨物", "daiichi"],
    ["daiichi kamotsu", "第一貨物", "daiichi"],
    ["エコ配", "エコ配", "ecohai"],
    ["ecohai", "エコ配", "ecohai"],
  ])("Japan-only carrier %s → %s", (input, expected, key) => {
    expect(normalizeCarrier(input, JA_SHOP)).toEqual({
      kind: "known",
      company: expected,
      carrierKey: key,
    });
  });

  it.each([
    ["DHL Express", "DHL Express", "dhl_express"],
    ["dhl express", "DHL Express", "dhl_express"],
    ["dhl", "DHL Express", "dhl_express"],
    ["fedex", "FedEx", "fedex"],
    ["FEDEX", "FedEx", "fedex"],
    ["Federal Express", "FedEx", "fedex"],
    ["フェデックス", "FedEx", "fedex"],
    ["ups", "UPS", "ups"],
    ["United Parcel Service", "UPS", "ups"],
    ["usps", "USPS", "usps"],
    ["US Postal Service", "USPS", "usps"],
    ["tnt", "TNT", "tnt"],
    ["sf express", "SF Express", "sf_express"],
    ["royal mail", "Royal Mail", "royal_mail"],
    ["Lietuvos Pastas", "Lietuvos Paštas", "lietuvos_pastas"],
  ])("global %s → %s", (input, expected, key) => {
    expect(normalizeCarrier(input, JA_SHOP)).toEqual({
      kind: "known",
      company: expected,
      carrierKey: key,
    });
  });

  it("resolves every alias of every Japanese carrier to that carrier", () => {
    for (const carrier of JAPANESE_CARRIERS) {
      for (const alias of carrier.aliases) {
        const result = normalizeCarrier(alias, JA_SHOP);
        expect(result.kind === "known" && result.carrierKey, alias).toBe(
          carrier.key,
        );
      }
    }
  });

  it("has no alias that means two carriers", () => {
    const owner = new Map<string, string>();
    for (const carrier of JAPANESE_CARRIERS) {
      for (const alias of carrier.aliases) {
        const key = carrierLookupKey(alias);
        expect(owner.get(key) ?? carrier.key, alias).toBe(carrier.key);
        owner.set(key, carrier.key);
      }
    }
  });

  it("maps every name on Shopify's list to itself for a shop that sees it", () => {
    for (const name of GLOBAL_TRACKING_COMPANIES) {
      const result = normalizeCarrier(name, {});
      expect(result.kind === "known" && result.company, name).toBe(name);
    }
    for (const [country, names] of Object.entries(COUNTRY_TRACKING_COMPANIES)) {
      for (const name of names) {
        const result = normalizeCarrier(name, { countryCode: country });
        expect(result.kind === "known" && result.company, name).toBe(name);
      }
    }
  });
});

describe("normalizeCarrier: forms of writing", () => {
  it.each([
    ["ＹＡＭＡＴＯ", "Yamato (JA)"],
    ["  yamato\t", "Yamato (JA)"],
    ["ﾔﾏﾄ運輸", "Yamato (JA)"],
    ["やまと運輸", "Yamato (JA)"],
    ["くろねこやまと", "Yamato (JA)"],
    ["ヤマト運輸株式会社", "Yamato (JA)"],
    ["ヤマト運輸㈱", "Yamato (JA)"],
    ["Yamato Transport Co., Ltd.", "Yamato (JA)"],
    ["佐川急便(株)", "Sagawa (JA)"],
    ["佐川急便株式会社", "Sagawa (JA)"],
    ["ゆう パック", "Japan Post (JA)"],
    ["ユウパック", "Japan Post (JA)"],
    ["JAPAN-POST", "Japan Post (JA)"],
    ["日本郵便株式会社", "Japan Post (JA)"],
    ["ｆｅｄｅｘ", "FedEx"],
    ["Ｄ Ｈ Ｌ Ｅｘｐｒｅｓｓ", "DHL Express"],
  ])("%j → %s", (input, expected) => {
    expect(company(input)).toBe(expected);
  });

  it.each([
    ["Yamato (EN)", JA_SHOP, "Yamato (EN)"],
    ["yamato en", JA_SHOP, "Yamato (EN)"],
    ["ＹＡＭＡＴＯ（ＥＮ）", JA_SHOP, "Yamato (EN)"],
    ["ヤマト運輸 (EN)", JA_SHOP, "Yamato (EN)"],
    ["Yamato (JA)", EN_SHOP, "Yamato (JA)"],
    ["japan post ja", EN_SHOP, "Japan Post (JA)"],
    ["sagawa(en)", JA_SHOP, "Sagawa (EN)"],
  ])("an explicit variant wins: %s", (input, context, expected) => {
    expect(company(input, context)).toBe(expected);
  });
});

describe("preferredVariant", () => {
  it.each([
    [{ locale: "ja" }, "ja"],
    [{ locale: "ja-JP" }, "ja"],
    [{ locale: "JA_jp" }, "ja"],
    [{ locale: "en" }, "en"],
    [{ locale: "fr" }, "en"],
    [{ locale: "jav" }, "en"],
    [{ countryCode: "JP" }, "ja"],
    [{ countryCode: "jp" }, "ja"],
    [{ countryCode: "US" }, "en"],
    [{ locale: "en", countryCode: "JP" }, "en"],
    [{ locale: "ja", countryCode: "US" }, "ja"],
    [{}, "ja"],
    [{ locale: "  ", countryCode: null }, "ja"],
  ] as [CarrierContext, string][])("%j → %s", (context, expected) => {
    expect(preferredVariant(context)).toBe(expected);
  });
});

describe("normalizeCarrier: unknown, empty, country", () => {
  it.each(["", "   ", null, undefined])("%j → empty", (input) => {
    expect(normalizeCarrier(input)).toEqual({ kind: "empty" });
  });

  it("keeps unknown input (trimmed) and warns, suggesting the close name for a typo", () => {
    expect(normalizeCarrier("  Yamatto ", JA_SHOP)).toEqual({
      kind: "unknown",
      company: "Yamatto",
      warning: {
        code: "unknown_carrier",
        input: "Yamatto",
        suggestions: ["Yamato (JA)"],
      },
    });
  });

  it.each([
    ["sagwa", "Sagawa (JA)"],
    ["fedx", "FedEx"],
    ["ヤマド運輸", "Yamato (JA)"],
    ["佐川急便 飛脚ラージサイズ宅配便", "Sagawa (JA)"],
  ])("suggests %s → %s", (input, suggestion) => {
    const result = normalizeCarrier(input, JA_SHOP);
    expect(result.kind).toBe("unknown");
    expect(
      result.kind === "unknown" &&
        result.warning.code === "unknown_carrier" &&
        result.warning.suggestions,
    ).toContain(suggestion);
  });

  it("suggests the EN variant for a Latin typo in an English shop", () => {
    const result = normalizeCarrier("yamatto", EN_SHOP);
    expect(
      result.kind === "unknown" &&
        result.warning.code === "unknown_carrier" &&
        result.warning.suggestions,
    ).toEqual(["Yamato (EN)"]);
  });

  it("suggests nothing for an unrelated name, and never more than three", () => {
    const unrelated = normalizeCarrier("山田運送", JA_SHOP);
    expect(unrelated).toEqual({
      kind: "unknown",
      company: "山田運送",
      warning: { code: "unknown_carrier", input: "山田運送", suggestions: [] },
    });
    const many = normalizeCarrier("dpd x", JA_SHOP);
    expect(
      many.kind === "unknown" &&
        many.warning.code === "unknown_carrier" &&
        many.warning.suggestions.length,
    ).toBeLessThanOrEqual(3);
  });

  it("flags a Japan-only carrier for a shop outside Japan, but keeps it", () => {
    expect(normalizeCarrier("西濃運輸", EN_SHOP)).toEqual({
      kind: "known",
      company: "西濃運輸",
      carrierKey: "seino",
      warning: {
        code: "carrier_not_listed_for_country",
        company: "西濃運輸",
        countryCode: "US",
      },
    });
  });

  it("gives no country warning when the country is not known", () => {
    expect(normalizeCarrier("西濃運輸", { locale: "en" })).toEqual({
      kind: "known",
      company: "西濃運輸",
      carrierKey: "seino",
    });
  });

  it("with the country unknown, global names and aliases win over country-only names", () => {
    expect(company("DHL", {})).toBe("DHL Express");
    expect(company("DHL", { locale: "ja" })).toBe("DHL Express");
    expect(company("dhl", { locale: "en" })).toBe("DHL Express");
    // A name Shopify lists for some countries only is still found when nothing else is.
    expect(company("DHL Parcel", {})).toBe("DHL Parcel");
    expect(normalizeCarrier("DHL Parcel", {})).not.toHaveProperty("warning");
  });

  it("with the country unknown, resolves any listed name as a shop in a country with no list of its own would", () => {
    const names = [
      ...GLOBAL_TRACKING_COMPANIES,
      ...Object.values(COUNTRY_TRACKING_COMPANIES).flat(),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.constantFrom("", " "),
        fc.boolean(),
        fc.constantFrom(null, "ja", "en"),
        (name, pad, lower, locale) => {
          const input = pad + (lower ? name.toLowerCase() : name) + pad;
          const unknown = normalizeCarrier(input, { locale });
          const elsewhere = normalizeCarrier(input, {
            locale,
            countryCode: "ZZ",
          });
          expect(unknown.kind).toBe("known");
          expect(unknown).toMatchObject({
            company: (elsewhere as { company: string }).company,
          });
          // A country-only name is chosen only when no global name or alias matches:
          // exactly when a shop elsewhere gets a warning for it.
          const chosen = (unknown as { company: string }).company;
          if (!GLOBAL_TRACKING_COMPANIES.includes(chosen))
            expect(elsewhere).toHaveProperty("warning");
        },
      ),
    );
  });

  it("reads DHL by country: DHL Express in Japan, Germany's own DHL in Germany", () => {
    expect(company("DHL", JA_SHOP)).toBe("DHL Express");
    expect(company("DHL", { locale: "de", countryCode: "DE" })).toBe("DHL");
    expect(normalizeCarrier("DHL Parcel", JA_SHOP)).toEqual({
      kind: "known",
      company: "DHL Parcel",
      carrierKey: "dhl_parcel",
      warning: {
        code: "carrier_not_listed_for_country",
        company: "DHL Parcel",
        countryCode: "JP",
      },
    });
  });
});

describe("carrierKeyOf", () => {
  it("gives the key of an exact Shopify name and null otherwise", () => {
    expect(carrierKeyOf("Yamato (EN)")).toBe("yamato");
    expect(carrierKeyOf("西濃運輸")).toBe("seino");
    expect(carrierKeyOf("DHL Express")).toBe("dhl_express");
    expect(carrierKeyOf("yamato")).toBeNull();
    expect(carrierKeyOf(null)).toBeNull();
  });

  it("gives distinct keys to distinct companies (JA/EN variants share one)", () => {
    const all = [
      ...new Set([
        ...GLOBAL_TRACKING_COMPANIES,
        ...Object.values(COUNTRY_TRACKING_COMPANIES).flat(),
      ]),
    ];
    const byKey = new Map<string, string[]>();
    for (const name of all)
      byKey.set(carrierKeyOf(name)!, [
        ...(byKey.get(carrierKeyOf(name)!) ?? []),
        name,
      ]);
    const shared = [...byKey.values()]
      .filter((names) => names.length > 1)
      .map((n) => n.sort());
    expect(shared.sort()).toEqual([
      ["Japan Post (EN)", "Japan Post (JA)"],
      ["Sagawa (EN)", "Sagawa (JA)"],
      ["Yamato (EN)", "Yamato (JA)"],
    ]);
  });
});

describe("carrierOptions", () => {
  it("lists Japanese carriers first for a Japanese admin, JA variant before EN, with localized labels", () => {
    const options = carrierOptions("ja", { countryCode: "JP" });
    expect(options.slice(0, 6).map((o) => [o.value, o.label])).toEqual([
      ["Yamato (JA)", "ヤマト運輸 (日本語)"],
      ["Yamato (EN)", "ヤマト運輸 (英語)"],
      ["Sagawa (JA)", "佐川急便 (日本語)"],
      ["Sagawa (EN)", "佐川急便 (英語)"],
      ["Japan Post (JA)", "日本郵便 (日本語)"],
      ["Japan Post (EN)", "日本郵便 (英語)"],
    ]);
    expect(options.slice(6, 13).map((o) => o.value)).toEqual([
      "西濃運輸",
      "西濃スーパーエキスプレス",
      "福山通運",
      "日本通運",
      "名鉄運輸",
      "第一貨物",
      "エコ配",
    ]);
    expect(options.find((o) => o.value === "Yamato (JA)")?.keywords).toContain(
      "クロネコ",
    );
  });

  it("puts the EN variant first for an English admin and labels in English", () => {
    const options = carrierOptions("en", { countryCode: "JP" });
    expect(options[0]).toMatchObject({
      value: "Yamato (EN)",
      label: "Yamato Transport (English)",
      group: "japan",
    });
    expect(options[1]).toMatchObject({
      value: "Yamato (JA)",
      label: "Yamato Transport (Japanese)",
    });
    expect(options.find((o) => o.value === "福山通運")?.label).toBe(
      "Fukuyama Transporting",
    );
  });

  it("offers only values Shopify lists, each once, global ones A→Z", () => {
    const options = carrierOptions("ja");
    const values = options.map((o) => o.value);
    expect(new Set(values).size).toBe(values.length);
    const listed = new Set([
      ...GLOBAL_TRACKING_COMPANIES,
      ...COUNTRY_TRACKING_COMPANIES.JP,
    ]);
    expect(values.every((v) => listed.has(v))).toBe(true);
    expect(values).toHaveLength(listed.size);
    const global = options
      .filter((o) => o.group === "global")
      .map((o) => o.value.toLowerCase());
    expect(global).toEqual([...global].sort((a, b) => a.localeCompare(b)));
  });

  it("for a shop outside Japan: no Japan-only carriers, plus that country's own list", () => {
    const options = carrierOptions("en", { countryCode: "US" });
    expect(options.some((o) => o.value === "西濃運輸")).toBe(false);
    expect(options.find((o) => o.value === "Pilot Freight")?.group).toBe(
      "country",
    );
    expect(options.some((o) => o.value === "Yamato (EN)")).toBe(true);
  });
});

describe("buildTrackingUrl", () => {
  it.each([
    [
      "Yamato (JA)",
      "4444-1375-8703",
      "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=444413758703",
    ],
    [
      "Yamato (EN)",
      "444413758703",
      "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=444413758703",
    ],
    [
      "yamato",
      "４４４４１３７５８７０３",
      "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=444413758703",
    ],
    [
      "Sagawa (JA)",
      "5125 4751 4334",
      "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=512547514334",
    ],
    [
      "Japan Post (JA)",
      "4055-4842-4886",
      "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=405548424886&searchKind=S002&locale=ja",
    ],
    [
      "Japan Post (EN)",
      "rr123456785jp",
      "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=RR123456785JP&searchKind=S002&locale=en",
    ],
  ])("%s %s → %s", (carrier, number, expected) => {
    expect(buildTrackingUrl(carrier, number)).toBe(expected);
  });

  it.each([
    ["西濃運輸", "1234567890"],
    ["DHL Express", "1234567890"],
    ["Unknown Carrier", "1"],
    [null, "123"],
    ["Yamato (JA)", "  "],
  ])("gives null for %s / %j", (carrier, number) => {
    expect(buildTrackingUrl(carrier, number)).toBeNull();
  });

  it("URL-encodes what it puts in the query", () => {
    expect(buildTrackingUrl("sagawa", "12&3")).toBe(
      "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=12%263",
    );
  });
});

describe("normalizeTrackingNumber", () => {
  it.each([
    ["１２３４－５６７８－９０１２", "Yamato (JA)", "123456789012"],
    [" 1234 5678 9012 ", "yamato", "123456789012"],
    ["1234ー5678ー9012", "Sagawa (JA)", "123456789012"],
    ["1234−5678‐9012", "japan_post", "123456789012"],
    ["ｒｒ１２３４５６７８５ｊｐ", "Japan Post (JA)", "RR123456785JP"],
    ["1z 999 aa1 01 2345 6784", "UPS", "1Z999AA10123456784"],
    ["  AB 12-3  ", "Some Local Courier", "AB 12-3"],
    ["　ＡＢ１２　", null, "AB12"],
  ])("%j (%s) → %j", (raw, carrier, expected) => {
    expect(normalizeTrackingNumber(raw, carrier)).toBe(expected);
  });
});

describe("checkTrackingNumber", () => {
  it.each([
    ["Yamato (JA)", "444413758703"],
    ["Yamato (JA)", "1234-5678-9013"],
    ["Sagawa (EN)", "512547514334"],
    ["Japan Post (JA)", "405548424886"],
    ["Japan Post (JA)", "12345678901"],
    ["Japan Post (JA)", "1234567890123"],
    ["Japan Post (EN)", "RR123456785JP"],
    ["Japan Post (EN)", "ee 123 456 785 jp"],
    ["西濃運輸", "1234567890"],
    ["DHL Express", "anything goes"],
    ["Unknown Courier", "???"],
    ["Yamato (JA)", ""],
  ])("%s %j → no warning", (carrier, number) => {
    expect(checkTrackingNumber(carrier, number)).toEqual([]);
  });

  it("Yamato: wrong check digit", () => {
    expect(checkTrackingNumber("Yamato (JA)", "444413758704")).toEqual([
      {
        code: "check_digit_mismatch",
        carrierKey: "yamato",
        number: "444413758704",
      },
    ]);
  });

  it("Yamato: wrong length", () => {
    expect(checkTrackingNumber("Yamato (JA)", "44441375870")).toEqual([
      {
        code: "unexpected_length",
        carrierKey: "yamato",
        number: "44441375870",
        expectedLengths: [12],
        actualLength: 11,
      },
    ]);
  });

  it("Yamato: letters", () => {
    expect(checkTrackingNumber("yamato", "4444A3758703")).toEqual([
      { code: "not_numeric", carrierKey: "yamato", number: "4444A3758703" },
    ]);
  });

  it("Sagawa: wrong check digit and wrong length", () => {
    expect(checkTrackingNumber("Sagawa (JA)", "512547514335")).toEqual([
      {
        code: "check_digit_mismatch",
        carrierKey: "sagawa",
        number: "512547514335",
      },
    ]);
    expect(checkTrackingNumber("Sagawa (JA)", "5125475143")).toMatchObject([
      { code: "unexpected_length", expectedLengths: [12], actualLength: 10 },
    ]);
  });

  it("Japan Post: too short or too long", () => {
    expect(checkTrackingNumber("Japan Post (JA)", "1234567890")).toEqual([
      {
        code: "unexpected_length",
        carrierKey: "japan_post",
        number: "1234567890",
        expectedLengths: [11, 12, 13],
        actualLength: 10,
      },
    ]);
    expect(
      checkTrackingNumber("Japan Post (JA)", "12345678901234"),
    ).toMatchObject([{ code: "unexpected_length", actualLength: 14 }]);
  });

  it("Japan Post: international number with a wrong S10 check digit", () => {
    expect(checkTrackingNumber("Japan Post (EN)", "RR123456784JP")).toEqual([
      {
        code: "check_digit_mismatch",
        carrierKey: "japan_post",
        number: "RR123456784JP",
      },
    ]);
  });

  it.each(["RR123456785CN", "ABC", "R123456785JP"])(
    "Japan Post: %s has an unexpected format",
    (number) => {
      expect(checkTrackingNumber("Japan Post (JA)", number)).toMatchObject([
        { code: "unexpected_format", carrierKey: "japan_post" },
      ]);
    },
  );

  it("other Japanese carriers: digits only", () => {
    expect(checkTrackingNumber("福山通運", "12AB")).toEqual([
      { code: "not_numeric", carrierKey: "fukuyama", number: "12AB" },
    ]);
  });
});

describe("prepareTrackingInfo", () => {
  it("normalises carrier and numbers, drops blanks and duplicates, never sends built URLs", () => {
    const prepared = prepareTrackingInfo(
      {
        carrier: "クロネコヤマト",
        trackingNumbers: [
          "１２３４-５６７８-９０１３",
          "123456789013",
          " ",
          "444413758703",
        ],
      },
      JA_SHOP,
    );
    expect(prepared.trackingInfo).toEqual({
      company: "Yamato (JA)",
      numbers: ["123456789013", "444413758703"],
    });
    expect(prepared.displayUrls).toEqual([
      "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=123456789013",
      "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=444413758703",
    ]);
    expect(prepared.carrierWarnings).toEqual([]);
    expect(prepared.numberWarnings).toEqual([]);
  });

  it("sends the operator's URL once per number (urls pair with numbers by position)", () => {
    const prepared = prepareTrackingInfo(
      {
        carrier: "佐川急便",
        trackingNumbers: ["512547514334", "5125-4751-4334", "000000000000"],
        trackingUrl: " https://example.com/t/1 ",
      },
      JA_SHOP,
    );
    expect(prepared.trackingInfo).toEqual({
      company: "Sagawa (JA)",
      numbers: ["512547514334", "000000000000"],
      urls: ["https://example.com/t/1", "https://example.com/t/1"],
    });
    expect(prepared.displayUrls).toEqual([
      "https://example.com/t/1",
      "https://example.com/t/1",
    ]);
  });

  it("gives each number its own link when the operator's URL names the first number", () => {
    const prepared = prepareTrackingInfo(
      {
        carrier: "山田運送",
        trackingNumbers: ["A 100", "B200", "C300"],
        trackingUrl: "https://track.example.jp/?no=A%20100&lang=ja",
      },
      JA_SHOP,
    );
    expect(prepared.trackingInfo.urls).toEqual([
      "https://track.example.jp/?no=A%20100&lang=ja",
      "https://track.example.jp/?no=B200&lang=ja",
      "https://track.example.jp/?no=C300&lang=ja",
    ]);
  });

  it("pairs one URL with each number, whatever the numbers (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[0-9]{8,14}$/), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.boolean(),
        (numbers, named) => {
          const url = named
            ? `https://t.example/${numbers[0]}/status`
            : "https://t.example/search";
          const prepared = prepareTrackingInfo(
            { carrier: "山田運送", trackingNumbers: numbers, trackingUrl: url },
            JA_SHOP,
          );
          const urls = prepared.trackingInfo.urls!;
          expect(urls).toHaveLength(prepared.trackingInfo.numbers!.length);
          prepared.trackingInfo.numbers!.forEach((n, i) =>
            expect(urls[i]).toBe(named ? `https://t.example/${n}/status` : url),
          );
        },
      ),
    );
  });

  it("sends no URL when the operator typed none (Shopify builds its own links)", () => {
    const prepared = prepareTrackingInfo(
      { carrier: "ヤマト", trackingNumbers: ["123456789012", "234567890123"] },
      JA_SHOP,
    );
    expect(prepared.trackingInfo).not.toHaveProperty("urls");
  });

  it("passes warnings through and keeps an unknown carrier as typed", () => {
    const prepared = prepareTrackingInfo(
      { carrier: " 山田運送 ", trackingNumbers: ["A-1"] },
      JA_SHOP,
    );
    expect(prepared.trackingInfo).toEqual({
      company: "山田運送",
      numbers: ["A-1"],
    });
    expect(prepared.carrierWarnings).toEqual([
      { code: "unknown_carrier", input: "山田運送", suggestions: [] },
    ]);
    expect(prepared.displayUrls).toEqual([null]);

    const checked = prepareTrackingInfo(
      { carrier: "ヤマト", trackingNumbers: ["444413758704"] },
      JA_SHOP,
    );
    expect(checked.numberWarnings).toEqual([
      {
        code: "check_digit_mismatch",
        carrierKey: "yamato",
        number: "444413758704",
      },
    ]);
  });

  it("omits company and numbers when there are none (and a URL without a number)", () => {
    expect(
      prepareTrackingInfo({
        carrier: null,
        trackingNumbers: [],
        trackingUrl: "https://x",
      }).trackingInfo,
    ).toEqual({});
  });
});

describe("Shopify's list in this file equals the 2026-10 schema's", () => {
  const schemaFile = fileURLToPath(
    new URL(
      "../shopify-sim/schema/admin_2026-10.json.gz",
      import.meta.url,
    ),
  );
  const COUNTRY_CODES: Record<string, string> = {
    Australia: "AU",
    Austria: "AT",
    Bulgaria: "BG",
    Canada: "CA",
    China: "CN",
    Czechia: "CZ",
    Germany: "DE",
    Spain: "ES",
    France: "FR",
    "United Kingdom": "GB",
    Greece: "GR",
    "Hong Kong SAR": "HK",
    Ireland: "IE",
    India: "IN",
    Italy: "IT",
    Japan: "JP",
    Netherlands: "NL",
    Norway: "NO",
    Poland: "PL",
    Turkey: "TR",
    "United States": "US",
    "South Africa": "ZA",
  };

  it("matches FulfillmentTrackingInfo.company's description", () => {
    expect(existsSync(schemaFile), `${schemaFile} is missing`).toBe(true);
    const json = JSON.parse(
      gunzipSync(readFileSync(schemaFile)).toString("utf8"),
    ) as {
      data: {
        __schema: {
          types: {
            name: string;
            fields?: { name: string; description?: string }[];
          }[];
        };
      };
    };
    const description =
      json.data.__schema.types
        .find((t) => t.name === "FulfillmentTrackingInfo")
        ?.fields?.find((f) => f.name === "company")?.description ?? "";
    const [globalPart, countryPart] = description.split(
      "displayed for shops located in specific countries",
    );
    const global = [...globalPart.matchAll(/^\s*\* (.+)$/gm)].map((m) =>
      m[1].trim(),
    );
    expect(new Set(GLOBAL_TRACKING_COMPANIES)).toEqual(new Set(global));

    const byCountry: Record<string, string[]> = {};
    const entries = countryPart
      .replace(/\n(?!\s*\*)/g, " ")
      .matchAll(/\*\s+\*\*(.+?)\*\*:\s*(.+)/g);
    for (const [, country, list] of entries) {
      byCountry[COUNTRY_CODES[country] ?? country] = list
        .split(",")
        .map((s) => s.trim().replace(/\.$/, ""))
        .filter(Boolean);
    }
    expect(Object.keys(byCountry).sort()).toEqual(
      Object.keys(COUNTRY_TRACKING_COMPANIES).sort(),
    );
    for (const [code, list] of Object.entries(COUNTRY_TRACKING_COMPANIES)) {
      expect(new Set(list), code).toEqual(new Set(byCountry[code]));
    }
  });
});
