import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t, type Message } from "~/i18n/messages";
import { setTestAppEnv } from "../helpers/app-env";
import { fetchRequest, routeArgs, settle } from "../helpers/requests";
import { signSessionToken } from "../helpers/session-token";
import { testPool } from "../support/database";
import type * as SettingsRoute from "~/routes/app.settings";

const SHOP = "settings-shop.myshopify.com";
const OTHER = "other-settings.myshopify.com";
let route: typeof SettingsRoute;

beforeAll(async () => {
  setTestAppEnv();
  route = await import("~/routes/app.settings");
  const { sessionStorage } = await import("~/shopify.server");
  for (const shop of [SHOP, OTHER]) {
    await testPool().query(`insert into shops (shop) values ($1)`, [shop]);
    await sessionStorage.storeSession(new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "t" }));
  }
});

afterAll(async () => {
  const { closeDatabase } = await import("~/db.server");
  await closeDatabase();
});

async function save(fields: Record<string, string>, shop = SHOP) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return settle(() => route.action(routeArgs(fetchRequest("/app/settings", signSessionToken({ shop }), { method: "POST", body }))));
}

const settingsOf = async (shop: string) =>
  (await testPool().query(`select auto_retry_enabled, sync_retry_window_minutes from shops where shop = $1`, [shop])).rows[0];

describe("per-shop sync settings", () => {
  it("shows the default retry budget (6 hours) before anything is saved", async () => {
    const loaded = await route.loader(routeArgs(fetchRequest("/app/settings", signSessionToken({ shop: OTHER }))));
    expect(loaded.settings).toEqual({ autoRetryEnabled: true, retryWindowHours: 6 });
  });

  it("saves automatic retry and the retry budget for the authenticated shop only", async () => {
    const result = await save({ autoRetryEnabled: "false", retryWindowHours: "12" });
    expect(result.value).toMatchObject({ ok: true });
    expect(await settingsOf(SHOP)).toEqual({ auto_retry_enabled: false, sync_retry_window_minutes: 720 });
    expect(await settingsOf(OTHER)).toEqual({ auto_retry_enabled: true, sync_retry_window_minutes: 360 });
    const loaded = await route.loader(routeArgs(fetchRequest("/app/settings", signSessionToken({ shop: SHOP }))));
    expect(loaded.settings).toEqual({ autoRetryEnabled: false, retryWindowHours: 12 });
  });

  it.each(["0", "73", "2.5", "abc", "", "-1"])("refuses %j hours with a field error in both languages and changes nothing", async (value) => {
    const before = await settingsOf(SHOP);
    const result = await save({ autoRetryEnabled: "true", retryWindowHours: value });
    const body = result.value as unknown as { data: { ok: boolean; fieldErrors: { retryWindowHours: Message } }; init: { status: number } };
    expect(body.init.status).toBe(400);
    expect(t("en", body.data.fieldErrors.retryWindowHours)).toMatch(/1 to 72/);
    expect(t("ja", body.data.fieldErrors.retryWindowHours)).toMatch(/1 〜 72/);
    expect(await settingsOf(SHOP)).toEqual(before);
  });

  it("refuses a request without a valid session token", async () => {
    const body = new FormData();
    body.set("autoRetryEnabled", "true");
    body.set("retryWindowHours", "5");
    const result = await settle(() =>
      route.action(routeArgs(fetchRequest("/app/settings", signSessionToken({ shop: SHOP, secret: "nope" }), { method: "POST", body }))),
    );
    expect(result.thrown?.status).toBe(401);
  });
});
