import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";

import { getPool } from "../db.server";
import { getEnv } from "../env.server";
import { resolveLocale } from "../i18n/locale";
import { polarisTranslations } from "../i18n/polaris.server";
import { useT } from "../i18n/use-locale";
import { authenticate } from "../shopify.server";
import { shopTimeZone } from "../shops/shop-time-zone.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);

  const env = getEnv();
  const locale = resolveLocale(request);
  return {
    // Every page's times are shown in it (useShopTimeZone).
    timeZone: await shopTimeZone(getPool(), session),
    apiKey: env.SHOPIFY_API_KEY,
    // Demo and browser tests only: a local stand-in for App Bridge's CDN script.
    appBridgeUrl: env.APP_BRIDGE_URL ?? null,
    locale,
    polarisTranslations: polarisTranslations(locale),
  };
};

// Shopify passes the admin's `locale` only on the document request that loads the
// app; the data requests that follow (after an action, say) do not carry it. What
// this loader returns cannot change without a reload of the whole app, so it is not
// re-run: otherwise an English admin would flip to the Japanese default mid-session.
// Child routes authenticate on their own, so nothing is skipped.
export const shouldRevalidate: ShouldRevalidateFunction = () => false;

export default function App() {
  const { apiKey, appBridgeUrl, polarisTranslations } =
    useLoaderData<typeof loader>();
  const tr = useT();

  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      i18n={polarisTranslations}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      {/* rel="home" only tells App Bridge where the app's home is (it is not listed);
          the second link is the visible menu entry. */}
      <NavMenu>
        <Link to="/app" rel="home">
          {tr("shipments.appTitle")}
        </Link>
        <Link to="/app">{tr("shipments.navShipments")}</Link>
        <Link to="/app/imports">{tr("imports.page.navImports")}</Link>
        <Link to="/app/orders">{tr("orders.navOrders")}</Link>
        <Link to="/app/settings">{tr("shops.settings.title")}</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are
// included in the response: authenticate.admin throws Responses (the session-token
// bounce, 401 with X-Shopify-Retry-Invalid-Session-Request, exit-iframe redirects)
// that App Bridge must receive intact.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => {
  return boundary.headers(headersArgs);
};
