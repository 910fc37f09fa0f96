import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/**
 * The one Admin API version the simulator serves. It must equal the app's
 * ADMIN_API_VERSION (app/shopify/api-version.ts): the schema file below is that
 * version's, and a request for any other version gets Shopify's 404.
 */
export const ADMIN_API_VERSION = "2026-10";

/** Shopify's published introspection for ADMIN_API_VERSION (see schema/README.md). */
export const SCHEMA_FILE = fileURLToPath(
  new URL(`./schema/admin_${ADMIN_API_VERSION}.json.gz`, import.meta.url),
);

let cached: GraphQLSchema | undefined;

/**
 * The Admin API schema as graphql-js objects. Built once per process: parsing the
 * ~15 MB introspection takes about half a second, and every simulator and test in the
 * process can share the (immutable) result.
 */
export function loadAdminSchema(): GraphQLSchema {
  if (!cached) {
    const json = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as {
      data: IntrospectionQuery;
    };
    cached = buildClientSchema(json.data);
  }
  return cached;
}
