import {
  getNamedType,
  GraphQLError,
  isAbstractType,
  isObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from "graphql";
import type { AccessIndex } from "./schema";
import { hasScope } from "./store";

/**
 * Access as Shopify decides it, read from the bundled introspection rather than written
 * per field: every type and field the schema marks with `requiredAccess`, and the
 * protected-customer-data rules.
 *
 * - A field needs its own `requiredAccess` and, when it returns an object type, that
 *   type's (Shopify denies "Access denied for location field." for `Location`). Fields
 *   returning an interface or union are checked against the object each value turns out
 *   to be. Mutations are checked before they run: a refused mutation changes nothing.
 * - `requiredAccess` is free text. The main clause lists alternatives ("`a` access
 *   scope, `b` access scope or `c` access scope."): any one is enough. "`x` … as well as
 *   any of `y`, `z` …" is two clauses, both needed. A write scope grants its read scope.
 *   An "Also:" sentence naming a scope adds a clause; one naming a staff permission
 *   ("The user must have fulfill_and_ship_orders permission.") binds staff, not apps:
 *   offline tokens act for the app and are not held to it; online tokens act for a
 *   staff member whose permissions the simulator does not model, so they are refused
 *   (the stricter reading). Text this parser does not understand refuses too.
 * - Protected customer data: a shop can withhold approval (`protectedCustomerData`
 *   setting). Without Level 1, the objects Shopify's docs list as protected customer
 *   data (orders and their lines, fulfillment orders, fulfillments, customers…) are
 *   refused where they appear; without Level 2, the fields the schema marks
 *   `isProtected` (name, email, phone, address) are.
 */

export const ACCESS_SCOPES_DOCUMENTATION = "https://shopify.dev/api/usage/access-scopes";

/** Where Shopify's "not approved" message sends the developer (ids are the simulator's). */
export const CUSTOMER_DATA_URL = "https://partners.shopify.com/1/apps/1/customer_data";

export interface AccessRequirement {
  /** Shopify's text, sent back verbatim as `extensions.requiredAccess`. */
  text: string;
  /** Every clause must hold; a clause holds when any one of its scopes is granted. */
  clauses: string[][];
  /** Staff permissions named in "Also:" sentences. */
  staffPermissions: string[];
  /** Set when part of the text could not be read: the requirement then never holds. */
  unparsed: string | null;
}

export interface Caller {
  scopes: readonly string[];
  tokenKind: "offline" | "online";
}

const SCOPE_NAME = /^(?:unauthenticated_)?(?:read|write)_[a-z0-9_]+$/;
const FILLER = new Set(["access", "scope", "scopes", "any", "of", "or", "apps", "must", "have", "requires", "the", "with", "allowed", "for"]);

const parsed = new Map<string, AccessRequirement>();

export function parseRequiredAccess(text: string): AccessRequirement {
  const known = parsed.get(text);
  if (known) return known;
  const [main, ...also] = text.split(/\bAlso:\s*/);
  const requirement: AccessRequirement = { text, clauses: [], staffPermissions: [], unparsed: null };
  for (const part of main.split(/\bas well as\b/)) {
    const clause = scopeClause(part);
    if (clause) requirement.clauses.push(clause);
    else requirement.unparsed = part.trim();
  }
  for (const sentence of also.join(" ").split(/\.\s+|\.$/).map((s) => s.trim()).filter(Boolean)) {
    const permission = /\b(?:user|staff)\b.*?\bmust have\s+`?([a-z_]+)`?\s+permissions?$/i.exec(sentence);
    if (permission) {
      requirement.staffPermissions.push(permission[1]);
      continue;
    }
    const scopes = [...sentence.matchAll(/`?((?:read|write)_[a-z0-9_]+)`?/g)].map((m) => m[1]);
    if (scopes.length > 0 && /\b(?:requires|app must have)\b/i.test(sentence) && !/\bor\b/.test(sentence)) {
      // "The app must have the a and b access scopes.": each is needed.
      for (const scope of scopes) requirement.clauses.push([scope]);
      continue;
    }
    requirement.unparsed = sentence;
  }
  if (requirement.clauses.length === 0 && !requirement.unparsed) requirement.unparsed = text;
  parsed.set(text, requirement);
  return requirement;
}

/** "`a` access scope, `b` access scope or `c` access scope" → [a, b, c]; null when it says more. */
function scopeClause(part: string): string[] | null {
  const scopes: string[] = [];
  const rest = part.replace(/`([^`]+)`/g, (_match, name: string) => {
    scopes.push(name);
    return " ";
  });
  if (scopes.length === 0 || !scopes.every((scope) => SCOPE_NAME.test(scope))) return null;
  const words = rest.toLowerCase().replace(/[.,]/g, " ").split(/\s+/).filter(Boolean);
  return words.every((word) => FILLER.has(word)) ? scopes : null;
}

export function isSatisfied(requirement: AccessRequirement, caller: Caller): boolean {
  if (requirement.unparsed !== null) return false;
  if (requirement.staffPermissions.length > 0 && caller.tokenKind === "online") return false;
  return requirement.clauses.every((clause) => clause.some((scope) => hasScope(caller.scopes, scope)));
}

/** Shopify's ACCESS_DENIED (HTTP 200); graphql-js adds locations and path. */
export function accessDenied(fieldName: string, requirement: AccessRequirement): GraphQLError {
  return new GraphQLError(`Access denied for ${fieldName} field. Required access: ${requirement.text}`, {
    extensions: { code: "ACCESS_DENIED", documentation: ACCESS_SCOPES_DOCUMENTATION, requiredAccess: requirement.text },
  });
}

// ---------------------------------------------------------------------------------------
// Protected customer data

/**
 * The objects Shopify's protected-customer-data page lists as protected (customers;
 * orders, draft orders, abandoned checkouts, refunds, transactions; shipping and
 * fulfillment; gift cards; shipping rates). An order's lines belong to the order.
 */
export const PROTECTED_CUSTOMER_DATA_TYPES: ReadonlySet<string> = new Set([
  "Customer",
  "Order",
  "LineItem",
  "DraftOrder",
  "AbandonedCheckout",
  "Refund",
  "OrderTransaction",
  "FulfillmentOrder",
  "FulfillmentOrderLineItem",
  "Fulfillment",
  "FulfillmentLineItem",
  "GiftCard",
  "ShippingRate",
]);

/**
 * The documented refusal for an unapproved type: HTTP 200, the object null, and
 * "This app is not approved to access the <Type> object. See …/customer_data for more
 * details." Apps observed it with `extensions.code` ACCESS_DENIED and no
 * `requiredAccess` (no scope fixes it).
 */
export function notApprovedObject(typeName: string): GraphQLError {
  return new GraphQLError(
    `This app is not approved to access the ${typeName} object. See ${CUSTOMER_DATA_URL} for more details.`,
    { extensions: { code: "ACCESS_DENIED" } },
  );
}

/** A Level 2 field (name, email, phone, address) without Level 2 approval. */
export function notApprovedField(fieldName: string): GraphQLError {
  return new GraphQLError(
    `This app is not approved to use the ${fieldName} field. See ${CUSTOMER_DATA_URL} for more details.`,
    { extensions: { code: "ACCESS_DENIED" } },
  );
}

// ---------------------------------------------------------------------------------------
// Documents

export interface SelectedAccess {
  /** Response path of the selection, e.g. "order.fulfillmentOrders.nodes.assignedLocation.location". */
  path: string;
  fieldName: string;
  requirement: AccessRequirement;
}

export interface DocumentAccess {
  /** Per field node: what the field needs (its own requiredAccess, its object type's). */
  fields: Map<FieldNode, AccessRequirement[]>;
  /** Every requirement the document can meet, with where (for static checks). */
  selections: SelectedAccess[];
  /** "Type.field" of every selected field the schema marks as protected customer data. */
  protectedFields: string[];
}

/**
 * Walks a validated document with TypeInfo and collects, for every field, the access
 * the schema asks for. Fragment definitions are walked in place (their field nodes are
 * the ones execution sees); type conditions (`... on Fulfillment`) add their type's
 * requirement to `selections`, since a value of that type may come back.
 */
export function documentAccess(schema: GraphQLSchema, index: AccessIndex, document: DocumentNode): DocumentAccess {
  const typeInfo = new TypeInfo(schema);
  const fields = new Map<FieldNode, AccessRequirement[]>();
  const selections: SelectedAccess[] = [];
  const protectedFields = new Set<string>();
  const path: string[] = [];
  const typeRequirement = (type: GraphQLNamedType | null | undefined) =>
    type && isObjectType(type) ? objectTypeRequirement(index, type.name) : null;
  const typeCondition = (typeName: string) => {
    const requirement = typeRequirement(schema.getType(typeName));
    if (requirement) selections.push({ path: `${path.join(".")} … on ${typeName}`, fieldName: typeName, requirement });
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      FragmentDefinition: {
        enter(node) {
          path.push(`…${node.name.value}`);
          typeCondition(node.typeCondition.name.value);
        },
        leave() {
          path.pop();
        },
      },
      InlineFragment(node) {
        if (node.typeCondition) typeCondition(node.typeCondition.name.value);
      },
      Field: {
        enter(node) {
          path.push(node.alias?.value ?? node.name.value);
          const parent = typeInfo.getParentType();
          if (!parent) return;
          const key = `${parent.name}.${node.name.value}`;
          const needs: AccessRequirement[] = [];
          const own = index.fields.get(key);
          if (own) needs.push(parseRequiredAccess(own));
          const returned = typeRequirement(getNamedType(typeInfo.getType()));
          if (returned) needs.push(returned);
          if (needs.length > 0) fields.set(node, needs);
          for (const requirement of needs) selections.push({ path: path.join("."), fieldName: node.name.value, requirement });
          if (index.protectedFields.has(key)) protectedFields.add(key);
        },
        leave() {
          path.pop();
        },
      },
    }),
  );
  return { fields, selections, protectedFields: [...protectedFields] };
}

/** Requirements of a field, as `documentAccess` found them for this request. */
export type FieldAccessPlan = ReadonlyMap<FieldNode, AccessRequirement[]>;

/** The requirement of an object type, when it has one. */
export function objectTypeRequirement(index: AccessIndex, typeName: string): AccessRequirement | null {
  const text = index.types.get(typeName);
  return text ? parseRequiredAccess(text) : null;
}

/** Whether the field's declared return type is an interface or union (checked per value). */
export function returnsAbstractType(info: GraphQLResolveInfo): boolean {
  return isAbstractType(getNamedType(info.returnType));
}
