/**
 * The demo's local "Shopify admin": a page that embeds the app in an iframe the way the
 * admin does (embedded, shop, host, locale and a signed id_token in the URL), shows the
 * app's nav menu in a sidebar, and beside the app a fault panel that makes the simulated
 * Shopify fail (through the launcher's /_demo API) with a live view of the Admin API
 * requests the simulator received. Rendered by launcher.ts.
 */

import { escapeHtml } from "./html";
import { renderShopifyAdminCard, shopifyAdminScript } from "./shopify-admin";

export interface AdminFrameOptions {
  appSrc: string;
  appOrigin: string;
  shop: string;
  shopName: string;
  locale: "ja" | "en";
  path: string;
}

const COPY = {
  ja: {
    admin: "Shopify 管理画面（デモ）",
    apps: "アプリ",
    orderPage: "注文ページ（管理画面拡張）",
    reload: "再読み込み",
    panel: "Shopify を失敗させる",
    panelHint:
      "ローカルのシミュレーターに障害を起こします。アプリがどう扱うかを確認できます。",
    count: "次の N 回",
    throttle: "スロットリング",
    throttleHint: "Admin API の呼び出しに THROTTLED を返す",
    outage: "障害（503）",
    outageHint: "fulfillmentCreate に 503 を返す",
    lostAnswers: "応答の消失",
    lostAnswersHint: "fulfillmentCreate は実行されるが、応答が届かない",
    revokeToken: "トークンを失効",
    revokeTokenHint: "アプリのアクセストークンを無効にする（401）",
    removeScope: "権限を削除",
    removeScopeHint: "write_merchant_managed_fulfillment_orders を外す（403）",
    restore: "すべて元に戻す",
    restoreHint: "障害ルールを消し、権限を戻す",
    state: "シミュレーターの状態",
    activeFaults: "有効な障害",
    none: "なし",
    scopes: "付与された権限",
    token: "アプリのトークン",
    tokenLive: "有効",
    tokenRevoked: "失効（アプリの再認証待ち）",
    requests: "最近の Admin API リクエスト",
    noRequests: "まだありません",
    grantTitle: "アプリが追加の権限を求めています",
    grantBody: "「{app}」に次の権限を付与しますか?",
    grant: "付与する",
    decline: "拒否する",
  },
  en: {
    admin: "Shopify admin (demo)",
    apps: "Apps",
    orderPage: "Order page (admin extensions)",
    reload: "Reload",
    panel: "Make Shopify fail",
    panelHint: "Faults in the local simulator: watch how the app copes.",
    count: "next N calls",
    throttle: "Throttle",
    throttleHint: "THROTTLED on Admin API calls",
    outage: "Outage (503)",
    outageHint: "503 on fulfillmentCreate",
    lostAnswers: "Lost answers",
    lostAnswersHint: "fulfillmentCreate runs, its answer never arrives",
    revokeToken: "Revoke the token",
    revokeTokenHint: "the app's access token stops working (401)",
    removeScope: "Remove a scope",
    removeScopeHint:
      "take away write_merchant_managed_fulfillment_orders (403)",
    restore: "Restore everything",
    restoreHint: "clear fault rules, give the scopes back",
    state: "Simulator state",
    activeFaults: "Active faults",
    none: "none",
    scopes: "Granted scopes",
    token: "App token",
    tokenLive: "live",
    tokenRevoked: "revoked (waiting for the app to re-authorize)",
    requests: "Recent Admin API requests",
    noRequests: "none yet",
    grantTitle: "The app asks for more access",
    grantBody: "Grant “{app}” these scopes?",
    grant: "Grant",
    decline: "Decline",
  },
} as const;

