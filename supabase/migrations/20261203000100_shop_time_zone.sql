-- The shop's time zone (an IANA name such as America/New_York), from Shopify's
-- Shop.ianaTimezone: every time the app shows is in it, labelled (JST, EST/EDT, GMT+9).
-- Read whenever the app gets a token for the shop (install, reinstall, token exchange);
-- null until then, and the pages use Asia/Tokyo. Shaped like an IANA name (Area/Location,
-- or one word such as UTC; no offsets such as +09:00), at most 64 characters.
alter table public.shops
  add column iana_timezone text
    constraint shops_iana_timezone_format
      check (iana_timezone ~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$'
             and length(iana_timezone) <= 64);
