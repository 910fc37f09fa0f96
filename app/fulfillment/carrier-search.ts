/**
 * The carrier autocomplete's matching, shared by the app's CarrierAutocomplete and the
 * order-page action extension: width, case and compatibility forms are ignored, and an
 * option matches when its value, label or any keyword contains the query.
 */
export interface SearchableCarrier {
  value: string;
  label: string;
  keywords: readonly string[];
}

const fold = (value: string) => value.normalize("NFKC").toLowerCase();

export function searchCarriers<T extends SearchableCarrier>(
  options: readonly T[],
  query: string,
  limit: number,
): T[] {
  const needle = fold(query.trim());
  const matches = needle
    ? options.filter((o) =>
        [o.value, o.label, ...o.keywords].some((k) => fold(k).includes(needle)),
      )
    : options;
  return matches.slice(0, limit);
}
