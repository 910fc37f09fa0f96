import { describe, expect, it } from "vitest";
import {
  DEFAULT_TIME_ZONE,
  formatDate,
  formatDateTime,
  isTimeZone,
} from "~/i18n/format-time";

const at = "2026-12-02T01:09:17Z"; // 10:09:17 in Tokyo, 20:09:17 the day before in New York
const tokyo = { timeZone: "Asia/Tokyo" };
const newYork = { timeZone: "America/New_York" };

describe("formatDateTime", () => {
  it("shows the time in the zone it is given and labels it, in both languages", () => {
    expect(formatDateTime(at, "ja", tokyo)).toBe("2026/12/02 10:09 JST");
    expect(formatDateTime(at, "en", { ...tokyo, seconds: true })).toBe(
      "12/02/2026, 10:09:17 AM GMT+9",
    );
    expect(formatDateTime(at, "en", newYork)).toBe("12/01/2026, 08:09 PM EST");
    expect(formatDateTime(at, "ja", newYork)).toBe("2026/12/01 20:09 GMT-5");
    expect(formatDateTime(at, "en", { timeZone: "Asia/Kolkata" })).toBe(
      "12/02/2026, 06:39 AM GMT+5:30",
    );
  });

  it("labels each instant with its own side of a daylight-saving change (New York, 2026)", () => {
    // Spring forward, 8 March: 01:59 EST is followed by 03:00 EDT.
    expect(formatDateTime("2026-03-08T06:59:00Z", "en", newYork)).toBe(
      "03/08/2026, 01:59 AM EST",
    );
    expect(formatDateTime("2026-03-08T07:00:00Z", "en", newYork)).toBe(
      "03/08/2026, 03:00 AM EDT",
    );
    // Fall back, 1 November: 01:30 happens twice, and only the label tells them apart.
    expect(formatDateTime("2026-11-01T05:30:00Z", "en", newYork)).toBe(
      "11/01/2026, 01:30 AM EDT",
    );
    expect(formatDateTime("2026-11-01T06:30:00Z", "en", newYork)).toBe(
      "11/01/2026, 01:30 AM EST",
    );
    expect(formatDateTime("2026-07-15T12:00:00Z", "ja", newYork)).toBe(
      "2026/07/15 08:00 GMT-4",
    );
  });

  it("follows other zones' rules: the southern hemisphere, half hours, Europe", () => {
    const adelaide = { timeZone: "Australia/Adelaide" };
    expect(formatDateTime("2026-01-15T12:00:00Z", "en", adelaide)).toBe(
      "01/15/2026, 10:30 PM GMT+10:30",
    );
    expect(formatDateTime("2026-07-15T12:00:00Z", "en", adelaide)).toBe(
      "07/15/2026, 09:30 PM GMT+9:30",
    );
    const london = { timeZone: "Europe/London" };
    expect(formatDateTime("2026-07-15T12:00:00Z", "en", london)).toBe(
      "07/15/2026, 01:00 PM GMT+1",
    );
    // Winter is GMT itself (written "GMT" or "GMT+0" by ICU's language data).
    expect(formatDateTime("2026-01-15T12:00:00Z", "en", london)).toMatch(
      /^01\/15\/2026, 12:00 PM GMT(\+0)?$/,
    );
    expect(
      formatDateTime("2026-01-15T12:00:00Z", "ja", { timeZone: "UTC" }),
    ).toBe("2026/01/15 12:00 UTC");
  });

  it("never throws on what it is given: no zone or an unknown one is Tokyo, still labelled; a bad date shows —", () => {
    expect(DEFAULT_TIME_ZONE).toBe("Asia/Tokyo");
    expect(formatDateTime(at, "ja", { timeZone: null })).toBe(
      "2026/12/02 10:09 JST",
    );
    expect(formatDateTime(at, "en", { timeZone: undefined })).toBe(
      "12/02/2026, 10:09 AM GMT+9",
    );
    expect(formatDateTime(at, "ja", { timeZone: "Mars/Olympus" })).toBe(
      "2026/12/02 10:09 JST",
    );
    expect(formatDateTime(at, "ja", { timeZone: "" })).toBe(
      "2026/12/02 10:09 JST",
    );
    expect(formatDateTime("not a date", "ja", tokyo)).toBe("—");
    expect(formatDateTime(null, "en", newYork)).toBe("—");
  });

  it("gives the same text for the same zone however many times it is asked", () => {
    const first = formatDateTime(at, "en", newYork);
    expect(formatDateTime(at, "en", { timeZone: "Asia/Tokyo" })).not.toBe(
      first,
    );
    expect(formatDateTime(at, "en", newYork)).toBe(first);
  });
});

describe("formatDate", () => {
  it("formats a date alone in the zone (the day can differ from UTC's), unlabelled", () => {
    expect(formatDate("2026-12-01T20:00:00Z", "ja", tokyo)).toBe("2026/12/02");
    expect(formatDate("2026-12-01T20:00:00Z", "en", { timeZone: "UTC" })).toBe(
      "12/01/2026",
    );
    expect(formatDate("2026-12-02T03:00:00Z", "en", newYork)).toBe(
      "12/01/2026",
    );
    expect(formatDate("2026-12-01T20:00:00Z", "ja", { timeZone: null })).toBe(
      "2026/12/02",
    );
    expect(formatDate(null, "ja", tokyo)).toBe("—");
  });
});

describe("isTimeZone", () => {
  it("knows IANA zones and nothing else", () => {
    for (const zone of [
      "Asia/Tokyo",
      "America/New_York",
      "America/Argentina/Buenos_Aires",
      "Etc/UTC",
      "UTC",
    ]) {
      expect(isTimeZone(zone)).toBe(true);
    }
    for (const zone of ["Mars/Olympus", "", "Asia/Tokyo "])
      expect(isTimeZone(zone)).toBe(false);
  });
});
