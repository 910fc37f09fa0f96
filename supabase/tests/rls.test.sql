-- Row level security, as on hosted Supabase: RLS without policies keeps the API roles
-- (anon, authenticated) out even if they held table privileges (Supabase's default
-- grants, revoked since 20261201000601). The app itself connects as the table owner.
begin;
select plan(24);

select is_empty(
  $$ select c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity $$,
  'row level security is enabled on every table in public'
);
select is_empty(
  $$ select tablename from pg_policies where schemaname = 'public' and roles && '{anon,authenticated,public}' $$,
  'no policy opens a table to anon or authenticated'
);
-- Views run as their owner (RLS does not apply) unless security_invoker is set.
select is_empty(
  $$ select c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('v', 'm')
       and has_table_privilege('anon', c.oid, 'select')
       and not coalesce((select option_value::boolean from pg_options_to_table(c.reloptions)
                         where option_name = 'security_invoker'), false) $$,
  'anon cannot read a view in public that bypasses RLS'
);
-- PostgREST serves every function anon may execute as /rest/v1/rpc/<name>; a security
-- definer one runs as its owner. Revoke execute from public, anon, authenticated.
select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p
     where p.pronamespace = 'public'::regnamespace and p.prosecdef
       and (has_function_privilege('anon', p.oid, 'execute')
            or has_function_privilege('authenticated', p.oid, 'execute')) $$,
  'anon and authenticated cannot call security definer functions in public'
);

insert into public.shops (shop, name) values ('hokuto-zakka.myshopify.com', '北斗雑貨店');
insert into public.shopify_sessions (id, shop, state, access_token)
  values ('offline_hokuto-zakka.myshopify.com', 'hokuto-zakka.myshopify.com', 'state', 'shpat_secret');
insert into public.line_items (shop, order_id, order_name, line_item_id, title, quantity)
  values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1001', 'gid://shopify/LineItem/1', '南部鉄器 鉄瓶', 1);
insert into public.shipments (id, shop, order_id, order_name) overriding system value
  values (900001, 'hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1001');
insert into public.shipment_line_items (shop, order_id, shipment_id, line_item_id, quantity)
  select shop, order_id, 900001, id, 1 from public.line_items;
insert into public.sync_attempts (shop, shipment_id, operation) values ('hokuto-zakka.myshopify.com', 900001, 'create_fulfillment');

-- Rows exist for a role that bypasses RLS, and anon holds the privileges: only RLS hides them.
set local role service_role;
select is(
  (select count(*) from public.shops) + (select count(*) from public.shopify_sessions)
    + (select count(*) from public.line_items) + (select count(*) from public.shipments)
    + (select count(*) from public.shipment_line_items) + (select count(*) from public.sync_attempts),
  6::bigint,
  'service_role (bypassrls) sees the rows'
);
reset role;
-- The API roles hold no table privileges (least_privilege.test.sql). RLS is the second
-- layer: should a grant ever come back, no policy lets a row out. Granted here, inside
-- this rolled-back transaction, to test that layer alone.
grant select, insert, update, delete on all tables in schema public to anon, authenticated;
select ok(has_table_privilege('anon', 'public.shipments', 'select, insert, update, delete'),
  'anon holds table privileges on shipments (granted back for this test only)');

set local role anon;
select is((select count(*) from public.shops), 0::bigint, 'anon sees no shops');
select is((select count(*) from public.shopify_sessions), 0::bigint, 'anon sees no sessions');
select is((select count(*) from public.line_items), 0::bigint, 'anon sees no line items');
select is((select count(*) from public.shipments), 0::bigint, 'anon sees no shipments');
select is((select count(*) from public.shipment_line_items), 0::bigint, 'anon sees no shipment lines');
select is((select count(*) from public.sync_attempts), 0::bigint, 'anon sees no sync attempts');
select is_empty($$ update public.shipments set vendor = 'x' returning id $$, 'anon updates no shipment');
select is_empty($$ delete from public.shopify_sessions returning id $$, 'anon deletes no session');
select throws_ok(
  $$ insert into public.shops (shop) values ('evil.myshopify.com') $$,
  '42501', 'new row violates row-level security policy for table "shops"',
  'anon cannot insert a shop'
);
select throws_ok(
  $$ insert into public.shopify_sessions (id, shop, state, access_token) values ('x', 'evil.myshopify.com', 's', 't') $$,
  '42501', 'new row violates row-level security policy for table "shopify_sessions"',
  'anon cannot plant a session'
);
reset role;

set local role authenticated;
select is((select count(*) from public.shops), 0::bigint, 'authenticated sees no shops');
select is((select count(*) from public.shopify_sessions), 0::bigint, 'authenticated sees no sessions');
select is((select count(*) from public.line_items), 0::bigint, 'authenticated sees no line items');
select is((select count(*) from public.shipments), 0::bigint, 'authenticated sees no shipments');
select is((select count(*) from public.shipment_line_items), 0::bigint, 'authenticated sees no shipment lines');
select is((select count(*) from public.sync_attempts), 0::bigint, 'authenticated sees no sync attempts');
select throws_ok(
  $$ insert into public.shipments (shop, order_id, order_name) values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1') $$,
  '42501', 'new row violates row-level security policy for table "shipments"',
  'authenticated cannot insert a shipment'
);
reset role;

select is((select count(*) from public.shipments), 1::bigint, 'the owner still sees the shipment, untouched');

select * from finish();
rollback;
