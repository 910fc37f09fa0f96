/**
 * `npm run db:migrate`: applies supabase/migrations to the database at DATABASE_URL and
 * records them as the Supabase CLI does (see migrate.server.ts).
 */
import pg from "pg";
import { assertSessionConnection } from "./connection-mode.server";
import { applyMigrations } from "./migrate.server";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    "DATABASE_URL is not set. Point it at the Postgres database to migrate, e.g.\n" +
      "  DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:54322/postgres npm run db:migrate",
  );
  process.exit(1);
}

try {
  // The runner's advisory lock is a session lock: a transaction-mode pooler would lose it.
  const probe = new pg.Pool({ connectionString: url, max: 2 });
  probe.on("error", () => undefined);
  try {
    await assertSessionConnection(probe, "The migration runner");
  } finally {
    await probe.end();
  }
  const { applied, skipped } = await applyMigrations(url, {
    log: (msg) => console.log(msg),
  });
  if (applied.length === 0) {
    console.log(
      `Database is up to date (${skipped.length} migration(s) already applied).`,
    );
  } else {
    console.log(
      `Applied ${applied.length} migration(s): ${applied.join(", ")}`,
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
