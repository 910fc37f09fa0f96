-- A shipment line must name a line item of the same shop and the same order as its
-- shipment, with a positive quantity, once per shipment.
begin;
select plan(9);

insert into public.shops (shop, name) values
  ('hokuto-zakka.myshopify.com', '北斗雑貨店'),
  ('other-shop.myshopify.com', 'Other shop');
insert into public.line_items (shop, order_id, order_name, line_item_id, title, quantity, vendor) values
  ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1001', '#1001', 'gid://shopify/LineItem/11', '有田焼 豆皿', 3, '有田焼 窯元まるぶん'),
  ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1002', '#1002', 'gid://shopify/LineItem/21', '今治タオル', 1, '今治タオル工房'),
  -- Same order gid in another shop: only the shop tells the two apart.
  ('other-shop.myshopify.com', 'gid://shopify/Order/1001', '#1001', 'gid://shopify/LineItem/31', 'Mug', 1, 'Acme');
insert into public.shipments (shop, order_id, order_name, vendor) values
  ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1001', '#1001', '有田焼 窯元まるぶん'),
  ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1002', '#1002', '今治タオル工房');

select lives_ok(
  $$ insert into public.shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1001',
             (select id from public.shipments where order_name = '#1001'),
             (select id from public.line_items where line_item_id = 'gid://shopify/LineItem/11'), 2) $$,
  'a line item of the shipment''s own order is accepted'
);

select throws_ok(
  $$ insert into public.shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1002',
             (select id from public.shipments where order_name = '#1002'),
             (select id from public.line_items where line_item_id = 'gid://shopify/LineItem/21'), 0) $$,
  '23514',
  'new row for relation "shipment_line_items" violates check constraint "shipment_line_items_quantity_check"',
  'quantity 0 is rejected'
);

select throws_ok(
  $$ insert into public.shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1002',
             (select id from public.shipments where order_name = '#1002'),
             (select id from public.line_items where line_item_id = 'gid://shopify/LineItem/21'), -1) $$,
  '23514',
  'new row for relation "shipment_line_items" violates check constraint "shipment_line_items_quantity_check"',
  'a negative quantity is rejected'
);

select throws_ok(
  $$ insert into public.shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1001',
             (select id from public.shipments where order_name = '#1001'),
             (select id from public.line_items where line_item_id = 'gid://shopify/LineItem/31'), 1) $$,
  '23503',
  'insert or update on table "shipment_line_items" violates foreign key constraint "shipment_line_items_line_item_id_shop_order_id_fkey"',
  'a line item of another shop is rejected'
);

select throws_ok(
  $$ insert into public.shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
     values ('other-shop.myshopify.com', 'gid://shopify/Order/1001',
             (select id from public.shipments where order_name = '#1001'),
             (select id from public.line_items where line_item_id = 'gid://shopify/LineItem/31'), 1) $$,
  '23503',
  'insert or update on table "shipment_line_items" violates foreign key constraint "shipment_line_items_shipment_id_shop_order_id_fkey"',
  'a row claiming the other shop cannot reach this shop''s shipment either'
);

select throws_ok(
  $$ insert into public.shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1001',
             (select id from public.shipments where order_name = '#1001'),
             (select id from public.line_items where line_item_id = 'gid://shopify/LineItem/21'), 1) $$,
  '23503',
  'insert or update on table "shipment_line_items" violates foreign key constraint "shipment_line_items_line_item_id_shop_order_id_fkey"',
  'a line item of another order of the same shop is rejected'
);

select throws_ok(
  $$ insert into public.shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1002',
             (select id from public.shipments where order_name = '#1001'),
             (select id from public.line_items where line_item_id = 'gid://shopify/LineItem/21'), 1) $$,
  '23503',
  'insert or update on table "shipment_line_items" violates foreign key constraint "shipment_line_items_shipment_id_shop_order_id_fkey"',
  'a row naming the line item''s order cannot attach it to a shipment of another order'
);

select throws_ok(
  $$ insert into public.shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1001',
             (select id from public.shipments where order_name = '#1001'),
             (select id from public.line_items where line_item_id = 'gid://shopify/LineItem/11'), 1) $$,
  '23505',
  'duplicate key value violates unique constraint "shipment_line_items_shipment_id_line_item_id_key"',
  'the same line item twice in one shipment is rejected'
);

delete from public.shipments where order_name = '#1001';
select is_empty(
  $$ select 1 from public.shipment_line_items where order_id = 'gid://shopify/Order/1001' $$,
  'deleting a shipment deletes its lines'
);

select * from finish();
rollback;
