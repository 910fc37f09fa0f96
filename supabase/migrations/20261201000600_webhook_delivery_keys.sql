-- Webhook deliveries are applied once, keyed by what a replay cannot rewrite.
--
-- Shopify signs a webhook's body only; its headers (shop, topic, webhook id, event id,
-- triggered-at) are not covered. A delivery is now claimed by inserting its row before it
-- is handled (outcome 'in_progress'), under three unique keys:
-- - event_id: X-Shopify-Event-Id, per topic (one event may reach several topics);
-- - (shop, webhook_id): X-Shopify-Webhook-Id, as before;
-- - body_sha256: the SHA-256 of the signed body, across shops and topics, so the same
--   signed body sent again under another shop or topic header is recognised.
-- Rows logged before this migration have neither; the keys are partial unique indexes.
alter table public.webhook_events
  add column event_id text,
  add column body_sha256 text check (body_sha256 ~ '^[0-9a-f]{64}$');

create unique index webhook_events_topic_event_id_key
  on public.webhook_events (topic, event_id) where event_id is not null;
create unique index webhook_events_body_sha256_key
  on public.webhook_events (body_sha256) where body_sha256 is not null;

comment on column public.webhook_events.event_id is
  'X-Shopify-Event-Id of the delivery (unique per topic).';
comment on column public.webhook_events.body_sha256 is
  'Hex SHA-256 of the signed body: a body is applied once, whatever headers come with it.';
