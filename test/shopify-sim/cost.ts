import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * Shopify's calculated query cost (shopify.dev, "GraphQL Admin API rate limits"):
 *
 *   scalar, enum            0
 *   object                  1
 *   interface / union       the most expensive of the possible selections
 *   connection              2 + (first|last) × (cost of one node)
 *   mutation (root field)   10
 *
 * Choices where the documentation is silent (see README.md):
 * - `pageInfo`, `edges` and `cursor` are free; a node costs 1 + its selection (through
 *   `nodes` or `edges { node }`).
 * - A plain list of objects (Order.fulfillments(first:), Fulfillment.trackingInfo(first:),
 *   nodes(ids:)) costs like a connection without the 2: (first | ids.length | 1) × (1 +
 *   selection). This errs on the expensive side, never the cheap one.
 * - Inside a mutation payload, objects and lists are free; connections in it still cost.
 *   So `fulfillmentCreate { fulfillment { id trackingInfo {…} } userErrors {…} }` costs 10,
 *   as Shopify reports for such mutations.
 *
 * The requested cost is computed here before execution; the actual cost is metered while
 * resolvers run (ActualCostMeter), by the same rules applied to what was returned.
 */

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Coerced variable values. */
  variables: Record<string, unknown>;
}

type Mode = "normal" | "payload";

export const MUTATION_COST = 10;
const CONNECTION_COST = 2;

export function isConnectionType(type: GraphQLNamedType): type is GraphQLObjectType {
  if (!isObjectType(type) || !type.name.endsWith("Connection")) return false;
  const fields = type.getFields();
  return "pageInfo" in fields && ("edges" in fields || "nodes" in fields);
}

function isEdgeType(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith("Edge") && "node" in type.getFields();
}

export function requestedQueryCost(input: CostInput): number {
  const { schema, operation } = input;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of input.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const analyser = new RequestedCost(schema, fragments, input.variables);
  if (operation.operation === "mutation") {
    const root = schema.getMutationType()!;
    let total = 0;
    for (const field of analyser.collect(operation.selectionSet, root, root)) {
      const definition = root.getFields()[field.name.value];
      if (!definition) continue;
      total += MUTATION_COST + analyser.childCost(field, definition, "payload");
    }
    return total;
  }
  const root = schema.getQueryType()!;
  return analyser.selectionCost(operation.selectionSet, root, "normal");
}

class RequestedCost {
  private readonly schema: GraphQLSchema;
  private readonly fragments: Record<string, FragmentDefinitionNode>;
  private readonly variables: Record<string, unknown>;

  constructor(
    schema: GraphQLSchema,
    fragments: Record<string, FragmentDefinitionNode>,
    variables: Record<string, unknown>,
  ) {
    this.schema = schema;
    this.fragments = fragments;
    this.variables = variables;
  }

  /** Cost of a selection set on `parent`; for abstract parents, the costliest possible type. */
  selectionCost(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, mode: Mode): number {
    const candidates = isAbstractType(parent) ? this.candidateTypes(selectionSet, parent) : [parent];
    let best = 0;
    for (const candidate of candidates) {
      let sum = 0;
      for (const field of this.collect(selectionSet, parent, candidate)) {
        const definition = this.fieldDefinition(candidate, parent, field.name.value);
        if (definition) sum += this.fieldCost(field, definition, mode);
      }
      best = Math.max(best, sum);
    }
    return best;
  }

  fieldCost(field: FieldNode, definition: GraphQLField<unknown, unknown>, mode: Mode): number {
    const named = getNamedType(definition.type);
    if (isLeafType(named)) return 0;
    if (isConnectionType(named)) {
      const args = getArgumentValues(definition, field, this.variables);
      const size = numberArg(args.first) ?? numberArg(args.last) ?? 0;
      return CONNECTION_COST + size * this.connectionNodeCost(field, named);
    }
    const child = this.childCost(field, definition, mode === "payload" ? "payload" : "normal");
    const own = mode === "payload" ? 0 : 1;
    if (isListType(getNullableType(definition.type))) {
      const args = getArgumentValues(definition, field, this.variables);
      const size = Array.isArray(args.ids) ? args.ids.length : (numberArg(args.first) ?? 1);
      return size * (own + child);
    }
    return own + child;
  }

  childCost(field: FieldNode, definition: GraphQLField<unknown, unknown>, mode: Mode): number {
    const named = getNamedType(definition.type);
    if (!field.selectionSet || isLeafType(named)) return 0;
    return this.selectionCost(field.selectionSet, named as GraphQLCompositeType, mode);
  }

  /** One node of a connection: `nodes { … }` and `edges { node { … } }` (summed if both). */
  private connectionNodeCost(field: FieldNode, connection: GraphQLObjectType): number {
    if (!field.selectionSet) return 0;
    let cost = 0;
    for (const child of this.collect(field.selectionSet, connection, connection)) {
      const definition = connection.getFields()[child.name.value];
      if (!definition) continue;
      const named = getNamedType(definition.type);
      if (child.name.value === "nodes") {
        cost += 1 + this.childCost(child, definition, "normal");
      } else if (child.name.value === "edges" && child.selectionSet && isObjectType(named)) {
        for (const edgeField of this.collect(child.selectionSet, named, named)) {
          const edgeDefinition = named.getFields()[edgeField.name.value];
          if (!edgeDefinition) continue;
          if (edgeField.name.value === "node") cost += 1 + this.childCost(edgeField, edgeDefinition, "normal");
          else cost += this.fieldCost(edgeField, edgeDefinition, "normal");
        }
      } else if (child.name.value !== "pageInfo") {
        cost += this.fieldCost(child, definition, "normal");
      }
    }
    return cost;
  }

