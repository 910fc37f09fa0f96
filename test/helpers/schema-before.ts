import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "~/db/migrate.server";
import { createTestDatabase } from "../support/database";

/**
 * For a migration's upgrade test: a fresh database (as a new Supabase project has)
 * migrated with every file of supabase/migrations older than `version`, to be filled with
 * data in the old shape; `upgrade()` then applies the rest, as a deploy would.
 */
export async function databaseBefore(version: string): Promise<{
  pool: pg.Pool;
  upgrade(): Promise<void>;
  close(): Promise<void>;
}> {
  const db = await createTestDatabase({ template: "template1" });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on("error", () => undefined);
  const source = path.resolve("supabase/migrations");
  const dir = await mkdtemp(path.join(tmpdir(), `before-${version}-`));
  for (const file of await readdir(source)) {
    if (file.endsWith(".sql") && file.split("_")[0]! < version)
      await copyFile(path.join(source, file), path.join(dir, file));
  }
  await applyMigrations(pool, { dir });
  return {
    pool,
    upgrade: async () => {
      await applyMigrations(pool);
    },
    close: async () => {
      await pool.end();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
