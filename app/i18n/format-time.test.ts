import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "./format-time";

const at = "2026-12-02T01:09:17Z"; // 10:09:17 in Tokyo

describe("formatDateTime", () => {
  it("shows the shop's time zone and labels it, in both languages", () => {
    expect(formatDateTime(at, "ja")).toBe("2026/12/02 10:09 JST");
    expect(formatDateTime(at, "en", { seconds: true })).toMatch(/^12\/02\/2026, 10:09:17 AM GMT\+9$/);
    expect(formatDateTime(at, "en", { timeZone: "America/New_York" })).toMatch(/^12\/01\/2026, 08:09 PM EST$/);
  });

  it("never throws on what it is given: a bad zone falls back to Tokyo, a bad date shows —", () => {
    expect(formatDateTime(at, "ja", { timeZone: "Mars/Olympus" })).toBe("2026/12/02 10:09 JST");
    expect(formatDateTime("not a date", "ja")).toBe("—");
    expect(formatDateTime(null, "en")).toBe("—");
  });

  it("formats a date alone in the zone (the day can differ from UTC's)", () => {
    expect(formatDate("2026-12-01T20:00:00Z", "ja")).toBe("2026/12/02");
    expect(formatDate("2026-12-01T20:00:00Z", "en", { timeZone: "UTC" })).toBe("12/01/2026");
  });
});
