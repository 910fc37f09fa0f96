/**
 * The one Admin API version this app speaks. The simulator validates every document
 * against the schema of this same version (test/shopify-sim/schema/).
 */
export const ADMIN_API_VERSION = "2026-10";
