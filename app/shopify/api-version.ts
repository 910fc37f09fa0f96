import { ApiVersion } from "@shopify/shopify-api";

/**
 * The one Admin API version this app speaks: shopify.server configures the library with
 * it and the app's own GraphQL client calls it. The simulator validates every document
 * against the schema of this same version (test/shopify-sim/schema/).
 */
export const ADMIN_API_VERSION = ApiVersion.October26;
