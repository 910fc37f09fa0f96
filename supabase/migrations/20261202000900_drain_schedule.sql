-- The queue drained by the Edge Function drain-sync-queue every minute, called by the
-- database itself (pg_cron + pg_net, as Supabase documents for scheduled functions), for
-- hosts without a long-lived worker. A no-op where either extension is missing: nothing
-- is created, nothing is scheduled.
--
-- Dormant until the operator stores two Vault secrets (README, "From an empty Supabase
-- project to production"):
--   select vault.create_secret('https://<project-ref>.supabase.co/functions/v1/drain-sync-queue', 'sync_drain_url');
--   select vault.create_secret('<the function''s SYNC_DRAIN_SECRET>', 'sync_drain_secret');
-- Until both exist each minute's run does nothing; a project that runs `npm run worker`
-- simply never stores them.
do $do$
begin
  if not exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    raise notice 'pg_cron is not installed: call the drain-sync-queue function from the host''s cron, or run a worker';
    return;
  end if;
  -- pg_net installs itself in schema net; a database where it already exists needs nothing.
  if to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)') is null
     and not exists (select 1 from pg_available_extensions where name = 'pg_net') then
    raise notice 'pg_net is not installed: call the drain-sync-queue function from the host''s cron, or run a worker';
    return;
  end if;
  begin
    create extension if not exists pg_cron;
    if to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)') is null then
      create extension if not exists pg_net;
    end if;
  exception when others then
    raise notice 'pg_cron or pg_net cannot be enabled in this database (%): call the drain-sync-queue function from the host''s cron', sqlerrm;
    return;
  end;

  -- One POST to the function, its URL and secret read from Vault at each run; nothing when
  -- they are not stored. pg_net sends it after the cron run commits and does not wait for
  -- the answer; the function's own time box (50 s) ends it before the next minute's call.
  execute $fn$
    create function public.invoke_sync_drain() returns bigint
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $body$
    declare
      drain_url text;
      drain_secret text;
    begin
      if to_regclass('vault.decrypted_secrets') is null then
        return null;
      end if;
      select decrypted_secret into drain_url from vault.decrypted_secrets where name = 'sync_drain_url';
      select decrypted_secret into drain_secret from vault.decrypted_secrets where name = 'sync_drain_secret';
      if drain_url is null or drain_secret is null then
        return null;
      end if;
      return net.http_post(
        url := drain_url,
        body := jsonb_build_object('seconds', 50),
        params := '{}'::jsonb,
        headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || drain_secret),
        timeout_milliseconds := 60000
      );
    end
    $body$
  $fn$;
  revoke execute on function public.invoke_sync_drain() from public, anon, authenticated;

  perform cron.schedule(
    'vendor-shipments:drain-sync-queue',
    '* * * * *',
    'select public.invoke_sync_drain()'
  );
end
$do$;
