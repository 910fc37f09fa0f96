/**
 * A local stand-in for Shopify App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js),
 * served ONLY by the demo launcher (test/demo/launcher.ts) at /app-bridge.js: the app
 * loads it instead of the CDN script when APP_BRIDGE_URL is set (AppProvider's
 * __APP_BRIDGE_URL, and the library's own bounce / exit-iframe pages through the node
 * adapter). It provides what this app uses of App Bridge, as App Bridge does it:
 *
 * - `shopify.idToken()`: a fresh session token, signed by the launcher with the demo app's
 *   secret (the real one comes from Shopify admin through postMessage);
 * - `fetch` patched to add `Authorization: Bearer <session token>` to same-origin requests
 *   (Remix data requests and form submissions), to retry once with a new token when the
 *   app answers 401 with X-Shopify-Retry-Invalid-Session-Request, and to leave the
 *   iframe when it answers with X-Shopify-API-Request-Failure-Reauthorize-Url (Shopify's
 *   grant screen is played by the admin frame, which then reloads the app, granted or
 *   declined, as Shopify brings the merchant back);
 * - `shopify.toast.show(message, {isError, duration})`: a visible toast in the app's own
 *   document (`[data-demo-toast]`, role="status"), which tests read;
 * - `shopify.config`, `shopify.environment`, `shopify.loading()`, `shopify.user()`;
 * - `shopify.scopes.query/request/revoke`: the grant dialog is shown by the demo's admin
 *   frame (or granted at once when the app runs outside it);
 * - the bounce page (/auth/session-token?shopify-reload=…): reloads with a new id_token;
 * - `<ui-nav-menu>` and the other App Bridge elements are hidden, as in the admin; the nav
 *   menu's links are shown by the admin frame, whose clicks come back as the
 *   `shopify:navigate` event the Remix AppProvider listens for.
 *
 * Plain browser JavaScript, no build step. Messages to and from the admin frame are
 * `{ source: "shopify-demo", type, ... }` and checked against the launcher's origin.
 */
