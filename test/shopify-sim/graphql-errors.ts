import {
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  type OperationDefinitionNode,
  type SourceLocation,
} from "graphql";

/**
 * graphql-js finds the same mistakes Shopify's graphql-ruby does, but words them
 * differently. These functions rewrite graphql-js parse, validation and variable errors
 * into the shapes Shopify answers with (HTTP 200), so an app's error handling is
 * exercised against Shopify's wording:
 *
 *   {"message":"Field 'foo' doesn't exist on type 'Order'","locations":[{"line":1,"column":30}],
 *    "path":["query Q","order","foo"],"extensions":{"code":"undefinedField","typeName":"Order","fieldName":"foo"}}
 *
 * Rules without a known Shopify wording keep graphql-js's message under the code
 * GRAPHQL_VALIDATION_FAILED.
 */

export interface ShopifyGraphqlError {
  message: string;
  locations?: SourceLocation[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

const TOKEN_NAMES: Record<string, string> = {
  "{": "LCURLY",
  "}": "RCURLY",
  "(": "LPAREN",
  ")": "RPAREN",
  "[": "LBRACKET",
  "]": "RBRACKET",
  ":": "COLON",
  "=": "EQUALS",
  "@": "DIR_SIGN",
  $: "VAR_SIGN",
  "!": "BANG",
  "...": "ELLIPSIS",
  "|": "PIPE",
  "&": "AMP",
};

/**
 * A syntax error the way Shopify reported one (`Parse error on ")" (RPAREN) at [1, 28]`,
 * with locations and no extensions).
 */
export function formatParseError(error: GraphQLError): ShopifyGraphqlError {
  const location = error.locations?.[0] ?? { line: 1, column: 1 };
  const found = /(?:found|Unexpected) (.+)\.$/.exec(error.message)?.[1] ?? "";
  let message: string;
  if (found === "<EOF>" || found === "") {
    message = "Unexpected end of document";
  } else {
    const named = /^(Name|Int|Float|String|BlockString) "(.*)"$/.exec(found);
    if (named) {
      const kind = { Name: "IDENTIFIER", Int: "INT", Float: "FLOAT", String: "STRING", BlockString: "STRING" }[
        named[1]
      ];
      message = `Parse error on "${named[2]}" (${kind}) at [${location.line}, ${location.column}]`;
    } else {
      const text = found.replace(/^"|"$/g, "");
      message = `Parse error on "${text}" (${TOKEN_NAMES[text] ?? "UNKNOWN_CHAR"}) at [${location.line}, ${location.column}]`;
    }
  }
  return { message, locations: [location] };
}

/** graphql-ruby's path label for an operation or fragment: "query Q", "mutation", "fragment F". */
function definitionLabel(node: ASTNode): string | null {
  if (node.kind === Kind.OPERATION_DEFINITION) return node.name ? `${node.operation} ${node.name.value}` : node.operation;
  if (node.kind === Kind.FRAGMENT_DEFINITION) return `fragment ${node.name.value}`;
  return null;
}

/** The graphql-ruby style path of every field and argument node in the document. */
function nodePaths(document: DocumentNode): Map<ASTNode, (string | number)[]> {
  const paths = new Map<ASTNode, (string | number)[]>();
  const stack: (string | number)[] = [];
  visit(document, {
    enter(node) {
      const label = definitionLabel(node);
      if (label) stack.push(label);
      else if (node.kind === Kind.FIELD) stack.push(node.alias?.value ?? node.name.value);
      else if (node.kind === Kind.INLINE_FRAGMENT) stack.push(node.typeCondition ? `... on ${node.typeCondition.name.value}` : "...");
      else if (node.kind === Kind.ARGUMENT) stack.push(node.name.value);
      else if (node.kind === Kind.VARIABLE_DEFINITION) stack.push(`$${node.variable.name.value}`);
      paths.set(node, [...stack]);
    },
    leave(node) {
      if (
        definitionLabel(node) ||
        node.kind === Kind.FIELD ||
        node.kind === Kind.INLINE_FRAGMENT ||
        node.kind === Kind.ARGUMENT ||
        node.kind === Kind.VARIABLE_DEFINITION
      ) {
        stack.pop();
      }
    },
  });
  return paths;
}

interface Rewrite {
  pattern: RegExp;
  rewrite: (match: RegExpExecArray, error: GraphQLError) => { message: string; extensions: Record<string, unknown> };
}

const REWRITES: Rewrite[] = [
  {
    pattern: /^Cannot query field "(\w+)" on type "(\w+)"/,
    rewrite: ([, fieldName, typeName]) => ({
      message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
      extensions: { code: "undefinedField", typeName, fieldName },
    }),
  },
  {
    pattern: /^Unknown argument "(\w+)" on field "\w+\.(\w+)"/,
    rewrite: ([, argumentName, name]) => ({
      message: `Field '${name}' doesn't accept argument '${argumentName}'`,
      extensions: { code: "argumentNotAccepted", name, typeName: "Field", argumentName },
    }),
  },
  {
    pattern: /^Field "(\w+)" argument "(\w+)" of type "(.+)" is required, but it was not provided\./,
    rewrite: ([, name, argument]) => ({
      message: `Field '${name}' is missing required arguments: ${argument}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name, arguments: argument },
    }),
  },
  {
    pattern: /^Field "(\w+)" of type "\[?(\w+)[!\]]*" must have a selection of subfields/,
    rewrite: ([, name, typeName]) => ({
      message: `Field must have selections (field '${name}' returns ${typeName} but has no selections. Did you mean '${name} { ... }'?)`,
      extensions: { code: "selectionMismatch", nodeName: `field '${name}'`, typeName },
    }),
  },
  {
    pattern: /^Field "(\w+)" must not have a selection since type "\[?(\w+)[!\]]*" has no subfields\./,
    rewrite: ([, name, typeName], error) => {
      const node = error.nodes?.[0];
      const selections =
        node?.kind === Kind.FIELD && node.selectionSet
          ? node.selectionSet.selections.map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : "..."))
          : [];
      return {
        message: `Selections can't be made on scalars (field '${name}' returns ${typeName} but has selections ${JSON.stringify(selections)})`,
        extensions: { code: "selectionMismatch", nodeName: `field '${name}'`, typeName },
      };
    },
  },
  {
    pattern: /^Variable "\$(\w+)" is not defined(?: by operation "(\w+)")?\./,
    rewrite: ([, variableName, operation]) => ({
      message: `Variable $${variableName} is used by ${operation ?? "anonymous query"} but not declared`,
      extensions: { code: "variableNotDefined", variableName },
    }),
  },
  {
    pattern: /^Variable "\$(\w+)" is never used(?: in operation "(\w+)")?\./,
    rewrite: ([, variableName, operation]) => ({
      message: `Variable $${variableName} is declared by ${operation ?? "anonymous query"} but not used`,
      extensions: { code: "variableNotUsed", variableName },
    }),
  },
  {
    pattern: /^Variable "\$(\w+)" of type "(.+)" used in position expecting type "(.+)"\./,
    rewrite: ([, variableName, variableType, expected]) => ({
      message: `Type mismatch on variable $${variableName} and argument (${variableType} / ${expected})`,
      extensions: { code: "variableMismatch", variableName, typeName: variableType },
    }),
  },
  {
    pattern: /^Unknown type "(\w+)"/,
    rewrite: ([, typeName]) => ({
      message: `No such type ${typeName}, so it can't be a fragment condition`,
      extensions: { code: "undefinedType", typeName },
    }),
  },
  {
    pattern: /^Unknown fragment "(\w+)"\./,
    rewrite: ([, fragmentName]) => ({
      message: `Fragment ${fragmentName} was used, but not defined`,
      extensions: { code: "useAndDefineFragment", fragmentName },
    }),
  },
  {
    pattern: /^Fragment "(\w+)" is never used\./,
    rewrite: ([, fragmentName]) => ({
      message: `Fragment ${fragmentName} was defined, but not used`,
      extensions: { code: "useAndDefineFragment", fragmentName },
    }),
  },
  {
    pattern: /^(?:Expected value of type "(.+)", found (.+)|Argument "(\w+)" has invalid value (.+))[.;]/,
    rewrite: (match, error) => {
      const node = error.nodes?.[0];
      return {
        message: `Argument has an invalid value (${node ? print(node) : (match[2] ?? match[4])}). Expected type '${match[1] ?? "?"}'.`,
        extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
      };
    },
  },
];

function print(node: ASTNode): string {
  const source = node.loc?.source.body;
  return source && node.loc ? source.slice(node.loc.start, node.loc.end) : "?";
}

export function formatValidationErrors(errors: readonly GraphQLError[], document: DocumentNode): ShopifyGraphqlError[] {
  const paths = nodePaths(document);
  return errors.map((error) => {
    const node = error.nodes?.[0];
    const path = node ? paths.get(node) : undefined;
    for (const { pattern, rewrite } of REWRITES) {
      const match = pattern.exec(error.message);
      if (!match) continue;
      const { message, extensions } = rewrite(match, error);
      return { message, locations: error.locations ? [...error.locations] : undefined, ...(path ? { path } : {}), extensions };
    }
    return {
      message: error.message,
      locations: error.locations ? [...error.locations] : undefined,
      ...(path ? { path } : {}),
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
    };
  });
}

/**
 * A variable that does not fit its declared type, as Shopify reports it:
 * "Variable $id of type ID! was provided invalid value" with the offending value and the
 * problems (path inside the value, explanation).
 */
export function formatVariableErrors(
  errors: readonly GraphQLError[],
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
): ShopifyGraphqlError[] {
  return errors.map((error) => {
    const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1] ?? "";
    const definition = operation.variableDefinitions?.find((candidate) => candidate.variable.name.value === name);
    const type = definition ? print(definition.type) : "?";
    const at = /at "\w+(?:\.|\[)(.+?)"/.exec(error.message)?.[1];
    const problemPath = at
      ? at
          .replace(/\]/g, "")
          .split(/[.[]/)
          .filter(Boolean)
          .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
      : [];
    const explanation =
      /; (.+)$/.exec(error.message)?.[1] ??
      (/was not provided|must not be null/.test(error.message) ? "Expected value to not be null" : error.message);
    return {
      message: `Variable $${name} of type ${type} was provided invalid value${problemPath.length ? ` for ${problemPath.join(".")}` : ""} (${explanation})`,
      locations: definition ? [locationOf(definition)] : undefined,
      extensions: {
        code: "INVALID_VARIABLE",
        value: inputs[name] ?? null,
        problems: [{ path: problemPath, explanation }],
      },
    };
  });
}

function locationOf(node: ASTNode): SourceLocation {
  const body = node.loc?.source.body ?? "";
  const before = body.slice(0, node.loc?.start ?? 0).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
