-- Customers left out by the consent policy (the dashboard's health card, the rules page) counted from one index
-- range instead of a pass over every customer row of the shop, on every page load (issue 23).
CREATE INDEX "Customer_shop_redactedAt_marketingState_id_idx" ON "Customer"("shop", "redactedAt", "marketingState", "id");
