/**
 * Test databases. Every test file runs against its own database, cloned from the migrated
 * template by setup-database.ts before the file's imports run; `process.env.DATABASE_URL`
 * points at it. Use these helpers rather than reading the environment yourself.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** URL of this test file's own database (migrated, empty). */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      "No test database: this file is in the unit lane, which has none. Name it *.db.test.ts " +
        "or move it under test/ to put it in the integration lane (test/support/lanes.ts).",
    );
  }
  return url;
}

let pool: pg.Pool | undefined;

/** A pg.Pool on this file's database, created on first use and closed after the file's tests. */
export function testPool(): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 5 });
    // An idle client whose connection dies must not crash the test process.
    pool.on("error", () => undefined);
  }
  return pool;
}

/** Closes the pool from testPool(), if any. setup-database.ts calls it after the file's tests. */
export async function closeTestPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (!p) return;
  // pool.end() waits for every checked-out client: a leaked one would hang until the hook
  // timeout, so name the leak instead.
  let timer: NodeJS.Timeout | undefined;
  const leaked = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `testPool(): ${p.totalCount - p.idleCount} client(s) taken with pool.connect() were never released`,
          ),
        ),
      5_000,
    );
  });
  try {
    await Promise.race([p.end(), leaked]);
  } finally {
    clearTimeout(timer);
  }
}

/** Superuser URL of database `db` (default "postgres") on the test cluster. */
export function pgAdminUrl(db = "postgres"): string {
  const url = new URL(inject("pgAdminUrl"));
  url.pathname = `/${encodeURIComponent(db)}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database; leaves it in place (the cluster is discarded at the end of the run)
   * when a connection to it is still open. */
  drop(): Promise<void>;
}

/**
 * Creates another database on the test cluster: a clone of the migrated template by default,
 * or of `template` (e.g. "template1" for an empty database, as a fresh Supabase project has).
 */
export async function createTestDatabase(
  opts: { template?: string } = {},
): Promise<TestDatabase> {
  const template = opts.template ?? inject("pgTemplateDatabase");
  const name = `t_${randomBytes(6).toString("hex")}`;
  // FILE_COPY: for small databases several times faster than PG 15's default WAL_LOG.
  await adminQuery(
    `create database ${name} template ${pg.escapeIdentifier(template)} strategy file_copy`,
  );
  return {
    name,
    url: pgAdminUrl(name),
    drop: async () => {
      try {
        await adminQuery(`drop database if exists ${name}`);
      } catch (error) {
        // 55006: still in use (a connection someone did not close); harmless in a throwaway cluster.
        if ((error as { code?: string }).code !== "55006") throw error;
      }
    },
  };
}

async function adminQuery(sql: string) {
  const client = new pg.Client(pgAdminUrl());
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
