-- Shipments: status, sync state and Shopify's fulfillment id must tell one consistent story.
begin;
select plan(21);

insert into public.shops (shop) values ('hokuto-zakka.myshopify.com'), ('other-shop.myshopify.com');

select lives_ok(
  $$ insert into public.shipments (shop, order_id, order_name, vendor)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/6104223001001', '#1001', '有田焼 窯元まるぶん') $$,
  'an unshipped, in-sync shipment is accepted'
);

select lives_ok(
  $$ insert into public.shipments (shop, order_id, order_name, status, shipped_at, sync_state,
       shopify_fulfillment_id, tracking_numbers, carrier, tracking_url, synced_at)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/6104223001001', '#1001', 'shipped', now(), 'in_sync',
       'gid://shopify/Fulfillment/5402110001001', '{438912345675}', 'Yamato (JA)',
       'https://jizen.kuronekoyamato.co.jp/jizen/servlet/crjz.b.NQ0010?id=438912345675', now()) $$,
  'a shipped shipment in sync with its Shopify fulfillment is accepted'
);

select lives_ok(
  $$ insert into public.shipments (shop, order_id, order_name, status, shipped_at, sync_state, pending_operation)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/6104223001001', '#1001', 'shipped', now(),
             'pending', 'create_fulfillment') $$,
  'shipped but not yet in Shopify is a pending create'
);

-- status and shipped_at
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, status, sync_state, pending_operation)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'shipped', 'pending', 'create_fulfillment') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_check"',
  'shipped needs shipped_at'
);
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, shipped_at)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', now()) $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_check"',
  'unshipped has no shipped_at'
);

-- sync_state and pending_operation
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, sync_state)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'pending') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_check1"',
  'pending needs the operation that is pending'
);
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, sync_state, pending_operation)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'in_sync', 'cancel_fulfillment') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_check1"',
  'in_sync has no pending operation'
);
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, sync_state, pending_operation)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'failed', 'create_fulfillment') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_check3"',
  'failed needs the class of the last error'
);

-- in_sync: shipped exactly when Shopify holds a fulfillment
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, status, shipped_at)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'shipped', now()) $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_check2"',
  'in_sync and shipped needs the Shopify fulfillment id'
);
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, shopify_fulfillment_id)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'gid://shopify/Fulfillment/1') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_check2"',
  'in_sync and unshipped has no Shopify fulfillment'
);
select lives_ok(
  $$ insert into public.shipments (shop, order_id, order_name, shopify_fulfillment_id, sync_state, pending_operation)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'gid://shopify/Fulfillment/2',
             'pending', 'cancel_fulfillment') $$,
  'unshipped with a fulfillment still in Shopify is a pending cancel'
);

-- one shipment per Shopify fulfillment and shop
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, status, shipped_at, shopify_fulfillment_id)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/6104223001001', '#1001', 'shipped', now(),
             'gid://shopify/Fulfillment/5402110001001') $$,
  '23505', 'duplicate key value violates unique constraint "shipments_shop_shopify_fulfillment_id_key"',
  'a Shopify fulfillment belongs to one shipment of the shop'
);
select lives_ok(
  $$ insert into public.shipments (shop, order_id, order_name, status, shipped_at, shopify_fulfillment_id)
     values ('other-shop.myshopify.com', 'gid://shopify/Order/6104223001001', '#1001', 'shipped', now(),
             'gid://shopify/Fulfillment/5402110001001') $$,
  'the uniqueness of fulfillment ids is per shop'
);

-- Shopify id formats
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name)
     values ('hokuto-zakka.myshopify.com', '6104223001001', '#1') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_order_id_check"',
  'order_id must be an Order gid'
);
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1001x', '#1') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_order_id_check"',
  'an Order gid ends in digits'
);
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, status, shipped_at, shopify_fulfillment_id)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'shipped', now(),
             'gid://shopify/FulfillmentOrder/7193021001001') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_shopify_fulfillment_id_check"',
  'a fulfillment order id is not a fulfillment id'
);

-- tracking
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, tracking_numbers)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', '{438912345675,""}') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_tracking_numbers_check"',
  'no empty tracking number'
);
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, tracking_numbers)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', array['438912345675', null]) $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_tracking_numbers_check"',
  'no null tracking number'
);
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, carrier)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', '') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_carrier_check"',
  'no empty carrier'
);
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, tracking_url)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', 'javascript:alert(1)') $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_tracking_url_check"',
  'tracking URLs are http(s)'
);
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name, sync_attempts)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1', -1) $$,
  '23514', 'new row for relation "shipments" violates check constraint "shipments_sync_attempts_check"',
  'attempts are never negative'
);

select * from finish();
rollback;
