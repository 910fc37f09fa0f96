-- CSV imports of tracking numbers (app/imports). An upload is validated against the
-- shop's data and stored here as a preview — exactly what the operator was shown, row
-- by row, with every error and warning in both languages and the shipment each valid
-- row will make. Nothing touches shipments until the operator commits the preview by
-- its id; the commit re-validates inside its transactions and writes what was shown,
-- recording on each row the shipment it wrote.

create table public.imports (
  id                 bigint generated always as identity primary key,
  shop               text not null references public.shops (shop) on delete cascade,
  file_name          text not null check (length(file_name) between 1 and 255),
  file_bytes         integer not null check (file_bytes between 1 and 10485760),
  file_sha256        text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
  -- How the bytes were read: UTF-8 (with or without BOM) or CP932 (Shift_JIS, Excel).
  encoding           text not null check (encoding in ('utf-8', 'utf-8-bom', 'cp932')),
  -- The header as read: [{ "index", "header", "field" }] (field null: not used).
  columns            jsonb not null check (jsonb_typeof(columns) = 'array'),
  -- File-level notices shown with the preview: [{ "ja", "en" }].
  notices            jsonb not null default '[]' check (jsonb_typeof(notices) = 'array'),
  -- previewed: shown, nothing written; committing: batches being written;
  -- committed: every valid row written; refused: the shop's data changed after the
  -- preview (see refusal), rows committed before that stay committed.
  status             text not null default 'previewed'
                     check (status in ('previewed', 'committing', 'committed', 'refused')),
  row_count          integer not null check (row_count between 1 and 50000),
  valid_count        integer not null check (valid_count >= 0),
  warning_count      integer not null default 0 check (warning_count >= 0),
  committed_count    integer not null default 0 check (committed_count >= 0),
  shipments_created  integer not null default 0 check (shipments_created >= 0),
  shipments_marked   integer not null default 0 check (shipments_marked >= 0),
  -- Why a commit was refused: { "ja", "en", "rows": [{ "row", "ja", "en" }] }.
  refusal            jsonb check (refusal is null or jsonb_typeof(refusal) = 'object'),
  created_at         timestamptz not null default now(),
  commit_started_at  timestamptz,
  committed_at       timestamptz,
  updated_at         timestamptz not null default now(),
  unique (id, shop),
  check (valid_count <= row_count),
  check (committed_count <= valid_count),
  check ((status = 'committed') = (committed_at is not null)),
  check ((status = 'refused') = (refusal is not null)),
  check (status = 'previewed' or commit_started_at is not null)
);
create index imports_shop_created_idx on public.imports (shop, created_at desc, id desc);

create table public.import_rows (
  id                  bigint generated always as identity primary key,
  shop                text not null,
  import_id           bigint not null,
  -- The spreadsheet row: the header is row 1, so it matches what the operator sees.
  row_number          integer not null check (row_number >= 2),
  -- The cells as read, verbatim text (a formula is stored as text, never evaluated).
  cells               jsonb not null check (jsonb_typeof(cells) = 'array'),
  -- What a valid row resolved to (null on rows with errors): what the commit writes.
  order_id            text check (order_id ~ '^gid://shopify/Order/[0-9]+$'),
  order_name          text,
  line_item_id        text check (line_item_id ~ '^gid://shopify/LineItem/[0-9]+$'),
  sku                 text,
  title               text,
  vendor              text,
  quantity            integer check (quantity > 0),
  tracking_numbers    text[] not null default '{}'
                      check (array_position(tracking_numbers, null) is null
                             and array_position(tracking_numbers, '') is null),
  carrier             text check (carrier <> ''),
  tracking_url        text check (tracking_url ~ '^https?://'),
  notify_customer     boolean not null default false,
  -- Rows with the same group key become one shipment (order + vendor + tracking numbers).
  group_key           text,
  -- The unshipped shipment this row's group marks shipped; null: a new shipment.
  planned_shipment_id bigint,
  -- Shown to the operator: [{ "code", "ja", "en" }] / [{ "ja", "en" }].
  errors              jsonb not null default '[]' check (jsonb_typeof(errors) = 'array'),
  warnings            jsonb not null default '[]' check (jsonb_typeof(warnings) = 'array'),
  -- Written by the commit: the shipment this row is now part of.
  shipment_id         bigint,
  committed_at        timestamptz,
  unique (import_id, row_number),
  foreign key (import_id, shop) references public.imports (id, shop) on delete cascade,
  -- Same shop and order as the shipment; a deleted shipment leaves the row's history.
  foreign key (shipment_id, shop, order_id)
    references public.shipments (id, shop, order_id) on delete set null (shipment_id),
  -- A valid row has everything the commit needs; a row with errors resolved nothing.
  check ((errors = '[]'::jsonb) = (order_id is not null)),
  check (order_id is null or (order_name is not null and line_item_id is not null
         and title is not null and quantity is not null and carrier is not null
         and cardinality(tracking_numbers) between 1 and 20 and group_key is not null)),
  check (committed_at is null or errors = '[]'::jsonb),
  check (shipment_id is null or committed_at is not null)
);
create index import_rows_shipment_idx on public.import_rows (shipment_id)
  where shipment_id is not null;
-- The detail page's filters: rows with errors, rows not yet committed.
create index import_rows_errors_idx on public.import_rows (import_id, row_number)
  where errors <> '[]'::jsonb;

create trigger imports_touch before update on public.imports
  for each row execute function public.touch_updated_at();

-- Validation finds orders by name ("#1001"), as operators write them.
create index line_items_shop_order_name_idx on public.line_items (shop, order_name);

alter table public.imports enable row level security;
alter table public.import_rows enable row level security;
