import type { QueryResult, QueryResultRow } from "pg";

/**
 * What repository functions need from the database: a pg.Pool, a pooled client or a
 * client inside a transaction all fit, so the caller decides the transaction scope.
 */
export interface Queryable {
  query<R extends QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<QueryResult<R>>;
}
