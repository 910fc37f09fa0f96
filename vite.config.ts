import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { LANE_FILES } from "./test/support/lanes";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// Shopify's CLI sets HOST; the app listens on SHOPIFY_APP_URL's port in production.
const host = new URL(process.env.SHOPIFY_APP_URL || "http://localhost").hostname;
const hmrConfig =
  host === "localhost"
    ? { protocol: "ws", host: "localhost", port: 64999, clientPort: 64999 }
    : { protocol: "wss", host, port: parseInt(process.env.FRONTEND_PORT ?? "8002"), clientPort: 443 };

export default defineConfig({
  server: {
    allowedHosts: [host],
    cors: { preflightContinue: true },
    port: Number(process.env.PORT || 3000),
    hmr: hmrConfig,
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    // The Remix plugin is for the app build only; vitest imports modules directly.
    !process.env.VITEST &&
      remix({
        ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_lazyRouteDiscovery: true,
          v3_singleFetch: true,
          v3_routeConfig: false,
        },
      }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
  test: {
    // Three lanes (test/support/lanes.ts says which file runs in which): `npm test` runs
    // them all, `npm run test:unit` (and test:integration, test:e2e) one.
    projects: [
      // Worker threads sharing their modules between files (poolOptions.threads below):
      // ten times faster than a process per file, so unit tests must leave no global
      // state behind. It runs first: a broken unit shows in seconds.
      {
        extends: true,
        test: { name: "unit", ...LANE_FILES.unit, pool: "threads", sequence: { groupOrder: 0 } },
      },
      ...(["integration", "e2e"] as const).map((name) => ({
        extends: true as const,
        test: {
          name,
          ...LANE_FILES[name],
          // A PostgreSQL cluster per lane, a migrated database per file.
          globalSetup: ["test/support/global-setup.ts"],
          setupFiles: ["test/support/setup-database.ts"],
          sequence: { groupOrder: 1 },
        },
      })),
    ],
    setupFiles: ["test/support/setup-console.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two cores: files run two at a time. Integration and e2e files each get a process
    // (and a database) of their own.
    poolOptions: {
      forks: { maxForks: 2, minForks: 1 },
      // Only the unit lane uses threads (vitest reads pool options from here, not per project).
      threads: { maxThreads: 2, minThreads: 1, isolate: false },
    },
    reporters: ["default"],
  },
}) satisfies UserConfig;
