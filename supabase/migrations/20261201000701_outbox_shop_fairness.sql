-- Per-shop fairness in the queue. graphile-worker takes jobs by (priority, run_at, id):
-- with every job at priority 0, a shop whose backlog was queued first (a 10,000-row
-- import, a bulk retry) made every shop queued after it wait for all of it. A statement
-- that queues many shipments now numbers them per shop — the shop's first job of the
-- statement priority 0, its second 1, … — so several shops' backlogs interleave and a
-- single mark-shipped (priority 0) never waits behind another shop's backlog. The work
-- stays conserving: a shop alone still runs at its own pace (priority is an order, not
-- a delay). The tail of a very large backlog can wait while other shops keep queueing
-- new work; those jobs only wait for workers, never for another shop's rate limit.

create or replace function public.enqueue_pending_shipments(p_rows jsonb) returns void
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  if to_regnamespace('graphile_worker') is null or jsonb_array_length(p_rows) = 0 then
    return;
  end if;
  perform graphile_worker.add_jobs(
    array(
      select row(
        'sync_shipment',
        json_build_object('shop', r.shop, 'shipmentId', r.id),
        null,
        r.run_at,
        25,
        'sync-shipment:' || r.id,
        least(row_number() over (partition by r.shop order by r.id) - 1, 32767),
        array['shop:' || r.shop]
      )::graphile_worker.job_spec
      from jsonb_to_recordset(p_rows) as r(shop text, id bigint, run_at timestamptz)
      order by r.id
    )
  );
end;
$$;
