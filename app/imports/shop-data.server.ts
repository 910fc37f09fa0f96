import type { Queryable } from "~/db/queryable";
import {
  buildSnapshot,
  orderNameCandidates,
  type ShopSnapshot,
  type SnapshotShipment,
} from "./validate";

/**
 * The slice of one shop's data a set of rows needs: every line of the orders they name
 * (by name or ID) and every shipment holding one of those lines, with all its lines.
 * Scoped by `shop` — the authenticated session's shop, never a value from the file.
 *
 * With `lock`, the lines are locked (`for update`, in id order so two commits never
 * deadlock): a commit holds them until its transaction ends, so no other commit can
 * take the same units between its re-validation and its writes.
 */
export interface SnapshotRefs {
  orderNames: Iterable<string>;
  orderIds: Iterable<string>;
}

export async function loadShopSnapshot(
  db: Queryable,
  shop: string,
  refs: SnapshotRefs,
  options: { lock?: boolean } = {},
): Promise<ShopSnapshot> {
  const names = new Set<string>();
  for (const name of refs.orderNames)
    for (const candidate of orderNameCandidates(name)) names.add(candidate);
  const ids = [...new Set(refs.orderIds)];
  if (names.size === 0 && ids.length === 0) return buildSnapshot([], []);

  const lines = await db.query<{
    id: string;
    line_item_id: string;
    order_id: string;
    order_name: string;
    sku: string | null;
    title: string;
    vendor: string | null;
    quantity: number;
  }>(
    `select li.id, li.line_item_id, li.order_id, li.order_name, li.sku, li.title, li.vendor, li.quantity
       from line_items li
      where li.shop = $1
        and li.order_id in (select o.order_id from line_items o
                             where o.shop = $1 and o.order_name = any($2::text[])
                            union all
                            select unnest($3::text[]))
      order by li.id
      ${options.lock ? "for update of li" : ""}`,
    [shop, [...names], ids],
  );
  const refsOfLines = lines.rows.map((r) => r.id);

  const shipments =
    refsOfLines.length === 0
      ? { rows: [] }
      : await db.query<{
          id: string;
          order_id: string;
          status: "shipped" | "unshipped";
          tracking_numbers: string[];
          refs: string[];
          quantities: number[];
        }>(
          `with holding as (
             select distinct shipment_id from shipment_line_items
              where line_item_id = any($2::bigint[]))
           select s.id, s.order_id, s.status, s.tracking_numbers,
                  array_agg(sli.line_item_id order by sli.line_item_id) as refs,
                  array_agg(sli.quantity order by sli.line_item_id) as quantities
             from holding h
             join shipments s on s.id = h.shipment_id and s.shop = $1
             join shipment_line_items sli on sli.shipment_id = s.id
            group by s.id`,
          [shop, refsOfLines],
        );

  return buildSnapshot(
    lines.rows.map((r) => ({
      ref: Number(r.id),
      lineItemId: r.line_item_id,
      orderId: r.order_id,
      orderName: r.order_name,
      sku: r.sku,
      title: r.title,
      vendor: r.vendor,
      ordered: r.quantity,
    })),
    shipments.rows.map((r): SnapshotShipment => ({
      id: Number(r.id),
      orderId: r.order_id,
      status: r.status,
      trackingNumbers: r.tracking_numbers,
      lines: r.refs.map((ref, i) => ({
        ref: Number(ref),
        quantity: r.quantities[i],
      })),
    })),
  );
}
