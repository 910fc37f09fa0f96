import { isCallOperation } from "~/fulfillment/shipment-state";
import { formatDateTime } from "~/i18n/format-time";
import { data } from "@remix-run/node";
import { readForm } from "~/http/body-limit.server";
import type {
  HeadersFunction,
  ActionFunctionArgs,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import {
  useActionData,
  useLoaderData,
  useNavigation,
  useSubmit,
  Form,
} from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  List,
  Modal,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";

import { CarrierAutocomplete } from "~/components/CarrierAutocomplete";
import { ShipmentStatusBadge } from "~/components/ShipmentStatusBadge";
import { errorTitle, isSyncErrorClass } from "~/components/error-copy";
import { getPool } from "~/db.server";
import { carrierOptions } from "~/fulfillment/carriers";
import { trackingNumberWarnings } from "~/shipments/tracking-warnings";
import { syncErrorGuidance } from "~/fulfillment/messages";
import { resolveLocale } from "~/i18n/locale";
import { useLocale, useT } from "~/i18n/use-locale";
import { useShopTimeZone } from "~/i18n/use-shop-time-zone";
import {
  performShipmentAction,
  parseShipmentId,
  SHIPMENT_NOT_FOUND,
} from "~/shipments/shipment-actions.server";
import {
  getShipment,
  getShipmentSyncPulse,
  listSyncAttempts,
} from "~/shipments/shipment-detail.server";
import { useLivePulse } from "~/components/useLivePulse";
import { getShopSyncPause } from "~/shops/sync-circuit.server";
import { listShipmentNotes } from "~/reconcile/notes.server";
import { ShipmentNotesBanner } from "~/reconcile/ShipmentNotesBanner";
import { refusal } from "~/http/refusal.server";
import { authenticate } from "~/shopify.server";
import { loadOfflineSession } from "~/offline-session.server";
import {
  shopCountryCode,
  storedShopCountryCode,
} from "~/shops/shop-country.server";
import { ShopPauseBanner } from "~/components/ShopPauseBanner";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parseShipmentId(params.id);
  const shipment = id ? await getShipment(getPool(), session.shop, id) : null;
  if (!shipment) throw refusal(request, 404, SHIPMENT_NOT_FOUND);
  const [attempts, pause, notes, pulse, countryCode] = await Promise.all([
    listSyncAttempts(getPool(), session.shop, shipment.id),
    getShopSyncPause(getPool(), session.shop),
    listShipmentNotes(getPool(), session.shop, shipment.id),
    getShipmentSyncPulse(getPool(), session.shop, shipment.id),
    storedShopCountryCode(getPool(), session.shop),
  ]);
  return { shipment, attempts, pause, notes, pulse: pulse ?? "", countryCode };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const form = await readForm(request);
  const { session } = await authenticate.admin(request);
  const result = await performShipmentAction({
    shop: session.shop,
    shipmentId: parseShipmentId(params.id),
    form,
    carrierContext: {
      locale: resolveLocale(request),
      countryCode: await shopCountryCode(
        getPool(),
        session.shop,
        loadOfflineSession,
      ),
    },
  });
  // Validation errors come back to the form with 400; nothing was written.
  return data(result.body, { status: result.status });
};

