-- Issue 13: refusals that no scope from the install screen fixes get their own error
-- classes (app/fulfillment/errors.ts), and a scope pause remembers alternatives.

-- Shopify refused Order data because the app's protected customer data access is not
-- approved (Partner Dashboard); an order older than 60 days is invisible without the
-- optional read_all_orders scope.
alter type public.sync_error_class add value if not exists 'protected_customer_data';
alter type public.sync_error_class add value if not exists 'order_too_old';

-- What a scope pause waits for: requirements, each met by any one of its alternatives
-- (Shopify's requiredAccess "`a` access scope, `b` access scope or `c` access scope").
-- missing_scopes keeps what the merchant is asked for: one scope per requirement.
alter table public.shops
  add column missing_access jsonb not null default '[]'::jsonb
    check (jsonb_typeof(missing_access) = 'array');

-- A pause from before this migration listed one refusal's alternatives together.
update public.shops
   set missing_access = jsonb_build_array(to_jsonb(missing_scopes))
 where sync_paused_reason = 'missing_scope' and cardinality(missing_scopes) > 0;
