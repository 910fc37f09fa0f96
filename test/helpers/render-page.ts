import type { LoaderFunctionArgs } from "@remix-run/node";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
// Remix 2's own router (what @remix-run/react runs on), for its static rendering.
import type { RouteObject } from "react-router-dom";
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";

/**
 * Server-renders an app page from its real route modules, as the Remix server would on a
 * document request: the route chain's loaders run on `request` (authenticate.admin,
 * Postgres and all), then the components render with their loader data into HTML. No
 * build, no browser: for asserting what a page shows. Routes' ids must be Remix's
 * ("routes/app", "routes/app.shipments.$id"), since hooks such as useRouteLoaderData
 * find a parent route's data by id.
 */
export interface PageRoute {
  id: string;
  path: string;
  module: {
    loader?: (args: LoaderFunctionArgs) => unknown;
    default: ComponentType;
  };
}

export async function renderPage(
  request: Request,
  chain: readonly PageRoute[],
): Promise<{
  html: string;
  status: number;
  loaderData: Record<string, unknown>;
}> {
  const routes = nest(chain);
  const handler = createStaticHandler(routes);
  const context = await handler.query(request);
  if (context instanceof Response) {
    throw new Error(
      `the page answered ${context.status} ${context.headers.get("Location") ?? ""}`,
    );
  }
  if (context.errors) {
    const [routeId, error] = Object.entries(context.errors)[0]!;
    throw error instanceof Error
      ? error
      : new Error(`${routeId} failed: ${describe(error)}`);
  }
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(
    createElement(StaticRouterProvider, { router, context, hydrate: false }),
  );
  return { html, status: context.statusCode, loaderData: context.loaderData };
}

function nest(chain: readonly PageRoute[]): RouteObject[] {
  let children: RouteObject[] | undefined;
  for (const route of [...chain].reverse()) {
    const { loader } = route.module;
    children = [
      {
        id: route.id,
        path: route.path,
        loader: loader
          ? ({ request, params }) =>
              loader({ request, params, context: {} }) as Promise<unknown>
          : undefined,
        Component: route.module.default,
        children,
      },
    ];
  }
  return children ?? [];
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "status" in error) {
    return `${(error as { status: number }).status} ${JSON.stringify((error as { data?: unknown }).data ?? "")}`;
  }
  return String(error);
}

/** The page's visible text, tags dropped and entities decoded (for `toContain`). */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
