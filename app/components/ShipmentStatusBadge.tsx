import { Badge } from "@shopify/polaris";
import { shipmentBadge, type ShipmentBadgeInput } from "~/fulfillment/messages";
import { useT } from "~/i18n/use-locale";

/** 未発送 / 発送済み / 発送済み (未同期) / 同期エラー — one rule for every page. */
export function ShipmentStatusBadge(props: ShipmentBadgeInput) {
  const tr = useT();
  const { tone, label } = shipmentBadge(props);
  // Polaris calls the amber tone "attention"; "info" is blue.
  return <Badge tone={tone}>{tr(label)}</Badge>;
}
