-- The dashboard's customer figures stored per shop (issue 23): a page load reads one row instead of counting the
-- shop's customers (seven scans of 200,000 rows per load on PostgreSQL).
CREATE TABLE "DashboardFigures" (
    "shop" TEXT NOT NULL,
    "figures" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DashboardFigures_pkey" PRIMARY KEY ("shop")
);
