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

/**
 * What Shopify's introspection says about access, beyond what graphql-js keeps:
 * `requiredAccess` (free text such as "`read_locations` access scope, `read_inventory`
 * access scope or `read_markets_home` access scope.") on types and on fields, and the
 * protected-customer-data marks on fields (`isProtected`, `protectedSubject`: customer,
 * `protectedContent`: name / email / phone / address — the Level 2 fields).
 */
export interface AccessIndex {
  /** Type name → its requiredAccess text (only types that have one). */
  types: ReadonlyMap<string, string>;
  /** "Type.field" → its requiredAccess text (only fields that have one). */
  fields: ReadonlyMap<string, string>;
  /** "Type.field" → the protected customer field it carries. */
  protectedFields: ReadonlyMap<string, { subject: string; content: string }>;
}

interface RawField {
  name: string;
  requiredAccess?: string | null;
  isProtected?: boolean | null;
  protectedSubject?: string | null;
  protectedContent?: string | null;
}

interface RawType {
  name: string;
  requiredAccess?: string | null;
  fields?: RawField[] | null;
}

/** SCHEMA_FILE unzipped and parsed (the app's type generation, .graphqlrc.ts, reads it too). */
export function readIntrospection(): { data: IntrospectionQuery } {
  return JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as { data: IntrospectionQuery };
}

let cached: { schema: GraphQLSchema; access: AccessIndex } | undefined;

function load(): { schema: GraphQLSchema; access: AccessIndex } {
  if (!cached) {
    const json = readIntrospection();
    const types = new Map<string, string>();
    const fields = new Map<string, string>();
    const protectedFields = new Map<string, { subject: string; content: string }>();
    for (const type of json.data.__schema.types as unknown as RawType[]) {
      if (type.requiredAccess) types.set(type.name, type.requiredAccess);
      for (const field of type.fields ?? []) {
        const key = `${type.name}.${field.name}`;
        if (field.requiredAccess) fields.set(key, field.requiredAccess);
        if (field.isProtected) {
          protectedFields.set(key, {
            subject: field.protectedSubject ?? "customer",
            content: field.protectedContent ?? "unknown",
          });
        }
      }
    }
    cached = { schema: buildClientSchema(json.data), access: { types, fields, protectedFields } };
  }
  return cached;
}

/**
 * The Admin API schema as graphql-js objects. Built once per process: parsing the
 * ~15 MB introspection takes about half a second, and every simulator and test in the
 * process can share the (immutable) result.
 */
export function loadAdminSchema(): GraphQLSchema {
  return load().schema;
}

/** The access annotations of the same introspection (built in the same pass). */
export function loadAccessIndex(): AccessIndex {
  return load().access;
}
