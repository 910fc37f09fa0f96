import { readFileSync } from "node:fs";
import { Window } from "happy-dom";
import { render, type ComponentChild } from "preact";

import { TEST_APP } from "../../test/helpers/app-env";
import {
  CHROME_USER_AGENT,
  routeArgs,
  settle,
} from "../../test/helpers/requests";
import { signSessionToken } from "../../test/helpers/session-token";
import { testPool } from "../../test/support/database";

/**
 * A small stand-in for Shopify's extension host, for rendering the order-page
 * extensions in tests: the `shopify` global (i18n from the extension's own locale
 * files, the selected order, close and navigate recorded), a DOM (happy-dom) for the
 * Polaris web component tags, and fetch as Shopify does it for an extension — a
 * relative URL goes to the app with a session token for the shop — answered by the
 * app's real route modules (authenticate.admin included).
 */
export type Lang = "ja" | "en";
export type ExtensionName =
  "vendor-shipments-block" | "vendor-shipments-action";

export function localeMessages(
  extension: ExtensionName,
  lang: Lang,
): Record<string, unknown> {
  const file = lang === "ja" ? "ja.json" : "en.default.json";
  return JSON.parse(
    readFileSync(`extensions/${extension}/locales/${file}`, "utf8"),
  ) as Record<string, unknown>;
}

/** Shopify's translate: dotted keys, `{{name}}` placeholders; a missing key is an error here. */
export function translator(extension: ExtensionName, lang: Lang) {
  const messages = localeMessages(extension, lang);
  return (key: string, values: Record<string, unknown> = {}) => {
    const found = key
      .split(".")
      .reduce<unknown>(
        (node, part) => (node as Record<string, unknown>)?.[part],
        messages,
      );
    if (typeof found !== "string")
      throw new Error(`missing translation ${extension}/${lang}: ${key}`);
    return found.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) =>
      String(values[name] ?? `{{${name}}}`),
    );
  };
}

export interface Host {
  root: HTMLElement;
  window: Window;
  closed: number;
  navigations: string[];
  requests: { method: string; path: string; body: string | null }[];
  text(): string;
  find(selector: string): HTMLElement[];
  /** Types into a field (sets its value, sends input and change), then lets Preact render. */
  type(selector: string, value: string): Promise<void>;
  choose(selector: string, value: string): Promise<void>;
  click(element: Element): Promise<void>;
  /** A field's current value (the property the host's element holds, as Polaris' do). */
  valueOf(selector: string): string;
  unmount(): void;
}

export async function mountExtension(
  extension: ExtensionName,
  component: () => ComponentChild,
  { lang, orderGid, shop }: { lang: Lang; orderGid: string; shop: string },
): Promise<Host> {
  const window = new Window({ url: "https://extensions.shopifycdn.com/" });
  const document = window.document as unknown as Document;
  const root = document.createElement("div");
  document.body.appendChild(root);
  const host: Host = {
    root,
    window,
    closed: 0,
    navigations: [],
    requests: [],
    text: () => (root.textContent ?? "").replace(/\s+/g, " ").trim(),
    find: (selector) => [...root.querySelectorAll<HTMLElement>(selector)],
    async type(selector, value) {
      const field = root.querySelector(selector) as HTMLElement & {
        value: string;
      };
      if (!field) throw new Error(`no ${selector}`);
      field.value = value;
      field.dispatchEvent(new window.Event("input") as unknown as Event);
      field.dispatchEvent(new window.Event("change") as unknown as Event);
      await rendered();
    },
    async choose(selector, value) {
      const field = root.querySelector(selector) as HTMLElement & {
        value: string;
      };
      if (!field) throw new Error(`no ${selector}`);
      field.value = value;
      field.dispatchEvent(new window.Event("change") as unknown as Event);
      await rendered();
    },
    async click(element) {
      element.dispatchEvent(new window.Event("click") as unknown as Event);
      await rendered();
    },
    valueOf(selector) {
      const field = root.querySelector(selector) as
        (HTMLElement & { value?: string }) | null;
      if (!field) throw new Error(`no ${selector}`);
      return field.value ?? field.getAttribute("value") ?? "";
    },
    unmount() {
      render(null, root);
      globalThis.fetch = realFetch;
      void window.happyDOM.close();
    },
  };

  (globalThis as { shopify?: unknown }).shopify = {
    extension: {
      target:
        extension === "vendor-shipments-block"
          ? "admin.order-details.block.render"
          : "admin.order-details.action.render",
    },
    i18n: { translate: translator(extension, lang) },
    data: { selected: [{ id: orderGid }] },
    close: () => {
      host.closed += 1;
    },
    navigation: {
      navigate: (url: string) => {
        host.navigations.push(url);
      },
    },
  };

  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    if (typeof input === "string" && input.startsWith("/")) {
      host.requests.push({
        method: init?.method ?? "GET",
        path: input,
        body: (init?.body as string) ?? null,
      });
      return callApp(input, init ?? {}, shop);
    }
    return realFetch(input, init);
  }) as typeof fetch;

  render(component(), root);
  return host;
}

