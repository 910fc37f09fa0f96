/**
 * The Supabase CLI and the app's migration runner are interchangeable: a database migrated
 * by one is up to date for the other, and both leave the same history rows. Runs the real
 * CLI (npm `supabase`, pinned) against empty databases made like a fresh Supabase project
 * (template1 of the test cluster holds Supabase's anon/authenticated/service_role roles).
 */
import { execFile } from "node:child_process";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { applyMigrations } from "~/db/migrate.server";
import { createTestDatabase, type TestDatabase } from "../support/database";

const created: TestDatabase[] = [];
afterAll(async () => {
  for (const db of created) await db.drop();
});

async function freshProject(): Promise<TestDatabase> {
  const db = await createTestDatabase({ template: "template1" });
  created.push(db);
  return db;
}

/** `npx supabase …` with the URL the CLI needs (no TLS on the local cluster). */
function supabase(args: string[], url: string): Promise<{ code: number; output: string }> {
  const dbUrl = `${url}?sslmode=disable`;
  return new Promise((resolve) => {
    execFile(
      "npx",
      ["--no-install", "supabase", ...args, "--db-url", dbUrl],
      { env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: "1" }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

async function history(url: string) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string; name: string; statements: string[] }>(
      "select version, name, statements from supabase_migrations.schema_migrations order by version",
    );
    return rows;
  } finally {
    await client.end();
  }
}

async function migrationFiles(): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  return (await readdir("supabase/migrations")).filter((f) => f.endsWith(".sql")).sort();
}

describe("Supabase CLI ⇄ app migration runner", () => {
  test("after `supabase db push`, the app's runner finds nothing to apply", async () => {
    const db = await freshProject();
    const push = await supabase(["db", "push", "--yes"], db.url);
    expect(push.output).toContain("Finished supabase db push");
    expect(push.code).toBe(0);

    const result = await applyMigrations(db.url);
    expect(result.applied).toEqual([]);
    expect(result.skipped).toEqual(await migrationFiles());
  });

  test("after the app's runner, `supabase db push` finds nothing to apply and `migration list` agrees", async () => {
    const db = await freshProject();
    const result = await applyMigrations(db.url);
    expect(result.applied).toEqual(await migrationFiles());

    const push = await supabase(["db", "push", "--yes"], db.url);
    expect(push.code).toBe(0);
    expect(push.output).toContain("Remote database is up to date");

    const list = await supabase(["migration", "list"], db.url);
    expect(list.code).toBe(0);
    for (const file of await migrationFiles()) {
      const version = file.split("_")[0]!;
      // "Local | Remote | Time": both columns name the version when they agree.
      expect(list.output).toMatch(new RegExp(`\`${version}\`\\s*\\|\\s*\`${version}\``));
    }
  });

  test("both record the same history: versions, names and statements", async () => {
    const byCli = await freshProject();
    const byRunner = await freshProject();
    expect((await supabase(["db", "push", "--yes"], byCli.url)).code).toBe(0);
    await applyMigrations(byRunner.url);

    const cli = await history(byCli.url);
    const runner = await history(byRunner.url);
    expect(cli.map((r) => r.version)).toEqual((await migrationFiles()).map((f) => f.split("_")[0]));
    expect(runner).toEqual(cli);
  });
});
