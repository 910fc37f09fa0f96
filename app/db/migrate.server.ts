/**
 * Applies supabase/migrations/*.sql and records them exactly as the Supabase CLI does
 * (`supabase migration up` / `supabase db push`), so a database migrated here and one
 * migrated by the CLI are interchangeable: `supabase migration list` sees the same history.
 *
 * What the CLI records (supabase/cli pkg/migration): schema `supabase_migrations`, table
 * `schema_migrations(version text primary key, statements text[], name text)`; for a file
 * `<version>_<name>.sql`, one row with the file's statements as split by the CLI's own
 * splitter (pkg/parser, reproduced in split-statements.ts). Each file and its row commit
 * together.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { splitStatements } from "./split-statements";

export interface ApplyMigrationsOptions {
  /** Directory of `<digits>_<name>.sql` files. Default: `supabase/migrations` under the
   * current directory (the Supabase CLI resolves it the same way). */
  dir?: string;
  /** Progress messages ("Applying migration …"); silent when omitted. */
  log?: (msg: string) => void;
}

export interface ApplyMigrationsResult {
  /** File names applied by this call, in order. */
  applied: string[];
  /** File names found already recorded in supabase_migrations.schema_migrations. */
  skipped: string[];
}

/**
 * Applies every migration file not yet recorded, in version order, each in its own
 * transaction together with its history row. Safe to run concurrently: runners queue on an
 * advisory lock, and the second one finds nothing left to do.
 *
 * Refuses, before changing anything: a `.sql` file whose name is not `<digits>_<name>.sql`,
 * two files with the same version, a file older than the newest applied version that was
 * never applied (the CLI refuses those too), and files that BEGIN/COMMIT themselves.
 */
export async function applyMigrations(
  client: pg.Pool | pg.Client | string,
  opts: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  const dir = path.resolve(
    opts.dir ?? path.join(process.cwd(), "supabase", "migrations"),
  );
  const log = opts.log ?? (() => undefined);
  const files = await readMigrationFiles(dir);

  return withConnection(client, async (conn) => {
    if (!(await tryLock(conn))) {
      log("Waiting for another migration runner to finish…");
      await conn.query("select pg_advisory_lock($1)", [LOCK_KEY]);
    }
    try {
      await createHistoryTable(conn);
      const { rows } = await conn.query<{ version: string }>(
        "select version from supabase_migrations.schema_migrations order by version",
      );
      const recorded = new Set(rows.map((r) => r.version));
      const latest = rows.at(-1)?.version;

      const pending = files.filter((f) => !recorded.has(f.version));
      const skipped = files
        .filter((f) => recorded.has(f.version))
        .map((f) => f.file);
      const outOfOrder = pending.filter(
        (f) => latest !== undefined && f.version < latest,
      );
      if (outOfOrder.length > 0) {
        throw new Error(
          `Migration ${outOfOrder.map((f) => f.file).join(", ")} is older than the last applied ` +
            `version ${latest} but was never applied. Give it a newer version (timestamp) than ` +
            `${latest}; the Supabase CLI refuses it too (without --include-all).`,
        );
      }
      const known = new Set(files.map((f) => f.version));
      const unknown = rows.map((r) => r.version).filter((v) => !known.has(v));
      if (unknown.length > 0) {
        // A newer deploy may already have run; its files are simply not in this checkout.
        log(`Applied versions not found in ${dir}: ${unknown.join(", ")}`);
      }

      const applied: string[] = [];
      for (const migration of pending) {
        log(`Applying migration ${migration.file}...`);
        await applyOne(conn, migration);
        applied.push(migration.file);
      }
      // A pooled connection goes back without the settings the last file changed.
      if (applied.length > 0) await conn.query("reset all");
      return { applied, skipped };
    } finally {
      // Must not mask the original error; a broken connection releases the lock anyway.
      await conn
        .query("select pg_advisory_unlock($1)", [LOCK_KEY])
        .catch(() => undefined);
    }
  });
}

/**
 * The migration files not yet recorded in supabase_migrations.schema_migrations, in
 * version order (all of them when the history table does not exist yet). Reads only the
 * file names: the health route asks on every call.
 */
export async function pendingMigrations(
  client: pg.Pool | pg.Client | string,
  opts: Pick<ApplyMigrationsOptions, "dir"> = {},
): Promise<string[]> {
  const dir = path.resolve(
    opts.dir ?? path.join(process.cwd(), "supabase", "migrations"),
  );
  const files = (await readdir(dir))
    .filter((name) => FILE_PATTERN.test(name))
    .sort();
  return withConnection(client, async (conn) => {
    const history = await conn.query<{ present: boolean }>(
      "select to_regclass('supabase_migrations.schema_migrations') is not null as present",
    );
    const recorded = new Set<string>();
    if (history.rows[0].present) {
      const { rows } = await conn.query<{ version: string }>(
        "select version from supabase_migrations.schema_migrations",
      );
      for (const row of rows) recorded.add(row.version);
    }
    return files.filter((name) => !recorded.has(FILE_PATTERN.exec(name)![1]));
  });
}

/** Arbitrary, fixed: every runner of this app's migrations must use the same key. */
const LOCK_KEY = "7260112500001";

const FILE_PATTERN = /^([0-9]+)_(.*)\.sql$/s;

