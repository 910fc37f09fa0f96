-- Orders in, Shopify-side changes reconciled, compliance webhooks (issue 9).
--
-- - orders:               the order-level facts the webhooks and the backfill bring in
--                         (name, Shopify's timestamps, cancelled/closed); line_items keeps
--                         the lines.
-- - shipment_notes:       what Shopify changed behind a shipment's back (a fulfillment
--                         cancelled in Shopify admin, tracking edited there, the order
--                         cancelled), shown to staff next to the shipment.
-- - webhook_events:       every webhook delivery handled, keyed by X-Shopify-Webhook-Id, so a
--                         redelivery is recognised and not applied twice.
-- - compliance_requests:  the mandatory privacy webhooks, kept as a record of what was asked
--                         and done. It holds no customer data (no customer id, e-mail or
--                         phone) and survives shop/redact: it is the proof of the deletion.
-- - order_backfill_runs:  the import of a shop's recent orders: paged, resumable from its
--                         stored cursor, with its progress.
-- - reconcile_runs:       each comparison of synced shipments with Shopify, with its report.
--
-- Every table is scoped by `shop` and has row level security on with no policies, like
-- the initial schema: only the app's privileged role reads or writes them.

-- ---------------------------------------------------------------------------
-- Orders
-- ---------------------------------------------------------------------------
create table public.orders (
  shop               text not null references public.shops (shop) on delete cascade,
  order_id           text not null check (order_id ~ '^gid://shopify/Order/[0-9]+$'),
  order_name         text not null check (length(order_name) between 1 and 64),
  -- Shopify's own timestamps. shopify_updated_at orders the deliveries: an orders/updated
  -- older than what is stored (webhooks arrive out of order) changes nothing.
  shopify_created_at timestamptz,
  shopify_updated_at timestamptz,
  cancelled_at       timestamptz,
  closed_at          timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  primary key (shop, order_id)
);
create index orders_shop_created_idx
  on public.orders (shop, shopify_created_at desc nulls last, order_id desc);

create trigger orders_touch before update on public.orders
  for each row execute function public.touch_updated_at();

-- ---------------------------------------------------------------------------
-- Shipment notes
-- ---------------------------------------------------------------------------
create table public.shipment_notes (
  id          bigint generated always as identity primary key,
  shop        text not null,
  order_id    text not null,
  shipment_id bigint not null,
  kind        text not null check (kind in (
                'fulfillment_cancelled_in_shopify',  -- cancelled in Shopify admin: back to unshipped
                'fulfillment_missing_in_shopify',    -- the fulfillment no longer exists: back to unshipped
                'tracking_changed_in_shopify',       -- tracking edited in Shopify admin: taken over here
                'fulfilled_in_shopify',              -- fulfilled in Shopify admin: adopted as shipped
                'lines_fulfilled_in_shopify',        -- some of its lines were fulfilled in Shopify admin
                'order_cancelled_in_shopify')),      -- the order was cancelled: pending syncs stopped
  -- How the app learnt it: a webhook, or the reconcile job reading Shopify.
  source      text not null check (source in ('webhook', 'reconcile')),
  -- Facts for the message (fulfillment id, old/new tracking, the stopped operation).
  details     jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  -- Same shop and order as the shipment, checked by the database.
  foreign key (shipment_id, shop, order_id)
    references public.shipments (id, shop, order_id) on delete cascade
);
create index shipment_notes_shipment_idx on public.shipment_notes (shipment_id, created_at desc);
create index shipment_notes_shop_idx on public.shipment_notes (shop, created_at desc);

-- ---------------------------------------------------------------------------
-- Webhook deliveries handled (no FK to shops: a delivery may name a shop the app no
-- longer knows, and is still answered and logged)
-- ---------------------------------------------------------------------------
create table public.webhook_events (
  id          bigint generated always as identity primary key,
  shop        text not null,
  topic       text not null,
  webhook_id  text not null,
  -- The gid the delivery is about (order, fulfillment or fulfillment order).
  resource_id text,
  -- What the handler did, in a word ('applied', 'ignored_unknown_shop', 'stale', …).
  outcome     text not null,
  details     jsonb not null default '{}',
  received_at timestamptz not null default now(),
  unique (shop, webhook_id)
);
create index webhook_events_shop_received_idx on public.webhook_events (shop, received_at desc);

