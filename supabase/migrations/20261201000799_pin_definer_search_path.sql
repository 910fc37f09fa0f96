-- A security definer function runs as its owner: with `public` on its search_path, an
-- object planted in public could be resolved in place of the one meant. The queue's
-- batched outbox function (20261201000700/701) names everything by schema, so its path
-- is pinned like enqueue_shipment_sync's (20261201000601): pg_catalog, then pg_temp.
-- (Versioned after 20261201000701 because it must run after that file; the security
-- work's own prefix, 0006xx, sorts before it.)
alter function public.enqueue_pending_shipments(jsonb)
  set search_path = pg_catalog, pg_temp;
