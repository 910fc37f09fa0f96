import { describe, expect, it } from "vitest";
import { OPTIONAL_SCOPES } from "~/shops/declared-scopes";
import { appAccessScopes } from "../support/app-toml";

describe("declared scopes", () => {
  it("the app's optional scopes are shopify.app.toml's optional_scopes", () => {
    expect([...OPTIONAL_SCOPES].sort()).toEqual([...appAccessScopes().optional].sort());
  });

  it("SCOPES in .env.example equals shopify.app.toml's scopes", async () => {
    const { readFileSync } = await import("node:fs");
    const line = /^SCOPES=(.*)$/m.exec(readFileSync(".env.example", "utf8"))?.[1] ?? "";
    expect(line.split(",").map((s) => s.trim()).filter(Boolean).sort()).toEqual([...appAccessScopes().scopes].sort());
  });
});
