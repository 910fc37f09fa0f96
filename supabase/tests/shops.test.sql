-- Shops: the myshopify domain is the key; the sync circuit's reason and time go together.
begin;
select plan(11);

select lives_ok(
  $$ insert into public.shops (shop, name, granted_scopes) values
     ('hokuto-zakka.myshopify.com', '北斗雑貨店', '{read_orders,write_merchant_managed_fulfillment_orders}') $$,
  'a myshopify domain is accepted'
);

select throws_ok(
  format('insert into public.shops (shop) values (%L)', domain),
  '23514',
  'new row for relation "shops" violates check constraint "shops_shop_check"',
  format('%s is not a shop domain', domain)
)
from unnest(array[
  'Hokuto-Zakka.myshopify.com',        -- Shopify domains are lower case
  'hokuto-zakka.example.com',
  'https://hokuto-zakka.myshopify.com',
  '-hokuto.myshopify.com',
  'hokuto-zakka.myshopify.com.evil.com',
  'hokuto zakka.myshopify.com'
]) as domain;

select throws_ok(
  $$ insert into public.shops (shop, sync_paused_reason) values ('a.myshopify.com', 'reauth_required') $$,
  '23514',
  'new row for relation "shops" violates check constraint "shops_check"',
  'a paused circuit needs the time it paused'
);

select throws_ok(
  $$ insert into public.shops (shop, sync_paused_reason, sync_paused_at) values ('a.myshopify.com', 'tired', now()) $$,
  '23514',
  'new row for relation "shops" violates check constraint "shops_sync_paused_reason_check"',
  'only known pause reasons'
);

select throws_ok(
  $$ insert into public.shops (shop, sync_retry_window_minutes) values ('a.myshopify.com', 59) $$,
  '23514',
  'new row for relation "shops" violates check constraint "shops_sync_retry_window_minutes_check"',
  'a retry budget of at least an hour'
);

-- Uninstall cleanup: deleting the shop removes everything it owns.
insert into public.line_items (shop, order_id, order_name, line_item_id, title, quantity)
  values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1001', 'gid://shopify/LineItem/1', '鉄瓶', 1);
insert into public.shipments (id, shop, order_id, order_name) overriding system value
  values (900001, 'hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1001');
insert into public.shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
  select shop, order_id, 900001, id, 1 from public.line_items where shop = 'hokuto-zakka.myshopify.com';
insert into public.sync_attempts (shop, shipment_id, operation) values ('hokuto-zakka.myshopify.com', 900001, 'create_fulfillment');
delete from public.shops where shop = 'hokuto-zakka.myshopify.com';
select is(
  (select count(*) from public.line_items) + (select count(*) from public.shipments)
    + (select count(*) from public.shipment_line_items) + (select count(*) from public.sync_attempts),
  0::bigint,
  'deleting a shop deletes its line items, shipments, shipment lines and sync attempts'
);

select * from finish();
rollback;
