-- The product's schema. supabase/migrations is the single source of truth for every
-- table, Prisma's session table included (Prisma never migrates this database).
-- Files here never change once landed: add a new numbered file instead.

-- ---------------------------------------------------------------------------
-- Shopify sessions (read and written by PrismaSessionStorage; see prisma/schema.prisma)
-- ---------------------------------------------------------------------------
create table public.shopify_sessions (
  id                    text primary key,
  shop                  text not null,
  state                 text not null,
  is_online             boolean not null default false,
  scope                 text,
  expires               timestamp(3),
  access_token          text not null,
  user_id               bigint,
  first_name            text,
  last_name             text,
  email                 text,
  account_owner         boolean not null default false,
  locale                text,
  collaborator          boolean default false,
  email_verified        boolean default false,
  refresh_token         text,
  refresh_token_expires timestamp(3)
);
create index shopify_sessions_shop_idx on public.shopify_sessions (shop);

-- ---------------------------------------------------------------------------
-- Shops: one row per shop that installed the app, with its per-shop settings.
-- ---------------------------------------------------------------------------
create table public.shops (
  shop               text primary key
                     check (shop ~ '^[a-z0-9][a-z0-9-]*\.myshopify\.com$'),
  name               text,
  granted_scopes     text[] not null default '{}',
  installed_at       timestamptz not null default now(),
  uninstalled_at     timestamptz,
  -- Per-shop sync settings (automatic retry with exponential backoff).
  auto_retry_enabled boolean not null default true,
  max_sync_attempts  integer not null default 8 check (max_sync_attempts between 1 and 25),
  -- The shop's circuit: set when Shopify refuses the shop's token (401) or a scope
  -- (403 / ACCESS_DENIED); its sync jobs pause until it is cleared.
  sync_paused_reason text check (sync_paused_reason in ('reauth_required', 'missing_scope')),
  sync_paused_at     timestamptz,
  missing_scopes     text[] not null default '{}',
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  check ((sync_paused_reason is null) = (sync_paused_at is null))
);

-- ---------------------------------------------------------------------------
-- Order lines as Shopify knows them, with the vendor that ships them.
-- ---------------------------------------------------------------------------
create table public.line_items (
  id           bigint generated always as identity primary key,
  shop         text not null references public.shops (shop) on delete cascade,
  order_id     text not null check (order_id ~ '^gid://shopify/Order/[0-9]+$'),
  order_name   text not null check (length(order_name) between 1 and 64),
  line_item_id text not null check (line_item_id ~ '^gid://shopify/LineItem/[0-9]+$'),
  sku          text,
  title        text not null,
  quantity     integer not null check (quantity > 0),
  vendor       text,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (shop, line_item_id),
  -- Target of shipment_line_items' composite key: a shipment line must belong to
  -- the same shop and order as its shipment.
  unique (id, shop, order_id)
);
create index line_items_shop_order_idx on public.line_items (shop, order_id);

-- ---------------------------------------------------------------------------
-- Shipments: what a vendor ships for an order, and how far Shopify knows about it.
-- ---------------------------------------------------------------------------
create type public.shipment_status as enum ('unshipped', 'shipped');

-- in_sync:  Shopify agrees with status (shipped ⇔ shopify_fulfillment_id is set)
-- pending:  pending_operation has still to reach Shopify (queued, running or retrying)
-- failed:   automatic sync gave up or cannot help; an operator must act
create type public.sync_state as enum ('in_sync', 'pending', 'failed');

create type public.sync_operation as enum (
  'create_fulfillment', 'cancel_fulfillment', 'update_tracking'
);

-- One taxonomy for every failure Shopify can give (app/fulfillment/errors.ts).
create type public.sync_error_class as enum (
  'reauth_required',  -- 401: token invalid or revoked
  'missing_scope',    -- 403 / ACCESS_DENIED
  'not_found',        -- 404: FO or fulfillment gone
  'invalid',          -- 422 / userErrors: quantity, status, tracking
  'throttled',        -- 429 / THROTTLED
  'transient',        -- 5xx, network, timeout before sending
  'outcome_unknown',  -- the request went out, the answer was lost
  'shop_unavailable'  -- 402 frozen / 423 locked
);

