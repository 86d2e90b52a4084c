-- The reward type a ledger row was recorded with: store credit rows are not discount codes (issue #15).
ALTER TABLE "IssuedDiscount" ADD COLUMN "rewardType" TEXT;

-- The shop's country, for holiday presets per market (issue #15).
ALTER TABLE "Shop" ADD COLUMN "countryCode" TEXT;
