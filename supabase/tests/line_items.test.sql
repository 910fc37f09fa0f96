-- Order lines as Shopify knows them: Shopify ids, positive quantities, one row per
-- line item and shop.
begin;
select plan(8);

insert into public.shops (shop) values ('hokuto-zakka.myshopify.com'), ('other-shop.myshopify.com');

select lives_ok(
  $$ insert into public.line_items (shop, order_id, order_name, line_item_id, sku, title, quantity, vendor)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/6104223001001', '#1001',
             'gid://shopify/LineItem/15821044000101', 'ARITA-MAME-5', '有田焼 染付 豆皿 5枚セット', 2, '有田焼 窯元まるぶん') $$,
  'a line item with Shopify ids and a positive quantity is accepted'
);

select throws_ok(
  $$ insert into public.line_items (shop, order_id, order_name, line_item_id, title, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'gid://shopify/LineItem/2', 'x', 0) $$,
  '23514',
  'new row for relation "line_items" violates check constraint "line_items_quantity_check"',
  'quantity 0 is rejected'
);

select throws_ok(
  $$ insert into public.line_items (shop, order_id, order_name, line_item_id, title, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'gid://shopify/LineItem/2', 'x', -3) $$,
  '23514',
  'new row for relation "line_items" violates check constraint "line_items_quantity_check"',
  'a negative quantity is rejected'
);

select throws_ok(
  $$ insert into public.line_items (shop, order_id, order_name, line_item_id, title, quantity)
     values ('hokuto-zakka.myshopify.com', '6104223001001', '#1', 'gid://shopify/LineItem/2', 'x', 1) $$,
  '23514',
  'new row for relation "line_items" violates check constraint "line_items_order_id_check"',
  'a bare order number is not an order gid'
);

select throws_ok(
  $$ insert into public.line_items (shop, order_id, order_name, line_item_id, title, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'gid://shopify/FulfillmentOrderLineItem/2', 'x', 1) $$,
  '23514',
  'new row for relation "line_items" violates check constraint "line_items_line_item_id_check"',
  'a fulfillment order line item gid is not a line item gid'
);

select throws_ok(
  $$ insert into public.line_items (shop, order_id, order_name, line_item_id, title, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/6104223001001', '#1001',
             'gid://shopify/LineItem/15821044000101', 'again', 1) $$,
  '23505',
  'duplicate key value violates unique constraint "line_items_shop_line_item_id_key"',
  'a line item is stored once per shop'
);

select lives_ok(
  $$ insert into public.line_items (shop, order_id, order_name, line_item_id, title, quantity)
     values ('other-shop.myshopify.com', 'gid://shopify/Order/6104223001001', '#1001',
             'gid://shopify/LineItem/15821044000101', 'other shop', 1) $$,
  'uniqueness is per shop'
);

select throws_ok(
  $$ insert into public.line_items (shop, order_id, order_name, line_item_id, title, quantity)
     values ('unknown-shop.myshopify.com', 'gid://shopify/Order/1', '#1', 'gid://shopify/LineItem/2', 'x', 1) $$,
  '23503',
  'insert or update on table "line_items" violates foreign key constraint "line_items_shop_fkey"',
  'a line item needs an installed shop'
);

select * from finish();
rollback;
