import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations, type ApplyMigrationsResult } from "~/db/migrate.server";
import { createTestDatabase } from "../support/database";

/**
 * For a migration's upgrade test: a fresh database (as a new Supabase project has)
 * migrated with every file of supabase/migrations older than `version`, to be filled with
 * data in the old shape; `upgrade()` then applies the rest, as a deploy would, and
 * answers what it applied. `upgrade(through)` stops at version `through` (included), for
 * a test of one migration that later ones must not blur.
 */
export async function databaseBefore(version: string): Promise<{
  pool: pg.Pool;
  upgrade(through?: string): Promise<ApplyMigrationsResult>;
  close(): Promise<void>;
}> {
  const db = await createTestDatabase({ template: "template1" });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on("error", () => undefined);
  const source = path.resolve("supabase/migrations");
  const dir = await mkdtemp(path.join(tmpdir(), `before-${version}-`));
  const copy = async (include: (fileVersion: string) => boolean) => {
    for (const file of await readdir(source)) {
      if (file.endsWith(".sql") && include(file.split("_")[0]!))
        await copyFile(path.join(source, file), path.join(dir, file));
    }
  };
  await copy((v) => v < version);
  await applyMigrations(pool, { dir });
  return {
    pool,
    upgrade: async (through) => {
      if (through === undefined) return applyMigrations(pool);
      await copy((v) => v >= version && v <= through);
      return applyMigrations(pool, { dir });
    },
    close: async () => {
      await pool.end();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
