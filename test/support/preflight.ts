/**
 * Before a lane starts its database harness (global-setup.ts): are the Debian packages it
 * needs installed? If not, the run stops at once with one command to install them, rather
 * than failing file by file on whatever is missing. The packages, the file that shows each
 * is installed and the lanes that need it: .ci/system-packages.txt.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const SYSTEM_PACKAGES_FILE = ".ci/system-packages.txt";
export const INSTALL_COMMAND = "npm run setup:system";

export interface SystemPackage {
  name: string;
  /** A file the package installs: present means installed. */
  file: string;
  lanes: string[];
}

/** Parses .ci/system-packages.txt: `<package> <file> <lane>…` lines, `#` comments. */
export function parseSystemPackages(text: string): SystemPackage[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [name, file, ...lanes] = line.split(/\s+/);
      if (!file || lanes.length === 0) throw new Error(`${SYSTEM_PACKAGES_FILE}: expected "<package> <file> <lane>…", got "${line}"`);
      return { name, file, lanes };
    });
}

/**
 * Where the harness looks instead, when told to: PG_BINDIR (postgres.ts) for the server,
 * CHROMIUM_PATH (test/browser/harness.ts) for the browser.
 */
type Env = Record<string, string | undefined>;

function installed(pkg: SystemPackage, env: Env, exists: (file: string) => boolean): boolean {
  if (pkg.name === "postgresql-15" && env.PG_BINDIR) {
    return ["postgres", "initdb"].every((bin) => exists(path.join(env.PG_BINDIR!, bin)));
  }
  if (pkg.name === "chromium" && env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH);
  return exists(pkg.file);
}

/** The packages `lane` needs that are missing. */
export function missingSystemPackages(
  lane: string,
  packages: SystemPackage[],
  env: Env = process.env,
  exists: (file: string) => boolean = existsSync,
): SystemPackage[] {
  return packages.filter((pkg) => pkg.lanes.includes(lane) && !installed(pkg, env, exists));
}

export function missingPackagesMessage(lane: string, missing: SystemPackage[]): string {
  return [
    `The ${lane} tests need Debian packages this machine lacks:`,
    ...missing.map((pkg) => `  ${pkg.name.padEnd(40)} (no ${pkg.file})`),
    "",
    "Install them (apt-get, through sudo unless root) with:",
    "",
    `    ${INSTALL_COMMAND}`,
    "",
    `then run the tests again. (\`npm run test:unit\` needs none of them.)`,
  ].join("\n");
}

/**
 * Stops the whole test run, naming the install command, when `lane` lacks a system package
 * it needs. (A thrown error would reach the terminal under vitest's "no test files found".)
 */
export function stopUnlessSystemPackages(lane: string): void {
  const packages = parseSystemPackages(readFileSync(SYSTEM_PACKAGES_FILE, "utf8"));
  const missing = missingSystemPackages(lane, packages);
  if (missing.length > 0) {
    process.stderr.write(`\n${missingPackagesMessage(lane, missing)}\n\n`);
    process.exit(1);
  }
}
