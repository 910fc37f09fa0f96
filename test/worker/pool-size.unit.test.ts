import type { Pool } from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { warnIfPoolTooSmall } from "~/worker/runner.server";

describe("warnIfPoolTooSmall", () => {
  afterEach(() => vi.restoreAllMocks());

  it("warns when every job could hold a run lock while waiting for a query connection", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    warnIfPoolTooSmall({ options: { max: 10 } } as unknown as Pool, 9);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain("raise the pool to 20");
  });

  it("is quiet when a query connection is always left", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    warnIfPoolTooSmall({ options: { max: 10 } } as unknown as Pool, 5);
    warnIfPoolTooSmall({ options: { max: 18 } } as unknown as Pool, 8);
    expect(warn).not.toHaveBeenCalled();
  });
});
