/**
 * The shape every catalogue (./catalogues/*.ts) has: the Japanese words, written
 * `as const` so that keys and `{placeholders}` are types, and the English words with
 * exactly the same keys (the compiler refuses a missing or extra key;
 * test/i18n/messages.unit.test.ts checks that the placeholders and non-empty words agree
 * as well).
 */
export type Translation<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : Translation<T[K]>;
};

/** Nested groups of words; a leaf is one text with `{name}` placeholders. */
export interface CatalogueTree {
  readonly [key: string]: string | CatalogueTree;
}
