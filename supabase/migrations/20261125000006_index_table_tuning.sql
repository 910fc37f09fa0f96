-- Index table tuning, from `npm run bench:index` on 1,000,000 shipments (figures in
-- the issue notes).
--
-- Order names are identifiers (#1001), not prose: with the "C" collation a btree can
-- answer `order_name like '#12%'` as a range whatever the database's collation (hosted
-- Supabase runs C.UTF-8, where it cannot). Sorting is unchanged for these strings.
alter table public.shipments alter column order_name type text collate "C";

-- One index serves the sync-state filters newest-first and the queue panel's counts,
-- instead of two that served neither well.
drop index public.shipments_shop_status_created_idx;
drop index public.shipments_shop_sync_state_idx;
create index shipments_shop_unsynced_created_idx
  on public.shipments (shop, sync_state, created_at desc, id desc)
  where sync_state <> 'in_sync';
