import { z } from "zod";
import type { Queryable } from "~/db/queryable";
import { MAX_ATTEMPTS_LIMIT } from "./settings-limits";

/** Per-shop sync settings: automatic retry on/off and how many attempts before 同期エラー. */
export interface ShopSettings {
  autoRetryEnabled: boolean;
  maxSyncAttempts: number;
}

export { MAX_ATTEMPTS_LIMIT };

const settingsSchema = z.object({
  autoRetryEnabled: z.enum(["true", "false"]).transform((v) => v === "true"),
  maxSyncAttempts: z.coerce
    .number({ invalid_type_error: "number" })
    .int("integer")
    .min(1, "min")
    .max(MAX_ATTEMPTS_LIMIT, "max"),
});

export type SettingsFormResult =
  | { ok: true; settings: ShopSettings }
  | {
      ok: false;
      fieldErrors: { maxSyncAttempts?: { ja: string; en: string } };
    };

export function parseSettingsForm(form: FormData): SettingsFormResult {
  const parsed = settingsSchema.safeParse({
    autoRetryEnabled: String(form.get("autoRetryEnabled") ?? "false"),
    maxSyncAttempts:
      String(form.get("maxSyncAttempts") ?? "").trim() || undefined,
  });
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    fieldErrors: {
      maxSyncAttempts: {
        ja: `試行回数は 1 〜 ${MAX_ATTEMPTS_LIMIT} の整数で入力してください。`,
        en: `Enter a whole number of attempts from 1 to ${MAX_ATTEMPTS_LIMIT}.`,
      },
    },
  };
}

export async function getShopSettings(
  db: Queryable,
  shop: string,
): Promise<ShopSettings | null> {
  const result = await db.query<{
    auto_retry_enabled: boolean;
    max_sync_attempts: number;
  }>(
    `select auto_retry_enabled, max_sync_attempts from shops where shop = $1`,
    [shop],
  );
  const row = result.rows[0];
  return row
    ? {
        autoRetryEnabled: row.auto_retry_enabled,
        maxSyncAttempts: row.max_sync_attempts,
      }
    : null;
}

export async function saveShopSettings(
  db: Queryable,
  shop: string,
  settings: ShopSettings,
): Promise<boolean> {
  const result = await db.query(
    `update shops set auto_retry_enabled = $2, max_sync_attempts = $3 where shop = $1`,
    [shop, settings.autoRetryEnabled, settings.maxSyncAttempts],
  );
  return (result.rowCount ?? 0) > 0;
}
