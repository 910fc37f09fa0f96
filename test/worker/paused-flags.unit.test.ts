import { describe, expect, it } from "vitest";
import { PausedShopFlags } from "~/worker/paused-flags";

describe("PausedShopFlags", () => {
  it("reads once, then serves the cached list until refreshed", async () => {
    let reads = 0;
    let paused = ["shop:a.myshopify.com"];
    const flags = new PausedShopFlags(async () => {
      reads++;
      return paused;
    });
    expect(await flags.get()).toEqual(["shop:a.myshopify.com"]);
    paused = [];
    expect(flags.get()).toEqual(["shop:a.myshopify.com"]);
    expect(reads).toBe(1);
    await flags.refresh();
    expect(flags.get()).toEqual([]);
    expect(reads).toBe(2);
  });

  it("one read at a time; a shop paused here is forbidden before the next read", async () => {
    let release!: (flags: string[]) => void;
    let reads = 0;
    const flags = new PausedShopFlags(() => {
      reads++;
      return new Promise<string[]>((resolve) => (release = resolve));
    });
    const first = flags.get();
    const second = flags.refresh();
    release([]);
    expect(await first).toEqual([]);
    expect(await second).toEqual([]);
    expect(reads).toBe(1);
    flags.add("b.myshopify.com");
    flags.add("b.myshopify.com");
    expect(flags.get()).toEqual(["shop:b.myshopify.com"]);
  });
});
