import { Kind, parse, TypeInfo, validate, visit, visitWithTypeInfo } from "graphql";
import { describe, expect, it } from "vitest";
import * as documents from "../../app/shopify/documents";
import * as orderDocuments from "../../app/shopify/order-documents";
import { isImplemented } from "./resolvers";
import { loadAdminSchema } from "./schema";

/**
 * Every GraphQL document the app sends (app/shopify/documents.ts and
 * app/shopify/order-documents.ts) must be one Shopify
 * accepts for the pinned version, and one the simulator can answer: a field missing from
 * the schema fails here, not in production; a field the simulator does not model fails
 * here, not halfway through an integration test.
 */

const schema = loadAdminSchema();

const operations = Object.entries({
  ...(documents as Record<string, unknown>),
  ...(orderDocuments as Record<string, unknown>),
}).filter(
  (entry): entry is [string, string] =>
    typeof entry[1] === "string" && parse(entry[1]).definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION),
);

describe("the app's Admin API documents", () => {
  it("exist", () => {
    expect(operations.length).toBeGreaterThan(0);
  });

  it.each(operations)("%s is valid against the 2026-10 schema", (_name, text) => {
    expect(validate(schema, parse(text)).map((error) => error.message)).toEqual([]);
  });

  it.each(operations)("%s selects only fields the simulator models", (_name, text) => {
    const typeInfo = new TypeInfo(schema);
    const missing: string[] = [];
    visit(
      parse(text),
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          if (parent && !isImplemented(parent.name, node.name.value)) missing.push(`${parent.name}.${node.name.value}`);
        },
      }),
    );
    expect(missing).toEqual([]);
  });
});
