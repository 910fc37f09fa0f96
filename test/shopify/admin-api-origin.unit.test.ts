import {
  abstractFetch,
  setAbstractFetchFunc,
} from "@shopify/shopify-api/runtime";
import { afterEach, describe, expect, it } from "vitest";

import {
  installAdminApiOrigin,
  redirectAdminApiFetch,
} from "~/shopify/admin-api-origin.server";

/** A fetch that records what it was asked for and answers 200. */
function recordingFetch() {
  const seen: Request[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    seen.push(new Request(input, init));
    return new Response("{}", { status: 200 });
  };
  return { fetchFn, seen };
}

describe("redirectAdminApiFetch", () => {
  it("sends https://<shop>/admin/... to the origin with the shop in X-Forwarded-Host", async () => {
    const { fetchFn, seen } = recordingFetch();
    const wrapped = redirectAdminApiFetch("http://127.0.0.1:4010", fetchFn);

    await wrapped(
      "https://acme.myshopify.com/admin/api/2026-10/graphql.json?x=1",
      {
        method: "POST",
        headers: {
          "X-Shopify-Access-Token": "shpat_1",
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ query: "{ shop { name } }" }),
      },
    );

    expect(seen).toHaveLength(1);
    const sent = seen[0];
    expect(sent.url).toBe(
      "http://127.0.0.1:4010/admin/api/2026-10/graphql.json?x=1",
    );
    expect(sent.method).toBe("POST");
    expect(sent.headers.get("X-Forwarded-Host")).toBe("acme.myshopify.com");
    expect(sent.headers.get("X-Shopify-Access-Token")).toBe("shpat_1");
    expect(await sent.json()).toEqual({ query: "{ shop { name } }" });
  });

  it("covers the token-exchange endpoint and keeps a path prefix on the origin", async () => {
    const { fetchFn, seen } = recordingFetch();
    const wrapped = redirectAdminApiFetch(
      "http://localhost:9000/sim/",
      fetchFn,
    );

    await wrapped(
      new URL("https://acme.myshopify.com/admin/oauth/access_token"),
      {
        method: "POST",
        body: "{}",
      },
    );

    expect(seen[0].url).toBe(
      "http://localhost:9000/sim/admin/oauth/access_token",
    );
    expect(seen[0].headers.get("X-Forwarded-Host")).toBe("acme.myshopify.com");
  });

  it("accepts a Request as input", async () => {
    const { fetchFn, seen } = recordingFetch();
    const wrapped = redirectAdminApiFetch("http://127.0.0.1:4010", fetchFn);

    await wrapped(
      new Request("https://acme.myshopify.com/admin/api/2026-10/graphql.json", {
        method: "POST",
        headers: { "X-Shopify-Access-Token": "shpat_2" },
        body: "{}",
      }),
    );

    expect(seen[0].url).toBe(
      "http://127.0.0.1:4010/admin/api/2026-10/graphql.json",
    );
    expect(seen[0].headers.get("X-Shopify-Access-Token")).toBe("shpat_2");
    expect(seen[0].headers.get("X-Forwarded-Host")).toBe("acme.myshopify.com");
  });

  it("leaves every other request untouched", async () => {
    const { fetchFn, seen } = recordingFetch();
    const wrapped = redirectAdminApiFetch("http://127.0.0.1:4010", fetchFn);

    await wrapped("https://cdn.shopify.com/shopifycloud/app-bridge.js");
    await wrapped("https://acme.myshopify.com/products/widget");
    await wrapped("http://acme.myshopify.com/admin/api/2026-10/graphql.json");

    expect(seen.map((request) => request.url)).toEqual([
      "https://cdn.shopify.com/shopifycloud/app-bridge.js",
      "https://acme.myshopify.com/products/widget",
      "http://acme.myshopify.com/admin/api/2026-10/graphql.json",
    ]);
    expect(
      seen.every((request) => !request.headers.has("X-Forwarded-Host")),
    ).toBe(true);
  });

  it("refuses an origin that is not http(s)", () => {
    expect(() => redirectAdminApiFetch("ftp://127.0.0.1", fetch)).toThrow(
      /http\(s\)/,
    );
  });
});

describe("installAdminApiOrigin", () => {
  const original = abstractFetch;
  afterEach(() => setAbstractFetchFunc(original));

  it("replaces the library's fetch, and a second install wraps the original, not the wrapper", async () => {
    const { fetchFn, seen } = recordingFetch();
    setAbstractFetchFunc(fetchFn);

    // As after a dev-server reload: installed twice, the last origin wins, once.
    installAdminApiOrigin("https://first.example");
    installAdminApiOrigin("https://second.example");
    await abstractFetch(
      "https://acme.myshopify.com/admin/api/2026-10/graphql.json",
      {
        method: "POST",
        body: "{}",
      },
    );

    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe(
      "https://second.example/admin/api/2026-10/graphql.json",
    );
    expect(seen[0].headers.get("X-Forwarded-Host")).toBe("acme.myshopify.com");
  });
});
