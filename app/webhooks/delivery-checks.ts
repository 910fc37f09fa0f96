/**
 * What a webhook delivery must show beyond its HMAC. Shopify signs the body only: the
 * topic, shop, event id and triggered-at headers can be rewritten by anyone holding one
 * signed body. So the app trusts a header only where the signed body agrees with it, and
 * never lets one body act twice (see webhook-events.server.ts).
 *
 * Framework-free: the route wrapper (receive.server.ts) applies these and answers 400
 * with the message.
 */

/** Deliveries triggered longer ago than this are refused (Shopify retries for up to 48 hours). */
export const WEBHOOK_MAX_AGE_MS = 48 * 60 * 60 * 1000;
/** Clock skew tolerated for a triggered-at in the future. */
export const WEBHOOK_FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * Topics whose payload always names the shop (Shopify's documented shapes): the shop
 * resource for app/uninstalled (`myshopify_domain`), `shop_domain` for the compliance
 * topics. A body without it cannot be one of these deliveries.
 */
const SHOP_NAMED_BY: Record<string, string> = {
  "app/uninstalled": "myshopify_domain",
  "shop/update": "myshopify_domain",
  "customers/data_request": "shop_domain",
  "customers/redact": "shop_domain",
  "shop/redact": "shop_domain",
};

const MYSHOPIFY = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * Null when the payload's own shop fields agree with the shop header, else why not.
 * `shop_domain` and `myshopify_domain` must equal the header; `domain` (a shop's primary
 * domain, which may be the merchant's own) is compared only when it is a myshopify.com
 * domain.
 */
export function payloadShopProblem(
  topic: string,
  headerShop: string,
  payload: unknown,
): string | null {
  const shop = headerShop.toLowerCase();
  const fields =
    payload && typeof payload === "object" && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : {};
  for (const field of ["shop_domain", "myshopify_domain"]) {
    if (!(field in fields) || fields[field] === null) continue;
    const value = fields[field];
    if (typeof value !== "string" || value.toLowerCase() !== shop)
      return `the payload's ${field} (${String(value).slice(0, 100)}) is not the shop header (${headerShop})`;
  }
  const domain = fields.domain;
  if (
    typeof domain === "string" &&
    MYSHOPIFY.test(domain.toLowerCase()) &&
    domain.toLowerCase() !== shop
  )
    return `the payload's domain (${domain.slice(0, 100)}) is not the shop header (${headerShop})`;
  const required = SHOP_NAMED_BY[topic];
  if (required && typeof fields[required] !== "string")
    return `a ${topic} payload names its shop in ${required}, and this one does not`;
  return null;
}

/** Null when X-Shopify-Triggered-At is present and within the window, else why not. */
export function triggeredAtProblem(
  triggeredAt: string | undefined | null,
  now: number,
): string | null {
  if (!triggeredAt) return "X-Shopify-Triggered-At is missing";
  const at = Date.parse(triggeredAt);
  if (!Number.isFinite(at))
    return `X-Shopify-Triggered-At is not a time: ${triggeredAt.slice(0, 60)}`;
  if (now - at > WEBHOOK_MAX_AGE_MS)
    return `the delivery was triggered at ${triggeredAt}, more than 48 hours ago`;
  if (at - now > WEBHOOK_FUTURE_SKEW_MS)
    return `the delivery's triggered-at (${triggeredAt}) is in the future`;
  return null;
}

/** Null when the topic is one the route handles, else why not. */
export function routeTopicProblem(
  topic: string,
  routeTopics: readonly string[],
): string | null {
  return routeTopics.includes(topic)
    ? null
    : `this route does not handle ${topic} (it handles ${routeTopics.join(", ")})`;
}
