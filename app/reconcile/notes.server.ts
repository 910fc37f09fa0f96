import type { Queryable } from "~/db/queryable";

/**
 * Shipment notes: what Shopify changed behind a shipment's back, shown to staff next to
 * the shipment (the orders page lists them; `listShipmentNotes` serves the shipment page).
 */
import type { NoteSource, ShipmentNote, ShipmentNoteKind } from "./note-copy";

export type { NoteSource, ShipmentNote, ShipmentNoteKind };

export async function addShipmentNote(
  db: Queryable,
  note: {
    shop: string;
    orderId: string;
    shipmentId: number;
    kind: ShipmentNoteKind;
    source: NoteSource;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.query(
    `insert into shipment_notes (shop, order_id, shipment_id, kind, source, details)
     values ($1, $2, $3, $4, $5, $6)`,
    [
      note.shop,
      note.orderId,
      note.shipmentId,
      note.kind,
      note.source,
      note.details ?? {},
    ],
  );
}

/** A shipment's notes, newest first; another shop's shipment id gives none. */
export async function listShipmentNotes(
  db: Queryable,
  shop: string,
  shipmentId: number,
  limit = 20,
): Promise<ShipmentNote[]> {
  const result = await db.query<{
    id: string;
    kind: ShipmentNoteKind;
    source: NoteSource;
    details: Record<string, unknown>;
    created_at: Date;
  }>(
    `select id, kind, source, details, created_at from shipment_notes
      where shop = $1 and shipment_id = $2
      order by created_at desc, id desc limit $3`,
    [shop, shipmentId, limit],
  );
  return result.rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    source: r.source,
    details: r.details,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
