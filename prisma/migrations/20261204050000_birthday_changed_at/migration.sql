-- When a birthday was set or changed, for the birthday anti-gaming rule (issue #15).
ALTER TABLE "Customer" ADD COLUMN "birthdayChangedAt" DATETIME;
