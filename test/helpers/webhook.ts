import { createHmac, randomUUID } from "node:crypto";

import { TEST_APP } from "./app-env";

/**
 * A webhook delivery as Shopify sends it: POST with the JSON body signed by
 * X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body with the app secret) and
 * the headers the library requires (topic, shop domain, API version, webhook id) plus
 * the optional triggered-at and event id.
 */
export interface WebhookRequestOptions {
  /** e.g. "/webhooks/app/uninstalled" */
  path: string;
  /** e.g. "app/uninstalled" */
  topic: string;
  shop: string;
  payload: unknown;
  /** Signing secret; defaults to the test app's secret (pass another to forge). */
  secret?: string;
  apiVersion?: string;
  webhookId?: string;
}

export function webhookRequest({
  path,
  topic,
  shop,
  payload,
  secret = TEST_APP.apiSecret,
  apiVersion = "2026-10",
  webhookId = randomUUID(),
}: WebhookRequestOptions): Request {
  const body = JSON.stringify(payload);
  const hmac = createHmac("sha256", secret)
    .update(body, "utf8")
    .digest("base64");
  return new Request(new URL(path, TEST_APP.appUrl), {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": apiVersion,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Event-Id": randomUUID(),
    },
  });
}
