// TEMPORARY (fulfillment unit tests while test/support is being written): no globalSetup.
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: { include: ["app/fulfillment/**/*.test.ts"], pool: "forks" },
});
