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
  getShopSettings,
  parseSettingsForm,
  saveShopSettings,
} from "~/shops/settings.server";
import { MAX_ATTEMPTS_LIMIT } from "~/shops/settings-limits";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const settings = await getShopSettings(getPool(), session.shop);
  return {
    settings: settings ?? { autoRetryEnabled: true, maxSyncAttempts: 8 },
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
      "一時的なエラー (Shopify の障害、混雑、応答の消失) のみ、間隔を空けて再試行します。権限や入力の問題は再試行しません。",
    attempts: "最大試行回数",
    attemptsHelp: `この回数を超えると「同期エラー」として手動対応を待ちます (1〜${MAX_ATTEMPTS_LIMIT})。`,
    save: "保存",
    saved: "設定を保存しました",
  },
  en: {
    title: "Sync settings",
    autoRetry: "Retry failed syncs automatically",
    autoRetryHelp:
      "Only temporary errors (Shopify outages, throttling, lost answers) are retried, with growing waits. Permission and input problems are not.",
    attempts: "Maximum attempts",
    attemptsHelp: `After this many attempts the shipment shows “Sync error” and waits for a person (1–${MAX_ATTEMPTS_LIMIT}).`,
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
  const [attempts, setAttempts] = useState(String(settings.maxSyncAttempts));

  useEffect(() => {
    if (actionData?.ok) shopify.toast.show(copy.saved);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  const error =
    actionData && !actionData.ok
      ? actionData.fieldErrors.maxSyncAttempts?.[locale]
      : undefined;
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
              />
              <input
                type="hidden"
                name="autoRetryEnabled"
                value={autoRetry ? "true" : "false"}
              />
              <TextField
                label={copy.attempts}
                name="maxSyncAttempts"
                type="number"
                min={1}
                max={MAX_ATTEMPTS_LIMIT}
                value={attempts}
                onChange={setAttempts}
                helpText={copy.attemptsHelp}
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
