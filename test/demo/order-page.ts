/**
 * The demo's order page in "Shopify admin": a stand-in of Shopify's order summary (read
 * from the simulator) with the app's two order-page extensions hosted beside it — the
 * block (admin.order-details.block.render) as a card, the action
 * (admin.order-details.action.render) in a modal from "More actions". Each extension
 * runs in its own iframe with extension-host-runtime.js: the `shopify` global, Polaris
 * web component stand-ins, and fetch with a session token. What this does and does not
 * reproduce of Shopify's host: test/demo/README.md.
 *
 *   GET /order?id=<numeric order id>&locale=ja|en   the order page
 *   GET /_demo/order?id=…                            the summary's data (JSON)
 *   GET /extensions/frame?handle=…&id=…&locale=…     one extension's sandbox document
 *   GET /extensions/runtime.js                       the host runtime (stand-in)
 *   GET /extensions/<handle>.js                      the extension, bundled as the CLI would
 */
import { escapeHtml } from "./html";
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Control } from "../shopify-sim";
import { REPO_ROOT } from "./app-build";
import { demoShop } from "./demo-data";
import {
  EXTENSIONS,
  bundleExtension,
  type ExtensionHandle,
} from "./extension-bundle";

const RUNTIME_PATH = fileURLToPath(
  new URL("./extension-host-runtime.js", import.meta.url),
);

type Handle = ExtensionHandle;
const isHandle = (value: string | null): value is Handle =>
  !!value && value in EXTENSIONS;

export interface OrderPageAnswer {
  status: number;
  type?: string;
  body: string;
  cors?: boolean;
}

type Locale = "ja" | "en";

const COPY = {
  ja: {
    admin: "Shopify 管理画面（デモ）",
    orders: "注文",
    backToApp: "アプリに戻る",
    moreActions: "その他の操作",
    summary: "注文の概要（Shopify のスタンドイン）",
    item: "商品",
    vendor: "ベンダー",
    quantity: "数量",
    fulfilled: "発送済み数",
    fulfillments: "フルフィルメント",
    noFulfillments: "まだありません",
    tracking: "追跡",
    status: {
      FULFILLED: "発送済み",
      UNFULFILLED: "未発送",
      PARTIALLY_FULFILLED: "一部発送済み",
      ON_HOLD: "保留中",
    } as Record<string, string>,
    cancelled: "キャンセル",
    standIn:
      "このページは Shopify の注文ページのスタンドインです。下の「ベンダーの出荷」カードと「その他の操作」のアクションは、アプリの管理画面拡張機能そのものです。",
    close: "閉じる",
  },
  en: {
    admin: "Shopify admin (demo)",
    orders: "Orders",
    backToApp: "Back to the app",
    moreActions: "More actions",
    summary: "Order summary (a stand-in of Shopify's)",
    item: "Item",
    vendor: "Vendor",
    quantity: "Quantity",
    fulfilled: "Fulfilled",
    fulfillments: "Fulfillments",
    noFulfillments: "none yet",
    tracking: "Tracking",
    status: {
      FULFILLED: "Fulfilled",
      UNFULFILLED: "Unfulfilled",
      PARTIALLY_FULFILLED: "Partially fulfilled",
      ON_HOLD: "On hold",
    } as Record<string, string>,
    cancelled: "cancelled",
    standIn:
      "This page stands in for Shopify's order page. The “Vendor shipments” card below and the action under “More actions” are the app's admin extensions themselves.",
    close: "Close",
  },
} as const;

const script = (value: unknown) =>
  JSON.stringify(value).replace(/</g, "\\u003c");

function localeOf(url: URL, fallback: Locale): Locale {
  const value = url.searchParams.get("locale");
  return value === "en" ? "en" : value === "ja" ? "ja" : fallback;
}

/** The demo's orders, by the number in their gid (the id Shopify's admin URLs use). */
function orderGid(url: URL): string {
  const id = url.searchParams.get("id");
  const known = demoShop.orders.find((o) => o.id.endsWith(`/${id}`));
  return (known ?? demoShop.orders[0]!).id;
}

