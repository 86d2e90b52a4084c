-- Issuance you can see and stop (issue #23): "queued" vs "being created", and fast counts by state.
ALTER TABLE "IssuedDiscount" ADD COLUMN "attemptedAt" DATETIME;
CREATE INDEX "IssuedDiscount_shop_status_idx" ON "IssuedDiscount"("shop", "status");