interface MigrationFile {
  file: string;
  version: string;
  name: string;
  statements: string[];
}

async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new Error(
      `Cannot read the migrations directory ${dir}: ${messageOf(error)}`,
      { cause: error },
    );
  }
  const files: MigrationFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(".sql")) continue;
    const match = FILE_PATTERN.exec(entry.name);
    if (!match) {
      throw new Error(
        `Migration file ${path.join(dir, entry.name)} is not named <digits>_<name>.sql ` +
          `(e.g. 20261125000001_initial_schema.sql). Rename it: the Supabase CLI skips such files.`,
      );
    }
    const sql = await readFile(path.join(dir, entry.name), "utf8");
    const statements = splitStatements(sql);
    const control = statements.find((s) =>
      TRANSACTION_CONTROL.test(stripLeadingComments(s)),
    );
    if (control !== undefined) {
      throw new Error(
        `Migration ${entry.name} controls its own transaction (${control.split("\n")[0]}). ` +
          `Remove BEGIN/COMMIT/ROLLBACK: each file already runs in one transaction.`,
      );
    }
    files.push({
      file: entry.name,
      version: match[1],
      name: match[2],
      statements,
    });
  }
  // The CLI orders versions as text (ORDER BY version), so do we.
  files.sort((a, b) =>
    a.version < b.version ? -1 : a.version > b.version ? 1 : 0,
  );
  for (let i = 1; i < files.length; i++) {
    if (files[i].version === files[i - 1].version) {
      throw new Error(
        `Migrations ${files[i - 1].file} and ${files[i].file} share version ${files[i].version}; ` +
          `give one of them a different version.`,
      );
    }
  }
  return files;
}

const TRANSACTION_CONTROL =
  /^(begin|start\s+transaction|commit|end|rollback|abort)\b/i;

function stripLeadingComments(statement: string): string {
  let s = statement;
  for (;;) {
    const next = s
      .replace(/^\s+/, "")
      .replace(/^--[^\n]*(\n|$)/, "")
      .replace(/^\/\*[\s\S]*?\*\//, "");
    if (next === s) return s;
    s = next;
  }
}

async function withConnection<T>(
  target: pg.Pool | pg.Client | string,
  fn: (conn: pg.ClientBase) => Promise<T>,
): Promise<T> {
  if (typeof target === "string") {
    const client = new pg.Client({ connectionString: target });
    client.on("error", () => undefined); // a failed query rejects; this only silences late socket errors
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }
  if (target instanceof pg.Pool || "totalCount" in target) {
    const client = await (target as pg.Pool).connect();
    let failed = false;
    try {
      return await fn(client);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // After a failure the session may hold state (lock, aborted transaction): discard it.
      client.release(failed);
    }
  }
  return fn(target as pg.Client);
}

async function tryLock(conn: pg.ClientBase): Promise<boolean> {
  const { rows } = await conn.query<{ locked: boolean }>(
    "select pg_try_advisory_lock($1) as locked",
    [LOCK_KEY],
  );
  return rows[0].locked;
}

async function createHistoryTable(conn: pg.ClientBase) {
  // The CLI's own statements (pkg/migration/history.go), so an older table gets upgraded alike.
  await conn.query("begin");
  try {
    await conn.query("set local lock_timeout = '4s'");
    await conn.query("create schema if not exists supabase_migrations");
    await conn.query(
      "create table if not exists supabase_migrations.schema_migrations (version text not null primary key)",
    );
    await conn.query(
      "alter table supabase_migrations.schema_migrations add column if not exists statements text[]",
    );
    await conn.query(
      "alter table supabase_migrations.schema_migrations add column if not exists name text",
    );
    await conn.query("commit");
  } catch (error) {
    await conn.query("rollback");
    throw new Error(
      `Could not create supabase_migrations.schema_migrations: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

async function applyOne(conn: pg.ClientBase, migration: MigrationFile) {
  // Like the CLI: settings a previous file changed (search_path…) must not leak into this one.
  await conn.query("reset all");
  await conn.query("begin");
  let index = 0;
  try {
    for (; index < migration.statements.length; index++) {
      // One statement per protocol message, as the CLI sends them: a statement the splitter
      // failed to separate fails here as it would for `supabase db push`.
      await conn.query({
        text: migration.statements[index],
        queryMode: "extended",
      } as pg.QueryConfig);
    }
    await conn.query(
      "insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)",
      [migration.version, migration.name, migration.statements],
    );
    await conn.query("commit");
  } catch (error) {
    await conn.query("rollback").catch(() => undefined);
    const where =
      index < migration.statements.length
        ? `statement ${index + 1} of ${migration.statements.length}:\n${excerpt(migration.statements[index])}`
        : "recording it in supabase_migrations.schema_migrations";
    const detail = (error as { detail?: string }).detail;
    throw new Error(
      `Migration ${migration.file} failed and was rolled back (nothing of it was applied). ` +
        `${messageOf(error)}${detail ? ` (${detail})` : ""}\nAt ${where}`,
      { cause: error },
    );
  }
}

function excerpt(statement: string): string {
  const lines = statement.split("\n");
  return lines.length > 12
    ? [...lines.slice(0, 12), "…"].join("\n")
    : statement;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
