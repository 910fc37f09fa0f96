/**
 * The app's Admin API documents (./documents.ts, ./order-documents.ts) with their answer
 * and variable types, generated from the bundled schema by `npm run graphql-codegen`
 * (.graphqlrc.ts): ./generated/admin.generated.d.ts adds every document to these two
 * interfaces, keyed by its text. A document whose text is not a key (a new or changed
 * document before the types are generated again) has no types here.
 *
 * A document with fragments keeps its exact text as a type only when it is declared
 * `as const`.
 */
export interface AdminQueries {}
export interface AdminMutations {}

type AdminOperations = AdminQueries & AdminMutations;

export type AdminQueryDocument = keyof AdminQueries & string;
export type AdminDocument = keyof AdminOperations & string;

/** What Shopify answers to the document (its `data`). */
export type AnswerOf<D extends AdminDocument> = AdminOperations[D]["return"];
/** The document's variables. */
export type VariablesOf<D extends AdminDocument> =
  AdminOperations[D]["variables"];
