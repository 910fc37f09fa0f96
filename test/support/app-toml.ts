/**
 * What shopify.app.toml declares, read without a TOML library (the sections read here are
 * simple): the demo configures its simulated Shopify from it, tests compare the app with it.
 */
import { existsSync, readFileSync } from "node:fs";

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

/**
 * The webhook subscriptions declared in shopify.app.toml, read without a TOML library
 * (the file's [[webhooks.subscriptions]] blocks are simple): topics or compliance
 * topics, the uri, and the route file the comment above the block names.
 */
export interface Subscription {
  topics: string[];
  compliance: boolean;
  uri: string;
  /** e.g. "app/routes/webhooks.orders.tsx", from the comment "Handled by …". */
  routeFile: string | null;
}

export function webhookSubscriptions(
  path = "shopify.app.toml",
): Subscription[] {
  const text = readFileSync(path, "utf8");
  const blocks = text.split(/^\s*\[\[webhooks\.subscriptions\]\]\s*$/m);
  const subscriptions: Subscription[] = [];
  for (let i = 1; i < blocks.length; i++) {
    const body = blocks[i]!.split(/^\s*\[/m)[0]!; // up to the next table
    const comment = commentBefore(blocks[i - 1]!);
    const list = /^\s*(compliance_topics|topics)\s*=\s*\[([^\]]*)\]/m.exec(
      body,
    );
    const uri = /^\s*uri\s*=\s*"([^"]+)"/m.exec(body);
    if (!list || !uri)
      throw new Error(
        `a [[webhooks.subscriptions]] block without topics or uri:\n${body}`,
      );
    subscriptions.push({
      topics: [...list[2]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!),
      compliance: list[1] === "compliance_topics",
      uri: uri[1]!,
      routeFile: /(app\/routes\/[\w.$[\]-]+\.tsx)/.exec(comment)?.[1] ?? null,
    });
  }
  return subscriptions;
}

/** The comment lines at the end of a block (those right above the next [[…]]). */
function commentBefore(block: string): string {
  const lines = block.trimEnd().split("\n");
  const comment: string[] = [];
  for (let i = lines.length - 1; i >= 0 && /^\s*#/.test(lines[i]!); i--)
    comment.unshift(lines[i]!);
  return comment.join("\n");
}

/** A flat route file's URL path: "app/routes/webhooks.app.scopes_update.tsx" → "/webhooks/app/scopes_update". */
export function routePath(file: string): string {
  const name = file.replace(/^.*\//, "").replace(/\.tsx?$/, "");
  return `/${name
    .replace(/\[\.\]/g, "~dot~")
    .split(".")
    .join("/")
    .replace(/~dot~/g, ".")}`;
}

export function routeFileExists(file: string): boolean {
  return existsSync(file);
}
