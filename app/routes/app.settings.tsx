import { data } from "@remix-run/node";
import { readForm } from "~/http/body-limit.server";
import type {
  HeadersFunction,
  ActionFunctionArgs,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";

import { getPool } from "~/db.server";
import { useLocale } from "~/i18n/use-locale";
import {
  DEFAULT_SHOP_SETTINGS,
  getShopSettings,
  parseSettingsForm,
  saveShopSettings,
} from "~/shops/settings.server";
import { RETRY_WINDOW_MAX_HOURS, RETRY_WINDOW_MIN_HOURS } from "~/shops/settings-limits";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const settings = await getShopSettings(getPool(), session.shop);
  return {
    settings: settings ?? DEFAULT_SHOP_SETTINGS,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const form = await readForm(request);
  const { session } = await authenticate.admin(request);
  const parsed = parseSettingsForm(form);
  if (!parsed.ok)
    return data(
      { ok: false as const, fieldErrors: parsed.fieldErrors },
      { status: 400 },
    );
  await saveShopSettings(getPool(), session.shop, parsed.settings);
  return { ok: true as const, fieldErrors: {} };
};

const COPY = {
  ja: {
    title: "同期の設定",
    autoRetry: "失敗した同期を自動で再試行する",
    autoRetryHelp:
      "一時的なエラー (Shopify の障害、応答の消失) のみ、間隔を空けて再試行します。権限・入力・データの問題は再試行せず、対処方法を表示します。混雑 (スロットリング) は失敗に数えず、待ってから送ります。",
    window: "再試行を続ける時間 (時間)",
    windowHelp: `最初の失敗からこの時間が過ぎても同期できないときは「同期エラー」として手動対応を待ちます。数時間の Shopify 障害なら人手なしで回復します (${RETRY_WINDOW_MIN_HOURS}〜${RETRY_WINDOW_MAX_HOURS} 時間)。`,
    save: "保存",
    saved: "設定を保存しました",
  },
  en: {
    title: "Sync settings",
    autoRetry: "Retry failed syncs automatically",
    autoRetryHelp:
      "Only temporary errors (Shopify outages, lost answers) are retried, with growing waits. Permission, input and data problems are not: their guidance is shown. Throttling is not a failure: the sync waits, then sends.",
    window: "Keep retrying for (hours)",
    windowHelp: `If a sync still fails this long after its first failure, the shipment shows “Sync error” and waits for a person. A Shopify outage of a few hours heals by itself (${RETRY_WINDOW_MIN_HOURS}–${RETRY_WINDOW_MAX_HOURS} hours).`,
    save: "Save",
    saved: "Settings saved",
  },
} as const;

export default function SettingsPage() {
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const locale = useLocale();
  const copy = COPY[locale];
  const [autoRetry, setAutoRetry] = useState(settings.autoRetryEnabled);
  const [windowHours, setWindowHours] = useState(String(settings.retryWindowHours));

  useEffect(() => {
    if (actionData?.ok) shopify.toast.show(copy.saved);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  const fieldErrors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const error = fieldErrors.retryWindowHours?.[locale];
  return (
    <Page title={copy.title} backAction={{ url: "/app" }}>
      <Card>
        <Form method="post">
          <BlockStack gap="400">
            <FormLayout>
              <Checkbox
                label={copy.autoRetry}
                helpText={copy.autoRetryHelp}
                checked={autoRetry}
                onChange={setAutoRetry}
                error={fieldErrors.autoRetryEnabled?.[locale]}
              />
              <input
                type="hidden"
                name="autoRetryEnabled"
                value={autoRetry ? "true" : "false"}
              />
              <TextField
                label={copy.window}
                name="retryWindowHours"
                type="number"
                min={RETRY_WINDOW_MIN_HOURS}
                max={RETRY_WINDOW_MAX_HOURS}
                value={windowHours}
                onChange={setWindowHours}
                helpText={copy.windowHelp}
                error={error}
                autoComplete="off"
              />
            </FormLayout>
            <InlineStack align="end">
              <Button
                submit
                variant="primary"
                loading={navigation.state === "submitting"}
              >
                {copy.save}
              </Button>
            </InlineStack>
            <Text as="p" tone="subdued" variant="bodySm">
              {/* Shown for orientation: the retry waits double each time, from ~2 s up to 15 min. */}
              {locale === "ja"
                ? "再試行の間隔: 約 2 秒から倍々に、最大 15 分"
                : "Retry waits: from about 2 s, doubling, up to 15 min"}
            </Text>
          </BlockStack>
        </Form>
      </Card>
    </Page>
  );
}

// Thrown authentication responses (401 with the retry header, App Bridge redirects)
// keep their headers only if this route passes them on: see routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
