/**
 * Consent as a record (issue #15): each time a customer agrees to (or withdraws) something, what for,
 * when, where and under which wording. Rows are only added, never changed: the history is the record.
 * Read by the customer page and the customer data export (customers/data_request).
 */
import db from "../db.server";
import { dialect, newId, placeholder, sqlTimestamp, type RawSql } from "./sql/sql.server";

export const CONSENT_PURPOSES = ["birthday", "marketing"] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_SOURCES = ["checkoutSurvey", "customerAccount", "csvImport", "shopifyWebhook", "shopifyRefresh"] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export interface ConsentEntry {
  customerShopifyId: string;
  purpose: ConsentPurpose;
  granted: boolean;
  source: ConsentSource;
  textVersion: string | null;
  givenAt: Date;
}

export type ConsentRecordView = Omit<ConsentEntry, "customerShopifyId">;

/**
 * Appends the entries. An entry identical to one already stored (same customer, purpose, answer,
 * source and moment: a repeated webhook or a re-imported file) is not stored twice.
 */
export async function recordConsents(shop: string, entries: readonly ConsentEntry[]): Promise<number> {
  let added = 0;
  for (const entry of entries) {
    const same = await db.consentRecord.findFirst({
      where: {
        shop,
        customerShopifyId: entry.customerShopifyId,
        purpose: entry.purpose,
        granted: entry.granted,
        source: entry.source,
        givenAt: entry.givenAt,
      },
      select: { id: true },
    });
    if (same) continue;
    await db.consentRecord.create({ data: { shop, ...entry } });
    added++;
  }
  return added;
}

/** One entry inside a webhook's transaction (raw SQL); a repeated one (same moment and answer) is not stored twice. */
export async function recordConsentInTransaction(sql: RawSql, shop: string, e: ConsentEntry): Promise<void> {
  const granted = dialect === "sqlite" ? (e.granted ? 1 : 0) : e.granted;
  const givenAt = sqlTimestamp(e.givenAt);
  const same = await sql.$queryRawUnsafe<unknown[]>(
    `SELECT 1 FROM "ConsentRecord" WHERE "shop" = ${placeholder(1)} AND "customerShopifyId" = ${placeholder(2)} AND "purpose" = ${placeholder(3)}
       AND "granted" = ${placeholder(4)} AND "source" = ${placeholder(5)} AND "givenAt" = ${placeholder(6)}`,
    shop,
    e.customerShopifyId,
    e.purpose,
    granted,
    e.source,
    givenAt,
  );
  if (same.length) return;
  const values = [newId(), shop, e.customerShopifyId, e.purpose, granted, e.source, e.textVersion, givenAt, sqlTimestamp(new Date())];
  await sql.$executeRawUnsafe(
    `INSERT INTO "ConsentRecord" ("id", "shop", "customerShopifyId", "purpose", "granted", "source", "textVersion", "givenAt", "createdAt")
     VALUES (${values.map((_, i) => placeholder(i + 1)).join(", ")})`,
    ...values,
  );
}

/** Appends entries that cannot repeat (one import, one moment), in batches. */
export async function appendConsents(shop: string, entries: readonly ConsentEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 1_000) {
    await db.consentRecord.createMany({ data: entries.slice(i, i + 1_000).map((e) => ({ shop, ...e })) });
  }
}

/** A customer's consent history, oldest first. */
export async function listConsents(shop: string, customerShopifyId: string): Promise<ConsentRecordView[]> {
  const rows = await db.consentRecord.findMany({
    where: { shop, customerShopifyId },
    orderBy: [{ givenAt: "asc" }, { id: "asc" }],
    select: { purpose: true, granted: true, source: true, textVersion: true, givenAt: true },
  });
  return rows.map((r) => ({ ...r, purpose: r.purpose as ConsentPurpose, source: r.source as ConsentSource }));
}

/** The customer's latest answer for a purpose (null: never asked); index (shop, customer, givenAt). */
export async function latestConsent(shop: string, customerShopifyId: string, purpose: ConsentPurpose): Promise<boolean | null> {
  const row = await db.consentRecord.findFirst({
    where: { shop, customerShopifyId, purpose },
    orderBy: [{ givenAt: "desc" }, { createdAt: "desc" }],
    select: { granted: true },
  });
  return row ? row.granted : null;
}

/** Customers whose email marketing state is not SUBSCRIBED: promotional rewards leave them out under a consent policy. */
export async function countWithoutMarketingConsent(shop: string): Promise<number> {
  return db.customer.count({
    where: { shop, redactedAt: null, OR: [{ marketingState: null }, { marketingState: { not: "SUBSCRIBED" } }] },
  });
}
