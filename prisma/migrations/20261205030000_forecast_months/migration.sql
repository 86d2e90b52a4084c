-- Monthly accuracy report (issue 19): a month's forecast, stored at its start, against what happened.
CREATE TABLE "ForecastMonth" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "customers" INTEGER NOT NULL,
    "predictedPurchases" REAL NOT NULL,
    "predictedRevenue" REAL NOT NULL,
    "actualPurchases" REAL,
    "actualRevenue" REAL,
    "predictedAt" DATETIME NOT NULL,
    "closedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "ForecastMonth_shop_month_key" ON "ForecastMonth"("shop", "month");