create table public.shipments (
  id                     bigint generated always as identity primary key,
  shop                   text not null references public.shops (shop) on delete cascade,
  order_id               text not null check (order_id ~ '^gid://shopify/Order/[0-9]+$'),
  order_name             text not null check (length(order_name) between 1 and 64),
  vendor                 text,
  tracking_numbers       text[] not null default '{}'
                         check (array_position(tracking_numbers, null) is null
                                and array_position(tracking_numbers, '') is null),
  carrier                text check (carrier <> ''),
  tracking_url           text check (tracking_url ~ '^https?://'),
  notify_customer        boolean not null default false,
  status                 public.shipment_status not null default 'unshipped',
  shipped_at             timestamptz,
  sync_state             public.sync_state not null default 'in_sync',
  pending_operation      public.sync_operation,
  sync_attempts          integer not null default 0 check (sync_attempts >= 0),
  next_retry_at          timestamptz,
  last_error_class       public.sync_error_class,
  last_error_message     text,
  shopify_fulfillment_id text check (shopify_fulfillment_id ~ '^gid://shopify/Fulfillment/[0-9]+$'),
  synced_at              timestamptz,
  -- Bumped by every operator command. A sync run that finds it changed when its call
  -- returns records what Shopify did but leaves the newer request pending.
  revision               integer not null default 0,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  unique (id, shop, order_id),
  -- A Shopify fulfillment belongs to at most one shipment (never adopted twice).
  unique (shop, shopify_fulfillment_id),
  check ((status = 'shipped') = (shipped_at is not null)),
  check ((sync_state = 'in_sync') = (pending_operation is null)),
  check (sync_state <> 'in_sync' or (status = 'shipped') = (shopify_fulfillment_id is not null)),
  check (sync_state <> 'failed' or last_error_class is not null)
);

-- Index table: newest first, keyset pagination on (created_at, id) within a shop,
-- with the filters the table offers.
create index shipments_shop_created_idx on public.shipments (shop, created_at desc, id desc);
create index shipments_shop_status_created_idx
  on public.shipments (shop, status, sync_state, created_at desc, id desc);
create index shipments_shop_vendor_created_idx
  on public.shipments (shop, vendor, created_at desc, id desc);
create index shipments_shop_order_name_idx on public.shipments (shop, order_name, id);
create index shipments_tracking_numbers_idx on public.shipments using gin (tracking_numbers);
create index shipments_pending_idx on public.shipments (shop, next_retry_at)
  where sync_state = 'pending';

create table public.shipment_line_items (
  id           bigint generated always as identity primary key,
  shop         text not null,
  order_id     text not null,
  shipment_id  bigint not null,
  line_item_id bigint not null,
  quantity     integer not null check (quantity > 0),
  created_at   timestamptz not null default now(),
  unique (shipment_id, line_item_id),
  -- Same shop and same order on both sides, checked by the database itself.
  foreign key (shipment_id, shop, order_id)
    references public.shipments (id, shop, order_id) on delete cascade,
  foreign key (line_item_id, shop, order_id)
    references public.line_items (id, shop, order_id) on delete cascade
);
create index shipment_line_items_line_item_idx on public.shipment_line_items (line_item_id);

-- ---------------------------------------------------------------------------
-- Audit log: every call to Shopify, with what came back.
-- ---------------------------------------------------------------------------
create table public.sync_attempts (
  id                 bigint generated always as identity primary key,
  shop               text not null references public.shops (shop) on delete cascade,
  shipment_id        bigint references public.shipments (id) on delete cascade,
  operation          text not null check (operation in (
                       'create_fulfillment', 'cancel_fulfillment', 'update_tracking',
                       'read_fulfillment_orders', 'reconcile')),
  started_at         timestamptz not null default now(),
  finished_at        timestamptz,
  -- null while the call is in flight; a row left unfinished by a dead worker is
  -- read as outcome unknown.
  outcome            text check (outcome in ('succeeded', 'failed', 'unknown', 'adopted')),
  error_class        public.sync_error_class,
  http_status        integer check (http_status between 100 and 599),
  message            text,
  shopify_request_id text,
  fulfillment_id     text,
  -- What was sent (fulfillment order lines, quantities, tracking; never vendor data):
  -- lets a later attempt recognise a fulfillment whose answer was lost even after
  -- the operator corrected the tracking number in between.
  request            jsonb,
  check ((finished_at is null) = (outcome is null)),
  check (outcome is distinct from 'failed' or error_class is not null)
);
create index sync_attempts_shipment_idx on public.sync_attempts (shipment_id, started_at desc);
create index sync_attempts_shop_started_idx on public.sync_attempts (shop, started_at desc);

-- ---------------------------------------------------------------------------
-- updated_at maintenance
-- ---------------------------------------------------------------------------
create function public.touch_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

create trigger shops_touch before update on public.shops
  for each row execute function public.touch_updated_at();
create trigger line_items_touch before update on public.line_items
  for each row execute function public.touch_updated_at();
create trigger shipments_touch before update on public.shipments
  for each row execute function public.touch_updated_at();

-- ---------------------------------------------------------------------------
-- Row level security: on for every table with no policies, so Supabase's anon and
-- authenticated roles (PostgREST) see nothing. The app connects as a privileged
-- role (table owner / service role) and scopes every query by shop itself.
-- ---------------------------------------------------------------------------
alter table public.shopify_sessions enable row level security;
alter table public.shops enable row level security;
alter table public.line_items enable row level security;
alter table public.shipments enable row level security;
alter table public.shipment_line_items enable row level security;
alter table public.sync_attempts enable row level security;
