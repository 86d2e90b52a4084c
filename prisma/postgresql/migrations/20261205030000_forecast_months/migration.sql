-- Monthly accuracy report (issue 19): a month's forecast, stored at its start, against what happened.
CREATE TABLE "ForecastMonth" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "customers" INTEGER NOT NULL,
    "predictedPurchases" DOUBLE PRECISION NOT NULL,
    "predictedRevenue" DOUBLE PRECISION NOT NULL,
    "actualPurchases" DOUBLE PRECISION,
    "actualRevenue" DOUBLE PRECISION,
    "predictedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "ForecastMonth_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ForecastMonth_shop_month_key" ON "ForecastMonth"("shop", "month");
