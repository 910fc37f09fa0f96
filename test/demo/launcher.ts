/**
 * The demo launcher's HTTP server: the local "Shopify admin" the demo's one URL opens.
 *
 *   GET  /                    the admin frame (admin-frame.ts); ?locale=ja|en&path=/app
 *   GET  /app-bridge.js       the App Bridge stand-in (app-bridge-stand-in.js)
 *   GET  /_demo/id-token      a fresh session token for the demo shop (CORS: the app)
 *   GET  /_demo/scopes        granted / required / optional scopes (App Bridge scopes.query)
 *   POST /_demo/scopes/grant  the merchant grants scopes (the simulator sends app/scopes_update)
 *   POST /_demo/scopes/decline, /_demo/scopes/revoke
 *   POST /_demo/fault         {kind, count}: a fault panel button (faults.ts)
 *   POST /_demo/admin-action  {action, orderId, trackingNumber}: an "in Shopify admin" change
 *                             (shopify-admin.ts); the simulator delivers the webhooks
 *   GET  /_demo/admin-orders  the orders to act on, and the last webhook deliveries
 *   GET  /_demo/state         fault rules, token, scopes and recent requests for the live view
 *
 * Nothing here is part of the app: it stands where Shopify admin and Shopify's webhooks
 * stand in production.
 */
import { readFileSync } from "node:fs";
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { fileURLToPath } from "node:url";

import {
  sessionTokenClaims,
  signSessionToken,
  type Control,
} from "../shopify-sim";
import { renderAdminFrame } from "./admin-frame";
import { applyFault, isFaultKind, type FaultContext } from "./faults";
import { orderPageRoutes } from "./order-page";
import { adminOrders, applyAdminAction, isAdminAction } from "./shopify-admin";

const STAND_IN_PATH = fileURLToPath(
  new URL("./app-bridge-stand-in.js", import.meta.url),
);

export interface LauncherOptions {
  port: number;
  appOrigin: string;
  shop: string;
  shopName: string;
  apiKey: string;
  apiSecret: string;
  /** What the app asks for at install (SCOPES); "restore" grants them again. */
  requiredScopes: readonly string[];
  optionalScopes: readonly string[];
  control: Control;
  defaultLocale: "ja" | "en";
  apiVersion: string;
  /** Fault panel presses and webhook failures. Default: silent. */
  log?: (line: string) => void;
}

export interface Launcher {
  origin: string;
  /** The admin frame's URL for a page of the app. */
  frameUrl(options?: { path?: string; locale?: "ja" | "en" }): string;
  /** The URL the admin puts in the iframe: the app's page with a fresh id_token. */
  appDocumentUrl(options?: { path?: string; locale?: "ja" | "en" }): string;
  sessionToken(): { token: string; exp: number };
  faultContext: FaultContext;
  close(): Promise<void>;
}