function orderSummary(control: Control, shop: string, gid: string) {
  const order = control.getOrder({ shop, orderId: gid });
  const fulfilled = new Map<string, number>();
  for (const f of order.fulfillments) {
    if (f.status !== "SUCCESS") continue;
    for (const line of f.lines)
      fulfilled.set(
        line.lineItemId,
        (fulfilled.get(line.lineItemId) ?? 0) + line.quantity,
      );
  }
  return {
    id: order.id,
    name: order.name,
    createdAt: order.createdAt,
    status: order.displayFulfillmentStatus,
    lines: order.lineItems.map((line) => ({
      ...line,
      fulfilled: fulfilled.get(line.id) ?? 0,
    })),
    fulfillments: order.fulfillments.map((f) => ({
      name: f.name,
      status: f.status,
      tracking: f.trackingInfo
        .map((t) => [t.company, t.number].filter(Boolean).join(" "))
        .join(", "),
      quantity: f.lines.reduce((sum, line) => sum + line.quantity, 0),
    })),
  };
}

export function orderPageRoutes(options: {
  control: Control;
  shop: string;
  shopName: string;
  appOrigin: string;
  defaultLocale: Locale;
}): Record<
  string,
  (req: IncomingMessage) => Promise<OrderPageAnswer> | OrderPageAnswer
> {
  const { control, shop } = options;
  const urlOf = (req: IncomingMessage) =>
    new URL(req.url ?? "/", "http://127.0.0.1");
  return {
    "GET /order": (req) => {
      const url = urlOf(req);
      const locale = localeOf(url, options.defaultLocale);
      const gid = orderGid(url);
      return {
        status: 200,
        type: "text/html; charset=utf-8",
        body: renderOrderPage({
          locale,
          gid,
          shop,
          shopName: options.shopName,
          summary: orderSummary(control, shop, gid),
        }),
      };
    },
    "GET /_demo/order": (req) => ({
      status: 200,
      type: "application/json",
      body: JSON.stringify(orderSummary(control, shop, orderGid(urlOf(req)))),
    }),
    "GET /extensions/frame": (req) => {
      const url = urlOf(req);
      const handle = url.searchParams.get("handle");
      if (!isHandle(handle)) return { status: 404, body: "unknown extension" };
      const locale = localeOf(url, options.defaultLocale);
      const file = locale === "ja" ? "ja.json" : "en.default.json";
      const messages = JSON.parse(
        readFileSync(
          path.join(REPO_ROOT, "extensions", handle, "locales", file),
          "utf8",
        ),
      ) as unknown;
      const config = {
        handle,
        target: EXTENSIONS[handle].target,
        orderGid: orderGid(url),
        locale,
        messages,
        appOrigin: options.appOrigin,
      };
      return {
        status: 200,
        type: "text/html; charset=utf-8",
        body: `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(handle)}</title>
<style>html,body{margin:0;background:transparent;font:13px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Noto Sans CJK JP","Noto Sans JP",sans-serif;color:#303030}</style>
<script>window.__EXTENSION__ = ${script(config)};</script>
<script type="module" src="/extensions/runtime.js"></script>
</head><body></body></html>`,
      };
    },
    "GET /extensions/runtime.js": () => ({
      status: 200,
      type: "text/javascript; charset=utf-8",
      body: readFileSync(RUNTIME_PATH, "utf8"),
    }),
    "GET /extensions/vendor-shipments-block.js": async () => ({
      status: 200,
      type: "text/javascript; charset=utf-8",
      body: Buffer.from(
        await bundleExtension("vendor-shipments-block"),
      ).toString("utf8"),
    }),
    "GET /extensions/vendor-shipments-action.js": async () => ({
      status: 200,
      type: "text/javascript; charset=utf-8",
      body: Buffer.from(
        await bundleExtension("vendor-shipments-action"),
      ).toString("utf8"),
    }),
  };
}

