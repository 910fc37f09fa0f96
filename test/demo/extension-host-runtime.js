/**
 * The demo's stand-in for Shopify's admin extension host, loaded into each extension's
 * iframe by order-page.ts. It gives the extension what Shopify's host gives it:
 * - `globalThis.shopify`: extension.target, i18n.translate over the extension's locale
 *   file for the admin's language (`{{name}}` placeholders), data.selected (the order),
 *   close() for an action, navigation.navigate() for a block;
 * - fetch: a relative URL goes to the app's origin with `Authorization: Bearer <session
 *   token>` (a fresh token from the demo launcher, signed with the app's secret);
 * - the Polaris web components it uses (s-admin-block, s-stack, s-badge, …) as small
 *   custom elements that look roughly like Polaris. They are NOT Shopify's components:
 *   same tags, attributes, events and slots, simpler rendering.
 * Not reproduced: the Web Worker sandbox and remote-dom (the extension runs in an
 * iframe's main thread here), the 64 KB bundle limit, Shopify's own styles.
 */
const config = window.__EXTENSION__;

function lookup(messages, key) {
  return key
    .split(".")
    .reduce((node, part) => (node == null ? undefined : node[part]), messages);
}

window.shopify = {
  extension: { target: config.target },
  i18n: {
    translate(key, values = {}) {
      const text = lookup(config.messages, key);
      if (typeof text !== "string") return key;
      return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) =>
        name in values ? String(values[name]) : `{{${name}}}`,
      );
    },
    formatNumber: (n, o) => new Intl.NumberFormat(config.locale, o).format(n),
    formatCurrency: (n, o) =>
      new Intl.NumberFormat(config.locale, {
        style: "currency",
        currency: "JPY",
        ...o,
      }).format(n),
    formatDate: (d, o) => new Intl.DateTimeFormat(config.locale, o).format(d),
  },
  data: { selected: [{ id: config.orderGid }] },
  close() {
    post({ type: "close" });
  },
  navigation: {
    navigate(url) {
      post({ type: "navigate", href: String(url) });
    },
  },
};

function post(message) {
  window.parent.postMessage(
    { source: "extension-host", handle: config.handle, ...message },
    location.origin,
  );
}

