-- CSV imports (20261125000004_imports.sql): an import row belongs to its import's shop, a
-- valid row carries everything the commit writes, a row with errors nothing, and a
-- committed row names a shipment of its own shop and order. A row keeps only the cells of
-- the columns the import reads (20261202000950_import_rows_least_data.sql). Both tables
-- are shut to the API roles by row level security.
begin;
select plan(16);

insert into public.shops (shop, name) values
  ('hokuto-zakka.myshopify.com', '北斗雑貨店'),
  ('other-shop.myshopify.com', 'Other shop');
insert into public.imports (id, shop, file_name, file_bytes, file_sha256, encoding, columns, row_count, valid_count)
  overriding system value values
  (900001, 'hokuto-zakka.myshopify.com', '追跡番号.csv', 120, repeat('a', 64), 'cp932',
   '[{"index":0,"header":"注文番号","field":"orderName"},{"index":1,"header":"お客様名","field":null},
     {"index":2,"header":"SKU","field":"sku"},{"index":3,"header":"数量","field":"quantity"}]', 2, 1);
insert into public.shipments (id, shop, order_id, order_name) overriding system value values
  (900101, 'hokuto-zakka.myshopify.com', 'gid://shopify/Order/1001', '#1001'),
  (900102, 'other-shop.myshopify.com', 'gid://shopify/Order/1001', '#1001');

select lives_ok(
  $$ insert into public.import_rows (shop, import_id, row_number, mapped_cells, order_id, order_name, line_item_id,
                                     title, quantity, tracking_numbers, carrier, group_key)
     values ('hokuto-zakka.myshopify.com', 900001, 2, '{"0":"#1001","2":"A","3":"1"}', 'gid://shopify/Order/1001', '#1001',
             'gid://shopify/LineItem/11', '豆皿', 1, '{123456789012}', 'Yamato (JA)', 'k') $$,
  'a valid row with everything the commit needs is accepted'
);

select lives_ok(
  $$ insert into public.import_rows (shop, import_id, row_number, mapped_cells, errors)
     values ('hokuto-zakka.myshopify.com', 900001, 3, '{"0":"=1+1"}',
             '[{"code":"formula","ja":"数式","en":"formula"}]') $$,
  'a row with errors keeps its mapped cells (a formula is stored as text) and resolves nothing'
);

select throws_ok(
  $$ insert into public.import_rows (shop, import_id, row_number, mapped_cells, errors)
     values ('hokuto-zakka.myshopify.com', 900001, 7, '{"0":"#1002","1":"山田 花子"}',
             '[{"code":"x","ja":"x","en":"x"}]') $$,
  '23514', null,
  'a cell of a column the import ignores (a customer''s name) is refused'
);

select throws_ok(
  $$ insert into public.import_rows (shop, import_id, row_number, mapped_cells, errors)
     values ('hokuto-zakka.myshopify.com', 900001, 8, '{"0":"#1002","9":"東京都千代田区"}',
             '[{"code":"extra_cells","ja":"x","en":"x"}]') $$,
  '23514', null,
  'a cell past the header is refused'
);

select throws_ok(
  $$ update public.import_rows set mapped_cells = '{"0":"#1001","1":"山田 花子"}'
      where import_id = 900001 and row_number = 3 $$,
  '23514', null,
  'an update cannot add an ignored column''s cell either'
);

select throws_ok(
  $$ insert into public.import_rows (shop, import_id, row_number, mapped_cells, errors)
     values ('hokuto-zakka.myshopify.com', 900001, 9, '{"0":["#1002"]}',
             '[{"code":"x","ja":"x","en":"x"}]') $$,
  '23514', null,
  'a kept cell is text'
);

select throws_ok(
  $$ update public.import_rows set redacted_at = now()
      where import_id = 900001 and row_number = 3 $$,
  '23514', null,
  'a redacted row keeps no cells'
);

select throws_ok(
  $$ insert into public.import_rows (shop, import_id, row_number, mapped_cells, errors)
     values ('other-shop.myshopify.com', 900001, 4, '{}', '[{"code":"x","ja":"x","en":"x"}]') $$,
  '23503', null,
  'a row cannot belong to another shop''s import'
);

select throws_ok(
  $$ insert into public.import_rows (shop, import_id, row_number, mapped_cells, errors, order_id)
     values ('hokuto-zakka.myshopify.com', 900001, 5, '{}', '[{"code":"x","ja":"x","en":"x"}]',
             'gid://shopify/Order/1001') $$,
  '23514', null,
  'a row with errors cannot carry resolved values'
);

select throws_ok(
  $$ insert into public.import_rows (shop, import_id, row_number, mapped_cells, order_id, order_name, line_item_id,
                                     title, quantity, tracking_numbers, carrier, group_key)
     values ('hokuto-zakka.myshopify.com', 900001, 6, '{}', 'gid://shopify/Order/1001', '#1001',
             'gid://shopify/LineItem/11', '豆皿', 1, '{}', 'Yamato (JA)', 'k') $$,
  '23514', null,
  'a valid row needs a tracking number'
);

select throws_ok(
  $$ update public.import_rows set shipment_id = 900102, committed_at = now()
      where import_id = 900001 and row_number = 2 $$,
  '23503', null,
  'a row cannot name another shop''s shipment'
);

select lives_ok(
  $$ update public.import_rows set shipment_id = 900101, committed_at = now()
      where import_id = 900001 and row_number = 2 $$,
  'a committed row names its shipment'
);

delete from public.shipments where id = 900101;
select is(
  (select (shipment_id is null and committed_at is not null) from public.import_rows
    where import_id = 900001 and row_number = 2),
  true,
  'a deleted shipment leaves the committed row and its history'
);

select throws_ok(
  $$ update public.imports set status = 'committed' where id = 900001 $$,
  '23514', null,
  'committed needs committed_at (and a commit start)'
);

set local role anon;
select throws_ok(
  $$ select count(*) from public.imports $$,
  '42501', null,
  'anon cannot read imports (no privilege: 20261201000601)'
);
select throws_ok(
  $$ select count(*) from public.import_rows $$,
  '42501', null,
  'anon cannot read import rows'
);
reset role;

select * from finish();
rollback;