function renderOrderPage({
  locale,
  gid,
  shop,
  shopName,
  summary,
}: {
  locale: Locale;
  gid: string;
  shop: string;
  shopName: string;
  summary: ReturnType<typeof orderSummary>;
}): string {
  const t = COPY[locale];
  const numeric = gid.split("/").pop()!;
  const other = locale === "ja" ? "en" : "ja";
  const frame = (handle: Handle) =>
    `/extensions/frame?handle=${handle}&id=${numeric}&locale=${locale}`;
  const orderLinks = demoShop.orders
    .map((o) => {
      const id = o.id.split("/").pop()!;
      return `<a href="/order?id=${id}&locale=${locale}"${id === numeric ? ' class="current"' : ""}>${escapeHtml(o.name)}</a>`;
    })
    .join("");
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(summary.name)} · ${escapeHtml(t.admin)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
  :root { font: 13px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Noto Sans CJK JP", "Noto Sans JP", sans-serif; color: #303030; }
  * { box-sizing: border-box; }
  body { margin: 0; background: #f1f1f1; }
  header { background: #1a1a1a; color: #e3e3e3; display: flex; align-items: center; gap: 12px; padding: 0 16px; height: 48px; }
  header .brand { font-weight: 650; color: #fff; }
  header .shop { background: #303030; border-radius: 8px; padding: 4px 10px; }
  header .spacer { flex: 1; }
  header a { color: #e3e3e3; background: #303030; border-radius: 8px; padding: 5px 10px; text-decoration: none; }
  nav.orders { display: flex; flex-wrap: wrap; gap: 4px; padding: 8px 16px; background: #e3e3e3; }
  nav.orders a { color: #303030; text-decoration: none; padding: 2px 8px; border-radius: 8px; }
  nav.orders a.current { background: #fff; font-weight: 650; }
  main { max-width: 1000px; margin: 0 auto; padding: 16px; display: flex; flex-direction: column; gap: 12px; }
  .title { display: flex; align-items: center; gap: 8px; }
  .title h1 { font-size: 20px; margin: 0; }
  .title .spacer { flex: 1; }
  .menu { position: relative; }
  .menu button { font: inherit; padding: 6px 12px; border-radius: 8px; border: 0; background: #e3e3e3; cursor: pointer; }
  .menu ul { display: none; position: absolute; right: 0; top: 34px; z-index: 2; list-style: none; margin: 0; padding: 6px; background: #fff; border-radius: 12px; box-shadow: 0 4px 16px rgba(0,0,0,.2); min-width: 280px; }
  .menu.open ul { display: block; }
  .menu li button { width: 100%; text-align: left; background: none; }
  .menu li button:hover { background: #f1f1f1; }
  .card { background: #fff; border-radius: 12px; padding: 12px 16px; box-shadow: 0 1px 0 rgba(26,26,26,.07), 0 1px 2px rgba(0,0,0,.1); }
  .card h2 { font-size: 13px; margin: 0 0 8px; }
  .pill { display: inline-block; border-radius: 8px; padding: 2px 8px; font-size: 12px; background: #ffd6a4; color: #5e4200; }
  .pill.FULFILLED { background: #e3e3e3; color: #303030; }
  table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 4px 6px; border-top: 1px solid #ebebeb; vertical-align: top; }
  th { color: #616161; font-weight: 550; border-top: 0; }
  td.n, th.n { text-align: right; }
  .muted { color: #616161; font-size: 12px; }
  iframe.block { width: 100%; border: 0; display: block; min-height: 60px; }
  dialog { border: 0; border-radius: 16px; padding: 0; width: 620px; max-width: 95vw; box-shadow: 0 8px 32px rgba(0,0,0,.3); }
  dialog iframe { width: 100%; height: 560px; border: 0; display: block; }
</style>
</head>
<body>
<header>
  <span class="brand">${escapeHtml(t.admin)}</span>
  <span class="shop">${escapeHtml(shopName)} · ${escapeHtml(shop)}</span>
  <span class="spacer"></span>
  <a id="locale-switch" href="/order?id=${numeric}&locale=${other}">${other === "en" ? "English" : "日本語"}</a>
  <a href="/?locale=${locale}">${escapeHtml(t.backToApp)}</a>
</header>
<nav class="orders" aria-label="${escapeHtml(t.orders)}">${orderLinks}</nav>
<main>
  <div class="title">
    <h1 id="order-name">${escapeHtml(summary.name)}</h1>
    <span class="pill" id="order-status"></span>
    <span class="spacer"></span>
    <div class="menu" id="more-actions">
      <button type="button" aria-haspopup="menu">${escapeHtml(t.moreActions)} ▾</button>
      <ul role="menu"><li><button type="button" role="menuitem" data-extension="vendor-shipments-action" id="open-action"></button></li></ul>
    </div>
  </div>
  <section class="card" aria-label="${escapeHtml(t.summary)}">
    <h2>${escapeHtml(t.summary)}</h2>
    <table>
      <thead><tr><th>${escapeHtml(t.item)}</th><th>${escapeHtml(t.vendor)}</th><th class="n">${escapeHtml(t.quantity)}</th><th class="n">${escapeHtml(t.fulfilled)}</th></tr></thead>
      <tbody id="lines"></tbody>
    </table>
    <h2 style="margin-top:12px">${escapeHtml(t.fulfillments)}</h2>
    <div id="fulfillments" class="muted"></div>
  </section>
  <section class="card" style="padding:0;background:none;box-shadow:none">
    <iframe class="block" id="block-frame" title="vendor-shipments-block" src="${frame("vendor-shipments-block")}"></iframe>
  </section>
  <p class="muted">${escapeHtml(t.standIn)}</p>
</main>
<dialog id="action-modal"><iframe id="action-frame" title="vendor-shipments-action"></iframe></dialog>
<script>
(function () {
  var t = ${script({ status: t.status, noFulfillments: t.noFulfillments, cancelled: t.cancelled })};
  var locale = ${script(locale)};
  var orderId = ${script(numeric)};
  var actionName = ${script(readActionName(locale))};
  var summary = ${script(summary)};
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function renderSummary(s) {
    var status = document.getElementById("order-status");
    status.textContent = t.status[s.status] || s.status;
    status.className = "pill " + s.status;
    var body = document.getElementById("lines");
    body.replaceChildren();
    s.lines.forEach(function (line) {
      var tr = el("tr");
      tr.appendChild(el("td", "", line.title + (line.sku ? " (" + line.sku + ")" : "")));
      tr.appendChild(el("td", "", line.vendor || ""));
      tr.appendChild(el("td", "n", String(line.quantity)));
      tr.appendChild(el("td", "n", String(line.fulfilled)));
      body.appendChild(tr);
    });
    var box = document.getElementById("fulfillments");
    box.replaceChildren();
    if (!s.fulfillments.length) box.textContent = t.noFulfillments;
    s.fulfillments.forEach(function (f) {
      box.appendChild(el("div", "", f.name + " · ×" + f.quantity + (f.tracking ? " · " + f.tracking : "") + (f.status === "SUCCESS" ? "" : " · " + t.cancelled)));
    });
  }
  renderSummary(summary);
  function refreshSummary() {
    fetch("/_demo/order?id=" + orderId).then(function (r) { return r.json(); }).then(renderSummary);
  }

  var blockFrame = document.getElementById("block-frame");
  var modal = document.getElementById("action-modal");
  var actionFrame = document.getElementById("action-frame");
  var menu = document.getElementById("more-actions");
  document.getElementById("open-action").textContent = actionName;
  menu.querySelector("button").addEventListener("click", function () { menu.classList.toggle("open"); });
  document.getElementById("open-action").addEventListener("click", function () { menu.classList.remove("open"); openAction(); });

  function openAction() {
    actionFrame.src = "/extensions/frame?handle=vendor-shipments-action&id=" + orderId + "&locale=" + locale;
    modal.showModal();
  }
  // The admin re-renders the page's blocks when an action closes (our reading of Shopify's host).
  function closeAction() {
    if (!modal.open) return;
    modal.close();
    actionFrame.src = "about:blank";
    blockFrame.contentWindow.location.reload();
    refreshSummary();
  }
  modal.addEventListener("cancel", function (e) { e.preventDefault(); closeAction(); });

  window.addEventListener("message", function (event) {
    if (event.origin !== location.origin || !event.data || event.data.source !== "extension-host") return;
    var data = event.data;
    if (data.type === "resize" && event.source === blockFrame.contentWindow) blockFrame.style.height = data.height + "px";
    if (data.type === "close") closeAction();
    if (data.type === "navigate") {
      var href = String(data.href);
      if (href === "extension:vendor-shipments-action") openAction();
      else if (href.indexOf("app:") === 0) location.href = "/?locale=" + locale + "&path=" + encodeURIComponent("/" + href.slice(4).replace(/^\\//, ""));
    }
  });
})();
</script>
</body>
</html>`;
}

function readActionName(locale: Locale): string {
  const file = locale === "ja" ? "ja.json" : "en.default.json";
  const messages = JSON.parse(
    readFileSync(
      path.join(
        REPO_ROOT,
        "extensions",
        "vendor-shipments-action",
        "locales",
        file,
      ),
      "utf8",
    ),
  ) as { name: string };
  return messages.name;
}
