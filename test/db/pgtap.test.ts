/**
 * Runs supabase/tests/*.sql the way `supabase test db` does: pgTAP enabled in the
 * `extensions` schema of the database under test, then pg_prove over the directory.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, test } from "vitest";
import { testDatabaseUrl } from "../support/database";

const TESTS_DIR = path.resolve("supabase/tests");
const PG_PROVE = "pg_prove"; // Debian: libtap-parser-sourcehandler-pgtap-perl

interface ProveResult {
  ok: boolean;
  output: string;
}

/** pg_prove with the CLI's flags (`--ext .pg --ext .sql -r`), against this file's database. */
function pgProve(target: string): Promise<ProveResult> {
  const url = new URL(testDatabaseUrl());
  return new Promise((resolve, reject) => {
    execFile(
      PG_PROVE,
      ["--ext", ".pg", "--ext", ".sql", "-r", "--verbose", target],
      {
        env: {
          ...process.env,
          PGHOST: url.hostname,
          PGPORT: url.port,
          PGUSER: decodeURIComponent(url.username),
          PGDATABASE: url.pathname.slice(1),
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(
            new Error(
              `Could not run ${PG_PROVE} (apt-get install libtap-parser-sourcehandler-pgtap-perl)`,
              { cause: error },
            ),
          );
          return;
        }
        resolve({ ok: !error, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe("pgTAP (supabase/tests)", () => {
  beforeAll(async () => {
    const client = new pg.Client(testDatabaseUrl());
    await client.connect();
    try {
      // As `supabase test db`: pgTAP lives in the extensions schema, which Supabase puts on
      // every session's search_path.
      await client.query("create schema if not exists extensions");
      await client.query(
        "create extension if not exists pgtap with schema extensions",
      );
      await client.query(
        `alter database "${client.database}" set search_path = "$user", public, extensions`,
      );
    } finally {
      await client.end();
    }
  });

  test("every assertion in supabase/tests passes", async () => {
    const { ok, output } = await pgProve(TESTS_DIR);

    // The whole pg_prove report is the failure message: it names each failing assertion.
    expect(ok, output).toBe(true);
    expect(output).toMatch(/All tests successful/);
    // Guards against a run that silently found no test files.
    const total = Number(/Files=(\d+), Tests=(\d+)/.exec(output)?.[2] ?? 0);
    expect(total, output).toBeGreaterThan(50);
  });

  test("a failing assertion fails the run (the harness can fail)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "pgtap-"));
    try {
      await writeFile(
        path.join(dir, "failing.test.sql"),
        "begin;\nselect plan(1);\nselect ok(false, 'deliberately false');\nselect * from finish();\nrollback;\n",
      );

      const { ok, output } = await pgProve(dir);

      expect(ok).toBe(false);
      expect(output).toMatch(/not ok 1 - deliberately false/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
