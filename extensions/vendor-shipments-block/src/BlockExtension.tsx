import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import type {
  OrderShipmentView,
  OrderShipmentsBody,
} from "../../../app/extension/contract";
import {
  adminLang,
  appLink,
  badgeTone,
  loadOrderShipments,
  sendShipmentCommand,
} from "../../shared/client";

export default async () => {
  render(<Extension />, document.body);
};

const PENDING_POLL_MS = 5_000;

type Load =
  | { state: "loading" }
  | { state: "failed" }
  | { state: "ready"; data: OrderShipmentsBody };

/** The order's vendor shipments, as the app sees them. */
export function Extension() {
  const { i18n, data } = shopify;
  const t = i18n.translate;
  const lang = adminLang(t);
  const orderId = data.selected[0]?.id ?? "";
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [busy, setBusy] = useState<number | null>(null);
  const [errors, setErrors] = useState<Record<number, string>>({});

  const refresh = () =>
    loadOrderShipments(orderId, lang).then(
      (body) => setLoad({ state: "ready", data: body }),
      () => setLoad({ state: "failed" }),
    );
  useEffect(() => {
    void refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orderId]);

  // While a sync is under way, look again now and then (as the app's live pages do).
  const syncing =
    load.state === "ready" &&
    load.data.shipments.some(
      (s) =>
        s.status === "shippedNotSynced" || s.status === "unshippedNotSynced",
    );
  useEffect(() => {
    if (!syncing) return;
    const timer = setTimeout(() => void refresh(), PENDING_POLL_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [syncing, load]);

  const retry = async (shipment: OrderShipmentView) => {
    setBusy(shipment.id);
    const { body } = await sendShipmentCommand(orderId, shipment.id, lang, {
      intent: "retry",
    });
    setErrors((all) => ({
      ...all,
      [shipment.id]: !body.ok && body.error ? body.error[lang] : "",
    }));
    await refresh();
    setBusy(null);
  };

  if (load.state !== "ready") {
    return (
      <s-admin-block heading={t("heading")}>
        {load.state === "loading" ? (
          <s-text>{t("loading")}</s-text>
        ) : (
          <s-stack direction="inline" gap="base" alignItems="center">
            <s-text tone="critical">{t("loadFailed")}</s-text>
            <s-button variant="tertiary" onClick={() => void refresh()}>
              {t("reload")}
            </s-button>
          </s-stack>
        )}
      </s-admin-block>
    );
  }

  const { shipments, createPath } = load.data;
  if (shipments.length === 0) {
    return (
      <s-admin-block heading={t("heading")}>
        <s-paragraph>
          {t("empty")} <s-link href={appLink(createPath)}>{t("create")}</s-link>
        </s-paragraph>
      </s-admin-block>
    );
  }

  return (
    <s-admin-block
      heading={t("heading")}
      collapsedSummary={t("collapsed", { count: shipments.length })}
    >
      <s-stack direction="block" gap="base">
        {shipments.map((shipment, index) => (
          <s-stack
            key={shipment.id}
            direction="block"
            gap="small-200"
            data-shipment-id={String(shipment.id)}
          >
            {index > 0 ? <s-divider /> : null}
            <s-stack
              direction="inline"
              gap="small-200"
              alignItems="center"
              justifyContent="space-between"
            >
              <s-text type="strong">{shipment.vendor ?? t("noVendor")}</s-text>
              <s-badge tone={badgeTone(shipment.tone)}>
                {t(`status.${shipment.status}`)}
              </s-badge>
            </s-stack>
            <s-unordered-list>
              {shipment.lines.map((line, i) => (
                <s-list-item key={i}>
                  {t("item", { title: line.title, quantity: line.quantity })}
                </s-list-item>
              ))}
            </s-unordered-list>
            <s-text color="subdued">
              {shipment.trackingNumbers.length > 0
                ? t("tracking", {
                    numbers: `${shipment.trackingNumbers.join(", ")}${shipment.carrier ? ` (${shipment.carrier})` : ""}`,
                  })
                : t("noTracking")}
            </s-text>
            {shipment.guidance ? (
              <s-text tone="critical">{shipment.guidance[lang]}</s-text>
            ) : null}
            {errors[shipment.id] ? (
              <s-text tone="critical">{errors[shipment.id]}</s-text>
            ) : null}
            <s-stack direction="inline" gap="base" alignItems="center">
              {shipment.canRetry ? (
                <s-button
                  variant="secondary"
                  loading={busy === shipment.id}
                  disabled={busy !== null && busy !== shipment.id}
                  onClick={() => void retry(shipment)}
                >
                  {t("retry")}
                </s-button>
              ) : null}
              <s-link href={appLink(shipment.appPath)}>{t("open")}</s-link>
            </s-stack>
          </s-stack>
        ))}
        <s-button
          variant="tertiary"
          onClick={() =>
            shopify.navigation.navigate("extension:vendor-shipments-action")
          }
        >
          {t("markShipped")}
        </s-button>
      </s-stack>
    </s-admin-block>
  );
}