// Shopify adds the session token to fetches of the app's URL and resolves relative URLs
// against the app's URL.
let token = null;
async function sessionToken() {
  if (!token || token.exp * 1000 < Date.now() + 10_000) {
    token = await (await window.fetch.original("/_demo/id-token")).json();
  }
  return token.token;
}
const originalFetch = window.fetch.bind(window);
window.fetch = async (input, init = {}) => {
  if (typeof input === "string" && input.startsWith("/")) {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${await sessionToken()}`);
    return originalFetch(config.appOrigin + input, { ...init, headers });
  }
  return originalFetch(input, init);
};
window.fetch.original = originalFetch;

// ---------------------------------------------------------------------------
// Polaris web component stand-ins
// ---------------------------------------------------------------------------

const css = new CSSStyleSheet();
css.replaceSync(`
  .card { background: #fff; border-radius: 12px; padding: 12px 16px 16px; box-shadow: 0 1px 0 rgba(26,26,26,.07), 0 1px 2px rgba(0,0,0,.1); }
  h2 { font-size: 13px; font-weight: 650; margin: 0 0 10px; }
  .badge { display: inline-block; border-radius: 8px; padding: 1px 8px; font-size: 12px; font-weight: 550; background: #e3e3e3; color: #303030; white-space: nowrap; }
  .badge.success { background: #cdfee1; color: #0c5132; } .badge.info { background: #e0f0ff; color: #00527c; }
  .badge.caution { background: #fff1c2; color: #4f4700; } .badge.warning { background: #ffd6a4; color: #5e4200; }
  .badge.critical { background: #fedad9; color: #8e1f0b; }
  button.b { font: inherit; font-weight: 550; border-radius: 8px; padding: 5px 12px; cursor: pointer; border: 0;
    background: #fff; color: #303030; box-shadow: inset 0 0 0 1px #d4d4d4, 0 1px 0 rgba(0,0,0,.05); }
  button.b.primary { background: #303030; color: #fff; box-shadow: none; }
  button.b.tertiary { background: none; box-shadow: none; color: #005bd3; padding: 5px 4px; }
  button.b:disabled { opacity: .5; cursor: default; }
  a { color: #005bd3; text-decoration: underline; cursor: pointer; }
  label { display: block; margin-bottom: 4px; }
  input, textarea, select { box-sizing: border-box; font: inherit; width: 100%; padding: 6px 10px; border: 1px solid #8a8a8a; border-radius: 8px; background: #fdfdfd; }
  .field.invalid input, .field.invalid textarea, .field.invalid select { border-color: #c70a24; background: #fee9e8; }
  .details { color: #616161; font-size: 12px; margin-top: 4px; }
  .error { color: #8e1f0b; font-size: 12px; margin-top: 4px; }
  .banner { border-radius: 8px; padding: 8px 12px; background: #e0f0ff; margin-bottom: 10px; }
  .banner.critical { background: #fedad9; } .banner.warning, .banner.caution { background: #fff1c2; }
  .modal { display: flex; flex-direction: column; height: 100vh; background: #fff; }
  .modal h2 { font-size: 15px; margin: 0; padding: 14px 16px; border-bottom: 1px solid #ebebeb; }
  .modal .body { flex: 1; overflow: auto; padding: 16px; }
  .modal footer { display: flex; justify-content: flex-end; gap: 8px; padding: 12px 16px; border-top: 1px solid #ebebeb; background: #f7f7f7; }
  .chip { font: inherit; font-size: 12px; border-radius: 16px; border: 1px solid #d4d4d4; background: #f7f7f7; padding: 2px 10px; cursor: pointer; }
  hr { border: 0; border-top: 1px solid #ebebeb; margin: 4px 0; }
  ul { margin: 0; padding-left: 18px; }
  .check { display: flex; gap: 6px; align-items: center; } .check input { width: auto; }
`);

const GAPS = {
  none: "0",
  "small-500": "2px",
  "small-400": "2px",
  "small-300": "4px",
  "small-200": "4px",
  "small-100": "6px",
  small: "8px",
  base: "12px",
  large: "16px",
};

class Element extends HTMLElement {
  static get observedAttributes() {
    return this.attrs ?? [];
  }
  constructor() {
    super();
    this.attachShadow({ mode: "open" }).adoptedStyleSheets = [css];
  }
  connectedCallback() {
    this.render();
  }
  attributeChangedCallback() {
    if (this.isConnected) this.render();
  }
  attr(name) {
    return this.getAttribute(name);
  }
  flag(name) {
    return this.hasAttribute(name) && this.getAttribute(name) !== "false";
  }
  html(markup) {
    // Block by default; an element's own :host rule comes later and wins (adopted sheets
    // would come after both).
    this.shadowRoot.innerHTML = `<style>:host{display:block}</style>${markup}`;
  }
}
const esc = (v) =>
  String(v ?? "").replace(
    /[&<>"']/g,
    (c) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[
        c
      ],
  );

function define(tag, cls) {
  if (!customElements.get(tag)) customElements.define(tag, cls);
}

define(
  "s-admin-block",
  class extends Element {
    static attrs = ["heading"];
    render() {
      this.html(
        `<section class="card"><h2>${esc(this.attr("heading"))}</h2><slot></slot></section>`,
      );
    }
  },
);

define(
  "s-admin-action",
  class extends Element {
    static attrs = ["heading", "loading"];
    render() {
      this
        .html(`<div class="modal"><h2>${esc(this.attr("heading"))}</h2><div class="body">${this.flag("loading") ? "…" : ""}<slot></slot></div>
      <footer><slot name="secondary-actions"></slot><slot name="primary-action"></slot></footer></div>`);
    }
  },
);

define(
  "s-stack",
  class extends Element {
    static attrs = ["direction", "gap", "alignitems", "justifycontent"];
    render() {
      const inline = this.attr("direction") === "inline";
      const gap = GAPS[this.attr("gap") ?? "none"] ?? "0";
      this
        .html(`<style>:host{display:flex;flex-direction:${inline ? "row" : "column"};${inline ? "flex-wrap:wrap;" : ""}gap:${gap};
      align-items:${this.attr("alignitems") ?? (inline ? "center" : "stretch")};justify-content:${this.attr("justifycontent") ?? "flex-start"}}</style><slot></slot>`);
    }
  },
);

define(
  "s-text",
  class extends Element {
    static attrs = ["type", "tone", "color"];
    render() {
      const color =
        this.attr("tone") === "critical"
          ? "#8e1f0b"
          : this.attr("color") === "subdued"
            ? "#616161"
            : "inherit";
      this.html(
        `<style>:host{display:inline;color:${color};${this.attr("type") === "strong" ? "font-weight:700;" : ""}}</style><slot></slot>`,
      );
    }
  },
);

define(
  "s-paragraph",
  class extends Element {
    render() {
      this.html(`<style>:host{display:block;margin:0}</style><slot></slot>`);
    }
  },
);

define(
  "s-badge",
  class extends Element {
    static attrs = ["tone"];
    render() {
      this.html(
        `<style>:host{display:inline-block}</style><span class="badge ${esc(this.attr("tone") ?? "")}"><slot></slot></span>`,
      );
    }
  },
);

define(
  "s-divider",
  class extends Element {
    render() {
      this.html(`<hr>`);
    }
  },
);

define(
  "s-unordered-list",
  class extends Element {
    render() {
      this.html(`<ul><slot></slot></ul>`);
    }
  },
);

define(
  "s-list-item",
  class extends Element {
    render() {
      this.html(`<style>:host{display:list-item}</style><slot></slot>`);
    }
  },
);

define(
  "s-banner",
  class extends Element {
    static attrs = ["tone", "heading"];
    render() {
      const heading = this.attr("heading");
      this.html(
        `<div class="banner ${esc(this.attr("tone") ?? "")}" role="status">${heading ? `<strong>${esc(heading)}</strong><br>` : ""}<slot></slot></div>`,
      );
    }
  },
);

define(
  "s-link",
  class extends Element {
    static attrs = ["href"];
    constructor() {
      super();
      this.addEventListener("click", () => {
        const href = this.attr("href");
        if (href) post({ type: "navigate", href });
      });
    }
    render() {
      this.html(
        `<style>:host{display:inline}</style><a role="link" tabindex="0"><slot></slot></a>`,
      );
    }
  },
);

define(
  "s-button",
  class extends Element {
    static attrs = ["variant", "loading", "disabled"];
    constructor() {
      super();
      // A disabled or busy button's clicks never reach the extension's handler.
      this.addEventListener(
        "click",
        (event) => {
          if (this.flag("disabled") || this.flag("loading"))
            event.stopImmediatePropagation();
        },
        { capture: true },
      );
    }
    render() {
      const busy = this.flag("loading");
      this.html(
        `<style>:host{display:inline-block}</style><button class="b ${esc(this.attr("variant") ?? "")}" ${this.flag("disabled") || busy ? "disabled" : ""} aria-busy="${busy}">${busy ? "… " : ""}<slot></slot></button>`,
      );
    }
  },
);

define(
  "s-clickable-chip",
  class extends Element {
    render() {
      this.html(
        `<style>:host{display:inline-block}</style><button class="chip" type="button"><slot></slot></button>`,
      );
    }
  },
);

/** Fields keep their value in a property, as Polaris' do; input is composed, change is re-sent. */
class Field extends Element {
  static attrs = [
    "label",
    "error",
    "details",
    "placeholder",
    "name",
    "rows",
    "disabled",
  ];
  constructor() {
    super();
    this._value = "";
  }
  get value() {
    return this._value;
  }
  set value(v) {
    this._value = v ?? "";
    const control = this.control();
    if (control && control.value !== this._value) control.value = this._value;
  }
  control() {
    return this.shadowRoot.querySelector("input, textarea, select");
  }
  input() {
    return `<input type="text" id="c" placeholder="${esc(this.attr("placeholder"))}" autocomplete="off">`;
  }
  render() {
    const current = this._value;
    const error = this.attr("error");
    this
      .html(`<div class="field ${error ? "invalid" : ""}"><label for="c">${esc(this.attr("label"))}</label>${this.input()}
      ${error ? `<div class="error" role="alert">${esc(error)}</div>` : ""}${this.attr("details") ? `<div class="details">${esc(this.attr("details"))}</div>` : ""}</div>`);
    const control = this.control();
    control.value = current;
    control.addEventListener("input", () => {
      this._value = control.value;
    });
    control.addEventListener("change", () => {
      this._value = control.value;
      this.dispatchEvent(new Event("change"));
    });
  }
}
define("s-text-field", class extends Field {});
define(
  "s-url-field",
  class extends Field {
    input() {
      return `<input type="url" id="c" placeholder="${esc(this.attr("placeholder"))}" autocomplete="off">`;
    }
  },
);
define(
  "s-text-area",
  class extends Field {
    input() {
      return `<textarea id="c" rows="${esc(this.attr("rows") ?? "2")}"></textarea>`;
    }
  },
);

define(
  "s-select",
  class extends Field {
    connectedCallback() {
      super.connectedCallback();
      new MutationObserver(() => this.render()).observe(this, {
        childList: true,
        subtree: true,
        characterData: true,
        attributes: true,
      });
    }
    input() {
      const options = [...this.querySelectorAll("s-option")]
        .map(
          (o) =>
            `<option value="${esc(o.getAttribute("value"))}">${esc(o.textContent)}</option>`,
        )
        .join("");
      return `<select id="c">${options}</select>`;
    }
  },
);
define("s-option", class extends HTMLElement {});

define(
  "s-checkbox",
  class extends Element {
    static attrs = ["label", "name"];
    constructor() {
      super();
      this._checked = false;
    }
    get checked() {
      return this._checked;
    }
    set checked(v) {
      this._checked = !!v;
      const box = this.shadowRoot.querySelector("input");
      if (box) box.checked = this._checked;
    }
    render() {
      this.html(
        `<label class="check"><input type="checkbox"> ${esc(this.attr("label"))}</label>`,
      );
      const box = this.shadowRoot.querySelector("input");
      box.checked = this._checked;
      box.addEventListener("change", () => {
        this._checked = box.checked;
        this.dispatchEvent(new Event("change"));
      });
    }
  },
);

// Tell the page how tall the block is (Shopify's admin sizes the card).
new ResizeObserver(() =>
  post({ type: "resize", height: document.documentElement.scrollHeight }),
).observe(document.body);

const module = await import(`/extensions/${config.handle}.js`);
await module.default();
