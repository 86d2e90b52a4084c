-- Audience rewards: one discount per rule and period, codes added in bulk (issue #21, decision 021).
ALTER TABLE "IssuedDiscount" ADD COLUMN "bulkBatch" TEXT;

CREATE TABLE "SharedDiscount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "seedCode" TEXT NOT NULL,
    "shopifyDiscountId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

CREATE INDEX "SharedDiscount_shop_ruleId_idx" ON "SharedDiscount"("shop", "ruleId");
CREATE UNIQUE INDEX "SharedDiscount_shop_groupKey_key" ON "SharedDiscount"("shop", "groupKey");
