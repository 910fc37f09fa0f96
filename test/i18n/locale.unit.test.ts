import { describe, expect, it } from "vitest";

import { resolveLocale } from "~/i18n/locale";

describe("resolveLocale", () => {
  it.each([
    ["ja", "ja"],
    ["ja-JP", "ja"],
    ["JA_jp", "ja"],
    ["en", "en"],
    ["en-US", "en"],
    ["fr", "en"],
    ["jam", "en"],
  ])("maps the admin locale %s to %s", (value, expected) => {
    expect(resolveLocale(value)).toBe(expected);
  });

  it("defaults to Japanese when the admin passes no locale", () => {
    expect(resolveLocale(undefined)).toBe("ja");
    expect(resolveLocale("")).toBe("ja");
    expect(
      resolveLocale(new Request("https://app.test/app?shop=a.myshopify.com")),
    ).toBe("ja");
  });

  it("reads the locale query parameter from a request", () => {
    expect(
      resolveLocale(new Request("https://app.test/app?locale=en-GB")),
    ).toBe("en");
    expect(resolveLocale(new URL("https://app.test/app?locale=ja"))).toBe("ja");
  });
});
