import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import {
  afterAll,
  afterEach,
  beforeEach,
  describe,
  expect,
  test,
} from "vitest";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/database";
import { applyMigrations } from "~/db/migrate.server";
import { splitStatements } from "~/db/split-statements";

const MIGRATIONS_DIR = path.resolve("supabase/migrations");

describe("applyMigrations", () => {
  let db: TestDatabase;
  let client: pg.Client;
  const tempDirs: string[] = [];

  beforeEach(async () => {
    // An empty database, as a fresh Supabase project starts (not the migrated template).
    db = await createTestDatabase({ template: "template1" });
    client = new pg.Client(db.url);
    await client.connect();
  });

  afterEach(async () => {
    await client.end();
    await db.drop();
  });

  afterAll(async () => {
    await Promise.all(
      tempDirs.map((d) => rm(d, { recursive: true, force: true })),
    );
  });

  async function migrationsDir(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "migrations-"));
    tempDirs.push(dir);
    for (const [name, sql] of Object.entries(files))
      await writeFile(path.join(dir, name), sql);
    return dir;
  }

  async function history() {
    const { rows } = await client.query<{
      version: string;
      name: string;
      statements: string[];
    }>(
      "select version, name, statements from supabase_migrations.schema_migrations order by version",
    );
    return rows;
  }

  async function tableExists(name: string): Promise<boolean> {
    const { rows } = await client.query(
      "select to_regclass($1) is not null as exists",
      [name],
    );
    return rows[0].exists;
  }

  test("applies every file of supabase/migrations and records it as the Supabase CLI does", async () => {
    const files = (await readdir(MIGRATIONS_DIR))
      .filter((f) => f.endsWith(".sql"))
      .sort();
    const logged: string[] = [];

    const result = await applyMigrations(db.url, {
      log: (m) => logged.push(m),
    });

    expect(result).toEqual({ applied: files, skipped: [] });
    expect(logged).toContain(
      "Applying migration 20261125000001_initial_schema.sql...",
    );
    const rows = await history();
    expect(rows.map((r) => [r.version, r.name])).toEqual(
      files.map((f) => [
        f.split("_")[0],
        f.slice(f.indexOf("_") + 1, -".sql".length),
      ]),
    );
    for (const [i, file] of files.entries()) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, file), "utf8");
      expect(rows[i].statements).toEqual(splitStatements(sql));
    }

    // Spot checks of the CLI's splitting on the real file: leading comments stay with their
    // statement, a function body stays whole, no statement keeps its final semicolon.
    const first = rows[0].statements;
    expect(first[0]).toMatch(
      /^-- [\s\S]*\ncreate table public\.shopify_sessions \(/,
    );
    const fn = first.find((s) =>
      s.includes("create function public.touch_updated_at()"),
    );
    expect(fn).toMatch(
      /new\.updated_at := now\(\);\n {2}return new;\nend;\n\$\$$/,
    );
    expect(
      rows
        .flatMap((r) => r.statements)
        .filter((s) => s.endsWith(";") || s !== s.trim()),
    ).toEqual([]);

    // The table's shape is the CLI's (pkg/migration/history.go).
    const { rows: columns } = await client.query(
      `select column_name, data_type, is_nullable from information_schema.columns
       where table_schema = 'supabase_migrations' and table_name = 'schema_migrations'
       order by ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "version", data_type: "text", is_nullable: "NO" },
      { column_name: "statements", data_type: "ARRAY", is_nullable: "YES" },
      { column_name: "name", data_type: "text", is_nullable: "YES" },
    ]);
    expect(await tableExists("public.shipments")).toBe(true);
  });

  test("a second run applies nothing", async () => {
    const first = await applyMigrations(db.url);
    const before = await history();

    const second = await applyMigrations(db.url);

    expect(second).toEqual({ applied: [], skipped: first.applied });
    expect(await history()).toEqual(before);
  });

  test("accepts a pg.Pool or a pg.Client and leaves them usable", async () => {
    const dir = await migrationsDir({
      "1_a.sql": "create table a (id int);",
      "2_b.sql": "create table b (id int);",
    });
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      expect(await applyMigrations(pool, { dir })).toEqual({
        applied: ["1_a.sql", "2_b.sql"],
        skipped: [],
      });
      expect(await applyMigrations(client, { dir })).toEqual({
        applied: [],
        skipped: ["1_a.sql", "2_b.sql"],
      });
      // Neither is left inside a transaction or holding the migration lock.
      await pool.query("select 1");
      const { rows } = await client.query(
        // This database only: other test files (the queue, syncs) hold their own locks.
        `select count(*)::int as n from pg_locks
          where locktype = 'advisory'
            and database = (select oid from pg_database where datname = current_database())`,
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  test("refuses a file whose name is not <digits>_<name>.sql, before applying anything", async () => {
    const dir = await migrationsDir({
      "20261201000000_ok.sql": "create table ok (id int);",
      "add-index.sql": "create table nope (id int);",
    });

    await expect(applyMigrations(db.url, { dir })).rejects.toThrow(
      /add-index\.sql is not named <digits>_<name>\.sql/,
    );
    expect(await tableExists("public.ok")).toBe(false);
    expect(await tableExists("supabase_migrations.schema_migrations")).toBe(
      false,
    );
  });

  test("a failing migration rolls back entirely and keeps the files before it", async () => {
    const dir = await migrationsDir({
      "1_first.sql": "create table first (id int);",
      "2_second.sql":
        "create table second (id int);\ninsert into second values (1);\nselect 1 / 0;",
      "3_third.sql": "create table third (id int);",
    });

    await expect(applyMigrations(db.url, { dir })).rejects.toThrow(
      /2_second\.sql failed and was rolled back[\s\S]*division by zero[\s\S]*statement 3 of 3/,
    );

    expect((await history()).map((r) => r.version)).toEqual(["1"]);
    expect(await tableExists("public.first")).toBe(true);
    expect(await tableExists("public.second")).toBe(false);
    expect(await tableExists("public.third")).toBe(false);

    // Once fixed, the next run picks up where it stopped.
    await writeFile(
      path.join(dir, "2_second.sql"),
      "create table second (id int);",
    );
    expect(await applyMigrations(db.url, { dir })).toEqual({
      applied: ["2_second.sql", "3_third.sql"],
      skipped: ["1_first.sql"],
    });
  });

  test("concurrent runners apply each file once", async () => {
    const dir = await migrationsDir({
      // Slow enough that the second runner arrives while the first one holds the lock.
      "1_slow.sql": "create table slow (id int);\nselect pg_sleep(0.3);",
      "2_next.sql": "create table next (id int);",
    });
    const logs: string[][] = [[], []];

    const results = await Promise.all(
      [0, 1].map((i) =>
        applyMigrations(db.url, { dir, log: (m) => logs[i].push(m) }),
      ),
    );

    expect(results.flatMap((r) => r.applied).sort()).toEqual([
      "1_slow.sql",
      "2_next.sql",
    ]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 2]);
    expect(logs.flat()).toContain(
      "Waiting for another migration runner to finish…",
    );
    expect((await history()).map((r) => r.version)).toEqual(["1", "2"]);
  });

  test("refuses a file older than the last applied version that was never applied", async () => {
    await applyMigrations(db.url, {
      dir: await migrationsDir({ "20261202000000_later.sql": "select 1;" }),
    });
    const dir = await migrationsDir({
      "20261201000000_forgotten.sql": "create table forgotten (id int);",
      "20261202000000_later.sql": "select 1;",
    });

    await expect(applyMigrations(db.url, { dir })).rejects.toThrow(
      /20261201000000_forgotten\.sql is older than the last applied version 20261202000000/,
    );
    expect(await tableExists("public.forgotten")).toBe(false);
  });

  test("sends each statement on its own, as the CLI does, so what fails for `db push` fails here", async () => {
    // The CLI's splitter reads "atomic (" as the start of a BEGIN ATOMIC body and keeps both
    // commands in one statement, which Postgres refuses in a single protocol message.
    const dir = await migrationsDir({
      "1_atomic.sql": "create table atomic (id int);\ncreate table b (id int);",
    });

    await expect(applyMigrations(db.url, { dir })).rejects.toThrow(
      /cannot insert multiple commands into a prepared statement/,
    );
    expect(await tableExists("public.atomic")).toBe(false);
  });

  test("refuses a file that commits its own transaction", async () => {
    const dir = await migrationsDir({
      "1_tx.sql": "-- wrapped\nbegin;\ncreate table tx (id int);\ncommit;",
    });

    await expect(applyMigrations(db.url, { dir })).rejects.toThrow(
      /1_tx\.sql controls its own transaction/,
    );
    expect(await tableExists("public.tx")).toBe(false);
  });
});
