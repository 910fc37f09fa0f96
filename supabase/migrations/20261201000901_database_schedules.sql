-- The outbox sweep and the hourly reconcile, scheduled by the database where pg_cron is
-- available (Supabase projects have it), by the worker's timers and crontab elsewhere.
-- Exactly one scheduler runs: the worker looks for these jobs in cron.job at start
-- (app/worker/schedules.server.ts) and skips its own when they are there.

-- The sweep, one definition for both schedulers: pending shipments of running shops that
-- have no job (a job lost to a crash between commit and queue, or removed by hand) are
-- queued again. Returns how many.
create function public.sweep_outbox() returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  requeued integer;
begin
  with orphaned as (
    select public.enqueue_shipment_sync(s.shop, s.id, s.next_retry_at)
      from shipments s
      join shops on shops.shop = s.shop and shops.sync_paused_reason is null
     where s.sync_state = 'pending'
       and not exists (select 1 from graphile_worker.jobs j where j.key = 'sync-shipment:' || s.id)
  )
  select count(*) into requeued from orphaned;
  return requeued;
end
$$;

revoke execute on function public.sweep_outbox() from public, anon, authenticated;

-- pg_cron needs shared_preload_libraries and lives in one database (cron.database_name);
-- anywhere it can't be enabled this block changes nothing and says why.
do $do$
begin
  if not exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    raise notice 'pg_cron is not installed: the worker schedules the outbox sweep and the reconcile';
    return;
  end if;
  begin
    create extension if not exists pg_cron;
  exception when others then
    raise notice 'pg_cron cannot be enabled in this database (%): the worker schedules them', sqlerrm;
    return;
  end;
  -- graphile_worker's schema is installed by the worker at its first start; until then a
  -- run fails harmlessly and is recorded in cron.job_run_details.
  perform cron.schedule(
    'vendor-shipments:outbox-sweep',
    '* * * * *',
    'select public.sweep_outbox()'
  );
  perform cron.schedule(
    'vendor-shipments:reconcile-shops',
    '15 * * * *',
    $cmd$select graphile_worker.add_job('reconcile_shops', '{}'::json, job_key := 'reconcile_shops', max_attempts := 1)$cmd$
  );
end
$do$;
