import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";

import type {
  OrderShipmentView,
  OrderShipmentsBody,
  ShipmentCommandBody,
} from "../../../app/extension/contract";
import { searchCarriers } from "../../../app/fulfillment/carrier-search";
import {
  adminLang,
  loadOrderShipments,
  sendShipmentCommand,
} from "../../shared/client";

export default async () => {
  render(<Extension />, document.body);
};

type Load =
  | { state: "loading" }
  | { state: "failed" }
  | { state: "ready"; data: OrderShipmentsBody };

type FieldErrors = Extract<ShipmentCommandBody, { ok: false }>["fieldErrors"];

const SUGGESTIONS = 6;

/**
 * 「ベンダーの出荷を発送済みにする」: one shipment of this order, its tracking numbers and
 * carrier, sent to the app's own mark-shipped command. The app validates (the same
 * rules and words as the shipment page); this form only shows what it answers.
 */
export function Extension() {
  const { i18n, data, close } = shopify;
  const t = i18n.translate;
  const lang = adminLang(t);
  const orderId = data.selected[0]?.id ?? "";
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [shipmentId, setShipmentId] = useState<number | null>(null);
  const [trackingNumbers, setTrackingNumbers] = useState("");
  const [carrier, setCarrier] = useState("");
  const [trackingUrl, setTrackingUrl] = useState("");
  const [notifyCustomer, setNotifyCustomer] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    loadOrderShipments(orderId, lang, { carriers: true }).then(
      (body) => {
        setLoad({ state: "ready", data: body });
        const first =
          body.shipments.find((s) => !s.shipped) ?? body.shipments[0];
        if (first) choose(first);
      },
      () => setLoad({ state: "failed" }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orderId]);

  const shipments = load.state === "ready" ? load.data.shipments : [];
  const carriers = useMemo(
    () => (load.state === "ready" ? (load.data.carriers ?? []) : []),
    [load],
  );
  const suggestions = useMemo(() => {
    const matches = searchCarriers(carriers, carrier, SUGGESTIONS);
    // Nothing to suggest once the field holds exactly a listed company.
    return matches.length === 1 && matches[0]!.value === carrier ? [] : matches;
  }, [carriers, carrier]);

  function choose(shipment: OrderShipmentView) {
    setShipmentId(shipment.id);
    // A shipped one is corrected in place: start from what it has.
    setTrackingNumbers(shipment.trackingNumbers.join("\n"));
    setCarrier(shipment.carrier ?? "");
    setFieldErrors({});
    setError(null);
  }

  /** An edited field's error goes: the app re-checks everything on the next submit. */
  const edit =
    (
      field: "trackingNumbers" | "carrier" | "trackingUrl",
      set: (value: string) => void,
    ) =>
    (value: string) => {
      set(value);
      setFieldErrors((errors) => ({ ...errors, [field]: undefined }));
    };

  const submit = async () => {
    if (shipmentId === null || sending) return;
    setSending(true);
    setError(null);
    const { body } = await sendShipmentCommand(orderId, shipmentId, lang, {
      intent: "mark_shipped",
      trackingNumbers,
      carrier,
      trackingUrl,
      notifyCustomer,
    });
    setSending(false);
    if (body.ok) {
      close();
      return;
    }
    setFieldErrors(body.fieldErrors ?? {});
    setError(body.error ? body.error[lang] : null);
  };

  const canSubmit = load.state === "ready" && shipmentId !== null;
  return (
    <s-admin-action heading={t("heading")} loading={load.state === "loading"}>
      {load.state === "failed" ? (
        <s-banner tone="critical">{t("loadFailed")}</s-banner>
      ) : null}
      {load.state === "ready" && shipments.length === 0 ? (
        <s-paragraph>{t("none")}</s-paragraph>
      ) : null}
      {error ? <s-banner tone="critical">{error}</s-banner> : null}
      {shipments.length > 0 ? (
        <s-stack direction="block" gap="base">
          <s-select
            label={t("shipment")}
            name="shipment"
            value={shipmentId === null ? "" : String(shipmentId)}
            onChange={(event) => {
              const picked = shipments.find(
                (s) => String(s.id) === event.currentTarget.value,
              );
              if (picked) choose(picked);
            }}
          >
            {shipments.map((s) => (
              <s-option key={s.id} value={String(s.id)}>
                {t("shipmentOption", {
                  vendor: s.vendor ?? t("noVendor"),
                  status: t(`status.${s.status}`),
                })}
              </s-option>
            ))}
          </s-select>
          <s-text-area
            label={t("trackingNumbers")}
            name="trackingNumbers"
            rows={2}
            details={t("trackingNumbersHelp")}
            value={trackingNumbers}
            error={fieldErrors?.trackingNumbers?.[lang]}
            onInput={(event) =>
              edit(
                "trackingNumbers",
                setTrackingNumbers,
              )(event.currentTarget.value)
            }
          />
          <s-stack direction="block" gap="small-200">
            <s-text-field
              label={t("carrier")}
              name="carrier"
              placeholder={t("carrierPlaceholder")}
              autocomplete="off"
              value={carrier}
              error={fieldErrors?.carrier?.[lang]}
              onInput={(event) =>
                edit("carrier", setCarrier)(event.currentTarget.value)
              }
            />
            {suggestions.length > 0 ? (
              <s-stack
                direction="inline"
                gap="small-200"
                accessibilityLabel={t("carrierSuggestions")}
              >
                {suggestions.map((option) => (
                  <s-clickable-chip
                    key={option.value}
                    onClick={() => edit("carrier", setCarrier)(option.value)}
                  >
                    {option.label}
                  </s-clickable-chip>
                ))}
              </s-stack>
            ) : null}
          </s-stack>
          <s-url-field
            label={t("trackingUrl")}
            name="trackingUrl"
            details={t("trackingUrlHelp")}
            value={trackingUrl}
            error={fieldErrors?.trackingUrl?.[lang]}
            onInput={(event) =>
              edit("trackingUrl", setTrackingUrl)(event.currentTarget.value)
            }
          />
          <s-checkbox
            label={t("notifyCustomer")}
            name="notifyCustomer"
            checked={notifyCustomer}
            onChange={(event) => setNotifyCustomer(event.currentTarget.checked)}
          />
        </s-stack>
      ) : null}
      <s-button
        slot="primary-action"
        variant="primary"
        loading={sending}
        disabled={!canSubmit}
        onClick={() => void submit()}
      >
        {t("submit")}
      </s-button>
      <s-button slot="secondary-actions" onClick={() => close()}>
        {t("cancel")}
      </s-button>
    </s-admin-action>
  );
}
