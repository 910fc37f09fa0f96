import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { catalogues, t } from "~/i18n/messages";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import {
  SHOPIFY_BUNDLE_LIMIT_BYTES,
  bundleExtension,
  type ExtensionHandle,
} from "../../test/demo/extension-bundle";
import { localeMessages, type ExtensionName } from "./harness";

/**
 * The extensions' configuration as Shopify CLI reads it, and their words: the targets,
 * the API version (the app's), the locale files (same keys in both languages, the
 * app's own words where the app has them), and the boundary with the Remix app.
 */
const EXTENSIONS: Record<ExtensionName, { target: string; module: string }> = {
  "vendor-shipments-block": {
    target: "admin.order-details.block.render",
    module: "./src/BlockExtension.tsx",
  },
  "vendor-shipments-action": {
    target: "admin.order-details.action.render",
    module: "./src/ActionExtension.tsx",
  },
};

/** The few TOML forms these files use: `key = "value"` lines and [[tables]]. */
function tomlValues(
  file: string,
): { key: string; value: string; table: string }[] {
  let table = "";
  const values: { key: string; value: string; table: string }[] = [];
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    const header = /^\[\[?([\w.]+)\]\]?$/.exec(line);
    if (header) table = header[1]!;
    const pair = /^(\w+)\s*=\s*"([^"]*)"$/.exec(line);
    if (pair) values.push({ key: pair[1]!, value: pair[2]!, table });
  }
  return values;
}

function keysOf(value: unknown, prefix = ""): string[] {
  return Object.entries(value as Record<string, unknown>).flatMap(
    ([key, child]) =>
      typeof child === "object" && child !== null
        ? keysOf(child, `${prefix}${key}.`)
        : [`${prefix}${key}`],
  );
}

describe.each(Object.entries(EXTENSIONS))("%s", (name, expected) => {
  const dir = `extensions/${name}`;
  const values = tomlValues(`${dir}/shopify.extension.toml`);
  const get = (key: string, table: string) =>
    values
      .filter((v) => v.key === key && v.table === table)
      .map((v) => v.value);

  it("declares its target and module, as a ui_extension with a localized name", () => {
    expect(get("type", "extensions")).toEqual(["ui_extension"]);
    expect(get("handle", "extensions")).toEqual([name]);
    expect(get("name", "extensions")).toEqual(["t:name"]);
    expect(get("target", "extensions.targeting")).toEqual([expected.target]);
    expect(get("module", "extensions.targeting")).toEqual([expected.module]);
    expect(existsSync(path.join(dir, expected.module))).toBe(true);
    // The generated typing of `shopify` names the same target and module.
    const dts = readFileSync(`${dir}/shopify.d.ts`, "utf8");
    expect(dts).toContain(`declare module '${expected.module}'`);
    expect(dts).toContain(`@shopify/ui-extensions/${expected.target}').Api`);
  });

  it("speaks the app's Admin API version, with @shopify/ui-extensions of that version", () => {
    expect(get("api_version", "")).toEqual([ADMIN_API_VERSION]);
    const pkg = JSON.parse(readFileSync(`${dir}/package.json`, "utf8")) as {
      dependencies: Record<string, string>;
    };
    const root = JSON.parse(readFileSync("package.json", "utf8")) as {
      devDependencies: Record<string, string>;
    };
    const [year, month] = ADMIN_API_VERSION.split("-");
    expect(pkg.dependencies["@shopify/ui-extensions"]).toMatch(
      new RegExp(`^${year}\\.${Number(month)}\\.`),
    );
    expect(pkg.dependencies["@shopify/ui-extensions"]).toBe(
      root.devDependencies["@shopify/ui-extensions"],
    );
    expect(pkg.dependencies.preact).toBe(root.devDependencies.preact);
  });

  it("has Japanese and English locale files with the same keys, none empty, en as the default", () => {
    expect(existsSync(`${dir}/locales/en.default.json`)).toBe(true);
    const ja = localeMessages(name as ExtensionName, "ja");
    const en = localeMessages(name as ExtensionName, "en");
    expect(keysOf(ja).sort()).toEqual(keysOf(en).sort());
    for (const catalog of [ja, en]) {
      for (const key of keysOf(catalog)) {
        const text = key
          .split(".")
          .reduce<unknown>(
            (node, part) => (node as Record<string, unknown>)[part],
            catalog,
          );
        expect(typeof text === "string" && text.trim().length > 0, key).toBe(
          true,
        );
      }
    }
    // The language marker adminLang() reads.
    expect([ja.lang, en.lang]).toEqual(["ja", "en"]);
  });

  it("uses the app's status words and form labels, not words of its own", () => {
    for (const lang of ["ja", "en"] as const) {
      const catalog = localeMessages(name as ExtensionName, lang) as Record<
        string,
        unknown
      >;
      expect(catalog.status).toEqual(catalogues.fulfillment[lang].badge);
      const shared = [
        "trackingNumbers",
        "trackingNumbersHelp",
        "carrier",
        "carrierPlaceholder",
        "trackingUrl",
        "trackingUrlHelp",
        "notifyCustomer",
        "cancel",
      ] as const;
      for (const key of shared) {
        if (key in catalog)
          expect(catalog[key], `${lang}.${key}`).toBe(
            t(lang, `shipments.${key}`),
          );
      }
      if ("submit" in catalog)
        expect(catalog.submit).toBe(t(lang, "shipments.markShipped"));
      if ("markShipped" in catalog)
        expect(catalog.markShipped).toBe(t(lang, "shipments.markShipped"));
      if ("noTracking" in catalog)
        expect(catalog.noTracking).toBe(t(lang, "shipments.noTracking"));
    }
  });
});

describe("Shopify's bundle limit", () => {
  it.each(Object.keys(EXTENSIONS))(
    "%s stays under 64 KB, even uncompressed",
    async (name) => {
      // The limit is on the compressed bundle; the minified size is the stricter reading.
      const minified = await bundleExtension(name as ExtensionHandle, {
        minify: true,
      });
      expect(minified.byteLength).toBeLessThanOrEqual(
        SHOPIFY_BUNDLE_LIMIT_BYTES,
      );
    },
  );
});

describe("the boundary with the Remix app", () => {
  it("no app module imports extension code (the extensions are never in the app's build)", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const file = path.join(dir, entry);
        if (statSync(file).isDirectory()) walk(file);
        else if (
          /\.(ts|tsx)$/.test(entry) &&
          /from\s+["'][^"']*extensions\//.test(readFileSync(file, "utf8"))
        )
          offenders.push(file);
      }
    };
    walk("app");
    expect(offenders).toEqual([]);
  });

  it("extension modules import from the app only what is free of server code", () => {
    const allowed = new Set([
      "app/extension/contract.ts",
      "app/fulfillment/carrier-search.ts",
    ]);
    for (const name of Object.keys(EXTENSIONS).concat("shared")) {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((entry) => {
          const file = path.join(dir, entry);
          return statSync(file).isDirectory()
            ? walk(file)
            : /\.tsx?$/.test(entry)
              ? [file]
              : [];
        });
      for (const file of walk(`extensions/${name}`)) {
        for (const [, spec] of readFileSync(file, "utf8").matchAll(
          /from\s+["']([^"']+)["']/g,
        )) {
          if (!spec!.startsWith(".")) continue;
          const target = path.relative(
            ".",
            path.resolve(path.dirname(file), spec!),
          );
          if (target.startsWith("app/"))
            expect(allowed, `${file} imports ${target}`).toContain(
              `${target}.ts`,
            );
        }
      }
    }
  });
});
