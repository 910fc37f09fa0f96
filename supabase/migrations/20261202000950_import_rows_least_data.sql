-- Least data in CSV imports (issue 15).
--
-- Until now an import row kept every cell of the uploaded row verbatim
-- (import_rows.cells), the columns the import ignores included, and those can hold a
-- customer's name, address, e-mail or phone: Shopify's own order export, which the
-- importer reads as it is, has them next to the columns it uses. A row now keeps only the
-- cells of the columns the import reads (the imports.columns entries with a field), keyed
-- by the column's position in the file:
--
--   mapped_cells = {"0": "#1001", "4": "123456789012", "5": "ヤマト運輸"}
--
-- That is what the preview shows of a row with errors and what the failed-rows CSV gives
-- back to fix and upload again. Empty cells and cells past the header are not kept.
-- Rows stored before are scrubbed here: the cells of mapped columns move to mapped_cells,
-- every other cell goes with the old column.
--
-- customers/redact clears mapped_cells (and the messages quoting the cells) of the rows
-- naming the customer's orders; redacted_at records when.

alter table public.import_rows
  add column mapped_cells jsonb not null default '{}'::jsonb,
  add column redacted_at timestamptz;

update public.import_rows r
   set mapped_cells = coalesce((
         select jsonb_object_agg(c ->> 'index', r.cells ->> ((c ->> 'index')::int))
           from public.imports i
          cross join lateral jsonb_array_elements(i.columns) c
          where i.id = r.import_id
            and i.shop = r.shop
            and jsonb_typeof(c -> 'field') = 'string'
            and jsonb_typeof(c -> 'index') = 'number'
            and jsonb_typeof(r.cells -> ((c ->> 'index')::int)) = 'string'
            and r.cells ->> ((c ->> 'index')::int) <> ''
       ), '{}'::jsonb);

alter table public.import_rows drop column cells;

alter table public.import_rows
  -- An object of column position → text.
  add constraint import_rows_mapped_cells_shape check (
    jsonb_typeof(mapped_cells) = 'object'
    and not jsonb_path_exists(mapped_cells, 'strict $.* ? (@.type() != "string")')
    and not jsonb_path_exists(
      mapped_cells, 'strict $.keyvalue() ? (!(@.key like_regex "^(0|[1-9][0-9]{0,3})$"))')
  ),
  add constraint import_rows_redacted_keeps_no_cells check (
    redacted_at is null or mapped_cells = '{}'::jsonb
  );

-- And only the columns the import reads: a key that is not a mapped column of the row's
-- import is refused, whatever the code writing it. Checked per statement over the rows it
-- wrote (a preview inserts thousands of rows a statement): the mapped positions of the
-- imports written to, then one hash anti-join, not a lookup per row.
create function public.import_rows_only_mapped_cells() returns trigger
  language plpgsql
  set search_path = pg_catalog, pg_temp
as $$
declare
  bad record;
begin
  with mapped as materialized (
    select i.id as import_id, c ->> 'index' as key
      from public.imports i
     cross join lateral jsonb_array_elements(i.columns) c
     where i.id in (select distinct import_id from written)
       and jsonb_typeof(c -> 'field') = 'string'
  )
  select w.import_id, w.row_number, k.key
    into bad
    from written w
   cross join lateral jsonb_object_keys(w.mapped_cells) as k(key)
   where not exists (
           select 1 from mapped m where m.import_id = w.import_id and m.key = k.key)
   limit 1;
  if found then
    raise exception 'import_rows keeps only the cells of mapped columns: import %, row %, column % is not mapped',
      bad.import_id, bad.row_number, bad.key
      using errcode = '23514', constraint = 'import_rows_only_mapped_cells';
  end if;
  return null;
end
$$;

create trigger import_rows_only_mapped_cells_insert
  after insert on public.import_rows
  referencing new table as written
  for each statement execute function public.import_rows_only_mapped_cells();

-- (A trigger with a transition table cannot name columns: every update is checked; the
-- commit's updates of a batch's rows cost one hash join over them.)
create trigger import_rows_only_mapped_cells_update
  after update on public.import_rows
  referencing new table as written
  for each statement execute function public.import_rows_only_mapped_cells();

revoke all on function public.import_rows_only_mapped_cells() from public;
