-- Write-back and reward delivery as bulk mutations (issue #21, decision 024).
ALTER TABLE "Customer" ADD COLUMN "valuesWritten" TEXT;

CREATE TABLE "BulkMutationRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "mutation" TEXT NOT NULL,
    "variables" TEXT NOT NULL,
    "lineCount" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "stagedUploadPath" TEXT,
    "startingAt" DATETIME,
    "bulkOperationId" TEXT,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

CREATE INDEX "BulkMutationRun_shop_status_idx" ON "BulkMutationRun"("shop", "status");
