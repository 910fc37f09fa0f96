import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVitest, type Vitest } from "vitest/node";
import { LANES } from "./lanes";

// Every test file in the repository runs in exactly one lane: a new file whose name and
// folder match no lane (or two) fails here instead of silently never running (or twice).

const SKIPPED_DIRS = new Set(["node_modules", ".git", "build", ".cache", "test-results"]);
const TEST_FILE = /\.test\.tsx?$/;

function testFilesUnder(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) testFilesUnder(path.join(dir, entry.name), found);
    } else if (TEST_FILE.test(entry.name)) {
      found.push(path.relative(process.cwd(), path.join(dir, entry.name)));
    }
  }
  return found;
}

describe("test lanes", () => {
  let vitest: Vitest;
  // vitest's own reading of vite.config.ts's projects: which lanes claim each file.
  const lanesOf = new Map<string, string[]>();

  beforeAll(async () => {
    vitest = await createVitest("test", { watch: false, config: "vite.config.ts" });
    for (const spec of await vitest.globTestSpecifications()) {
      const file = path.relative(process.cwd(), spec.moduleId);
      lanesOf.set(file, [...(lanesOf.get(file) ?? []), spec.project.name]);
    }
  });
  afterAll(async () => {
    await vitest?.close();
  });

  it("has the three lanes", () => {
    expect(vitest.projects.map((project) => project.name).sort()).toEqual([...LANES].sort());
  });

  it("puts every *.test.ts(x) file in the repository in exactly one lane", () => {
    const files = testFilesUnder(process.cwd());
    expect(files.length).toBeGreaterThan(50);
    const wrong = files
      .map((file) => ({ file, lanes: lanesOf.get(file) ?? [] }))
      .filter(({ lanes }) => lanes.length !== 1)
      .map(({ file, lanes }) => `${file}: ${lanes.length === 0 ? "no lane" : lanes.join(" and ")}`);
    expect(wrong, "see test/support/lanes.ts for how a file's name and folder pick its lane").toEqual([]);
  });

  it.each([
    ["test/db/split-statements.unit.test.ts", "unit"],
    ["test/db/migrate.db.test.ts", "integration"],
    ["extensions/tests/config.test.ts", "unit"],
    ["extensions/tests/block.db.test.tsx", "integration"],
    ["test/shopify-sim/bucket.test.ts", "unit"],
    ["test/support/lanes.unit.test.ts", "unit"],
    ["test/sync/fulfillment-sync.test.ts", "integration"],
    ["test/browser/shipments.test.ts", "e2e"],
    ["test/queue/chaos.test.ts", "e2e"],
    ["test/imports/import-10k.e2e.test.ts", "e2e"],
  ])("%s runs in the %s lane", (file, lane) => {
    expect(lanesOf.get(file)).toEqual([lane]);
  });
});
