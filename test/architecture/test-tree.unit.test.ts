import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * test/ mirrors app/ (issue 17): the tests of app/<folder>/x.ts are in test/<folder>/, so a
 * newcomer finds them by the folder's name, and no test sits beside the code in app/. The
 * other folders of test/ are the cross-cutting ones the README names, listed here.
 */
const CROSS_CUTTING: Record<string, string> = {
  app: "tests of app/'s top-level files (shopify.server.ts, env.server.ts, health.server.ts, …)",
  architecture: "the import graph, the layers and this test",
  bench: "benchmarks (not tests)",
  browser: "browser tests (Chromium) against the demo stack",
  demo: "the demo harness",
  helpers: "helpers shared by tests",
  security: "hostile input to every route, server limits",
  "shopify-sim": "the Shopify simulator and its tests",
  supabase: "mirrors the top-level supabase/",
  support: "the harness: lanes, PostgreSQL, console guard",
};

const SKIPPED_DIRS = new Set(["node_modules", ".cache"]);
const TEST_FILE = /\.test\.tsx?$/;

const foldersOf = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !SKIPPED_DIRS.has(entry.name))
    .map((entry) => entry.name);

/** Files under dir, recursively (an empty folder left behind by a move has none). */
function filesUnder(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) filesUnder(full, found);
    } else found.push(full);
  }
  return found;
}

describe("the test tree", () => {
  const appFolders = new Set(foldersOf("app"));

  it("has, directly under test/, only app/'s folders and the named cross-cutting ones", () => {
    const stray = foldersOf("test").filter(
      (folder) => filesUnder(path.join("test", folder)).length > 0 && !appFolders.has(folder) && !(folder in CROSS_CUTTING),
    );
    expect(stray, "put a test of app/<folder>/x.ts in test/<folder>/").toEqual([]);
  });

  it("names only cross-cutting folders that exist and are no app/ folder", () => {
    const present = new Set(foldersOf("test"));
    expect(Object.keys(CROSS_CUTTING).filter((folder) => !present.has(folder) || appFolders.has(folder))).toEqual([]);
  });

  it("has no test file under app/", () => {
    const tests = filesUnder("app").filter((file) => TEST_FILE.test(file));
    expect(tests, "move it to test/<folder>/ (name it *.unit.test.ts if it needs no database)").toEqual([]);
  });
});
