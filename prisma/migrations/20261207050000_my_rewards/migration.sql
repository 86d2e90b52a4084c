-- "My rewards" on the customer account page (issue #16, decision 026): a customer's own survey answers
-- newest first, and when the page was first and last loaded per shop (a delivery channel).
CREATE INDEX "Feedback_shop_customerShopifyId_createdAt_idx" ON "Feedback"("shop", "customerShopifyId", "createdAt");

CREATE TABLE "SurfaceUse" (
    "shop" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "firstLoadedAt" DATETIME NOT NULL,
    "lastLoadedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "surface")
);
