-- The outbox: a shipment whose sync is pending gets its queue job in the same
-- transaction that made it pending (the seed's "Supabase trigger"). graphile-worker is
-- the engine; its own schema (graphile_worker) is installed and migrated by the
-- library itself (app/worker/queue-schema.server.ts), not by these files.
--
-- One job per shipment (job_key 'sync-shipment:<id>'): repeats collapse, a newer
-- request replaces a waiting job, and a job already running is left to finish while
-- a fresh one is queued behind it. Every job carries the flag 'shop:<domain>' so a
-- shop's jobs can be paused (forbidden flags) without touching other shops.

create function public.enqueue_shipment_sync(
  p_shop text, p_shipment_id bigint, p_run_at timestamptz
) returns void
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  -- Before the queue's schema exists (a bare database, the seed) nothing can be
  -- queued; the worker's startup sweep queues every pending shipment it finds.
  if to_regnamespace('graphile_worker') is null then
    return;
  end if;
  perform graphile_worker.add_job(
    identifier   => 'sync_shipment',
    payload      => json_build_object('shop', p_shop, 'shipmentId', p_shipment_id),
    run_at       => coalesce(p_run_at, now()),
    -- Retries are the app's own (shipments.next_retry_at, with jitter and
    -- Retry-After); the job itself only retries if the worker crashes mid-task.
    max_attempts => 25,
    job_key      => 'sync-shipment:' || p_shipment_id,
    flags        => array['shop:' || p_shop]
  );
end;
$$;

create function public.shipments_enqueue_sync() returns trigger
language plpgsql
as $$
begin
  if new.sync_state = 'pending' and (
       tg_op = 'INSERT'
       or old.sync_state is distinct from new.sync_state
       or old.revision is distinct from new.revision
       or old.pending_operation is distinct from new.pending_operation
       or old.next_retry_at is distinct from new.next_retry_at
     ) then
    -- A route action that syncs inline sets app.inline_sync_grace for its
    -- transaction: the job then waits that long, as a safety net, instead of racing
    -- the action for the same shipment.
    perform public.enqueue_shipment_sync(
      new.shop, new.id,
      greatest(coalesce(new.next_retry_at, now()),
               now() + coalesce(nullif(current_setting('app.inline_sync_grace', true), ''), '0 seconds')::interval));
  end if;
  return null;
end;
$$;

create trigger shipments_enqueue_sync
  after insert or update of sync_state, revision, pending_operation, next_retry_at
  on public.shipments
  for each row execute function public.shipments_enqueue_sync();

-- Worker liveness. graphile-worker keeps a dead worker's jobs locked for hours; each
-- worker process beats here, and live workers release the jobs of workers that
-- stopped beating (force_unlock_workers), so a killed worker's shipment is retried
-- within seconds — reconciling first, since its call may have reached Shopify.
create table public.worker_heartbeats (
  worker_id   text primary key,
  process     text not null,
  started_at  timestamptz not null default now(),
  last_seen   timestamptz not null default now()
);
alter table public.worker_heartbeats enable row level security;

-- Hosted Supabase exposes public functions to anon/authenticated through its REST
-- API; a security definer function must not be callable from there.
revoke execute on function public.enqueue_shipment_sync(text, bigint, timestamptz)
  from public, anon, authenticated;
