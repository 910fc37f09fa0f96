import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// README "Decisions": the project runs on Node 22, pinned as the npm devDependency
// `node`, whatever Node the machine has. This checks the claim where it matters: the
// suite itself runs on it.
describe("Node version decision", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
    engines: { node: string };
    devDependencies: Record<string, string>;
  };

  it("runs the suite on Node 22 or later, as engines declares", () => {
    const [major, minor] = process.versions.node.split(".").map(Number);
    const required = /^>=(\d+)\.(\d+)/.exec(pkg.engines.node);
    expect(required).not.toBeNull();
    expect(major).toBeGreaterThanOrEqual(22);
    expect(major! > Number(required![1]) || minor! >= Number(required![2])).toBe(true);
  });

  it("pins the node binary that npm scripts run on", () => {
    expect(pkg.devDependencies.node).toMatch(/^\^?22\./);
  });
});
