import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
} from "@remix-run/react";

import { getEnv } from "./env.server";
import { resolveLocale } from "./i18n/locale";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  return {
    lang: resolveLocale(request),
    // With a local App Bridge stand-in (demo, browser tests) Shopify's CDN is out of
    // reach: skip its font stylesheet rather than block rendering on it.
    useShopifyCdn: !getEnv().APP_BRIDGE_URL,
  };
};

export default function App() {
  const { lang, useShopifyCdn } = useLoaderData<typeof loader>();

  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {useShopifyCdn && (
          <>
            <link rel="preconnect" href="https://cdn.shopify.com/" />
            <link
              rel="stylesheet"
              href="https://cdn.shopify.com/static/fonts/inter/v4/styles.css"
            />
          </>
        )}
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