export default function ShipmentPage() {
  const { shipment, attempts, pause, notes, pulse, countryCode } =
    useLoaderData<typeof loader>();
  // While a sync is pending or running the page follows it: 発送済み, or the error,
  // appears without a reload.
  useLivePulse(
    `/app/shipments/${shipment.id}/pulse`,
    pulse,
    shipment.syncState === "pending",
  );
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const locale = useLocale();
  const timeZone = useShopTimeZone();
  const tr = useT();
  const [confirmRevert, setConfirmRevert] = useState(false);
  // What the form holds now: its number warnings show before 発送済みにする is pressed.
  const [typedNumbers, setTypedNumbers] = useState(shipment.trackingNumbers.join("\n"));
  const [typedCarrier, setTypedCarrier] = useState(shipment.carrier ?? "");
  const liveWarnings = useMemo(
    () => trackingNumberWarnings({ trackingNumbers: typedNumbers, carrier: typedCarrier }, { locale, countryCode }),
    [typedNumbers, typedCarrier, locale, countryCode],
  );
  const busyIntent =
    navigation.state !== "idle" ? navigation.formData?.get("intent") : null;

  useEffect(() => {
    if (actionData && "toast" in actionData && actionData.toast) {
      shopify.toast.show(tr(actionData.toast), {
        isError: actionData.toastIsError ?? false,
      });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  const fieldErrors =
    actionData && "fieldErrors" in actionData
      ? actionData.fieldErrors
      : undefined;
  const fieldError = (field: "trackingNumbers" | "carrier" | "trackingUrl") => {
    const error = fieldErrors?.[field];
    return error ? tr(error) : undefined;
  };
  const warnings =
    actionData && "warnings" in actionData ? actionData.warnings : [];
  const errorClass = isSyncErrorClass(shipment.lastErrorClass)
    ? shipment.lastErrorClass
    : null;
  // The app's own words (a check before calling Shopify) in the page's language when
  // it stored them; otherwise Shopify's words as they came.
  const guidance = errorClass
    ? syncErrorGuidance({
        errorClass,
        message: shipment.lastErrorMessage ?? undefined,
        detail: shipment.lastErrorDetail,
      })
    : null;
  const shipped = shipment.status === "shipped";
  const dateTime = (iso: string) =>
    formatDateTime(iso, locale, { timeZone, seconds: true });

  return (
    <Page
      backAction={{ content: tr("shipments.backToList"), url: "/app" }}
      title={`${shipment.orderName}${shipment.vendor ? ` — ${shipment.vendor}` : ""}`}
      titleMetadata={
        <ShipmentStatusBadge
          status={shipment.status}
          syncState={shipment.syncState}
          pendingOperation={shipment.pendingOperation}
          lastErrorClass={errorClass}
        />
      }
      secondaryActions={
        shipped
          ? [
              {
                content: tr("shipments.revert"),
                destructive: true,
                onAction: () => setConfirmRevert(true),
              },
            ]
          : []
      }
    >
      <Layout>
        {pause ? (
          <Layout.Section>
            <ShopPauseBanner pause={pause} />
          </Layout.Section>
        ) : null}
        {notes.length > 0 ? (
          <Layout.Section>
            <ShipmentNotesBanner notes={notes} />
          </Layout.Section>
        ) : null}
        {/* A shop-wide refusal (token, scopes) is explained once, by the shop banner. */}
        {guidance &&
        shipment.syncState !== "in_sync" &&
        !(
          pause &&
          (errorClass === "reauth_required" || errorClass === "missing_scope")
        ) ? (
          <Layout.Section>
            <Banner
              title={tr(guidance.title)}
              tone={shipment.syncState === "failed" ? "critical" : "warning"}
              action={
                errorClass === "order_too_old"
                  ? {
                      // Shopify's grant screen for the optional scope; the shipment
                      // is queued again when app/scopes_update brings it.
                      content: tr("shipments.allowOlderOrders"),
                      onAction: () =>
                        submit(
                          {
                            scope: "read_all_orders",
                            returnTo: `/app/shipments/${shipment.id}`,
                          },
                          { method: "post", action: "/app/reauthorize" },
                        ),
                    }
                  : {
                      content: tr("shipments.retryNow"),
                      loading: busyIntent === "retry",
                      onAction: () =>
                        submit({ intent: "retry" }, { method: "post" }),
                    }
              }
            >
              <BlockStack gap="100">
                {/* The guidance quotes Shopify's (or the pre-check's) words itself. */}
                <Text as="p">
                  <span style={{ whiteSpace: "pre-line" }}>
                    {tr(guidance.action)}
                  </span>
                </Text>
                {shipment.syncState === "pending" && shipment.nextRetryAt ? (
                  <Text as="p" variant="bodySm">
                    {tr("shipments.nextRetryAt", {
                      time: dateTime(shipment.nextRetryAt),
                    })}{" "}
                    · {tr("shipments.attemptsSoFar", { count: shipment.syncAttempts })}
                  </Text>
                ) : null}
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        {warnings.length > 0 ? (
          <Layout.Section>
            <Banner tone="warning">
              <List>
                {warnings.map((w, i) => (
                  <List.Item key={i}>{tr(w)}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {tr("shipments.orderLines")}
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "numeric"]}
                  headings={["SKU", tr("shipments.columnItems"), tr("shipments.quantity")]}
                  rows={shipment.lines.map((line) => [
                    line.sku ?? "—",
                    line.title,
                    `${line.quantity} / ${line.orderedQuantity}`,
                  ])}
                />
              </BlockStack>
            </Card>

            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="mark_shipped" />
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    {shipped
                      ? tr("shipments.correctTrackingTitle")
                      : tr("shipments.markShippedTitle")}
                  </Text>
                  <FormTextField
                    label={tr("shipments.trackingNumbers")}
                    name="trackingNumbers"
                    multiline={2}
                    helpText={tr("shipments.trackingNumbersHelp")}
                    initial={shipment.trackingNumbers.join("\n")}
                    error={fieldError("trackingNumbers")}
                    onValue={setTypedNumbers}
                  />
                  <CarrierAutocomplete
                    name="carrier"
                    label={tr("shipments.carrier")}
                    placeholder={tr("shipments.carrierPlaceholder")}
                    options={carrierOptions(locale, { countryCode })}
                    defaultValue={shipment.carrier ?? ""}
                    showLabels={locale === "ja"}
                    error={fieldError("carrier")}
                    onValue={setTypedCarrier}
                  />
                  {liveWarnings.length > 0 ? (
                    <Banner tone="warning" title={tr("shipments.trackingCheckTitle")}>
                      <List>
                        {liveWarnings.map((w, i) => (
                          <List.Item key={i}>{tr(w)}</List.Item>
                        ))}
                      </List>
                    </Banner>
                  ) : null}
                  <FormTextField
                    label={tr("shipments.trackingUrl")}
                    name="trackingUrl"
                    type="url"
                    helpText={tr("shipments.trackingUrlHelp")}
                    initial={shipment.trackingUrl ?? ""}
                    error={fieldError("trackingUrl")}
                  />
                  <NotifyCheckbox
                    label={tr("shipments.notifyCustomer")}
                    initial={shipment.notifyCustomer}
                  />
                  <InlineStack align="end">
                    <Button
                      submit
                      variant="primary"
                      loading={busyIntent === "mark_shipped"}
                    >
                      {shipped ? tr("shipments.saveTracking") : tr("shipments.markShipped")}
                    </Button>
                  </InlineStack>
                </FormLayout>
              </Form>
            </Card>

          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {tr("shipments.shopifyFulfillment")}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {/* Shopify admin shows fulfillments by number, not by gid. */}
                {shipment.shopifyFulfillmentId
                  ? `#${shipment.shopifyFulfillmentId.split("/").pop()}`
                  : "—"}
              </Text>
              {shipment.syncedAt ? (
                <Text as="p" variant="bodySm">
                  {dateTime(shipment.syncedAt)}
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>

        {/* Full width: a log of six columns does not fit beside the fulfillment card at ~900 px. */}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {tr("shipments.attemptHistory")}
              </Text>
              {attempts.length === 0 ? (
                <Text as="p" tone="subdued">
                  {tr("shipments.noAttempts")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={[
                    "text",
                    "text",
                    "text",
                    "numeric",
                    "text",
                    "text",
                  ]}
                  headings={[
                    tr("shipments.attemptStarted"),
                    tr("shipments.attemptOperation"),
                    tr("shipments.attemptOutcome"),
                    tr("shipments.attemptHttp"),
                    tr("shipments.attemptMessage"),
                    tr("shipments.attemptRequestId"),
                  ]}
                  rows={attempts.map((a) => [
                    dateTime(a.startedAt),
                    isCallOperation(a.operation)
                      ? tr(`shipments.op_${a.operation}`)
                      : a.operation,
                    tr(`shipments.outcome_${a.outcome ?? "open"}`),
                    a.httpStatus ?? "—",
                    // In the admin's language; the recorded words (often Shopify's
                    // own, in English) stay one hover away.
                    <span key="message" title={a.message ?? undefined}>
                      {a.errorClass
                        ? errorTitle(a.errorClass, locale)
                        : a.outcome === "adopted"
                          ? tr("shipments.attemptAdoptedNote")
                          : ""}
                    </span>,
                    a.shopifyRequestId ?? "",
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>

      <Modal
        open={confirmRevert}
        onClose={() => setConfirmRevert(false)}
        title={tr("shipments.revertConfirmTitle")}
        primaryAction={{
          content: tr("shipments.revertConfirm"),
          destructive: true,
          loading: busyIntent === "revert",
          onAction: () => {
            submit({ intent: "revert" }, { method: "post" });
            setConfirmRevert(false);
          },
        }}
        secondaryActions={[
          { content: tr("shipments.cancel"), onAction: () => setConfirmRevert(false) },
        ]}
      >
        <Modal.Section>
          <Text as="p">{tr("shipments.revertConfirmBody")}</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

function NotifyCheckbox({
  label,
  initial,
}: {
  label: string;
  initial: boolean;
}) {
  const [checked, setChecked] = useState(initial);
  return (
    <>
      <Checkbox label={label} checked={checked} onChange={setChecked} />
      <input
        type="hidden"
        name="notifyCustomer"
        value={checked ? "true" : "false"}
      />
    </>
  );
}

/** A Polaris TextField that posts with the surrounding <Form> (Polaris fields are controlled). */
function FormTextField({
  initial,
  onValue,
  ...props
}: {
  label: string;
  name: string;
  initial: string;
  helpText?: string;
  error?: string;
  multiline?: number;
  type?: "text" | "url";
  onValue?: (value: string) => void;
}) {
  const [value, setValue] = useState(initial);
  useEffect(() => setValue(initial), [initial]);
  return (
    <TextField
      {...props}
      value={value}
      onChange={(next) => {
        setValue(next);
        onValue?.(next);
      }}
      autoComplete="off"
    />
  );
}

// Thrown authentication responses (401 with the retry header, App Bridge redirects)
// keep their headers only if this route passes them on: see routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
