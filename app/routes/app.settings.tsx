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
import { useT } from "~/i18n/use-locale";
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

export default function SettingsPage() {
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const tr = useT();
  const [autoRetry, setAutoRetry] = useState(settings.autoRetryEnabled);
  const [windowHours, setWindowHours] = useState(String(settings.retryWindowHours));

  useEffect(() => {
    if (actionData?.ok) shopify.toast.show(tr("shops.settings.saved"));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  const fieldErrors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const windowError = fieldErrors.retryWindowHours;
  const autoRetryError = fieldErrors.autoRetryEnabled;
  return (
    <Page title={tr("shops.settings.title")} backAction={{ url: "/app" }}>
      <Card>
        <Form method="post">
          <BlockStack gap="400">
            <FormLayout>
              <Checkbox
                label={tr("shops.settings.autoRetry")}
                helpText={tr("shops.settings.autoRetryHelp")}
                checked={autoRetry}
                onChange={setAutoRetry}
                error={autoRetryError ? tr(autoRetryError) : undefined}
              />
              <input
                type="hidden"
                name="autoRetryEnabled"
                value={autoRetry ? "true" : "false"}
              />
              <TextField
                label={tr("shops.settings.window")}
                name="retryWindowHours"
                type="number"
                min={RETRY_WINDOW_MIN_HOURS}
                max={RETRY_WINDOW_MAX_HOURS}
                value={windowHours}
                onChange={setWindowHours}
                helpText={tr("shops.settings.windowHelp", {
                  min: RETRY_WINDOW_MIN_HOURS,
                  max: RETRY_WINDOW_MAX_HOURS,
                })}
                error={windowError ? tr(windowError) : undefined}
                autoComplete="off"
              />
            </FormLayout>
            <InlineStack align="end">
              <Button
                submit
                variant="primary"
                loading={navigation.state === "submitting"}
              >
                {tr("shops.settings.save")}
              </Button>
            </InlineStack>
            <Text as="p" tone="subdued" variant="bodySm">
              {/* Shown for orientation: the retry waits double each time, from ~2 s up to 15 min. */}
              {tr("shops.settings.retryWaits")}
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
