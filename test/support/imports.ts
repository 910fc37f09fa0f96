/**
 * The relative and `~/` imports of a source file, read with a regular expression (enough for
 * this repository's plain `import … from "…"` / `import("…")` forms): for tests that keep a
 * folder's dependencies where its README says they are.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const SPECIFIER = /(?:^|\s)(?:import|export)\s[^"';]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

/** Every module specifier `file` imports or re-exports. */
export function importSpecifiers(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(SPECIFIER)].map((match) => match[1] ?? match[2]);
}

/** The repository paths `file` imports (relative and `~/` imports; packages left out). */
export function importedPaths(file: string): string[] {
  return importSpecifiers(file).flatMap((specifier) => {
    if (specifier.startsWith("~/")) return [path.join("app", specifier.slice(2))];
    if (specifier.startsWith(".")) return [path.relative(process.cwd(), path.resolve(path.dirname(file), specifier))];
    return [];
  });
}

/** The .ts files directly in `dir`. */
export function moduleFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ts"))
    .map((name) => path.join(dir, name));
}

/** `file`'s imports that lie outside every one of `dirs`. */
export function importsOutside(file: string, dirs: string[]): string[] {
  return importedPaths(file).filter((imported) => !dirs.some((dir) => imported === dir || imported.startsWith(`${dir}/`)));
}
