import { readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { generate, loadContext } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";

/**
 * The committed Admin API types (app/shopify/generated/) are what `npm run
 * graphql-codegen` makes of today's documents and the bundled schema: a document changed
 * without generating them again fails here. Same config file as the script
 * (.graphqlrc.ts), generated in memory: nothing is written.
 */
describe("generated Admin API types", () => {
  it("match the documents and the schema (else: npm run graphql-codegen)", async () => {
    const context = await loadContext(".graphqlrc.ts");
    context.updateConfig({ silent: true });
    // (Typed `any` because of watch mode, which is not used here.)
    const outputs: { filename: string; content: string }[] = await generate(
      context,
      false,
    );

    const generated = new Map(
      outputs.map((file) => [file.filename, file.content]),
    );
    const folders = new Set(outputs.map((file) => dirname(file.filename)));
    expect([...folders]).toEqual(["app/shopify/generated"]);
    const committed = new Map(
      readdirSync("app/shopify/generated").map((name) => {
        const path = `app/shopify/generated/${name}`;
        return [path, readFileSync(path, "utf8")];
      }),
    );

    expect(
      [...committed.keys()].sort(),
      "files in app/shopify/generated/",
    ).toEqual([...generated.keys()].sort());
    const stale = [...generated]
      .filter(([path, content]) => committed.get(path) !== content)
      .map(([path]) => path);
    expect(
      stale,
      "stale: run npm run graphql-codegen and commit app/shopify/generated/",
    ).toEqual([]);
  }, 60_000);
});
