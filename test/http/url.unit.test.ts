import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isHttpsOrLoopback, isHttpUrl, normalizeHttpUrl } from "~/http/url";

// The database's check on every stored URL (shipments.tracking_url, import_rows.tracking_url).
const databaseAccepts = (value: string) => /^https?:\/\//.test(value);

describe("normalizeHttpUrl", () => {
  it.each([
    ["https://jizen.kuronekoyamato.co.jp/jizen/servlet?id=1", "https://jizen.kuronekoyamato.co.jp/jizen/servlet?id=1"],
    ["http://127.0.0.1:3100/", "http://127.0.0.1:3100/"],
    ["HTTPS://toi.kuronekoyamato.co.jp/x", "https://toi.kuronekoyamato.co.jp/x"],
    ["Http://example.jp", "http://example.jp"],
  ])("accepts %s as %s", (input, output) => {
    expect(normalizeHttpUrl(input)).toBe(output);
  });

  it.each([
    "https:host.example",
    "https:/host.example",
    "https:\\\\host.example",
    "https:\\host.example",
    "https://host.example\\path",
    "https://host.example/a b",
    "https:///path",
    "https://user@host.example/",
    "//host.example/x.js",
    "/app-bridge.js",
    "ftp://host.example",
    "javascript:alert(1)",
    "https://host.example/\u0000",
    "",
  ])("refuses %j", (input) => {
    expect(normalizeHttpUrl(input)).toBeNull();
  });

  it("agrees with the database: whatever it returns, the check accepts", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.webUrl(),
          fc.string(),
          fc
            .tuple(
              fc.constantFrom("http", "HTTPS", "hTtP", "https"),
              fc.constantFrom("://", ":", ":/", ":\\\\", "://\\"),
              fc.string(),
            )
            .map((parts) => parts.join("")),
        ),
        (value) => {
          const normalized = normalizeHttpUrl(value);
          if (normalized !== null) {
            expect(databaseAccepts(normalized)).toBe(true);
            expect(normalized).not.toMatch(/[\\\s]/);
            expect(isHttpUrl(normalized)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("isHttpsOrLoopback", () => {
  it.each([
    ["https://cdn.example.com/app-bridge.js", true],
    ["http://127.0.0.1:3100/app-bridge.js", true],
    ["http://localhost:4010", true],
    ["http://[::1]:4010", true],
    ["http://evil.example/x.js", false],
    ["http://127.0.0.1.evil.example/x.js", false],
    ["//127.0.0.1/x.js", false],
  ])("%s → %s", (input, expected) => {
    expect(isHttpsOrLoopback(input)).toBe(expected);
  });
});
