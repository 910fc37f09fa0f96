-- "Retry all matching" is walked by a queue job in bounded keyset batches instead of one
-- transaction over every matching row (20,000 rows held one request for 29 s). The
-- batch row records what was asked (the filter), how far the walk got (the last id
-- walked, batches done) and when it finished; shipment_ids grows batch by batch, so
-- it starts empty.
alter table public.sync_batches
  drop constraint sync_batches_shipment_ids_check,
  alter column shipment_ids set default '{}',
  add column filters      jsonb,
  -- Matching shipments counted when the walk started (the bar's denominator until the
  -- walk ends, then the number actually queued).
  add column total        integer check (total >= 0),
  add column walked_to_id bigint,
  add column batches_done integer not null default 0 check (batches_done >= 0),
  add column walked_at    timestamptz;

-- Batches recorded before: their one transaction queued everything.
update public.sync_batches
   set total = cardinality(shipment_ids), batches_done = 1, walked_at = created_at;

alter table public.sync_batches
  -- A selection is queued in the request; only "all matching" is walked.
  add constraint sync_batches_walk_check
    check (walked_at is not null or (scope = 'all_matching' and filters is not null));
