-- Retries on a time budget instead of a count (issue 14): a Shopify outage of a few
-- hours heals with nobody involved, and throttling (pacing) spends nothing.
--
-- shops.sync_retry_window_minutes: how long a failing sync keeps being retried after
-- its first failure (default 6 hours; 1 hour to 3 days, whole hours on the settings page). It replaces
-- max_sync_attempts, whose 8 attempts were spent in about 8.5 minutes.
-- shipments.sync_failing_since: when the current run of failures began; cleared by
-- every operator command and every success.

alter table public.shops
  add column sync_retry_window_minutes integer not null default 360
    check (sync_retry_window_minutes between 60 and 4320);

alter table public.shops drop column max_sync_attempts;

alter table public.shipments add column sync_failing_since timestamptz;

-- Shipments failing at the upgrade get the whole budget from now.
update public.shipments
   set sync_failing_since = now()
 where sync_state <> 'in_sync' and sync_attempts > 0;
