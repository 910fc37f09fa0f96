import path from "node:path";
import { describe, expect, it } from "vitest";
import { importedPaths, importsOutside, moduleFiles } from "../support/imports";

// The simulator is a leaf: its modules import packages and each other, never the demo,
// the tests' helpers or the app. (Its tests may import the app: they check the app's
// GraphQL documents against it.)
const DIR = "test/shopify-sim";
const files = moduleFiles(DIR);

describe("the simulator is a leaf", () => {
  it("finds its modules and their imports", () => {
    expect(files).toContain(path.join(DIR, "server.ts"));
    expect(importedPaths(path.join(DIR, "index.ts"))).toContain(path.join(DIR, "server"));
  });

  it.each(files.filter((file) => !file.endsWith(".test.ts")))("%s imports nothing outside it", (file) => {
    expect(importsOutside(file, [DIR])).toEqual([]);
  });

  it.each(files.filter((file) => file.endsWith(".test.ts")))("%s imports nothing of the demo", (file) => {
    expect(importedPaths(file).filter((imported) => imported.startsWith("test/demo"))).toEqual([]);
  });
});
