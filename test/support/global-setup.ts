/**
 * vitest globalSetup of the integration and e2e lanes: one PostgreSQL cluster per lane for
 * the whole run, with the migrations applied once into a template database. Each test file
 * then gets its own clone (setup-database.ts). The unit lane has neither.
 */
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../app/db/migrate.server";
import { installQueueSchema } from "../../app/worker/queue-schema.server";
import { startPostgres } from "./postgres";
import { stopUnlessSystemPackages } from "./preflight";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the test cluster's `postgres` database. */
    pgAdminUrl: string;
    /** The migrated database that every test database is cloned from. */
    pgTemplateDatabase: string;
  }
}

const TEMPLATE = "app_template";

export default async function setup(project: TestProject) {
  stopUnlessSystemPackages(project.name);
  const server = await startPostgres();
  try {
    const admin = new pg.Client(server.adminUrl());
    await admin.connect();
    try {
      await admin.query(`create database ${TEMPLATE}`);
      await applyMigrations(server.adminUrl(TEMPLATE));
      // The queue's own schema (graphile-worker migrates it itself, as the app does at
      // boot), so the outbox trigger queues real jobs in every test database.
      const pool = new pg.Pool({ connectionString: server.adminUrl(TEMPLATE), max: 1 });
      pool.on("error", () => undefined);
      pool.on("connect", (client) => client.on("error", () => undefined));
      try {
        await installQueueSchema(pool);
      } finally {
        await pool.end();
      }
      // CREATE DATABASE … TEMPLATE fails while anyone is connected to the template, so make
      // sure nobody is, and that nobody can connect later.
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [TEMPLATE],
      );
      await admin.query(
        `alter database ${TEMPLATE} with is_template true allow_connections false`,
      );
    } finally {
      await admin.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  project.provide("pgAdminUrl", server.adminUrl());
  project.provide("pgTemplateDatabase", TEMPLATE);
  return () => server.stop();
}
