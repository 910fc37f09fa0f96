import { defineConfig } from "vitest/config";

/**
 * Runs only the simulator's tests, without the project's Postgres harness (the simulator
 * needs no database): `npx vitest run --config test/shopify-sim/vitest.sim.config.ts`.
 * The project config (vite.config.ts) runs the same files as part of `npm test`.
 */
export default defineConfig({
  test: {
    include: ["test/shopify-sim/**/*.test.ts"],
    testTimeout: 30_000,
    pool: "forks",
  },
});
