-- A bulk retry started from the index table: which shipments it queued, so the
-- operator can watch that run's progress (a ProgressBar) while the queue works.
create table public.sync_batches (
  id           bigint generated always as identity primary key,
  shop         text not null references public.shops (shop) on delete cascade,
  shipment_ids bigint[] not null check (cardinality(shipment_ids) > 0),
  -- What was asked for: the explicit selection or "all matching this filter".
  scope        text not null check (scope in ('selection', 'all_matching')),
  created_at   timestamptz not null default now()
);
create index sync_batches_shop_created_idx on public.sync_batches (shop, created_at desc);
alter table public.sync_batches enable row level security;

-- The queue panel counts a shop's calls in flight and its recent pace.
create index sync_attempts_in_flight_idx on public.sync_attempts (shop) where outcome is null;
create index shipments_shop_sync_state_idx on public.shipments (shop, sync_state)
  where sync_state <> 'in_sync';
