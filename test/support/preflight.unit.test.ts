import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LANES } from "./lanes";
import {
  INSTALL_COMMAND,
  missingPackagesMessage,
  missingSystemPackages,
  parseSystemPackages,
  SYSTEM_PACKAGES_FILE,
} from "./preflight";

const packages = parseSystemPackages(readFileSync(SYSTEM_PACKAGES_FILE, "utf8"));
const names = packages.map((pkg) => pkg.name);

describe("the system packages list", () => {
  it("names what the database and browser harnesses need, each for real lanes", () => {
    expect(names).toEqual(
      expect.arrayContaining(["postgresql-15", "postgresql-15-pgtap", "postgresql-15-cron", "pgbouncer", "chromium"]),
    );
    for (const pkg of packages) {
      expect(pkg.file, pkg.name).toMatch(/^\//);
      for (const lane of pkg.lanes) expect(LANES, `${pkg.name}: ${lane}`).toContain(lane);
    }
    // The unit lane needs nothing beyond npm.
    expect(packages.filter((pkg) => pkg.lanes.includes("unit"))).toEqual([]);
  });

  it("is what the install command installs", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    const script = /^bash (\S+)$/.exec(pkg.scripts[INSTALL_COMMAND.replace("npm run ", "")])?.[1];
    expect(script).toBe(".ci/install-system-packages");
    expect(readFileSync(script!, "utf8")).toContain(SYSTEM_PACKAGES_FILE);
    // CI installs through the same script.
    expect(readFileSync(".ci/run", "utf8")).toContain(`bash ${script}`);
  });

  it("refuses a line without a file or a lane", () => {
    expect(() => parseSystemPackages("pgbouncer /usr/sbin/pgbouncer")).toThrow(/expected "<package> <file> <lane>…"/);
  });
});

describe("missingSystemPackages", () => {
  const nothing = () => false;
  const everything = () => true;

  it("lists, for a lane, the packages whose file is absent", () => {
    expect(missingSystemPackages("e2e", packages, {}, nothing).map((pkg) => pkg.name)).toEqual(
      packages.filter((pkg) => pkg.lanes.includes("e2e")).map((pkg) => pkg.name),
    );
    expect(missingSystemPackages("integration", packages, {}, everything)).toEqual([]);
    expect(missingSystemPackages("unit", packages, {}, nothing)).toEqual([]);
  });

  it("follows PG_BINDIR and CHROMIUM_PATH where the harness does", () => {
    const present = new Set(["/opt/pg/bin/postgres", "/opt/pg/bin/initdb", "/opt/chrome"]);
    const missing = missingSystemPackages(
      "e2e",
      packages,
      { PG_BINDIR: "/opt/pg/bin", CHROMIUM_PATH: "/opt/chrome" },
      (file) => present.has(file),
    ).map((pkg) => pkg.name);
    expect(missing).not.toContain("postgresql-15");
    expect(missing).not.toContain("chromium");
    expect(missing).toContain("fonts-noto-cjk");
  });
});

describe("missingPackagesMessage", () => {
  it("names each missing package and the one command that installs them", () => {
    const missing = packages.filter((pkg) => pkg.name === "pgbouncer" || pkg.name === "postgresql-15-cron");
    const message = missingPackagesMessage("integration", missing);
    expect(message).toContain("The integration tests need Debian packages this machine lacks");
    expect(message).toMatch(/pgbouncer\s+\(no \/usr\/sbin\/pgbouncer\)/);
    expect(message).toMatch(/postgresql-15-cron\s+\(no \/usr\/lib\/postgresql\/15\/lib\/pg_cron\.so\)/);
    expect(message.match(/^ {4}(\S.*)$/m)?.[1]).toBe("npm run setup:system");
  });
});
