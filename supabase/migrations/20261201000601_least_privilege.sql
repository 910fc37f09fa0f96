-- Least privilege for Supabase's API roles.
--
-- Decision: revoke, not policies. Nothing in this app reaches the database as `anon` or
-- `authenticated`: the server connects as the privileged role, and PostgREST/supabase-js
-- are not used for data. Supabase's default grants still gave both roles every table
-- privilege, and row level security without policies stops SELECT/INSERT/UPDATE/DELETE
-- but not TRUNCATE (RLS does not apply to it) nor REFERENCES/TRIGGER. So every privilege
-- on every table, sequence and function in public is revoked from both roles, and the
-- default privileges are changed so tables a later migration adds start without them.
-- RLS stays on as the second layer: should a grant come back, no policy lets a row out.

revoke all privileges on all tables in schema public from anon, authenticated;
revoke all privileges on all sequences in schema public from anon, authenticated;
revoke all privileges on all functions in schema public from anon, authenticated;

-- Default privileges belong to the role that creates the objects: the role running the
-- migrations, and `postgres` (hosted Supabase creates tables as postgres and grants the
-- API roles through its default privileges).
alter default privileges in schema public
  revoke all privileges on tables from anon, authenticated;
alter default privileges in schema public
  revoke all privileges on sequences from anon, authenticated;
alter default privileges in schema public
  revoke all privileges on functions from anon, authenticated;

do $$
begin
  if current_user <> 'postgres' and exists (select from pg_roles where rolname = 'postgres')
     and pg_has_role(current_user, 'postgres', 'member') then
    execute 'alter default privileges for role postgres in schema public revoke all privileges on tables from anon, authenticated';
    execute 'alter default privileges for role postgres in schema public revoke all privileges on sequences from anon, authenticated';
    execute 'alter default privileges for role postgres in schema public revoke all privileges on functions from anon, authenticated';
  end if;
end
$$;

-- A security definer function runs as its owner; with `public` on its search_path, an
-- object planted in public could be picked up in place of the one meant. It names
-- everything it uses by schema, so its path is pinned to pg_catalog (pg_temp last).
alter function public.enqueue_shipment_sync(text, bigint, timestamptz)
  set search_path = pg_catalog, pg_temp;
