/**
 * GraphQL config (graphql-config's format: `npm run graphql-codegen` reads it, and so do
 * editors' GraphQL extensions). It generates the result and variable types of the app's
 * Admin API documents with Shopify's preset from the bundled schema, offline, into
 * app/shopify/generated/ (committed); app/shopify/admin-operations.ts says how the app
 * uses them. test/shopify/codegen.unit.test.ts fails when those files are stale. Paths
 * are relative to the repository's top (codegen's working directory).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ApiType, pluckConfig, preset } from "@shopify/api-codegen-preset";
import type * as GraphQL from "graphql";
import { ADMIN_API_VERSION } from "./app/shopify/api-version";
import {
  ADMIN_API_VERSION as SCHEMA_VERSION,
  readIntrospection,
  SCHEMA_FILE,
} from "./test/shopify-sim/schema";

if (SCHEMA_VERSION !== ADMIN_API_VERSION) {
  throw new Error(
    `The app speaks ${ADMIN_API_VERSION} but the bundled schema is ${SCHEMA_VERSION}: test/shopify-sim/schema/README.md says how to bundle another.`,
  );
}

/** Where the generated files go. */
const GENERATED_DIR = "app/shopify/generated";

/**
 * The simulator's schema file is gzipped, which codegen cannot read: it is built here,
 * with the copy of graphql that codegen's own loader uses (CommonJS). A schema built by
 * another copy (an ES `import` under vitest) would be refused.
 */
const codegenGraphql = createRequire(import.meta.url)(
  "graphql",
) as typeof GraphQL;
const schema = [
  {
    [SCHEMA_FILE]: {
      loader: () => codegenGraphql.buildClientSchema(readIntrospection().data),
    },
  },
];

/**
 * The files under app/ that hold `#graphql` documents, found as text: codegen would
 * otherwise parse every file of the app for them, which takes seconds.
 */
const documents = readdirSync("app", { recursive: true, encoding: "utf8" })
  .map((name) => `app/${name}`)
  .filter(
    (path) => /\.tsx?$/.test(path) && !path.startsWith(`${GENERATED_DIR}/`),
  )
  .filter((path) => readFileSync(path, "utf8").includes("#graphql"))
  .sort();

/**
 * Shopify's preset, handing on the schema codegen has already built: the preset passes
 * only its SDL, which codegen would build into a schema once more (seconds, for the
 * Admin API). The output is the same.
 */
const adminPreset: typeof preset = {
  buildGeneratesSection: async (options) =>
    (await preset.buildGeneratesSection(options)).map((output) => ({
      ...output,
      schemaAst: options.schemaAst,
    })),
};

const codegen = {
  pluckConfig,
  generates: {
    [`${GENERATED_DIR}/admin.types.d.ts`]: {
      plugins: ["typescript"],
      config: {
        // As Shopify's shopifyApiTypes, but enums as string unions (comparable with
        // literals) and without the schema's descriptions (they tripled the size).
        defaultScalarType: "string",
        scalars: { JSON: "unknown" },
        enumsAsTypes: true,
        disableDescriptions: true,
      },
    },
    [`${GENERATED_DIR}/admin.generated.d.ts`]: {
      preset: adminPreset,
      // The documents are added to the app's own interfaces (not @shopify/admin-api-client's,
      // whose index signature would give any document an `any` answer).
      presetConfig: {
        apiType: ApiType.Admin,
        module: "~/shopify/admin-operations",
      },
    },
  },
};

export default {
  schema,
  documents,
  projects: { default: { schema, documents, extensions: { codegen } } },
};
