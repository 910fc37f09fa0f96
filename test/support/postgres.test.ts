import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { createTestDatabase, testDatabaseUrl } from "./database";
import { startPostgres } from "./postgres";

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
): Promise<T[]> {
  const client = new pg.Client(url);
  // A server killed mid-query (the test below) also emits 'error'; the query's own
  // rejection is what the caller reads.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function waitFor(
  condition: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function accepts(url: string): Promise<boolean> {
  return query(url, "select 1").then(
    () => true,
    () => false,
  );
}

describe("the test cluster", () => {
  test("has Supabase's API roles, and grants that leave RLS as the only guard", async () => {
    const roles = await query<{
      rolname: string;
      rolcanlogin: boolean;
      rolbypassrls: boolean;
    }>(
      testDatabaseUrl(),
      `select rolname, rolcanlogin, rolbypassrls from pg_roles
       where rolname in ('anon', 'authenticated', 'service_role') order by rolname`,
    );
    expect(roles).toEqual([
      { rolname: "anon", rolcanlogin: false, rolbypassrls: false },
      { rolname: "authenticated", rolcanlogin: false, rolbypassrls: false },
      { rolname: "service_role", rolcanlogin: false, rolbypassrls: true },
    ]);

    // A table created later in any new database is open to the API roles by grant.
    const db = await createTestDatabase({ template: "template1" });
    try {
      await query(db.url, "create table public.probe (id int)");
      const rows = await query<{ anon: boolean; authenticated: boolean }>(
        db.url,
        `select has_table_privilege('anon', 'public.probe', 'select, insert, update, delete') as anon,
                has_table_privilege('authenticated', 'public.probe', 'select, insert, update, delete') as authenticated`,
      );
      expect(rows).toEqual([{ anon: true, authenticated: true }]);
    } finally {
      await db.drop();
    }
  });
});

describe("startPostgres", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  test("keeps a given data dir across restarts and removes only its temp dirs", async () => {
    const parent = await mkdtemp(path.join(tmpdir(), "pg-kept-"));
    dirs.push(parent);
    await chmod(parent, 0o755); // the server (postgres OS user, when we are root) must enter it
    const dataDir = path.join(parent, "data");

    const first = await startPostgres({ dataDir });
    await query(
      first.adminUrl(),
      "create table kept (note text); insert into kept values ('北斗')",
    );
    await first.stop();
    expect(existsSync(first.socketDir)).toBe(false);
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);

    const second = await startPostgres({ dataDir });
    try {
      expect(await query(second.adminUrl(), "select note from kept")).toEqual([
        { note: "北斗" },
      ]);
    } finally {
      await second.stop();
      await second.stop(); // a second stop is harmless
    }
  });

  test("takes the server down when the Node process that started it is killed", async () => {
    const script = `
      import { startPostgres } from ${JSON.stringify(path.resolve("test/support/postgres.ts"))};
      const pg = await startPostgres();
      console.log(JSON.stringify({ url: pg.adminUrl(), socketDir: pg.socketDir }));
      setInterval(() => {}, 1000);`;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) =>
        reject(new Error(`child exited early (${code})`)),
      );
    });
    const { url, socketDir } = JSON.parse(line) as {
      url: string;
      socketDir: string;
    };
    expect(await accepts(url)).toBe(true);

    child.kill("SIGKILL");

    expect(await waitFor(async () => !(await accepts(url)), 5000)).toBe(true);
    expect(
      await waitFor(async () => !existsSync(path.dirname(socketDir)), 5000),
    ).toBe(true);
  });
});
