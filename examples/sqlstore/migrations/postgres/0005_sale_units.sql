-- The units of each field-test sale beside its document, so that
-- AddSaleWithin adds up the units of a pilot's sales in the database,
-- from an index, without reading the documents. Sales stored before keep
-- the units their documents hold.

ALTER TABLE pilot_sales ADD COLUMN units bigint NOT NULL DEFAULT 0;
UPDATE pilot_sales SET units = COALESCE((doc->>'units')::bigint, 0);
CREATE INDEX pilot_sales_pilot_units ON pilot_sales (pilot, units);
