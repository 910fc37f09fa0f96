import { describe, expect, it } from "vitest";
import { catalogues, t } from "~/i18n/messages";
import { fieldLabel, formatBytes, type ImportField } from "~/imports/messages";

// The imports catalogue's keys, placeholders and non-empty words are checked with every
// other catalogue's (test/i18n/messages.unit.test.ts).
describe("import messages", () => {
  it("fill placeholders", () => {
    expect(t("ja", "imports.page.commit", { count: "10,000" })).toBe(
      "10,000 行を確定",
    );
    expect(t("en", "imports.page.commit", { count: "10,000" })).toBe(
      "Commit 10,000 rows",
    );
  });

  it("name every field in both languages", () => {
    for (const field of Object.keys(
      catalogues.imports.ja.fields,
    ) as ImportField[]) {
      expect(t("ja", fieldLabel(field))).toBe(
        catalogues.imports.ja.fields[field],
      );
      expect(t("en", fieldLabel(field))).toBe(
        catalogues.imports.en.fields[field],
      );
    }
    expect(t("ja", fieldLabel("trackingUrl"))).toBe("追跡URL");
  });

  it("formats sizes", () => {
    expect(formatBytes(10 * 1024 * 1024)).toBe("10 MB");
    expect(formatBytes(20.5 * 1024 * 1024)).toBe("20.5 MB");
    expect(formatBytes(2048)).toBe("2 KB");
  });
});