/** Preact renders state changes after the event (as between a person's keystrokes). */
const rendered = () => new Promise((resolve) => setTimeout(resolve, 0));

async function callApp(
  path: string,
  init: RequestInit,
  shop: string,
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${signSessionToken({ shop })}`);
  headers.set("Origin", "https://extensions.shopifycdn.com");
  headers.set("User-Agent", CHROME_USER_AGENT);
  const request = new Request(new URL(path, TEST_APP.appUrl), {
    ...init,
    headers,
  });
  const url = new URL(request.url);
  const match =
    /^\/api\/extension\/orders\/([^/]+)(?:\/shipments\/([^/]+))?$/.exec(
      url.pathname,
    );
  if (!match) return new Response("Not found", { status: 404 });
  const [, orderId, shipmentId] = match;
  const settled = shipmentId
    ? await settle(async () => {
        const route =
          await import("~/routes/api.extension.orders.$orderId.shipments.$shipmentId");
        return route.action(
          routeArgs(request, { orderId: orderId!, shipmentId }),
        );
      })
    : await settle(async () => {
        const route = await import("~/routes/api.extension.orders.$orderId");
        return route.loader(routeArgs(request, { orderId: orderId! }));
      });
  return settled.thrown ?? settled.value!;
}

/** Waits until `check` stops throwing (the UI answers after a real request), or fails with its last error. */
export async function waitFor<T>(
  check: () => T,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Puts a shipment in the state behind each status word, as the app's commands and syncs leave it. */
export async function setStatus(
  shipmentId: number,
  status:
    | "unshipped"
    | "shipped"
    | "shippedNotSynced"
    | "unshippedNotSynced"
    | "syncError",
) {
  const sql: Record<typeof status, string> = {
    unshipped: `status = 'unshipped', shipped_at = null, sync_state = 'in_sync', pending_operation = null,
                last_error_class = null, shopify_fulfillment_id = null, tracking_numbers = '{}', carrier = null`,
    shipped: `status = 'shipped', shipped_at = now(), sync_state = 'in_sync', pending_operation = null,
              last_error_class = null, shopify_fulfillment_id = 'gid://shopify/Fulfillment/9' || id::text,
              tracking_numbers = '{451234567890}', carrier = 'Yamato (JA)'`,
    shippedNotSynced: `status = 'shipped', shipped_at = now(), sync_state = 'pending',
                       pending_operation = 'create_fulfillment', last_error_class = null,
                       tracking_numbers = '{451234567890}', carrier = 'Yamato (JA)'`,
    unshippedNotSynced: `status = 'unshipped', shipped_at = null, sync_state = 'pending',
                         pending_operation = 'cancel_fulfillment', last_error_class = null,
                         tracking_numbers = '{}', carrier = null`,
    syncError: `status = 'shipped', shipped_at = now(), sync_state = 'failed',
                pending_operation = 'create_fulfillment', last_error_class = 'invalid',
                last_error_message = 'The fulfillment order is on hold.',
                tracking_numbers = '{451234567890}', carrier = 'Yamato (JA)'`,
  };
  await testPool().query(`update shipments set ${sql[status]} where id = $1`, [
    shipmentId,
  ]);
}
