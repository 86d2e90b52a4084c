-- The "Kinship: unhappy customer" Flow alert, sent once per low answer (issue #17).
ALTER TABLE "Feedback" ADD COLUMN "alertStatus" TEXT;
ALTER TABLE "Feedback" ADD COLUMN "alertAt" DATETIME;
ALTER TABLE "Feedback" ADD COLUMN "alertError" TEXT;

-- A guest's consented birthday, kept until the order syncs and names the customer (issue #17).
ALTER TABLE "Feedback" ADD COLUMN "guestBirthday" TEXT;
ALTER TABLE "Feedback" ADD COLUMN "guestConsentTextVersion" TEXT;
ALTER TABLE "Feedback" ADD COLUMN "guestConsentAt" DATETIME;
