import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";

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

export default function Index() {
  const { showForm } = useLoaderData<typeof loader>();

  return (
    <main className={styles.index} lang="ja">
      <h1 className={styles.heading}>ベンダー出荷連携 (Vendor shipments)</h1>
      <p className={styles.text}>
        ベンダーの出荷を一覧し、発送済みにすると Shopify
        の注文に配送情報を反映します。
        <br />
        See your vendors&apos; shipments and mark them shipped; Shopify&apos;s
        orders get the fulfillment and tracking.
      </p>
      {showForm && (
        <Form className={styles.form} method="post" action="/auth/login">
          <label className={styles.label}>
            <span>ショップのドメイン (Shop domain)</span>
            <input className={styles.input} type="text" name="shop" />
            <span>例 / e.g. my-shop-domain.myshopify.com</span>
          </label>
          <button className={styles.button} type="submit">
            ログイン (Log in)
          </button>
        </Form>
      )}
    </main>
  );
}
