-- Per-topic ordering of webhook-owned customer columns (issue #14).
ALTER TABLE "Customer" ADD COLUMN "marketingUpdatedAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "tagVersions" TEXT NOT NULL DEFAULT '{}';
