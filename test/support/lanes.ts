/**
 * The suite's three lanes, the vitest projects of vite.config.ts. A test file's lane comes
 * from its name if the name says so, otherwise from its folder:
 *
 *   name                       folder                                        lane
 *   *.unit.test.ts(x)          —                                             unit
 *   *.db.test.ts(x)            —                                             integration
 *   *.e2e.test.ts(x)           —                                             e2e
 *   *.test.ts(x)               extensions/, test/shopify-sim/                unit
 *   *.test.ts(x)               test/browser/, test/queue/chaos*              e2e
 *   three long runs listed in LONG_RUNS below                                e2e
 *   *.test.ts(x)               anywhere else under test/                     integration
 *
 * Tests live under test/, in the folder named like the app/ folder they test (test/<folder>/
 * for app/<folder>/), never beside the code: app/ holds no test file
 * (test/architecture/test-tree.unit.test.ts checks).
 *
 * - unit: no database, no processes; `npm run test:unit` runs it in seconds.
 * - integration: a PostgreSQL cluster for the run, a migrated database per test file.
 * - e2e: the same database harness, plus browsers, worker processes, long runs.
 *
 * test/support/lanes.unit.test.ts checks that every test file in the repository is in
 * exactly one lane.
 */
import { configDefaults } from "vitest/config";

export type Lane = "unit" | "integration" | "e2e";

export const LANES: readonly Lane[] = ["unit", "integration", "e2e"];

const EXT = "{ts,tsx}";

/** A name that picks the lane wherever the file is. */
const BY_NAME: Record<Lane, string> = {
  unit: `**/*.unit.test.${EXT}`,
  integration: `**/*.db.test.${EXT}`,
  e2e: `**/*.e2e.test.${EXT}`,
};

/** Where a plain `*.test.ts(x)` is not an integration test. */
const SIMULATOR = `test/shopify-sim/**/*.test.${EXT}`;
// (No app/ entry: app/ holds no test file, so a plain *.test.ts put there is in no lane,
// which lanes.unit.test.ts reports.)
const UNIT_FOLDERS = [`extensions/**/*.test.${EXT}`, SIMULATOR];
/** Long runs (30 s and more: worker processes, a minute of pg_cron, big bodies) that keep
 * their plain names because other text refers to them. New ones: name them *.e2e.test.ts. */
const LONG_RUNS = [
  "test/queue/model-based.test.ts",
  "test/supabase/pg-cron.test.ts",
  "test/security/server-limits.test.ts",
];
const E2E_PLAIN = [`test/browser/**/*.test.${EXT}`, `test/queue/chaos*.test.${EXT}`, ...LONG_RUNS];

const otherNames = (lane: Lane) => LANES.filter((other) => other !== lane).map((other) => BY_NAME[other]);

/** vitest's `include` / `exclude` for each lane. */
export const LANE_FILES: Record<Lane, { include: string[]; exclude: string[] }> = {
  unit: {
    include: [...UNIT_FOLDERS, BY_NAME.unit],
    exclude: [...configDefaults.exclude, ...otherNames("unit")],
  },
  integration: {
    include: [`test/**/*.test.${EXT}`, BY_NAME.integration],
    // (So a *.db.test.ts under test/shopify-sim or test/browser is in no lane: the check says so.)
    exclude: [...configDefaults.exclude, ...otherNames("integration"), SIMULATOR, ...E2E_PLAIN],
  },
  e2e: {
    include: [...E2E_PLAIN, BY_NAME.e2e],
    exclude: [...configDefaults.exclude, ...otherNames("e2e")],
  },
};
