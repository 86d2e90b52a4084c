-- A/B between two offers in one rule (issue #18): which offer each ledger row's customer was drawn for.
ALTER TABLE "IssuedDiscount" ADD COLUMN "arm" TEXT;
