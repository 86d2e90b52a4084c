-- Rewards that reach people (issue #15): withheld issues, consent records, Flow trigger usage.
ALTER TABLE "IssuedDiscount" ADD COLUMN "withheldReason" TEXT;
CREATE INDEX "IssuedDiscount_shop_status_updatedAt_idx" ON "IssuedDiscount"("shop", "status", "updatedAt");

CREATE TABLE "ConsentRecord" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "textVersion" TEXT,
    "givenAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConsentRecord_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ConsentRecord_shop_customerShopifyId_givenAt_idx" ON "ConsentRecord"("shop", "customerShopifyId", "givenAt");

CREATE TABLE "FlowTriggerUsage" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "flowTriggerDefinitionId" TEXT NOT NULL,
    "hasEnabledFlow" BOOLEAN NOT NULL,
    "notifiedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "FlowTriggerUsage_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "FlowTriggerUsage_shop_flowTriggerDefinitionId_key" ON "FlowTriggerUsage"("shop", "flowTriggerDefinitionId");
