/**
 * The order-page extensions' bundle sizes, as Shopify CLI would build them (minified),
 * against Shopify's 64 KB (compressed) limit per extension:
 *
 *   npm run bench:extensions
 *
 * Not a test (extensions/tests/config.test.ts holds the limit).
 */
import { gzipSync } from "node:zlib";
import {
  EXTENSIONS,
  SHOPIFY_BUNDLE_LIMIT_BYTES,
  bundleExtension,
  type ExtensionHandle,
} from "../demo/extension-bundle";

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
for (const handle of Object.keys(EXTENSIONS) as ExtensionHandle[]) {
  const minified = await bundleExtension(handle, { minify: true });
  const gzip = gzipSync(minified).byteLength;
  console.log(
    `${handle}: ${kb(minified.byteLength)} minified, ${kb(gzip)} gzip (limit ${kb(SHOPIFY_BUNDLE_LIMIT_BYTES)} compressed)`,
  );
}
