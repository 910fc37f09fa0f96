import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";

import { t, type MessageKey } from "../../i18n/messages";
import { login } from "../../shopify.server";

import styles from "./styles.module.css";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);

  // Shopify opens the app at its root with ?shop=…&host=…: hand the whole query to the
  // embedded app, which authenticates it.
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }

  return { showForm: Boolean(login) };
};

/** Before the shop is known there is no admin language: both, Japanese first. */
const both = (key: Extract<MessageKey, `auth.${string}`>) =>
  `${t("ja", key)} (${t("en", key)})`;

export default function Index() {
  const { showForm } = useLoaderData<typeof loader>();

  return (
    <main className={styles.index} lang="ja">
      <h1 className={styles.heading}>{both("auth.appName")}</h1>
      <p className={styles.text}>
        {t("ja", "auth.intro")}
        <br />
        <span lang="en">{t("en", "auth.intro")}</span>
      </p>
      {showForm && (
        <Form className={styles.form} method="post" action="/auth/login">
          <label className={styles.label}>
            <span>{both("auth.shop")}</span>
            <input className={styles.input} type="text" name="shop" />
            <span>
              {t("ja", "auth.example")} / {t("en", "auth.example")}{" "}
              my-shop-domain.myshopify.com
            </span>
          </label>
          <button className={styles.button} type="submit">
            {both("auth.submit")}
          </button>
        </Form>
      )}
    </main>
  );
}