-- ---------------------------------------------------------------------------
-- Mandatory compliance webhooks (customers/data_request, customers/redact, shop/redact)
-- ---------------------------------------------------------------------------
create table public.compliance_requests (
  id                 bigint generated always as identity primary key,
  shop               text not null,
  topic              text not null check (topic in (
                       'customers/data_request', 'customers/redact', 'shop/redact')),
  webhook_id         text not null,
  -- data_request.id for customers/data_request.
  shopify_request_id text,
  -- orders_requested / orders_to_redact as gids: order ids are all the app could hold.
  order_ids          text[] not null default '{}',
  -- What was found and done, e.g. {"ordersHeld": 1, "customerDataStored": false}.
  result             jsonb not null default '{}',
  received_at        timestamptz not null default now(),
  unique (shop, webhook_id)
);

-- ---------------------------------------------------------------------------
-- Order backfill: the shop's recent orders, imported page by page
-- ---------------------------------------------------------------------------
create table public.order_backfill_runs (
  id                  bigint generated always as identity primary key,
  shop                text not null references public.shops (shop) on delete cascade,
  status              text not null default 'running'
                      check (status in ('running', 'completed', 'failed')),
  -- Orders created at or after this are imported (newest first).
  since               timestamptz not null,
  -- Shopify's endCursor after the last page that was stored completely; a resumed run
  -- asks for the page after it. Null: start from the newest order.
  cursor              text,
  -- Creation time of the oldest order stored so far: how far back the run has come
  -- (progress = (started − reached) / (started − since)).
  reached_created_at  timestamptz,
  pages               integer not null default 0 check (pages >= 0),
  orders_imported     integer not null default 0 check (orders_imported >= 0),
  line_items_imported integer not null default 0 check (line_items_imported >= 0),
  -- Time spent waiting for Shopify's bucket to refill (cost-aware pacing).
  throttle_wait_ms    bigint not null default 0 check (throttle_wait_ms >= 0),
  last_error          text,
  started_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  finished_at         timestamptz,
  check ((status = 'running') = (finished_at is null))
);
-- One running backfill per shop: starting again resumes it.
create unique index order_backfill_runs_one_running_idx
  on public.order_backfill_runs (shop) where status = 'running';
create index order_backfill_runs_shop_idx on public.order_backfill_runs (shop, started_at desc);

create trigger order_backfill_runs_touch before update on public.order_backfill_runs
  for each row execute function public.touch_updated_at();

-- ---------------------------------------------------------------------------
-- Reconcile runs: synced shipments compared with Shopify, drift repaired, reported
-- ---------------------------------------------------------------------------
create table public.reconcile_runs (
  id          bigint generated always as identity primary key,
  shop        text not null references public.shops (shop) on delete cascade,
  trigger     text not null check (trigger in ('manual', 'scheduled')),
  status      text not null default 'running'
              check (status in ('running', 'completed', 'failed')),
  checked     integer not null default 0 check (checked >= 0),
  repaired    integer not null default 0 check (repaired >= 0),
  -- { "checked": n, "repaired": n, "drift": [{ shipmentId, orderName, kind, … }], … }
  report      jsonb not null default '{}',
  error       text,
  started_at  timestamptz not null default now(),
  finished_at timestamptz,
  check ((status = 'running') = (finished_at is null))
);
create index reconcile_runs_shop_idx on public.reconcile_runs (shop, started_at desc);

-- ---------------------------------------------------------------------------
-- Row level security: on, no policies (see the initial schema).
-- ---------------------------------------------------------------------------
alter table public.orders enable row level security;
alter table public.shipment_notes enable row level security;
alter table public.webhook_events enable row level security;
alter table public.compliance_requests enable row level security;
alter table public.order_backfill_runs enable row level security;
alter table public.reconcile_runs enable row level security;
