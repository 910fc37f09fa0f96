/**
 * The import graph of app/, from dependency-cruiser: which folder imports which, the
 * folder pairs that import each other, and file cycles. `npm run graph` prints it; the
 * layers test asserts on it.
 */
import path from "node:path";
import { cruise } from "dependency-cruiser";

export interface ImportGraph {
  /** "from → to" between top-level entries of app/ (a folder, or a root file such as env.server.ts). */
  folderEdges: Map<string, { from: string; to: string; imports: string[] }>;
  /** Folder pairs that import each other, with the imports on both sides. */
  mutualPairs: { a: string; b: string; imports: string[] }[];
  /** File cycles inside app/. */
  cycles: string[][];
  /** Every app module with what it imports (app files resolved, packages by name). */
  modules: { source: string; imports: string[] }[];
}

const ROOT = path.resolve(import.meta.dirname, "../..");

export async function importGraph(): Promise<ImportGraph> {
  const result = await cruise(["app"], {
    baseDir: ROOT,
    tsConfig: { fileName: path.join(ROOT, "tsconfig.json") },
    exclude: { path: "(\\.test\\.tsx?$|/generated/)" },
    doNotFollow: { path: "node_modules" },
    validate: false,
    ruleSet: {
      forbidden: [{ name: "no-circular", severity: "error", from: { path: "^app/" }, to: { circular: true } }],
    },
  });
  const output = result.output as import("dependency-cruiser").ICruiseResult;
  const top = (file: string) => (file.startsWith("app/") ? file.split("/")[1]! : null);
  const folderEdges: ImportGraph["folderEdges"] = new Map();
  const modules: ImportGraph["modules"] = [];
  const cycles: string[][] = [];
  for (const module of output.modules) {
    if (!module.source.startsWith("app/")) continue;
    const imports: string[] = [];
    for (const dependency of module.dependencies) {
      const target = dependency.resolved.startsWith("app/") ? dependency.resolved : dependency.module;
      imports.push(target);
      if (dependency.circular && dependency.resolved.startsWith("app/")) {
        cycles.push((dependency.cycle ?? []).map((step) => (typeof step === "string" ? step : step.name)));
      }
      const from = top(module.source);
      const to = top(dependency.resolved);
      if (!from || !to || from === to) continue;
      const key = `${from} → ${to}`;
      const edge = folderEdges.get(key) ?? { from, to, imports: [] };
      edge.imports.push(`${module.source} → ${dependency.resolved}`);
      folderEdges.set(key, edge);
    }
    modules.push({ source: module.source, imports });
  }
  const mutualPairs: ImportGraph["mutualPairs"] = [];
  for (const edge of folderEdges.values()) {
    const back = folderEdges.get(`${edge.to} → ${edge.from}`);
    if (back && edge.from < edge.to) {
      mutualPairs.push({ a: edge.from, b: edge.to, imports: [...edge.imports, ...back.imports] });
    }
  }
  return { folderEdges, mutualPairs, cycles: dedupeCycles(cycles), modules };
}

function dedupeCycles(cycles: string[][]): string[][] {
  const seen = new Set<string>();
  return cycles.filter((cycle) => {
    const key = [...cycle].sort().join(" ");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
