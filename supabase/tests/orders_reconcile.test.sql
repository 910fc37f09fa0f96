-- Issue 9's tables: shop-scoped, notes tied to a shipment of the same shop and order,
-- one running backfill per shop, and the shop's rows go with the shop.
begin;
select plan(8);

insert into public.shops (shop) values ('hokuto-zakka.myshopify.com'), ('other-shop.myshopify.com');
insert into public.shipments (id, shop, order_id, order_name) overriding system value values
  (910001, 'hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1001');

select lives_ok(
  $$ insert into public.shipment_notes (shop, order_id, shipment_id, kind, source)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', 910001, 'fulfillment_cancelled_in_shopify', 'webhook') $$,
  'a note on a shipment of the same shop and order is accepted'
);
select throws_ok(
  $$ insert into public.shipment_notes (shop, order_id, shipment_id, kind, source)
     values ('other-shop.myshopify.com', 'gid://shopify/Order/1', 910001, 'fulfillment_cancelled_in_shopify', 'webhook') $$,
  '23503', null,
  'a note naming another shop''s shipment is refused'
);
select throws_ok(
  $$ insert into public.shipment_notes (shop, order_id, shipment_id, kind, source)
     values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', 910001, 'made_up', 'webhook') $$,
  '23514', null,
  'an unknown note kind is refused'
);

insert into public.order_backfill_runs (shop, since) values ('hokuto-zakka.myshopify.com', now() - interval '60 days');
select throws_ok(
  $$ insert into public.order_backfill_runs (shop, since) values ('hokuto-zakka.myshopify.com', now()) $$,
  '23505', null,
  'a shop has one running backfill at a time'
);
select lives_ok(
  $$ insert into public.order_backfill_runs (shop, since) values ('other-shop.myshopify.com', now()) $$,
  'another shop runs its own'
);

insert into public.orders (shop, order_id, order_name) values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1001');
insert into public.reconcile_runs (shop, trigger) values ('hokuto-zakka.myshopify.com', 'manual');
select throws_ok(
  $$ insert into public.orders (shop, order_id, order_name) values ('hokuto-zakka.myshopify.com', 'not-a-gid', '#1') $$,
  '23514', null,
  'an order id must be a gid'
);

delete from public.shops where shop = 'hokuto-zakka.myshopify.com';
select is(
  (select count(*) from public.orders where shop = 'hokuto-zakka.myshopify.com')
    + (select count(*) from public.shipment_notes where shop = 'hokuto-zakka.myshopify.com')
    + (select count(*) from public.order_backfill_runs where shop = 'hokuto-zakka.myshopify.com')
    + (select count(*) from public.reconcile_runs where shop = 'hokuto-zakka.myshopify.com'),
  0::bigint,
  'a shop''s orders, notes and runs go with the shop'
);
select is(
  (select count(*) from public.order_backfill_runs where shop = 'other-shop.myshopify.com'),
  1::bigint,
  'other shops keep theirs'
);

select * from finish();
rollback;
