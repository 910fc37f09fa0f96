/**
 * An unexpected `console.error` fails the test that printed it (every lane; the setup file
 * setup-console.ts installs the guard). A test that means to make the code under test log
 * an error says so first:
 *
 *   expectConsoleError(/reading paused shops failed/); // must be logged, at least once
 *   allowConsoleError(/idle client error/);             // may be logged (timing-dependent)
 *
 * Called inside a test, a declaration covers that test; called at a file's top level or in
 * beforeAll, it covers the whole file. Declared errors are not printed; undeclared ones are
 * printed as usual and fail the test at afterEach (or the file at afterAll when they were
 * logged outside any test). console.log, .warn and .info are left alone.
 */
import { format } from "node:util";
import { afterAll, afterEach, beforeEach } from "vitest";

type Pattern = RegExp | string;

interface Declared {
  pattern: Pattern;
  required: boolean;
  seen: number;
}

interface Scope {
  declared: Declared[];
  unexpected: string[];
}

// Kept on globalThis: when files share a process (the unit lane), every copy of this
// module sees the same state as the one console.error wrapper.
const KEY = Symbol.for("test/support/console-errors");
const state = ((globalThis as { [KEY]?: { fileScope: Scope; testScope?: Scope } })[KEY] ??= {
  fileScope: { declared: [], unexpected: [] },
});

/** The current test's or the file's error `pattern` must be logged (at least once). */
export function expectConsoleError(pattern: Pattern): void {
  (state.testScope ?? state.fileScope).declared.push({ pattern, required: true, seen: 0 });
}

/** `pattern` may be logged, or not (for errors whose appearance depends on timing). */
export function allowConsoleError(pattern: Pattern): void {
  (state.testScope ?? state.fileScope).declared.push({ pattern, required: false, seen: 0 });
}

const matches = (pattern: Pattern, text: string) =>
  typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);

/** Records a console.error call; true when a declaration covers it (so it is not printed). */
function record(args: unknown[]): boolean {
  const text = format(...args);
  const { testScope, fileScope } = state;
  for (const scope of testScope ? [testScope, fileScope] : [fileScope]) {
    const declared = scope.declared.find((d) => matches(d.pattern, text));
    if (declared) {
      declared.seen += 1;
      return true;
    }
  }
  (state.testScope ?? state.fileScope).unexpected.push(text);
  return false;
}

/** Empties `scope`, throwing if it saw an undeclared error or missed a required one. */
function settle(scope: Scope, where: string): void {
  const unexpected = scope.unexpected.splice(0);
  const missing = scope.declared.filter((d) => d.required && d.seen === 0).map((d) => String(d.pattern));
  scope.declared.length = 0;
  const problems: string[] = [];
  if (unexpected.length > 0) {
    problems.push(
      `console.error was called ${unexpected.length} time(s) ${where}:\n` +
        unexpected.map((text) => `  ${text.split("\n").slice(0, 6).join("\n  ")}`).join("\n") +
        "\nFix the cause, or declare it with expectConsoleError(/…/) from test/support/console-errors.ts.",
    );
  }
  if (missing.length > 0) {
    problems.push(`expectConsoleError(${missing.join(", ")}) ${where}, but no such error was logged.`);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

/** Called for every test file by setup-console.ts (also when files share a process). */
export function installConsoleErrorGuard(): void {
  const current = console.error as typeof console.error & { [KEY]?: true };
  if (!current[KEY]) {
    const original = current.bind(console);
    console.error = Object.assign(
      (...args: unknown[]) => {
        if (!record(args)) original(...args);
      },
      { [KEY]: true as const },
    );
  }

  // The setup file registers these before the test file's own hooks, so (hooks run as a
  // stack) this afterEach runs after the file's afterEach hooks and sees what they logged.
  beforeEach(() => {
    state.testScope = { declared: [], unexpected: [] };
  });
  afterEach(() => {
    const scope = state.testScope!;
    state.testScope = undefined;
    settle(scope, "during this test");
  });
  afterAll(() => {
    settle(state.fileScope, "outside the tests (at import, in beforeAll/afterAll or after a test ended)");
  });
}