(function () {
  "use strict";
  if (window.shopify && window.shopify.__demoStandIn) return;

  var script = document.currentScript;
  var launcherOrigin = new URL(script ? script.src : location.href).origin;
  var apiKey = (script && script.getAttribute("data-api-key")) || "";
  var params = new URLSearchParams(location.search);
  var originalFetch = window.fetch.bind(window);
  var inFrame = window.parent !== window;

  function remember(name) {
    var value = params.get(name);
    try {
      if (value) sessionStorage.setItem("shopify-demo:" + name, value);
      else value = sessionStorage.getItem("shopify-demo:" + name);
    } catch (e) {
      // Storage may be unavailable in a third-party frame; the URL is enough then.
    }
    return value || "";
  }
  var shop = remember("shop");
  var host = remember("host");
  var locale = remember("locale") || "ja";

  // --- session tokens -------------------------------------------------------------------
  var cached = null; // { token, exp }
  var pending = null;
  function idToken(force) {
    var now = Date.now() / 1000;
    if (!force && cached && cached.exp - 10 > now)
      return Promise.resolve(cached.token);
    if (pending) return pending;
    pending = originalFetch(
      launcherOrigin + "/_demo/id-token?shop=" + encodeURIComponent(shop),
      {
        credentials: "omit",
        cache: "no-store",
      },
    )
      .then(function (response) {
        if (!response.ok)
          throw new Error(
            "the demo launcher refused a session token (" +
              response.status +
              ")",
          );
        return response.json();
      })
      .then(function (body) {
        cached = { token: body.token, exp: body.exp };
        return body.token;
      })
      .finally(function () {
        pending = null;
      });
    return pending;
  }

  // --- fetch ------------------------------------------------------------------------------
  var REAUTH_HEADER = "X-Shopify-API-Request-Failure-Reauthorize-Url";
  var RETRY_HEADER = "X-Shopify-Retry-Invalid-Session-Request";
  window.fetch = function (input, init) {
    var url;
    try {
      url = new URL(
        input instanceof Request ? input.url : String(input),
        location.href,
      );
    } catch (e) {
      return originalFetch(input, init);
    }
    if (url.origin !== location.origin) return originalFetch(input, init);
    var request = new Request(input, init);
    var addToken = !request.headers.has("Authorization");
    var spare = addToken ? request.clone() : null;
    var send = function (req, force) {
      if (!addToken) return originalFetch(req);
      return idToken(force).then(function (token) {
        req.headers.set("Authorization", "Bearer " + token);
        return originalFetch(req);
      });
    };
    return send(request, false).then(function (response) {
      var reauthorizeUrl = response.headers.get(REAUTH_HEADER);
      if (response.status === 401 && reauthorizeUrl) {
        // The page is leaving (App Bridge navigates the whole admin): nothing answers.
        leaveTo(reauthorizeUrl);
        return new Promise(function () {});
      }
      if (
        response.status === 401 &&
        response.headers.get(RETRY_HEADER) === "1" &&
        spare
      ) {
        return send(spare, true);
      }
      return response;
    });
  };

  /**
   * What App Bridge does with a reauthorize URL: the whole admin goes there. Shopify's own
   * grant screen (https://<shop>/admin/oauth/install?scope=…&optional_scopes=…) does not
   * exist offline, so the demo's admin frame plays it (a grant dialog, then the app
   * reloads, as after a real grant); any other URL is opened in the top window.
   */
  function leaveTo(url) {
    var target;
    try {
      target = new URL(url, location.href);
    } catch (e) {
      return;
    }
    if (
      target.hostname === shop &&
      target.pathname === "/admin/oauth/install"
    ) {
      var wanted = []
        .concat((target.searchParams.get("scope") || "").split(","))
        .concat((target.searchParams.get("optional_scopes") || "").split(","))
        .filter(function (scope, index, all) {
          return scope && all.indexOf(scope) === index;
        });
      if (inFrame) {
        post({ type: "install", scopes: wanted });
      } else {
        launcherJson("/_demo/scopes/grant", {
          shop: shop,
          scopes: wanted,
        }).then(function () {
          location.reload();
        });
      }
      return;
    }
    window.open(target.toString(), "_top");
  }

  // --- toasts -----------------------------------------------------------------------------
  var toastSeq = 0;
  function toastHost() {
    var el = document.getElementById("shopify-demo-toasts");
    if (el) return el;
    el = document.createElement("div");
    el.id = "shopify-demo-toasts";
    el.setAttribute("aria-live", "polite");
    el.style.cssText =
      "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:2147483647;" +
      "display:flex;flex-direction:column;align-items:center;gap:8px;pointer-events:none;";
    (document.body || document.documentElement).appendChild(el);
    return el;
  }
  function showToast(message, options) {
    options = options || {};
    var id = "toast-" + ++toastSeq;
    var el = document.createElement("div");
    el.id = id;
    el.setAttribute("role", options.isError ? "alert" : "status");
    el.setAttribute("data-demo-toast", options.isError ? "error" : "info");
    el.style.cssText =
      "pointer-events:auto;max-width:480px;padding:12px 16px;border-radius:10px;color:#fff;" +
      "font:500 14px/20px -apple-system,BlinkMacSystemFont,'San Francisco','Segoe UI',Roboto,'Noto Sans CJK JP',sans-serif;" +
      "box-shadow:0 4px 12px rgba(0,0,0,.25);background:" +
      (options.isError ? "#8e1f0b" : "#1a1a1a") +
      ";";
    el.textContent = String(message);
    el.addEventListener("click", function () {
      hideToast(id);
    });
    toastHost().appendChild(el);
    post({
      type: "toast",
      message: String(message),
      isError: Boolean(options.isError),
    });
    setTimeout(function () {
      hideToast(id);
    }, options.duration || 5000);
    return id;
  }
  function hideToast(id) {
    var el = document.getElementById(id);
    if (el) el.remove();
  }

  // --- the admin frame ---------------------------------------------------------------------
  function post(message) {
    if (!inFrame) return;
    message.source = "shopify-demo";
    try {
      window.parent.postMessage(message, launcherOrigin);
    } catch (e) {
      // The parent is not the demo's admin frame: nothing to tell.
    }
  }

  var scopeRequests = {};
  var scopeSeq = 0;
  window.addEventListener("message", function (event) {
    if (
      event.origin !== launcherOrigin ||
      !event.data ||
      event.data.source !== "shopify-demo"
    )
      return;
    var data = event.data;
    if (data.type === "navigate") navigate(data.href);
    if (data.type === "scopes-result" && scopeRequests[data.id]) {
      scopeRequests[data.id](data.response);
      delete scopeRequests[data.id];
    }
  });

  function navigate(href) {
    var links = document.querySelectorAll("ui-nav-menu a");
    var target = null;
    for (var i = 0; i < links.length; i++)
      if (links[i].getAttribute("href") === href) target = links[i];
    if (!target) {
      target = document.createElement("a");
      target.setAttribute("href", href);
      target.hidden = true;
      document.body.appendChild(target);
      setTimeout(function () {
        target.remove();
      }, 0);
    }
    target.dispatchEvent(
      new CustomEvent("shopify:navigate", { bubbles: true, composed: true }),
    );
  }

  function reportNav() {
    var menu = document.querySelector("ui-nav-menu");
    if (!menu) return;
    var items = [];
    var links = menu.querySelectorAll("a");
    for (var i = 0; i < links.length; i++) {
      items.push({
        label: links[i].textContent.trim(),
        href: links[i].getAttribute("href"),
        home: links[i].getAttribute("rel") === "home",
      });
    }
    post({ type: "nav", items: items });
  }
  var ADMIN_PARAMS = [
    "embedded",
    "shop",
    "host",
    "locale",
    "id_token",
    "hmac",
    "session",
    "timestamp",
  ];
  function reportLocation() {
    var search = new URLSearchParams(location.search);
    ADMIN_PARAMS.forEach(function (name) {
      search.delete(name);
    });
    var query = search.toString();
    post({
      type: "location",
      path: location.pathname + (query ? "?" + query : ""),
      title: document.title,
    });
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      setTimeout(reportLocation, 0);
      return result;
    };
  });
  window.addEventListener("popstate", reportLocation);

  // --- App Bridge's web components: hidden, as the admin renders them outside the app ----
  var style = document.createElement("style");
  style.textContent =
    "ui-nav-menu,ui-title-bar,ui-save-bar,ui-modal{display:none!important}";
  (document.head || document.documentElement).appendChild(style);
  ["ui-nav-menu", "ui-title-bar", "ui-save-bar", "ui-modal"].forEach(
    function (name) {
      if (customElements.get(name)) return;
      customElements.define(
        name,
        class extends HTMLElement {
          show() {
            return Promise.resolve();
          }
          hide() {
            return Promise.resolve();
          }
          toggle() {
            return Promise.resolve();
          }
        },
      );
    },
  );

  // --- scopes -----------------------------------------------------------------------------
  function launcherJson(path, body) {
    return originalFetch(launcherOrigin + path, {
      method: body ? "POST" : "GET",
      headers: body ? { "Content-Type": "application/json" } : undefined,
      body: body ? JSON.stringify(body) : undefined,
      credentials: "omit",
    }).then(function (response) {
      if (!response.ok)
        throw new Error(
          "demo launcher: " + path + " answered " + response.status,
        );
      return response.json();
    });
  }
  var scopes = {
    query: function () {
      return launcherJson("/_demo/scopes?shop=" + encodeURIComponent(shop));
    },
    request: function (wanted) {
      if (!inFrame)
        return launcherJson("/_demo/scopes/grant", {
          shop: shop,
          scopes: wanted,
        });
      return new Promise(function (resolve) {
        var id = "scopes-" + ++scopeSeq;
        scopeRequests[id] = resolve;
        post({ type: "scopes-request", id: id, scopes: wanted });
      });
    },
    revoke: function (unwanted) {
      return launcherJson("/_demo/scopes/revoke", {
        shop: shop,
        scopes: unwanted,
      });
    },
  };

  // --- the global -------------------------------------------------------------------------
  window.shopify = {
    __demoStandIn: true,
    config: { apiKey: apiKey, shop: shop, host: host, locale: locale },
    environment: { embedded: inFrame, mobile: false, pos: false },
    origin: launcherOrigin,
    idToken: function () {
      return idToken(false);
    },
    toast: { show: showToast, hide: hideToast },
    loading: function () {},
    user: function () {
      return Promise.resolve({ accountAccess: "Account owner" });
    },
    scopes: scopes,
    modal: {
      show: function () {},
      hide: function () {},
      toggle: function () {},
    },
    saveBar: {
      show: function () {},
      hide: function () {},
      toggle: function () {},
      leaveConfirmation: function () {},
    },
  };

  // --- the bounce page: what App Bridge does on /auth/session-token ------------------------
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken(true).then(function (token) {
      var target = new URL(reload, location.href);
      if (target.origin !== location.origin) return;
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  function ready() {
    reportNav();
    reportLocation();
    var menu = document.querySelector("ui-nav-menu");
    if (menu)
      new MutationObserver(reportNav).observe(menu, {
        subtree: true,
        childList: true,
        characterData: true,
      });
  }
  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
