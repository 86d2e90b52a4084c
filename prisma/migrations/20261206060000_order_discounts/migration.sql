-- What each order was discounted, and what a redeemed Kinship code cost (issue #18: money, not points).
ALTER TABLE "Order" ADD COLUMN "totalDiscounts" REAL NOT NULL DEFAULT 0;
ALTER TABLE "IssuedDiscount" ADD COLUMN "redeemedDiscount" REAL;
