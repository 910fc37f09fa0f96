-- The outbox, one statement at a time. The row trigger of 20261125000002 called
-- add_job once per shipment: a 10,000-row import commit paid 10,000 plpgsql calls,
-- 10,000 NOTIFYs and 10,000 single-row inserts into the queue. These statement triggers
-- read the statement's transition tables and queue every shipment it made pending with
-- one graphile_worker.add_jobs call (one insert, one NOTIFY).
--
-- Same rule as before: a shipment is queued when it becomes (or stays, with a new
-- revision, operation or retry time) pending; one job per shipment
-- ('sync-shipment:<id>', a newer request replaces a waiting job); the job waits for
-- next_retry_at, and for app.inline_sync_grace when a route action syncs inline.
-- Transition tables cannot be combined with `update of <columns>`, so the update
-- trigger fires for every UPDATE statement and filters by comparing old and new rows
-- (a join on the primary key, empty for statements that changed none of them).

create function public.enqueue_pending_shipments(p_rows jsonb) returns void
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  -- Before the queue's schema exists (a bare database, the seed) nothing can be
  -- queued; the worker's startup sweep queues every pending shipment it finds.
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
        null,
        array['shop:' || r.shop]
      )::graphile_worker.job_spec
      from jsonb_to_recordset(p_rows) as r(shop text, id bigint, run_at timestamptz)
      order by r.id
    )
  );
end;
$$;

revoke execute on function public.enqueue_pending_shipments(jsonb)
  from public, anon, authenticated;

create function public.shipments_enqueue_sync_batch() returns trigger
language plpgsql
as $$
declare
  v_grace interval :=
    coalesce(nullif(current_setting('app.inline_sync_grace', true), ''), '0 seconds')::interval;
  v_rows jsonb;
begin
  if tg_op = 'INSERT' then
    select jsonb_agg(jsonb_build_object(
             'shop', n.shop, 'id', n.id,
             'run_at', greatest(coalesce(n.next_retry_at, now()), now() + v_grace)))
      into v_rows
      from new_rows n
     where n.sync_state = 'pending';
  else
    select jsonb_agg(jsonb_build_object(
             'shop', n.shop, 'id', n.id,
             'run_at', greatest(coalesce(n.next_retry_at, now()), now() + v_grace)))
      into v_rows
      from new_rows n
      join old_rows o on o.id = n.id
     where n.sync_state = 'pending'
       and (o.sync_state is distinct from n.sync_state
            or o.revision is distinct from n.revision
            or o.pending_operation is distinct from n.pending_operation
            or o.next_retry_at is distinct from n.next_retry_at);
  end if;
  if v_rows is not null then
    perform public.enqueue_pending_shipments(v_rows);
  end if;
  return null;
end;
$$;

drop trigger shipments_enqueue_sync on public.shipments;
drop function public.shipments_enqueue_sync();

create trigger shipments_enqueue_sync_insert
  after insert on public.shipments
  referencing new table as new_rows
  for each statement execute function public.shipments_enqueue_sync_batch();

create trigger shipments_enqueue_sync_update
  after update on public.shipments
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.shipments_enqueue_sync_batch();
