import { Banner, List, Text } from "@shopify/polaris";

import { formatDateTime } from "~/i18n/format-time";
import { useLocale, useT } from "~/i18n/use-locale";
import { useShopTimeZone } from "~/i18n/use-shop-time-zone";
import { describeShipmentNote } from "./note-copy";

/**
 * A shipment's notes — what Shopify changed behind its back — as a warning banner,
 * newest first. Renders nothing without notes. For the shipment page: its loader adds
 * `notes: await listShipmentNotes(getPool(), session.shop, shipment.id)` (from
 * ./notes.server) and the page renders `<ShipmentNotesBanner notes={notes} />`.
 */
export function ShipmentNotesBanner({
  notes,
}: {
  notes: readonly {
    kind: string;
    details: Record<string, unknown>;
    createdAt: string;
  }[];
}) {
  const locale = useLocale();
  const timeZone = useShopTimeZone();
  const tr = useT();
  if (notes.length === 0) return null;
  return (
    <Banner tone="warning" title={tr("shipments.notesTitle")}>
      <List type="bullet">
        {notes.map((note, i) => {
          return (
            <List.Item key={`${note.createdAt}-${i}`}>
              {tr(describeShipmentNote(note))}{" "}
              <Text as="span" tone="subdued">
                ({formatDateTime(note.createdAt, locale, { timeZone })})
              </Text>
            </List.Item>
          );
        })}
      </List>
    </Banner>
  );
}
