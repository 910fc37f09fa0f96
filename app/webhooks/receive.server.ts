import { createHash } from "node:crypto";

import {
  BODY_LIMITS,
  BodyTooLargeError,
  bodyTooLargeResponse,
  readBodyCapped,
} from "~/http/body-limit.server";
import { authenticate } from "~/shopify.server";
import {
  payloadShopProblem,
  routeTopicProblem,
  triggeredAtProblem,
} from "./delivery-checks";
import {
  topicName,
  type WebhookDelivery,
} from "./webhook-events.server";

/** A delivery that passed every check: its topic as Shopify names it ("orders/create"). */
export interface ReceivedWebhook extends WebhookDelivery {
  payload: unknown;
}

/**
 * Every webhook route starts here. In order, each step refusing with its own status:
 * the body is read up to the webhook limit (413, before the HMAC is even computed); the
 * library checks the HMAC (401) and the required headers; then the checks the HMAC
 * cannot make, because Shopify signs the body only — the topic must be one this route
 * handles, the payload's own shop fields must agree with the shop header, the event id
 * must be there and the delivery must have been triggered within the last 48 hours
 * (400 with the reason, nothing written). Dedupe comes after, in handleDeliveryOnce.
 */
export async function receiveWebhook(
  request: Request,
  routeTopics: readonly string[],
  now: number = Date.now(),
): Promise<ReceivedWebhook> {
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readBodyCapped(request, BODY_LIMITS.webhook);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw bodyTooLargeResponse(request, error.limit);
    throw error;
  }
  const signed = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.method === "GET" || request.method === "HEAD" ? null : body,
  });
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(signed);
  } catch (error) {
    // A signed body that is not JSON (the library parses it after the HMAC check).
    if (error instanceof SyntaxError)
      throw webhookRefusal("the payload is not JSON");
    throw error;
  }
  const topic = topicName(context.topic);
  const problem =
    routeTopicProblem(topic, routeTopics) ??
    payloadShopProblem(topic, context.shop, context.payload) ??
    (context.eventId ? null : "X-Shopify-Event-Id is missing") ??
    triggeredAtProblem(context.triggeredAt, now);
  if (problem) throw webhookRefusal(problem);
  return {
    shop: context.shop,
    topic,
    webhookId: context.webhookId,
    eventId: context.eventId!,
    bodySha256: createHash("sha256").update(body).digest("hex"),
    payload: context.payload,
  };
}

/** A delivery refused (400 by default), saying why; every webhook route answers with it. */
export function webhookRefusal(reason: string, status = 400): Response {
  return new Response(`Webhook refused: ${reason}`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}
