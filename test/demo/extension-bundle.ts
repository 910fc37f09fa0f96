import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * The app's order-page extensions bundled as Shopify CLI bundles them (esbuild, ESM,
 * Preact's JSX, the extensions' tsconfig): served by the demo's extension host, measured
 * by `npm run bench:extensions`, held to Shopify's bundle limit by a test.
 */
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const EXTENSIONS = {
  "vendor-shipments-block": {
    target: "admin.order-details.block.render",
    module: "src/BlockExtension.tsx",
  },
  "vendor-shipments-action": {
    target: "admin.order-details.action.render",
    module: "src/ActionExtension.tsx",
  },
} as const;
export type ExtensionHandle = keyof typeof EXTENSIONS;

/** Shopify's limit per UI extension (API 2025-10+): 64 KB compressed, enforced at deploy. */
export const SHOPIFY_BUNDLE_LIMIT_BYTES = 64 * 1024;

export async function bundleExtension(
  handle: ExtensionHandle,
  options: { minify?: boolean } = {},
): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [
      path.join(REPO_ROOT, "extensions", handle, EXTENSIONS[handle].module),
    ],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: options.minify ?? false,
    tsconfig: path.join(REPO_ROOT, "extensions", "tsconfig.json"),
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.contents;
}
