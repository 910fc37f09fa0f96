import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";

import { handlePoolErrors } from "./db/pool-errors";
import { getDatabaseUrl } from "./env.server";

/**
 * The one place that connects to Postgres (Supabase):
 * - a `pg.Pool` for the product's own tables (shops, shipments, …), queried with SQL;
 * - a `PrismaClient` for Shopify sessions only (PrismaSessionStorage), through the pg
 *   driver adapter so no native Prisma engine is needed.
 *
 * Both are created on first use, not at import: tests give each test file its own
 * database by setting DATABASE_URL before importing the app, and `remix vite:build`
 * connects to nothing.
 *
 * In development Vite re-evaluates server modules on every change; like Shopify's
 * template, the connections live on `globalThis` there so each reload does not open a
 * new pool. They are keyed by connection string, so a process that switches
 * DATABASE_URL never keeps talking to the old database.
 */

interface Database {
  connectionString: string;
  /** Ended by closeDatabase(); a later getPool() opens a new one. */
  pool: pg.Pool | undefined;
  /**
   * Kept for the life of the process: PrismaSessionStorage holds on to the instance it
   * was given, so closeDatabase() only disconnects it (Prisma reconnects on the next
   * query) and never replaces it with one the storage would not know about.
   */
  prisma: PrismaClient | undefined;
}

declare global {
  // eslint-disable-next-line no-var
  var __vendorShipmentsDatabase: Database | undefined;
}

let database: Database | undefined;

function current(): Database {
  const connectionString = getDatabaseUrl();
  const existing =
    database ??
    (process.env.NODE_ENV === "production"
      ? undefined
      : globalThis.__vendorShipmentsDatabase);
  if (existing && existing.connectionString === connectionString) {
    database = existing;
    return existing;
  }
  database = { connectionString, pool: undefined, prisma: undefined };
  if (process.env.NODE_ENV !== "production")
    globalThis.__vendorShipmentsDatabase = database;
  return database;
}

/** The pool for the product's tables. Repository functions take it (or a client) as a `Queryable`. */
export function getPool(): pg.Pool {
  const db = current();
  if (!db.pool) {
    // Idle and checked-out clients can lose their connection (Supabase restarts,
    // pooler timeouts): both get handlers, so a dead connection is dropped, not fatal.
    const pool = handlePoolErrors(new pg.Pool({ connectionString: db.connectionString }));
    db.pool = pool;
  }
  return db.pool;
}

/** The Prisma client; only the Shopify session storage uses it. */
export function getPrisma(): PrismaClient {
  const db = current();
  db.prisma ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: db.connectionString }),
  });
  return db.prisma;
}

/**
 * Ends the pool and disconnects Prisma (tests' afterAll, worker shutdown), so that no
 * connection keeps the process or the database busy. Safe to call when nothing was
 * opened and to call twice; later queries connect again.
 */
export async function closeDatabase(): Promise<void> {
  const db =
    database ??
    (process.env.NODE_ENV === "production"
      ? undefined
      : globalThis.__vendorShipmentsDatabase);
  if (!db) return;
  const { pool, prisma } = db;
  db.pool = undefined;
  await Promise.all([pool?.end(), prisma?.$disconnect()]);
}