  /** Fields that apply when the runtime type is `runtime`, through fragments, honouring @skip/@include. */
  collect(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, runtime: GraphQLCompositeType): FieldNode[] {
    const fields: FieldNode[] = [];
    const visit = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (!this.included(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value !== "__typename") fields.push(selection);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(selection.typeCondition?.name.value, parent, runtime)) visit(selection.selectionSet);
        } else {
          const fragment = this.fragments[selection.name.value];
          if (fragment && this.applies(fragment.typeCondition.name.value, parent, runtime)) {
            visit(fragment.selectionSet);
          }
        }
      }
    };
    visit(selectionSet);
    return fields;
  }

  private included(node: SelectionNode): boolean {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, this.variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, this.variables);
    return include?.if !== false;
  }

  private applies(condition: string | undefined, parent: GraphQLCompositeType, runtime: GraphQLCompositeType): boolean {
    if (!condition) return true;
    const type = this.schema.getType(condition);
    if (!type) return false;
    if (type === runtime || type === parent) return true;
    if (isAbstractType(type) && isObjectType(runtime)) return this.schema.isSubType(type, runtime);
    // The generic candidate of an abstract parent only takes fragments on abstract types.
    return isAbstractType(type) && runtime === parent;
  }

  /** Object types named in fragments of an abstract selection (the parent itself when none). */
  private candidateTypes(selectionSet: SelectionSetNode, parent: GraphQLCompositeType): GraphQLCompositeType[] {
    const names = new Set<string>();
    const visit = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (selection.typeCondition) names.add(selection.typeCondition.name.value);
          visit(selection.selectionSet);
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = this.fragments[selection.name.value];
          if (fragment) {
            names.add(fragment.typeCondition.name.value);
            visit(fragment.selectionSet);
          }
        }
      }
    };
    visit(selectionSet);
    const candidates: GraphQLCompositeType[] = [parent];
    for (const name of names) {
      const type = this.schema.getType(name);
      if (type && isObjectType(type) && isAbstractType(parent) && this.schema.isSubType(parent, type)) {
        candidates.push(type);
      }
    }
    return candidates;
  }

  private fieldDefinition(runtime: GraphQLCompositeType, parent: GraphQLCompositeType, name: string) {
    const own = "getFields" in runtime ? runtime.getFields()[name] : undefined;
    if (own) return own;
    return "getFields" in parent ? parent.getFields()[name] : undefined;
  }
}

function numberArg(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * The actual cost of an execution, metered as fields resolve: the requested-cost rules
 * applied to the objects actually returned (a null object costs nothing, a connection
 * costs 2 + its returned nodes).
 */
export class ActualCostMeter {
  private total = 0;
  private readonly connectionPaths = new Set<string>();

  get value(): number {
    return this.total;
  }

  record(info: GraphQLResolveInfo, value: unknown): void {
    const named = getNamedType(info.returnType);
    if (isLeafType(named)) return;
    const key = pathKey(info.path);
    const isMutation = info.operation.operation === "mutation";

    if (isMutation && info.parentType === info.schema.getMutationType()) {
      this.total += MUTATION_COST;
      return;
    }
    if (isConnectionType(named)) {
      this.connectionPaths.add(key);
      if (value != null) this.total += CONNECTION_COST;
      return;
    }
    const parentIsConnection = isConnectionType(info.parentType);
    if (parentIsConnection && (info.fieldName === "edges" || info.fieldName === "pageInfo")) return;
    const objects = countObjects(value);
    if (parentIsConnection && info.fieldName === "nodes") {
      this.total += objects;
      return;
    }
    if (isEdgeType(info.parentType) && info.fieldName === "node") {
      this.total += objects;
      return;
    }
    // Objects and lists directly in a mutation payload are free (see the header).
    if (isMutation && !this.underConnection(info.path)) return;
    this.total += objects;
  }

  private underConnection(path: GraphQLResolveInfo["path"]): boolean {
    for (let cursor = path.prev; cursor; cursor = cursor.prev) {
      if (this.connectionPaths.has(pathKey(cursor))) return true;
    }
    return false;
  }
}

function countObjects(value: unknown): number {
  if (Array.isArray(value)) return value.filter((item) => item != null && !(item instanceof Error)).length;
  return value == null || value instanceof Error ? 0 : 1;
}

function pathKey(path: GraphQLResolveInfo["path"]): string {
  const keys: (string | number)[] = [];
  for (let cursor: GraphQLResolveInfo["path"] | undefined = path; cursor; cursor = cursor.prev) keys.push(cursor.key);
  return keys.reverse().join(".");
}

/** The operation a request runs (by name, or the only one). */
export function selectOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | null {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((operation) => operation.name?.value === operationName) ?? null;
  return operations.length === 1 ? operations[0] : null;
}

/** Root field names of an operation (through fragments), for fault matching and logs. */
export function rootFieldNames(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const names = new Set<string>();
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return [...names];
}
