/**
 * The fault panel's "in Shopify admin" card: the merchant changes an order in Shopify
 * admin (cancels a fulfillment, edits its tracking, cancels the order, moves a
 * fulfillment order) and the simulator delivers the webhooks to the app, as Shopify
 * would. The card lists the shop's orders and the last webhook deliveries with their
 * answers. Served by launcher.ts (POST /_demo/admin-action, GET /_demo/admin-orders).
 */
import { escapeHtml } from "./html";
import type { Control } from "../shopify-sim";

export const ADMIN_ACTIONS = [
  "cancelFulfillment",
  "editTracking",
  "cancelOrder",
  "moveFulfillmentOrder",
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export function isAdminAction(value: unknown): value is AdminAction {
  return (
    typeof value === "string" &&
    (ADMIN_ACTIONS as readonly string[]).includes(value)
  );
}

const COPY = {
  ja: {
    title: "Shopify 管理画面で変更する",
    hint: "シミュレーター上の注文を変更します。Webhook がアプリに届きます（重複・順不同あり）。",
    order: "注文",
    newTracking: "新しい追跡番号",
    cancelFulfillment: "この発送（フルフィルメント）をキャンセル",
    editTracking: "追跡番号を編集",
    cancelOrder: "注文をキャンセル",
    moveFulfillmentOrder: "フルフィルメントオーダーを別の拠点へ移動",
    webhooks: "最近の Webhook 配信",
    noWebhooks: "まだありません",
  },
  en: {
    title: "Change it in Shopify admin",
    hint: "Changes an order in the simulator; webhooks reach the app (duplicated, out of order).",
    order: "Order",
    newTracking: "New tracking number",
    cancelFulfillment: "Cancel this fulfillment",
    editTracking: "Edit its tracking",
    cancelOrder: "Cancel the order",
    moveFulfillmentOrder: "Move a fulfillment order to another location",
    webhooks: "Recent webhook deliveries",
    noWebhooks: "none yet",
  },
} as const;

/** The card's HTML (inside the fault panel). */
export function renderShopifyAdminCard(locale: "ja" | "en"): string {
  const t = COPY[locale];
  const action = (name: AdminAction) =>
    `<button type="button" class="fault" data-admin-action="${name}"><span class="fault-title">${escapeHtml(t[name])}</span></button>`;
  return `<section class="card" id="shopify-admin">
    <style>
      #shopify-admin label.field { display: block; margin: 0 0 6px; font-size: 12px; color: #616161; }
      #shopify-admin label.field select, #shopify-admin label.field input { display: block; width: 100%; box-sizing: border-box; margin-top: 2px; font: inherit; font-size: 13px; }
    </style>
    <h2>${escapeHtml(t.title)}</h2>
    <p class="hint">${escapeHtml(t.hint)}</p>
    <label class="field">${escapeHtml(t.order)} <select id="admin-order"></select></label>
    ${action("cancelFulfillment")}
    <label class="field">${escapeHtml(t.newTracking)} <input id="admin-tracking" type="text" inputmode="numeric" size="14" value=""></label>
    ${action("editTracking")}
    ${action("cancelOrder")}
    ${action("moveFulfillmentOrder")}
    <p class="log" id="admin-log" role="status"></p>
    <h2>${escapeHtml(t.webhooks)}</h2>
    <table><tbody id="webhooks"><tr><td>${escapeHtml(t.noWebhooks)}</td></tr></tbody></table>
  </section>`;
}

/** The card's browser script (plain ES5, as the frame's own). */
export function shopifyAdminScript(locale: "ja" | "en"): string {
  return `(function () {
  var t = ${JSON.stringify(COPY[locale])};
  function el(tag, cls, value) { var e = document.createElement(tag); if (cls) e.className = cls; if (value !== undefined) e.textContent = value; return e; }
  var select = document.getElementById("admin-order");
  function loadOrders() {
    fetch("/_demo/admin-orders").then(function (r) { return r.json(); }).then(function (body) {
      var keep = select.value;
      select.replaceChildren();
      body.orders.forEach(function (o) {
        var option = el("option", "", o.label);
        option.value = o.id;
        select.appendChild(option);
      });
      if (keep) select.value = keep;
    });
  }
  function loadWebhooks() {
    fetch("/_demo/admin-orders").then(function (r) { return r.json(); }).then(function (body) {
      var tbody = document.getElementById("webhooks");
      tbody.replaceChildren();
      if (!body.webhooks.length) { var tr0 = el("tr"); tr0.appendChild(el("td", "", t.noWebhooks)); tbody.appendChild(tr0); }
      body.webhooks.forEach(function (w) {
        var tr = el("tr");
        tr.appendChild(el("td", "", w.at));
        tr.appendChild(el("td", "op", w.topic + (w.duplicate ? " ×2" : "")));
        tr.appendChild(el("td", w.state === "delivered" ? "ok" : w.state === "failed" ? "bad" : "warn", w.outcomes));
        tbody.appendChild(tr);
      });
    }).catch(function () {});
  }
  document.querySelectorAll("button[data-admin-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      fetch("/_demo/admin-action", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ action: button.dataset.adminAction, orderId: select.value, trackingNumber: document.getElementById("admin-tracking").value }),
      })
        .then(function (r) { return r.json(); })
        .then(function (body) { document.getElementById("admin-log").textContent = body.message || body.error; loadOrders(); loadWebhooks(); });
    });
  });
  loadOrders();
  loadWebhooks();
  setInterval(loadWebhooks, 1000);
})();`;
}

export interface AdminOrderOption {
  id: string;
  label: string;
}

/** The shop's orders for the card's select, newest first, with their live fulfillments. */
export function adminOrders(control: Control, shop: string) {
  const orders: AdminOrderOption[] = control
    .getShop({ shop })
    .orders.slice()
    .reverse()
    .map((order) => {
      const live = order.fulfillments.filter((f) => f.status === "SUCCESS");
      const tracking = live
        .at(-1)
        ?.trackingInfo.map((t) => t.number)
        .filter(Boolean)
        .join(", ");
      const state = order.cancelledAt ? " ✕" : "";
      return {
        id: order.id,
        label: `${order.name}${state}${tracking ? ` · ${tracking}` : ""}`,
      };
    });
  const webhooks = control
    .webhookDeliveries({ shop })
    .slice(-12)
    .reverse()
    .map((d) => ({
      at: d.triggeredAt.slice(11, 19),
      topic: d.topic,
      duplicate: d.duplicate,
      state: d.state,
      outcomes: d.attempts.map((a) => String(a.outcome)).join(" → ") || "…",
    }));
  return { orders, webhooks };
}

/**
 * Applies one "in Shopify admin" change through the simulator's control API (the same
 * rules as Shopify's mutations); the simulator then delivers the webhooks. Returns a
 * one-line description for the card's log; throws (ControlError) for what cannot be done.
 */
export function applyAdminAction(
  control: Control,
  shop: string,
  input: { action: AdminAction; orderId: string; trackingNumber?: string },
): string {
  const order = control.getOrder({ shop, orderId: input.orderId });
  const live = order.fulfillments.filter((f) => f.status === "SUCCESS").at(-1);
  switch (input.action) {
    case "cancelFulfillment": {
      if (!live) throw new Error(`${order.name} has no fulfillment to cancel`);
      control.cancelFulfillment({ shop, fulfillmentId: live.id });
      return `${order.name}: fulfillment ${live.name} cancelled → fulfillments/update`;
    }
    case "editTracking": {
      if (!live) throw new Error(`${order.name} has no fulfillment to edit`);
      const number = (input.trackingNumber ?? "").trim();
      if (!/^[0-9A-Za-z-]{4,40}$/.test(number))
        throw new Error("enter a tracking number (4–40 letters or digits)");
      control.updateFulfillmentTracking({
        shop,
        fulfillmentId: live.id,
        tracking: { company: live.trackingInfo[0]?.company ?? null, number },
      });
      return `${order.name}: tracking of ${live.name} is now ${number} → fulfillments/update`;
    }
    case "cancelOrder":
      control.setOrderState({ shop, orderId: order.id, state: "cancelled" });
      return `${order.name} cancelled → orders/cancelled, orders/updated`;
    case "moveFulfillmentOrder": {
      const fo = order.fulfillmentOrders.find((f) =>
        f.supportedActions.includes("MOVE"),
      );
      if (!fo)
        throw new Error(`${order.name} has no fulfillment order that can move`);
      const locations = control.getShop({ shop }).locations;
      const destination = locations.find(
        (l) => l.id !== fo.locationId && !l.fulfillmentService,
      );
      if (!destination) throw new Error("the shop has no other location");
      control.changeFulfillmentOrder({
        shop,
        fulfillmentOrderId: fo.id,
        action: "move",
        toLocationId: destination.id,
      });
      return `${order.name}: fulfillment order moved to ${destination.name} → fulfillment_orders/moved`;
    }
  }
}
