-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN,
    "locale" TEXT,
    "collaborator" BOOLEAN,
    "emailVerified" BOOLEAN,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "shop" TEXT NOT NULL,
    "name" TEXT,
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "ianaTimezone" TEXT NOT NULL DEFAULT 'UTC',
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "settings" TEXT NOT NULL DEFAULT '{}',
    "modelState" TEXT,
    "modelFittedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "marketingState" TEXT,
    "birthday" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "shopifyRfmGroup" TEXT,
    "shopifyUpdatedAt" TIMESTAMP(3),
    "firstOrderAt" TIMESTAMP(3),
    "lastOrderAt" TIMESTAMP(3),
    "orderCount" INTEGER NOT NULL DEFAULT 0,
    "totalSpent" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "historicClv" DOUBLE PRECISION,
    "predictedClv" DOUBLE PRECISION,
    "expectedPurchases" DOUBLE PRECISION,
    "pAlive" DOUBLE PRECISION,
    "rfmRecency" INTEGER,
    "rfmFrequency" INTEGER,
    "rfmMonetary" INTEGER,
    "rfmSegment" TEXT,
    "lifecycle" TEXT,
    "lifecycleReason" TEXT,
    "lapsedSince" TIMESTAMP(3),
    "tier" TEXT,
    "tierSince" TIMESTAMP(3),
    "scoredAt" TIMESTAMP(3),
    "redactedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "name" TEXT,
    "processedAt" TIMESTAMP(3) NOT NULL,
    "shopifyUpdatedAt" TIMESTAMP(3),
    "totalPrice" DOUBLE PRECISION NOT NULL,
    "totalRefunded" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "netTotal" DOUBLE PRECISION NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "test" BOOLEAN NOT NULL DEFAULT false,
    "discountCodes" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "bulkOperationId" TEXT,
    "cursor" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "nextRetryAt" TIMESTAMP(3),
    "expectedCount" INTEGER,
    "processedCount" INTEGER NOT NULL DEFAULT 0,
    "ordersCount" INTEGER NOT NULL DEFAULT 0,
    "customersCount" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "requestId" TEXT,
    "payload" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscountRule" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "config" TEXT NOT NULL,
    "pausedReason" TEXT,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DiscountRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerTier" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "tier" TEXT,
    "since" TEXT,
    "belowSince" TEXT,
    "history" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerTier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IssuedDiscount" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "code" TEXT,
    "shopifyDiscountId" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'issue',
    "status" TEXT NOT NULL,
    "amount" DOUBLE PRECISION,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "redeemedAt" TIMESTAMP(3),
    "redeemedOrderId" TEXT,
    "redeemedRevenue" DOUBLE PRECISION,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IssuedDiscount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "score" INTEGER NOT NULL,
    "reasons" TEXT NOT NULL DEFAULT '',
    "comment" TEXT,
    "locale" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "note" TEXT,
    "firstResponseAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "compensationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "jobKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "owner" TEXT,
    "result" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "Customer_shop_lifecycle_id_idx" ON "Customer"("shop", "lifecycle", "id");

-- CreateIndex
CREATE INDEX "Customer_shop_rfmSegment_id_idx" ON "Customer"("shop", "rfmSegment", "id");

-- CreateIndex
CREATE INDEX "Customer_shop_tier_id_idx" ON "Customer"("shop", "tier", "id");

-- CreateIndex
CREATE INDEX "Customer_shop_predictedClv_id_idx" ON "Customer"("shop", "predictedClv", "id");

-- CreateIndex
CREATE INDEX "Customer_shop_lastOrderAt_id_idx" ON "Customer"("shop", "lastOrderAt", "id");

-- CreateIndex
CREATE INDEX "Customer_shop_orderCount_id_idx" ON "Customer"("shop", "orderCount", "id");

-- CreateIndex
CREATE INDEX "Customer_shop_totalSpent_id_idx" ON "Customer"("shop", "totalSpent", "id");

-- CreateIndex
CREATE INDEX "Customer_shop_pAlive_id_idx" ON "Customer"("shop", "pAlive", "id");

-- CreateIndex
CREATE INDEX "Customer_shop_firstOrderAt_idx" ON "Customer"("shop", "firstOrderAt");

-- CreateIndex
CREATE INDEX "Customer_shop_lapsedSince_idx" ON "Customer"("shop", "lapsedSince");

-- CreateIndex
CREATE INDEX "Customer_shop_rfmRecency_rfmFrequency_totalSpent_idx" ON "Customer"("shop", "rfmRecency", "rfmFrequency", "totalSpent");

-- CreateIndex
CREATE INDEX "Customer_shop_email_idx" ON "Customer"("shop", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_shop_shopifyId_key" ON "Customer"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "Order_shop_customerShopifyId_processedAt_idx" ON "Order"("shop", "customerShopifyId", "processedAt");

-- CreateIndex
CREATE INDEX "Order_shop_processedAt_idx" ON "Order"("shop", "processedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shop_shopifyId_key" ON "Order"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "SyncRun_shop_startedAt_idx" ON "SyncRun"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_shop_receivedAt_idx" ON "WebhookEvent"("shop", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_shop_webhookId_key" ON "WebhookEvent"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "DataRequest_shop_receivedAt_idx" ON "DataRequest"("shop", "receivedAt");

-- CreateIndex
CREATE INDEX "DiscountRule_shop_kind_idx" ON "DiscountRule"("shop", "kind");

-- CreateIndex
CREATE INDEX "CustomerTier_shop_customerShopifyId_idx" ON "CustomerTier"("shop", "customerShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerTier_shop_ruleId_customerShopifyId_key" ON "CustomerTier"("shop", "ruleId", "customerShopifyId");

-- CreateIndex
CREATE INDEX "IssuedDiscount_shop_ruleId_idx" ON "IssuedDiscount"("shop", "ruleId");

-- CreateIndex
CREATE INDEX "IssuedDiscount_shop_customerShopifyId_idx" ON "IssuedDiscount"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "IssuedDiscount_shop_code_idx" ON "IssuedDiscount"("shop", "code");

-- CreateIndex
CREATE UNIQUE INDEX "IssuedDiscount_shop_idempotencyKey_key" ON "IssuedDiscount"("shop", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Feedback_shop_status_createdAt_idx" ON "Feedback"("shop", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Feedback_shop_orderShopifyId_key" ON "Feedback"("shop", "orderShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_shop_jobKey_key" ON "JobRun"("shop", "jobKey");

