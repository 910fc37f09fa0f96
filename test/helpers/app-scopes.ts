import { readFileSync } from "node:fs";

/**
 * shopify.app.toml's [access_scopes]: `scopes` (granted at install) and
 * `optional_scopes` (requested later with scopes.request). Read without a TOML library:
 * the section holds one string and one array of strings.
 */
export function appAccessScopes(path = "shopify.app.toml"): { scopes: string[]; optional: string[] } {
  const text = readFileSync(path, "utf8");
  const section = /^\[access_scopes\]\s*$([\s\S]*?)(?=^\[)/m.exec(text)?.[1];
  if (section === undefined) throw new Error(`${path} has no [access_scopes] section`);
  const body = section.replace(/#.*$/gm, "");
  const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(body)?.[1];
  if (scopes === undefined) throw new Error(`${path} [access_scopes] has no scopes`);
  const optional = /^\s*optional_scopes\s*=\s*\[([^\]]*)\]/m.exec(body)?.[1] ?? "";
  return {
    scopes: scopes.split(",").map((scope) => scope.trim()).filter(Boolean),
    optional: [...optional.matchAll(/"([^"]+)"/g)].map((match) => match[1]!),
  };
}
