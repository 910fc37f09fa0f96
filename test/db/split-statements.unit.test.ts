import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { splitStatements } from "~/db/split-statements";

describe("splitStatements (the Supabase CLI's pkg/parser cases)", () => {
  test.each([
    ["line comment after separator", "END;-- comment", ["END", "-- comment"]],
    ["line comment hides a separator", "SELECT --; 1", ["SELECT --; 1"]],
    ["a lone dash is no comment", "- ;END", ["-", "END"]],
    ["line comment ends at newline", "-- /* \n; */ END", ["-- /*", "*/ END"]],
    [
      "block comment hides a separator",
      "SELECT /* ; */ 1;",
      ["SELECT /* ; */ 1"],
    ],
    [
      "nested block comments",
      "SELECT /*; /*;*/ ;*/ 1",
      ["SELECT /*; /*;*/ ;*/ 1"],
    ],
    ["slash star apart is no comment", "/ * ; */ END", ["/ *", "*/ END"]],
    [
      "empty statements dropped, spaces trimmed",
      ";END;;BEGIN   ;  END",
      ["END", "BEGIN", "END"],
    ],
    // TrimRight(";") also eats an escaped trailing separator, as in the CLI.
    ["backslash escapes a separator", "\\;;\\;", ["\\", "\\"]],
    [
      "named dollar tag",
      "$tag$ any ; string$tag$",
      ["$tag$ any ; string$tag$"],
    ],
    ["anonymous dollar tag", `$$"Dane's horse"$$`, [`$$"Dane's horse"$$`]],
    ["quoted dollar is no tag", `SELECT "$"; $$`, [`SELECT "$"`, "$$"]],
    ["single quotes hide a separator", "SELECT ';'';' 1", ["SELECT ';'';' 1"]],
    [
      "backslash is literal inside quotes",
      "SELECT '\\'; 1'",
      ["SELECT '\\'", "1'"],
    ],
    [
      "double quotes hide a separator",
      `CREATE POLICY "cats;dogs" on t; END`,
      [`CREATE POLICY "cats;dogs" on t`, "END"],
    ],
    [
      "parentheses hide separators",
      `CREATE RULE r AS ON UPDATE TO t DO (NOTIFY t; SELECT "1");SELECT 1`,
      [`CREATE RULE r AS ON UPDATE TO t DO (NOTIFY t; SELECT "1")`, "SELECT 1"],
    ],
    [
      "begin atomic body stays whole",
      "begin atomic; select 'end'; end;select 1",
      ["begin atomic; select 'end'; end", "select 1"],
    ],
    [
      "atomic inside a name is no body",
      "create table public.atomic_test (id int);\nselect 1;",
      ["create table public.atomic_test (id int)", "select 1"],
    ],
    [
      "Japanese text and ideographic spaces",
      "\u3000insert into t values ('北斗;雑貨');\n select '；';",
      ["insert into t values ('北斗;雑貨')", "select '；'"],
    ],
  ])("%s", (_name, sql, expected) => {
    expect(splitStatements(sql)).toEqual(expected);
  });

  test("keeps a plpgsql body with inner semicolons in one statement", () => {
    const sql =
      "create function f() returns trigger language plpgsql as $$\nbegin\n  new.x := 1;\n  return new;\nend;\n$$;\ncreate table t (id int);";
    expect(splitStatements(sql)).toEqual([
      "create function f() returns trigger language plpgsql as $$\nbegin\n  new.x := 1;\n  return new;\nend;\n$$",
      "create table t (id int)",
    ]);
  });
});

describe("splitStatements (beyond the CLI's cases)", () => {
  test.each([
    // The CLI reads byte by byte: タ is seen whole, then its continuation bytes as U+FFFD,
    // which no tag may hold, so a Japanese dollar tag is no tag and `;` splits inside it.
    ["a dollar tag in Japanese is no tag", "select $タグ$ a; b $タグ$; select 2", ["select $タグ$ a", "b $タグ$", "select 2"]],
    ["a dollar tag in ASCII letters and digits is one", "select $t_1$ a; b $t_1$; select 2", ["select $t_1$ a; b $t_1$", "select 2"]],
    ["CRLF line ends are trimmed like spaces", "select 1;\r\n\r\nselect 2;\r\n", ["select 1", "select 2"]],
    // Go's strings.TrimSpace keeps a byte order mark (not White_Space); so does the port.
    ["a byte order mark is not white space", "\ufeffselect 1;", ["\ufeffselect 1"]],
    ["a comment-only tail is a statement of its own", "select 1;\n-- done\n", ["select 1", "-- done"]],
    ["nothing but separators and spaces", " ; ;\n;", []],
  ])("%s", (_name, sql, expected) => {
    expect(splitStatements(sql)).toEqual(expected);
  });

  test("every migration in supabase/migrations splits into trimmed statements that rejoin to the file", () => {
    const dir = path.resolve("supabase/migrations");
    const files = readdirSync(dir).filter((f) => f.endsWith(".sql"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const sql = readFileSync(path.join(dir, file), "utf8");
      const statements = splitStatements(sql);
      expect(statements.length, file).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(statement, file).toBe(statement.trim());
        expect(statement.endsWith(";"), `${file}: ${statement.slice(-40)}`).toBe(false);
      }
      // Nothing but separators and white space is lost between the statements.
      const squeeze = (s: string) => s.replace(/[\s;]+/g, "");
      expect(squeeze(statements.join("")), file).toBe(squeeze(sql));
    }
  });
});