export async function startLauncher(
  options: LauncherOptions,
): Promise<Launcher> {
  const { control, shop, appOrigin } = options;
  const origin = `http://127.0.0.1:${options.port}`;
  const log = options.log ?? (() => undefined);

  const sessionToken = () => {
    const claims = sessionTokenClaims(shop, options.apiKey, Date.now(), "1");
    return {
      token: signSessionToken(claims, options.apiSecret),
      exp: claims.exp,
    };
  };
  const hostParam = Buffer.from(
    `admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`,
  ).toString("base64url");
  const appDocumentUrl = ({
    path = "/app",
    locale = options.defaultLocale,
  } = {}) => {
    const url = new URL(path, appOrigin);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", shop);
    url.searchParams.set("host", hostParam);
    url.searchParams.set("locale", locale);
    url.searchParams.set("id_token", sessionToken().token);
    return url.toString();
  };
  const frameUrl = ({ path = "/app", locale = options.defaultLocale } = {}) =>
    `${origin}/?locale=${locale}&path=${encodeURIComponent(path)}`;

  const faultContext: FaultContext = {
    control,
    shop,
    installedScopes: options.requiredScopes,
  };

  const scopesDetail = () => ({
    granted: control.getShop({ shop }).scopes,
    required: [...options.requiredScopes],
    optional: [...options.optionalScopes],
  });
  // The simulator delivers app/scopes_update to the app when the scopes change.
  const changeScopes = (change: (granted: string[]) => string[]) => {
    control.setScopes({
      shop,
      scopes: change(control.getShop({ shop }).scopes),
    });
  };

  const routes: Record<
    string,
    (
      req: IncomingMessage,
      body: Record<string, unknown>,
    ) => Promise<Answer> | Answer
  > = {
    "GET /": (req) => {
      const url = new URL(req.url ?? "/", origin);
      const locale =
        url.searchParams.get("locale") === "en"
          ? "en"
          : url.searchParams.get("locale") === "ja"
            ? "ja"
            : options.defaultLocale;
      const path = safeAppPath(url.searchParams.get("path"));
      const html = renderAdminFrame({
        appSrc: appDocumentUrl({ path, locale }),
        appOrigin,
        shop,
        shopName: options.shopName,
        locale,
        path,
      });
      return { status: 200, type: "text/html; charset=utf-8", body: html };
    },
    "GET /app-bridge.js": () => ({
      status: 200,
      type: "text/javascript; charset=utf-8",
      // Read on each request: editing the stand-in needs no restart.
      body: readFileSync(STAND_IN_PATH, "utf8"),
    }),
    "GET /favicon.ico": () => ({ status: 204, body: "" }),
    // The order page with the app's admin extensions (order-page.ts).
    ...orderPageRoutes({
      control,
      shop,
      shopName: options.shopName,
      appOrigin,
      defaultLocale: options.defaultLocale,
    }),
    "GET /_demo/id-token": () => json(sessionToken(), true),
    "GET /_demo/scopes": () => json(scopesDetail(), true),
    "POST /_demo/scopes/grant": async (_req, body) => {
      const wanted = stringList(body.scopes);
      changeScopes((granted) => [...new Set([...granted, ...wanted])]);
      return json({ result: "granted-all", detail: scopesDetail() }, true);
    },
    "POST /_demo/scopes/decline": () =>
      json({ result: "declined-all", detail: scopesDetail() }, true),
    "POST /_demo/scopes/revoke": async (_req, body) => {
      const unwanted = new Set(stringList(body.scopes));
      changeScopes((granted) =>
        granted.filter((scope) => !unwanted.has(scope)),
      );
      return json({ detail: scopesDetail() }, true);
    },
    "POST /_demo/fault": async (_req, body) => {
      if (!isFaultKind(body.kind))
        return json(
          { error: `unknown fault ${String(body.kind)}` },
          false,
          400,
        );
      const message = await applyFault(
        faultContext,
        body.kind,
        Number(body.count ?? 3),
      );
      log(`fault panel: ${message}`);
      return json({ message });
    },
    "POST /_demo/admin-action": (_req, body) => {
      if (!isAdminAction(body.action) || typeof body.orderId !== "string")
        return json({ error: "unknown admin action or order" }, false, 400);
      try {
        const message = applyAdminAction(control, shop, {
          action: body.action,
          orderId: body.orderId,
          trackingNumber:
            typeof body.trackingNumber === "string"
              ? body.trackingNumber
              : undefined,
        });
        log(`Shopify admin: ${message}`);
        return json({ message });
      } catch (error) {
        return json(
          { error: error instanceof Error ? error.message : String(error) },
          false,
          400,
        );
      }
    },
    "GET /_demo/admin-orders": () => json(adminOrders(control, shop)),
    "GET /_demo/state": () => {
      const snapshot = control.getShop({ shop });
      const faultByRequest = new Map(
        control.faultLog().map((entry) => [entry.requestId, entry.action.type]),
      );
      const requests = control
        .requestLog({ shop })
        .slice(-25)
        .reverse()
        .map((entry) => ({
          ...entry,
          fault: faultByRequest.get(entry.id) ?? null,
        }));
      return json({
        faults: control
          .listFaults()
          .filter((rule) => rule.shop === null || rule.shop === shop),
        scopes: snapshot.scopes,
        liveTokens: snapshot.tokens.filter((token) => token.kind === "offline")
          .length,
        frozen: snapshot.frozen,
        locked: snapshot.locked,
        requests,
      });
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const cors = {
      "Access-Control-Allow-Origin": appOrigin,
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
      "Access-Control-Allow-Headers": "Content-Type",
      Vary: "Origin",
    };
    try {
      if (req.method === "OPTIONS") {
        res.writeHead(204, cors).end();
        return;
      }
      const pathname = new URL(req.url ?? "/", origin).pathname;
      const route = routes[`${req.method} ${pathname}`];
      if (!route) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
        return;
      }
      const body = req.method === "POST" ? await readJson(req) : {};
      const answer = await route(req, body);
      res.writeHead(answer.status, {
        "Content-Type": answer.type ?? "application/json",
        "Cache-Control": "no-store",
        ...(answer.cors ? cors : {}),
      });
      res.end(answer.body);
    } catch (error) {
      console.error("[demo] launcher request failed:", error);
      if (!res.headersSent)
        res.writeHead(500, { "Content-Type": "application/json", ...cors });
      res.end(
        JSON.stringify({
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });

  return {
    origin,
    frameUrl,
    appDocumentUrl,
    sessionToken,
    faultContext,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Answer {
  status: number;
  type?: string;
  body: string;
  cors?: boolean;
}

function json(value: unknown, cors = false, status = 200): Answer {
  return { status, body: JSON.stringify(value), cors };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : [];
}

/** Only the app's own pages may be put in the frame. */
function safeAppPath(value: string | null): string {
  if (!value || !value.startsWith("/app") || value.startsWith("//"))
    return "/app";
  return value.split("?")[0];
}

async function readJson(
  req: IncomingMessage,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  return parsed && typeof parsed === "object"
    ? (parsed as Record<string, unknown>)
    : {};
}