export function renderAdminFrame(options: AdminFrameOptions): string {
  const t = COPY[options.locale];
  const other = options.locale === "ja" ? "en" : "ja";
  const switchHref = `/?locale=${other}&path=${encodeURIComponent(options.path)}`;
  const config = JSON.stringify({
    appOrigin: options.appOrigin,
    locale: options.locale,
    copy: t,
  }).replace(/</g, "\\u003c");
  const button = (kind: string, counted: boolean, tone = "") => `
      <button type="button" class="fault ${tone}" data-fault="${kind}" data-counted="${counted}">
        <span class="fault-title">${escapeHtml(t[kind as keyof typeof t] as string)}</span>
        <span class="fault-hint">${escapeHtml(t[`${kind}Hint` as keyof typeof t] as string)}</span>
      </button>`;

  return `<!doctype html>
<html lang="${options.locale}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(t.admin)} · ${escapeHtml(options.shopName)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
  :root { --bar: 48px; --side: 200px; --panel: 320px;
    font: 13px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Noto Sans CJK JP", "Noto Sans JP", sans-serif;
    color: #303030; }
  * { box-sizing: border-box; }
  body { margin: 0; height: 100vh; display: grid; background: #ebebeb;
    grid-template: "bar bar bar" var(--bar) "side main panel" 1fr / var(--side) 1fr var(--panel); }
  header { grid-area: bar; background: #1a1a1a; color: #e3e3e3; display: flex; align-items: center; gap: 16px; padding: 0 16px; }
  header .brand { font-weight: 650; color: #fff; }
  header .shop { background: #303030; border-radius: 8px; padding: 4px 10px; }
  header .spacer { flex: 1; }
  header a, header button { color: #e3e3e3; background: #303030; border: 0; border-radius: 8px; padding: 5px 10px; font: inherit; text-decoration: none; cursor: pointer; }
  header a:hover, header button:hover { background: #4a4a4a; }
  header .path { font-family: ui-monospace, monospace; font-size: 12px; color: #b5b5b5; max-width: 420px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  nav { grid-area: side; padding: 12px 8px; }
  nav h2 { font-size: 12px; font-weight: 600; color: #616161; margin: 8px 8px 4px; }
  nav a { display: block; padding: 6px 8px; border-radius: 8px; color: #303030; text-decoration: none; }
  nav a.home { font-weight: 650; }
  nav a:hover { background: #e3e3e3; }
  nav a.current { background: #fff; }
  main { grid-area: main; padding: 8px 0 0; min-width: 0; }
  main iframe { width: 100%; height: 100%; border: 0; border-radius: 12px 12px 0 0; background: #f1f1f1; display: block; }
  aside { grid-area: panel; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 12px; }
  .card { background: #fff; border-radius: 12px; padding: 12px; box-shadow: 0 1px 0 rgba(26,26,26,.07), 0 1px 2px rgba(0,0,0,.1); }
  .card h2 { font-size: 13px; font-weight: 650; margin: 0 0 4px; }
  .hint { color: #616161; margin: 0 0 8px; font-size: 12px; }
  .count { display: flex; align-items: center; gap: 8px; margin-bottom: 8px; }
  .count input { width: 56px; padding: 4px 6px; border: 1px solid #8a8a8a; border-radius: 8px; font: inherit; }
  .fault { display: block; width: 100%; text-align: left; margin: 0 0 6px; padding: 7px 10px; background: #f7f7f7;
    border: 1px solid #d4d4d4; border-radius: 8px; cursor: pointer; font: inherit; }
  .fault:hover { background: #efefef; }
  .fault.critical .fault-title { color: #8e1f0b; }
  .fault.success { background: #e6f4ea; border-color: #9bd2ad; }
  .fault-title { display: block; font-weight: 600; }
  .fault-hint { display: block; color: #616161; font-size: 12px; }
  dl { margin: 0; font-size: 12px; }
  dt { color: #616161; margin-top: 6px; } dt:first-child { margin-top: 0; } dd { margin: 0; word-break: break-word; }
  #state-scopes { white-space: pre-line; font-family: ui-monospace, monospace; font-size: 11px; }
  .log { margin: 6px 0 0; font-size: 12px; color: #005bd3; min-height: 1em; }
  table { width: 100%; border-collapse: collapse; font-size: 11.5px; font-variant-numeric: tabular-nums; }
  td { padding: 2px 4px; border-top: 1px solid #ebebeb; vertical-align: top; }
  td.op { font-family: ui-monospace, monospace; word-break: break-all; }
  .ok { color: #0c5132; } .bad { color: #8e1f0b; font-weight: 600; } .warn { color: #8a6116; font-weight: 600; }
  dialog { border: 0; border-radius: 12px; padding: 16px; width: 420px; box-shadow: 0 8px 32px rgba(0,0,0,.3); }
  dialog h2 { margin: 0 0 8px; font-size: 15px; }
  dialog ul { padding-left: 18px; font-family: ui-monospace, monospace; }
  dialog .actions { display: flex; justify-content: flex-end; gap: 8px; }
  dialog button { padding: 6px 12px; border-radius: 8px; border: 1px solid #8a8a8a; background: #fff; font: inherit; cursor: pointer; }
  dialog button.primary { background: #303030; color: #fff; border-color: #303030; }
</style>
</head>
<body>
<header>
  <span class="brand">${escapeHtml(t.admin)}</span>
  <span class="shop">${escapeHtml(options.shopName)} · ${escapeHtml(options.shop)}</span>
  <span class="path" id="app-path">${escapeHtml(options.path)}</span>
  <span class="spacer"></span>
  <a id="locale-switch" href="${escapeHtml(switchHref)}">${other === "en" ? "English" : "日本語"}</a>
  <button type="button" id="reload">${escapeHtml(t.reload)}</button>
</header>
<nav aria-label="${escapeHtml(t.apps)}">
  <h2>${escapeHtml(t.apps)}</h2>
  <div id="app-nav"></div>
  <h2>Shopify</h2>
  <a id="order-page-link" href="/order?locale=${options.locale}">${escapeHtml(t.orderPage)}</a>
</nav>
<main>
  <iframe id="app-frame" title="app" src="${escapeHtml(options.appSrc)}"></iframe>
</main>
<aside aria-label="${escapeHtml(t.panel)}" id="fault-panel">
  <section class="card">
    <h2>${escapeHtml(t.panel)}</h2>
    <p class="hint">${escapeHtml(t.panelHint)}</p>
    <label class="count">${escapeHtml(t.count)} <input id="fault-count" type="number" min="1" max="100" value="3"></label>
    ${button("throttle", true)}
    ${button("outage", true)}
    ${button("lostAnswers", true)}
    ${button("revokeToken", false, "critical")}
    ${button("removeScope", false, "critical")}
    ${button("restore", false, "success")}
    <p class="log" id="fault-log" role="status"></p>
  </section>
  ${renderShopifyAdminCard(options.locale)}
  <section class="card">
    <h2>${escapeHtml(t.state)}</h2>
    <dl>
      <dt>${escapeHtml(t.activeFaults)}</dt><dd id="state-faults">…</dd>
      <dt>${escapeHtml(t.token)}</dt><dd id="state-token">…</dd>
      <dt>${escapeHtml(t.scopes)}</dt><dd id="state-scopes">…</dd>
    </dl>
  </section>
  <section class="card">
    <h2>${escapeHtml(t.requests)}</h2>
    <table><tbody id="requests"><tr><td>${escapeHtml(t.noRequests)}</td></tr></tbody></table>
  </section>
</aside>
<dialog id="grant">
  <h2>${escapeHtml(t.grantTitle)}</h2>
  <p id="grant-body"></p>
  <ul id="grant-scopes"></ul>
  <div class="actions">
    <button type="button" id="grant-decline">${escapeHtml(t.decline)}</button>
    <button type="button" id="grant-accept" class="primary">${escapeHtml(t.grant)}</button>
  </div>
</dialog>
<script>
(function () {
  var config = ${config};
  var t = config.copy;
  var frame = document.getElementById("app-frame");
  var appName = "app";
  var currentPath = ${JSON.stringify(options.path)};

  function send(message) {
    message.source = "shopify-demo";
    frame.contentWindow.postMessage(message, config.appOrigin);
  }
  function text(el, value) { el.textContent = value; return el; }
  function el(tag, cls, value) { var e = document.createElement(tag); if (cls) e.className = cls; if (value !== undefined) text(e, value); return e; }

  window.addEventListener("message", function (event) {
    if (event.origin !== config.appOrigin || !event.data || event.data.source !== "shopify-demo") return;
    var data = event.data;
    if (data.type === "nav") renderNav(data.items);
    if (data.type === "location") {
      currentPath = data.path;
      text(document.getElementById("app-path"), data.path);
      var sw = document.getElementById("locale-switch");
      sw.href = "/?locale=" + (config.locale === "ja" ? "en" : "ja") + "&path=" + encodeURIComponent(data.path.split("?")[0]);
      markCurrent();
    }
    if (data.type === "scopes-request") askGrant(data.scopes, function (response) {
      send({ type: "scopes-result", id: data.id, response: response });
    });
    // The app sent the admin to Shopify's grant screen (scopes.request on the server).
    // Granted or declined, Shopify then loads the app again.
    if (data.type === "install") askGrant(data.scopes, function () { reloadApp(); });
  });

  function renderNav(items) {
    var box = document.getElementById("app-nav");
    box.replaceChildren();
    items.forEach(function (item) {
      if (item.home) appName = item.label;
      var a = el("a", item.home ? "home" : "", item.label);
      a.href = "#";
      a.dataset.href = item.href;
      a.addEventListener("click", function (e) { e.preventDefault(); send({ type: "navigate", href: item.href }); });
      box.appendChild(a);
    });
    markCurrent();
  }
  function markCurrent() {
    var path = currentPath.split("?")[0];
    document.querySelectorAll("#app-nav a").forEach(function (a) {
      a.classList.toggle("current", !a.classList.contains("home") && a.dataset.href === path);
    });
  }

  function reloadApp() {
    location.href = "/?locale=" + config.locale + "&path=" + encodeURIComponent(currentPath.split("?")[0]);
  }
  document.getElementById("reload").addEventListener("click", reloadApp);

  document.querySelectorAll("button[data-fault]").forEach(function (button) {
    button.addEventListener("click", function () {
      var count = Number(document.getElementById("fault-count").value) || 1;
      fetch("/_demo/fault", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ kind: button.dataset.fault, count: count }),
      })
        .then(function (r) { return r.json(); })
        .then(function (body) { text(document.getElementById("fault-log"), body.message || body.error); refresh(); });
    });
  });

  var grantDialog = document.getElementById("grant");
  var pendingGrant = null;
  /** Shopify's grant screen: only scopes not granted yet are asked for. */
  function askGrant(scopes, answer) {
    fetch("/_demo/scopes").then(function (r) { return r.json(); }).then(function (detail) {
      var missing = scopes.filter(function (s) { return detail.granted.indexOf(s) < 0; });
      if (!missing.length) { answer({ result: "granted-all", detail: detail }); return; }
      pendingGrant = { scopes: missing, answer: answer };
      text(document.getElementById("grant-body"), t.grantBody.replace("{app}", appName));
      var list = document.getElementById("grant-scopes");
      list.replaceChildren();
      missing.forEach(function (s) { list.appendChild(el("li", "", s)); });
      grantDialog.showModal();
    });
  }
  function answerGrant(grant) {
    if (!pendingGrant) return;
    var request = pendingGrant;
    pendingGrant = null;
    grantDialog.close();
    fetch(grant ? "/_demo/scopes/grant" : "/_demo/scopes/decline", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ scopes: request.scopes }),
    })
      .then(function (r) { return r.json(); })
      .then(function (response) { request.answer(response); refresh(); });
  }
  document.getElementById("grant-accept").addEventListener("click", function () { answerGrant(true); });
  document.getElementById("grant-decline").addEventListener("click", function () { answerGrant(false); });
  grantDialog.addEventListener("cancel", function (e) { e.preventDefault(); answerGrant(false); });

  function describe(rule) {
    var a = rule.action;
    var what = a.type === "httpError" ? String(a.status) : a.type;
    var left = rule.times === null ? "∞" : String(rule.times - rule.fired);
    return what + (rule.operation ? " @" + rule.operation : "") + " ×" + left;
  }
  function refresh() {
    fetch("/_demo/state").then(function (r) { return r.json(); }).then(function (state) {
      var live = state.faults.filter(function (f) { return f.times === null || f.fired < f.times; });
      text(document.getElementById("state-faults"), live.length ? live.map(describe).join(", ") : t.none);
      var token = document.getElementById("state-token");
      text(token, state.liveTokens > 0 ? t.tokenLive : t.tokenRevoked);
      token.className = state.liveTokens > 0 ? "ok" : "bad";
      text(document.getElementById("state-scopes"), state.scopes.join("\\n"));
      var body = document.getElementById("requests");
      body.replaceChildren();
      if (!state.requests.length) {
        var tr0 = el("tr"); tr0.appendChild(el("td", "", t.noRequests)); body.appendChild(tr0);
      }
      state.requests.forEach(function (r) {
        var tr = el("tr");
        tr.appendChild(el("td", "", r.at.slice(11, 19)));
        tr.appendChild(el("td", "op", (r.rootFields && r.rootFields.length ? r.rootFields.join(",") : r.operationName) || "?"));
        var outcome = r.throttled ? "THROTTLED" : String(r.outcome);
        var cls = r.throttled ? "warn" : r.outcome === 200 && !r.fault ? "ok" : "bad";
        tr.appendChild(el("td", cls, r.fault && !r.throttled ? outcome + " (" + r.fault + ")" : outcome));
        tr.appendChild(el("td", "", r.actualQueryCost == null ? "" : String(r.actualQueryCost)));
        body.appendChild(tr);
      });
    }).catch(function () {});
  }
  refresh();
  setInterval(refresh, 1000);
})();
${shopifyAdminScript(options.locale)}
</script>
</body>
</html>`;
}
