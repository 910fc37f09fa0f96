import { describe, expect, it } from "vitest";
import { parseListQuery } from "~/shipments/list-query";

describe("parseListQuery", () => {
  it("reads every filter, the sort and the cursor", () => {
    const options = parseListQuery(
      new URLSearchParams(
        "status=shipped&sync=failed&vendor=今治タオル工房&q=%231001&sort=order_asc&cursor=abc&direction=previous",
      ),
    );
    expect(options).toEqual({
      status: "shipped",
      syncState: "failed",
      vendor: "今治タオル工房",
      query: "#1001",
      sort: "order_asc",
      cursor: "abc",
      direction: "previous",
    });
  });

  it("ignores unknown values instead of failing (stale bookmarks still open)", () => {
    const options = parseListQuery(new URLSearchParams("status=lost&sync=x&sort=price&direction=up"));
    expect(options.status).toBeUndefined();
    expect(options.syncState).toBeUndefined();
    expect(options.sort).toBe("newest");
    expect(options.direction).toBe("next");
  });

  it("treats blank search as no search", () => {
    expect(parseListQuery(new URLSearchParams("q=%20%20")).query).toBeUndefined();
  });
});
