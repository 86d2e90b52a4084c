-- Where an answer came from: the checkout survey or the after-delivery page (issue #17).
ALTER TABLE "Feedback" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'checkout';

-- "Ask after delivery": one invite per fulfilled order, its Flow trigger fired once (issue #17).
CREATE TABLE "SurveyInvite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "fulfilledAt" DATETIME,
    "tracked" BOOLEAN NOT NULL DEFAULT false,
    "deliveredAt" DATETIME,
    "askStatus" TEXT,
    "askAt" DATETIME,
    "askError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

CREATE INDEX "SurveyInvite_shop_askStatus_idx" ON "SurveyInvite"("shop", "askStatus");
CREATE UNIQUE INDEX "SurveyInvite_shop_orderShopifyId_key" ON "SurveyInvite"("shop", "orderShopifyId");
