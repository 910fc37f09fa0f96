-- Least privilege (migration 20261201000601): Supabase's API roles hold no privilege on
-- any table — TRUNCATE included, which row level security does not stop — and tables
-- created later start without them. Every table is tried for real, as each role.
begin;
select plan(12);

-- Tries each statement on each table of public as `role_name`; returns what succeeded.
create function pg_temp.allowed_for(role_name text) returns setof text
language plpgsql as $$
declare
  t record;
  stmt text;
begin
  for t in
    select c.oid::regclass::text as name,
           (select a.attname from pg_attribute a
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
               and a.attidentity <> 'a' and a.attgenerated = ''
             order by a.attnum limit 1) as col
      from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
     order by 1
  loop
    foreach stmt in array array[
      format('select 1 from %s limit 1', t.name),
      format('insert into %s default values', t.name),
      format('update %s set %I = %I where false', t.name, t.col, t.col),
      format('delete from %s where false', t.name),
      format('truncate %s cascade', t.name)
    ] loop
      begin
        execute format('set local role %I', role_name);
        execute stmt;
        reset role;
        return next stmt;
      exception
        when insufficient_privilege then reset role;
        -- Anything else (a not-null violation on insert, say) means the privilege was there.
        when others then reset role; return next stmt || ' (' || sqlerrm || ')';
      end;
    end loop;
  end loop;
end;
$$;

insert into public.shops (shop, name) values ('hokuto-zakka.myshopify.com', '北斗雑貨店');
insert into public.shipments (shop, order_id, order_name)
  values ('hokuto-zakka.myshopify.com', 'gid://shopify/Order/1', '#1001');

select ok(
  (select count(*) from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r') >= 15,
  'the check covers every table of the schema (there are many)'
);
select is_empty($$ select * from pg_temp.allowed_for('anon') $$,
  'anon can neither read nor change any table: select, insert, update, delete and truncate all refused');
select is_empty($$ select * from pg_temp.allowed_for('authenticated') $$,
  'authenticated can neither read nor change any table: select, insert, update, delete and truncate all refused');

select is_empty(
  $$ select c.oid::regclass::text || ' ' || p.privilege
       from pg_class c
       cross join unnest(array['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) as p(privilege)
       cross join unnest(array['anon','authenticated']) as r(role_name)
      where c.relnamespace::regnamespace::text not in ('pg_catalog', 'information_schema', 'extensions')
        and c.relnamespace::regnamespace::text not like 'pg_toast%'
        and c.relnamespace::regnamespace::text not like 'pg_temp%'
        and c.relkind in ('r', 'p', 'v', 'm', 'f')
        and has_table_privilege(r.role_name, c.oid, p.privilege) $$,
  'no table or view in any schema of the app (public, the queue, the migration history) grants anon or authenticated any privilege'
);
select is_empty(
  $$ select c.oid::regclass::text from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind = 'S'
        and (has_sequence_privilege('anon', c.oid, 'usage, select, update')
             or has_sequence_privilege('authenticated', c.oid, 'usage, select, update')) $$,
  'no sequence grants anon or authenticated anything'
);

-- A table a later migration adds (created here as the migrating role) starts closed.
create table public.added_later (id int primary key, shop text);
select ok(not has_table_privilege('anon', 'public.added_later', 'select'),
  'a table created later: anon cannot select');
select ok(not has_table_privilege('anon', 'public.added_later', 'truncate'),
  'a table created later: anon cannot truncate');
select ok(not has_table_privilege('authenticated', 'public.added_later', 'insert, update, delete, truncate'),
  'a table created later: authenticated cannot change it');

-- Security definer functions: search_path pinned, without public.
select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p
      where p.pronamespace = 'public'::regnamespace and p.prosecdef
        and not exists (select from unnest(coalesce(p.proconfig, '{}')) as c(setting)
                         where c.setting like 'search_path=%') $$,
  'every security definer function in public pins its search_path'
);
select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p, unnest(p.proconfig) as c(setting)
      where p.pronamespace = 'public'::regnamespace and p.prosecdef
        and c.setting like 'search_path=%' and c.setting ~ '(=|,\s*)"?public"?(,|$)' $$,
  'no security definer function has public on its search_path'
);
select is(
  (select array_to_string(proconfig, ',') from pg_proc where oid = 'public.enqueue_shipment_sync(text, bigint, timestamptz)'::regprocedure),
  'search_path=pg_catalog, pg_temp',
  'enqueue_shipment_sync runs with search_path pg_catalog, pg_temp'
);

select is((select count(*) from public.shipments), 1::bigint,
  'the owner still reads its rows (nothing was truncated)');

select * from finish();
rollback;
