import type { LoginError } from "@shopify/shopify-app-remix/server";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";

import type { Locale } from "~/i18n/locale";
import { t } from "~/i18n/messages";

interface LoginErrorMessage {
  shop?: string;
}

const MESSAGE_KEYS = {
  [LoginErrorType.MissingShop]: "auth.missingShop",
  [LoginErrorType.InvalidShop]: "auth.invalidShop",
} as const satisfies Record<LoginErrorType, string>;

/** The login form's field errors, in the visitor's language. */
export function loginErrorMessage(
  loginErrors: LoginError | undefined,
  locale: Locale,
): LoginErrorMessage {
  const type = loginErrors?.shop;
  return type ? { shop: t(locale, MESSAGE_KEYS[type]) } : {};
}
