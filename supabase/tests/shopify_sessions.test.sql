-- The session table PrismaSessionStorage reads and writes (prisma/schema.prisma, model
-- Session @@map("shopify_sessions")): the columns, types, nullability and defaults that
-- `prisma migrate diff --from-empty --to-schema-datamodel prisma/schema.prisma` produces.
begin;
select plan(55);

select has_table('public', 'shopify_sessions', 'the Session model''s table exists');

select columns_are('public', 'shopify_sessions', array[
  'id', 'shop', 'state', 'is_online', 'scope', 'expires', 'access_token', 'user_id',
  'first_name', 'last_name', 'email', 'account_owner', 'locale', 'collaborator',
  'email_verified', 'refresh_token', 'refresh_token_expires', 'access_token_issued_at'
], 'exactly the columns Prisma maps');

select col_is_pk('public', 'shopify_sessions', 'id', 'id is the primary key');

-- Prisma's mapping: String → text, Boolean → boolean, DateTime → timestamp(3), BigInt → bigint;
-- `?` → nullable; @default(false) → default false.
create temp table expected_columns (name text, type text, not_null boolean, default_value text) on commit drop;
insert into expected_columns values
  ('id',                    'text',                           true,  null),
  ('shop',                  'text',                           true,  null),
  ('state',                 'text',                           true,  null),
  ('is_online',             'boolean',                        true,  'false'),
  ('scope',                 'text',                           false, null),
  ('expires',               'timestamp(3) without time zone', false, null),
  ('access_token',          'text',                           true,  null),
  ('user_id',               'bigint',                         false, null),
  ('first_name',            'text',                           false, null),
  ('last_name',             'text',                           false, null),
  ('email',                 'text',                           false, null),
  ('account_owner',         'boolean',                        true,  'false'),
  ('locale',                'text',                           false, null),
  ('collaborator',          'boolean',                        false, 'false'),
  ('email_verified',        'boolean',                        false, 'false'),
  ('refresh_token',         'text',                           false, null),
  ('refresh_token_expires', 'timestamp(3) without time zone', false, null);

select col_type_is('public', 'shopify_sessions', name, type, format('%s is %s', name, type))
from expected_columns;

select case when not_null
  then col_not_null('public', 'shopify_sessions', name, format('%s is not null', name))
  else col_is_null('public', 'shopify_sessions', name, format('%s is nullable', name))
end
from expected_columns;

select case when default_value is null
  then col_hasnt_default('public', 'shopify_sessions', name, format('%s has no default', name))
  else col_default_is('public', 'shopify_sessions', name, default_value, format('%s defaults to %s', name, default_value))
end
from expected_columns;

select has_index('public', 'shopify_sessions', 'shopify_sessions_shop_idx', array['shop'],
  'sessions are found by shop (@@index([shop]))');

select * from finish();
rollback;
