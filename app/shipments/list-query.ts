import { z } from "zod";
import { MAX_CURSOR_CHARS } from "~/db/keyset";
import type { ShipmentListOptions, ShipmentSort } from "./shipment-list.server";

/**
 * The index table's URL search params → list options. Unknown values fall back to
 * "no filter" instead of failing: a stale bookmark should still open the table.
 */
const sorts = ["newest", "oldest", "order_asc", "order_desc"] as const satisfies readonly ShipmentSort[];

const listQuerySchema = z.object({
  status: z.enum(["unshipped", "shipped"]).optional().catch(undefined),
  sync: z.enum(["in_sync", "pending", "failed"]).optional().catch(undefined),
  vendor: z.string().trim().min(1).max(200).optional().catch(undefined),
  q: z.string().trim().min(1).max(200).optional().catch(undefined),
  sort: z.enum(sorts).optional().catch(undefined),
  cursor: z.string().max(MAX_CURSOR_CHARS).optional().catch(undefined),
  direction: z.enum(["next", "previous"]).optional().catch(undefined),
});

export function parseListQuery(params: URLSearchParams): ShipmentListOptions {
  const raw = Object.fromEntries(
    ["status", "sync", "vendor", "q", "sort", "cursor", "direction"].map((key) => [
      key,
      params.get(key) || undefined,
    ]),
  );
  const parsed = listQuerySchema.parse(raw);
  return {
    status: parsed.status,
    syncState: parsed.sync,
    vendor: parsed.vendor,
    query: parsed.q,
    sort: parsed.sort ?? "newest",
    cursor: parsed.cursor ?? null,
    direction: parsed.direction ?? "next",
  };
}

/** The filter part only (what "all matching this filter" re-applies on the server). */
export function filtersFromParams(params: URLSearchParams) {
  const { status, syncState, vendor, query } = parseListQuery(params);
  return { status, syncState, vendor, query };
}
