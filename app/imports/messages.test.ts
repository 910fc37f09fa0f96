import { describe, expect, it } from "vitest";
import { formatBytes, importMessages, importText } from "./messages";

function leaves(value: unknown, path = ""): [string, unknown][] {
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) =>
      leaves(v, path ? `${path}.${k}` : k),
    );
  }
  return [[path, value]];
}
const placeholders = (text: string) =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("import catalogs", () => {
  const ja = new Map(leaves(importMessages.ja));
  const en = new Map(leaves(importMessages.en));

  it("have the same keys, only non-empty strings, and the same placeholders", () => {
    expect([...en.keys()].sort()).toEqual([...ja.keys()].sort());
    for (const [key, value] of [...ja, ...en]) {
      expect(typeof value, key).toBe("string");
      expect((value as string).trim(), key).not.toBe("");
    }
    for (const [key, value] of ja) {
      expect(placeholders(en.get(key) as string), key).toEqual(
        placeholders(value as string),
      );
    }
  });

  it("fill placeholders", () => {
    expect(importText("ja", "commit", { count: "10,000" })).toBe(
      "10,000 行を確定",
    );
    expect(importText("en", "commit", { count: "10,000" })).toBe(
      "Commit 10,000 rows",
    );
  });

  it("formats sizes", () => {
    expect(formatBytes(10 * 1024 * 1024)).toBe("10 MB");
    expect(formatBytes(20.5 * 1024 * 1024)).toBe("20.5 MB");
    expect(formatBytes(2048)).toBe("2 KB");
  });
});
