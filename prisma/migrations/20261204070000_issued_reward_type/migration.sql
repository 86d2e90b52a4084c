-- The reward type a ledger row was recorded with: store credit rows are not discount codes (issue #15).
ALTER TABLE "IssuedDiscount" ADD COLUMN "rewardType" TEXT;
