import { describe, expect, it } from "vitest";
import { t } from "~/i18n/messages";
import { carrierShownName } from "~/fulfillment/carriers";
import { trackingNumberWarnings } from "~/shipments/tracking-warnings";
import { parseTrackingForm } from "~/shipments/tracking-form";

const yamato = (first11: string) => `${first11}${Number(BigInt(first11) % 7n)}`;

describe("trackingNumberWarnings (shown while typing)", () => {
  const good = yamato("43891235012");
  const bad = `${good.slice(0, 11)}${(Number(good[11]) + 1) % 10}`;

  it("flags a Yamato number whose check digit is off, in both languages, naming the number", () => {
    const [warning, ...rest] = trackingNumberWarnings({ trackingNumbers: bad, carrier: "Yamato (JA)" });
    expect(rest).toEqual([]);
    expect(t("ja", warning!)).toContain(bad);
    expect(t("ja", warning!)).toContain("チェックデジット");
    expect(t("en", warning!)).toMatch(/check digit/i);
  });

  it("says nothing for a good number, for an empty field, or before a carrier is chosen", () => {
    expect(trackingNumberWarnings({ trackingNumbers: good, carrier: "Yamato (JA)" })).toEqual([]);
    expect(trackingNumberWarnings({ trackingNumbers: "", carrier: "Yamato (JA)" })).toEqual([]);
    expect(trackingNumberWarnings({ trackingNumbers: bad, carrier: "" })).toEqual([]);
  });

  it("gives exactly the number warnings the server gives after the press", () => {
    const form = new FormData();
    form.set("trackingNumbers", `${good}\n${bad}`);
    form.set("carrier", "Yamato (JA)");
    form.set("trackingUrl", "");
    const parsed = parseTrackingForm(form);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.warnings).toEqual(
      trackingNumberWarnings({ trackingNumbers: `${good}\n${bad}`, carrier: "Yamato (JA)" }),
    );
  });
});

describe("carrierShownName (the Carrier column)", () => {
  it("shows a Japanese carrier's Japanese name in ja, whichever of Shopify's variants is stored", () => {
    expect(carrierShownName("Japan Post (JA)", "ja")).toBe("日本郵便");
    expect(carrierShownName("Japan Post (EN)", "ja")).toBe("日本郵便");
    expect(carrierShownName("Yamato (JA)", "ja")).toBe("ヤマト運輸");
  });

  it("shows Shopify's own name in en, and any carrier it doesn't know as stored", () => {
    expect(carrierShownName("Japan Post (JA)", "en")).toBe("Japan Post (JA)");
    expect(carrierShownName("UPS", "ja")).toBe("UPS");
    expect(carrierShownName("近所の配送屋", "ja")).toBe("近所の配送屋");
  });
});
