import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * documents.test.ts validates the modules that hold the app's GraphQL documents; this
 * makes sure no document hides anywhere else in app/ (a `#graphql` tag, or a query /
 * mutation string sent through admin.graphql), so "every document is validated" stays
 * true as the app grows.
 */
const DOCUMENT_MODULES = new Set(["app/shopify/documents.ts", "app/shopify/order-documents.ts"]);
// Codegen's output quotes every document as a type key (codegen.unit.test.ts keeps it current).
const GENERATED = "app/shopify/generated/";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

describe("GraphQL documents in app/", () => {
  it("live only in the validated document modules", () => {
    const offenders = files("app").filter((file) => {
      if (DOCUMENT_MODULES.has(file) || file.startsWith(GENERATED)) return false;
      const text = readFileSync(file, "utf8");
      return /#graphql/.test(text) || /`\s*(query|mutation)\s+\w+\s*[({]/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
