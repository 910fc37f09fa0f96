import type { LoginError } from "@shopify/shopify-app-remix/server";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";

import type { AppLocale } from "~/i18n/locale";

interface LoginErrorMessage {
  shop?: string;
}

const MESSAGES: Record<AppLocale, Record<LoginErrorType, string>> = {
  ja: {
    [LoginErrorType.MissingShop]:
      "ログインするにはショップのドメインを入力してください",
    [LoginErrorType.InvalidShop]:
      "正しいショップのドメインを入力してください（例: my-shop.myshopify.com）",
  },
  en: {
    [LoginErrorType.MissingShop]: "Please enter your shop domain to log in",
    [LoginErrorType.InvalidShop]: "Please enter a valid shop domain to log in",
  },
};

/** The login form's field errors, in the visitor's language. */
export function loginErrorMessage(
  loginErrors: LoginError | undefined,
  locale: AppLocale,
): LoginErrorMessage {
  const type = loginErrors?.shop;
  return type ? { shop: MESSAGES[locale][type] } : {};
}
