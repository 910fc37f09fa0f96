import { z } from "zod";
import type { Queryable } from "~/db/queryable";
import { message, type Message } from "~/i18n/messages";
import { DEFAULT_RETRY_WINDOW_HOURS, RETRY_WINDOW_MAX_HOURS, RETRY_WINDOW_MIN_HOURS } from "./settings-limits";

/**
 * Per-shop sync settings: automatic retry on/off and how long a failing sync keeps
 * being retried (the outage budget, in hours) before 同期エラー.
 */
export interface ShopSettings {
  autoRetryEnabled: boolean;
  retryWindowHours: number;
}

export const DEFAULT_SHOP_SETTINGS: ShopSettings = {
  autoRetryEnabled: true,
  retryWindowHours: DEFAULT_RETRY_WINDOW_HOURS,
};

const settingsSchema = z.object({
  autoRetryEnabled: z.enum(["true", "false"]).transform((v) => v === "true"),
  retryWindowHours: z.coerce
    .number({ invalid_type_error: "number" })
    .int("integer")
    .min(RETRY_WINDOW_MIN_HOURS, "min")
    .max(RETRY_WINDOW_MAX_HOURS, "max"),
});

export type SettingsFormResult =
  | { ok: true; settings: ShopSettings }
  | {
      ok: false;
      fieldErrors: { retryWindowHours?: Message; autoRetryEnabled?: Message };
    };

/** Each field's own message: a bad on/off value is not blamed on the hours. */
export function parseSettingsForm(form: FormData): SettingsFormResult {
  const parsed = settingsSchema.safeParse({
    autoRetryEnabled: String(form.get("autoRetryEnabled") ?? "false"),
    retryWindowHours: String(form.get("retryWindowHours") ?? "").trim() || undefined,
  });
  if (parsed.success) return { ok: true, settings: parsed.data };
  const failed = new Set(parsed.error.issues.map((issue) => issue.path[0]));
  return {
    ok: false,
    fieldErrors: {
      ...(failed.has("retryWindowHours")
        ? {
            retryWindowHours: message("shops.settings.windowInvalid", {
              min: RETRY_WINDOW_MIN_HOURS,
              max: RETRY_WINDOW_MAX_HOURS,
            }),
          }
        : {}),
      ...(failed.has("autoRetryEnabled")
        ? {
            autoRetryEnabled: message("shops.settings.autoRetryInvalid"),
          }
        : {}),
    },
  };
}

export async function getShopSettings(db: Queryable, shop: string): Promise<ShopSettings | null> {
  const result = await db.query<{ auto_retry_enabled: boolean; sync_retry_window_minutes: number }>(
    `select auto_retry_enabled, sync_retry_window_minutes from shops where shop = $1`,
    [shop],
  );
  const row = result.rows[0];
  return row
    ? { autoRetryEnabled: row.auto_retry_enabled, retryWindowHours: Math.round(row.sync_retry_window_minutes / 60) }
    : null;
}

export async function saveShopSettings(db: Queryable, shop: string, settings: ShopSettings): Promise<boolean> {
  const result = await db.query(
    `update shops set auto_retry_enabled = $2, sync_retry_window_minutes = $3 where shop = $1`,
    [shop, settings.autoRetryEnabled, settings.retryWindowHours * 60],
  );
  return (result.rowCount ?? 0) > 0;
}
