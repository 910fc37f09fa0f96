import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { routeFileExists, routePath, webhookSubscriptions } from "../support/app-toml";

// shopify.app.toml and app/routes agree: every subscription names, in a comment, the
// route file that handles it, that file exists and serves the subscription's uri, and
// every webhook route is subscribed to.
const subscriptions = webhookSubscriptions();

describe("shopify.app.toml webhook subscriptions", () => {
  it.each(subscriptions.map((s) => [s.uri, s] as const))(
    "%s names an existing route file serving it",
    (_uri, s) => {
      expect(
        s.routeFile,
        `comment naming the route file above ${s.uri}`,
      ).not.toBeNull();
      expect(routeFileExists(s.routeFile!)).toBe(true);
      expect(routePath(s.routeFile!)).toBe(s.uri);
      expect(readFileSync(s.routeFile!, "utf8")).toMatch(
        /receiveWebhook\(\s*request,\s*WEBHOOK_ROUTE_TOPICS\.\w+/,
      );
    },
  );

  it("subscribes every topic the issue asks for, and the compliance topics as compliance_topics", () => {
    const topics = subscriptions
      .filter((s) => !s.compliance)
      .flatMap((s) => s.topics)
      .sort();
    expect(topics).toEqual(
      [
        "app/scopes_update",
        "app/uninstalled",
        "fulfillment_orders/cancelled",
        "fulfillment_orders/hold_released",
        "fulfillment_orders/merged",
        "fulfillment_orders/moved",
        "fulfillment_orders/placed_on_hold",
        "fulfillment_orders/scheduled_fulfillment_order_ready",
        "fulfillment_orders/split",
        "fulfillments/create",
        "fulfillments/update",
        "orders/cancelled",
        "orders/create",
        "orders/updated",
        "shop/update",
      ].sort(),
    );
    expect(
      subscriptions
        .filter((s) => s.compliance)
        .flatMap((s) => s.topics)
        .sort(),
    ).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
  });

  it("leaves no webhook route unsubscribed", () => {
    const routes = readdirSync("app/routes")
      .filter((f) => f.startsWith("webhooks."))
      .map((f) => `app/routes/${f}`);
    expect(routes.sort()).toEqual(subscriptions.map((s) => s.routeFile).sort());
  });
});

describe("WEBHOOK_ROUTE_TOPICS (the topics each route accepts)", () => {
  it("are exactly the topics shopify.app.toml sends to that route", async () => {
    const { WEBHOOK_ROUTE_TOPICS } = await import("~/webhooks/topics");
    const accepted = Object.values(WEBHOOK_ROUTE_TOPICS)
      .map((topics) => [...topics].sort().join(","))
      .sort();
    const subscribed = subscriptions
      .map((s) => [...s.topics].sort().join(","))
      .sort();
    expect(accepted).toEqual(subscribed);
  });
});
