-- Audience rewards: one discount per rule and period, codes added in bulk (issue #21, decision 021).
ALTER TABLE "IssuedDiscount" ADD COLUMN "bulkBatch" TEXT;

CREATE TABLE "SharedDiscount" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "seedCode" TEXT NOT NULL,
    "shopifyDiscountId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SharedDiscount_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "SharedDiscount_shop_ruleId_idx" ON "SharedDiscount"("shop", "ruleId");
CREATE UNIQUE INDEX "SharedDiscount_shop_groupKey_key" ON "SharedDiscount"("shop", "groupKey");
