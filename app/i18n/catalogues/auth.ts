import type { Translation } from "../catalogue";

/**
 * Outside the admin: the login page (routes/auth.login) and the app's public root
 * (routes/_index, which shows both languages side by side).
 */
const ja = {
  title: "ログイン",
  shop: "ショップのドメイン",
  submit: "ログイン",
  missingShop: "ログインするにはショップのドメインを入力してください",
  invalidShop:
    "正しいショップのドメインを入力してください（例: my-shop.myshopify.com）",
  appName: "ベンダー出荷連携",
  intro:
    "ベンダーの出荷を一覧し、発送済みにすると Shopify の注文に配送情報を反映します。",
  example: "例",
} as const;

const en: Translation<typeof ja> = {
  title: "Log in",
  shop: "Shop domain",
  submit: "Log in",
  missingShop: "Please enter your shop domain to log in",
  invalidShop: "Please enter a valid shop domain to log in",
  appName: "Vendor shipments",
  intro:
    "See your vendors' shipments and mark them shipped; Shopify's orders get the fulfillment and tracking.",
  example: "e.g.",
};

export const auth = { ja, en };
