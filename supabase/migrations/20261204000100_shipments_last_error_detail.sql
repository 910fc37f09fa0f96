-- A sync error the app words itself is stored as a code, not as words (issue 17).
--
-- Until now the sync's own findings (a shipment that does not fit the order's fulfillment
-- orders: more units than remain, an FO on hold, lines at two locations) were written into
-- shipments.last_error_message in both languages at once ("<Japanese>\n<English>"), so a
-- page in Japanese showed the English sentence too. They now go to last_error_detail as
-- the app's message, a catalogue key and its parameters:
--
--   {"key": "fulfillment.problems.quantityExceedsRemaining",
--    "params": {"item": "有田焼 豆皿", "requested": 2, "remaining": 1, "fulfillable": 1}}
--
-- which each page renders in its own language (~/i18n/messages). last_error_message keeps
-- Shopify's own words (userErrors, HTTP and network errors), which are not translated, and
-- a plain English line for the logs when the detail is set. Both are set and cleared
-- together. Rows written before keep their message and have no detail: shown as before.
-- When set, the detail is an object with a string "key" (what the app writes; its reader
-- still tolerates anything else).
alter table public.shipments
  add column last_error_detail jsonb
    constraint shipments_last_error_detail_message
      check (last_error_detail is null
             or (jsonb_typeof(last_error_detail) = 'object'
                 and coalesce(jsonb_typeof(last_error_detail -> 'key') = 'string', false)));
