-- shipments.tracking_url is the URL the merchant typed: the sync sends it to Shopify with
-- the tracking. Until now, tracking edited in Shopify admin (tracking_changed_in_shopify)
-- and fulfillments made there (fulfilled_in_shopify) copied Shopify's own link into it,
-- and the next correction sent that link back as the merchant's, overriding the link
-- Shopify builds. Such a URL is cleared where the shipment's tracking numbers are still
-- the ones its latest Shopify-side note took over (no edit of the merchant's since).
with latest as (
  select distinct on (n.shipment_id)
         n.shipment_id,
         coalesce(n.details -> 'after', n.details -> 'trackingNumbers') as numbers
    from public.shipment_notes n
   where n.kind in ('tracking_changed_in_shopify', 'fulfilled_in_shopify')
   order by n.shipment_id, n.id desc
)
update public.shipments s
   set tracking_url = null
  from latest
 where latest.shipment_id = s.id
   and s.tracking_url is not null
   and to_jsonb(s.tracking_numbers) = latest.numbers;
