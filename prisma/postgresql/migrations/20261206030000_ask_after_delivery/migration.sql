-- Where an answer came from: the checkout survey or the after-delivery page (issue #17).
ALTER TABLE "Feedback" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'checkout';

-- "Ask after delivery": one invite per fulfilled order, its Flow trigger fired once (issue #17).
CREATE TABLE "SurveyInvite" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "fulfilledAt" TIMESTAMP(3),
    "tracked" BOOLEAN NOT NULL DEFAULT false,
    "deliveredAt" TIMESTAMP(3),
    "askStatus" TEXT,
    "askAt" TIMESTAMP(3),
    "askError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SurveyInvite_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "SurveyInvite_shop_askStatus_idx" ON "SurveyInvite"("shop", "askStatus");
CREATE UNIQUE INDEX "SurveyInvite_shop_orderShopifyId_key" ON "SurveyInvite"("shop", "orderShopifyId");
