import { Kind, parse, TypeInfo, validate, visit, visitWithTypeInfo } from "graphql";
import { describe, expect, it } from "vitest";
import * as documents from "../../app/shopify/documents";
import * as orderDocuments from "../../app/shopify/order-documents";
import { appAccessScopes } from "../support/app-toml";
import { documentAccess, isSatisfied } from "./access";
import { isImplemented } from "./resolvers";
import { loadAccessIndex, loadAdminSchema } from "./schema";

/**
 * Every GraphQL document the app sends (app/shopify/documents.ts and
 * app/shopify/order-documents.ts) must be one Shopify
 * accepts for the pinned version, and one the simulator can answer: a field missing from
 * the schema fails here, not in production; a field the simulator does not model fails
 * here, not halfway through an integration test. And one the shop lets the app run with
 * exactly the scopes shopify.app.toml asks for at install (the access Shopify's schema
 * declares per type and field), without protected customer fields (Level 1 suffices).
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

  it.each(operations)("%s needs no scope beyond shopify.app.toml's scopes", (_name, text) => {
    const { scopes } = appAccessScopes();
    const caller = { scopes, tokenKind: "offline" as const };
    const uncovered = documentAccess(schema, loadAccessIndex(), parse(text))
      .selections.filter((selection) => !isSatisfied(selection.requirement, caller))
      .map((selection) => `${selection.path}: ${selection.requirement.text}`);
    expect(uncovered).toEqual([]);
  });

  it.each(operations)("%s selects no protected customer field (name, email, phone, address)", (_name, text) => {
    expect(documentAccess(schema, loadAccessIndex(), parse(text)).protectedFields).toEqual([]);
  });
});
