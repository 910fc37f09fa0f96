-- The shop's country (ISO 3166-1 alpha-2), from Shopify's Shop.shopAddress.countryCodeV2:
-- carrier names are normalised against the tracking companies Shopify lists for shops in
-- that country. Null until read (on first use; again after a reinstall).
alter table public.shops
  add column country_code text
    constraint shops_country_code_format check (country_code ~ '^[A-Z]{2}$');
