/**
 * The sync settings page (issue 14, item 3): the retry budget in hours with its default,
 * in Japanese and English; a value out of range is stopped and saves nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testPool } from "../support/database";
import { startBrowserWorld, type BrowserWorld } from "./harness";

let world: BrowserWorld;

beforeAll(async () => {
  world = await startBrowserWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
});

const cases = [
  { locale: "ja", label: "再試行を続ける時間 (時間)" },
  { locale: "en", label: "Keep retrying for (hours)" },
] as const;

describe("the sync settings page", { timeout: 120_000 }, () => {
  for (const c of cases) {
    test(`${c.locale}: shows the retry budget (6 h by default) and refuses 0 hours`, async () => {
      const admin = await world.openAdmin({ locale: c.locale, path: "/app/settings" });
      await admin.page.setViewportSize({ width: 900, height: 900 });
      const field = admin.app.getByLabel(c.label);
      await expect.poll(() => field.inputValue()).toBe("6");
      await admin.screenshot(`settings-${c.locale}`);
      // The field's own bounds stop 0 in the browser (the server's check, with its ja/en
      // message, is test/shops/settings.test.ts): nothing is sent, nothing saved.
      await field.fill("0");
      expect(await field.evaluate((el) => (el as HTMLInputElement).validity.valid)).toBe(false);
      await admin.app.getByRole("button", { name: c.locale === "ja" ? "保存" : "Save" }).click();
      const stored = await testPool().query(`select sync_retry_window_minutes from shops where shop = $1`, [world.stack.shop]);
      expect(stored.rows[0]).toEqual({ sync_retry_window_minutes: 360 });
      expect(admin.errors).toEqual([]);
    });
  }
});
