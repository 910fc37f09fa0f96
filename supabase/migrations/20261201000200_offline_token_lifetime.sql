-- Expiring offline tokens (issue 13) and tokens encrypted at rest (issue 15).
--
-- access_token and refresh_token now hold AES-256-GCM ciphertext written by the app
-- ("enc1:<key id>:…", app/shopify/token-cipher.server.ts); rows written before hold
-- plaintext until the app re-encrypts them (on first use, or `npm run tokens:reencrypt`).
-- The key never reaches the database.
--
-- access_token_issued_at: when the current access token was stored, so the app can
-- refresh ahead of expiry by a share of the token's lifetime (expires − issued_at)
-- whoever stored it: the Shopify library after a token exchange, or the app's own
-- refresh. A trigger stamps it whenever `expires` changes (a new token always brings a
-- new expiry; re-encryption leaves `expires`, and so the stamp, alone).
alter table public.shopify_sessions add column access_token_issued_at timestamptz;

-- Rows from before: the best guess is Shopify's documented 60-minute lifetime.
-- (expires is a timestamp in UTC, as Prisma writes it.)
update public.shopify_sessions
   set access_token_issued_at = (expires at time zone 'UTC') - interval '60 minutes'
 where expires is not null and not is_online;

create function public.stamp_access_token_issued_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.expires is distinct from old.expires then
    new.access_token_issued_at := now();
  end if;
  return new;
end;
$$;

create trigger shopify_sessions_access_token_issued_at
  before insert or update on public.shopify_sessions
  for each row execute function public.stamp_access_token_issued_at();

comment on column public.shopify_sessions.access_token is
  'AES-256-GCM ciphertext "enc1:<key id>:<iv>:<ciphertext>:<tag>" (app/shopify/token-cipher.server.ts); plaintext only in rows not yet re-encrypted';
comment on column public.shopify_sessions.refresh_token is
  'Expiring offline tokens'' refresh token, encrypted like access_token';
