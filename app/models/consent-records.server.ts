/**
 * Consent as a record (issue #15): each time a customer agrees to (or withdraws) something, what for,
 * when, where and under which wording. Rows are only added, never changed: the history is the record.
 * Read by the customer page and the customer data export (customers/data_request).
 */
import db from "../db.server";

export const CONSENT_PURPOSES = ["birthday", "marketing"] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_SOURCES = ["checkoutSurvey", "csvImport", "shopifyWebhook", "shopifyRefresh"] as const;
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
      where: { shop, customerShopifyId: entry.customerShopifyId, purpose: entry.purpose, granted: entry.granted, source: entry.source, givenAt: entry.givenAt },
      select: { id: true },
    });
    if (same) continue;
    await db.consentRecord.create({ data: { shop, ...entry } });
    added++;
  }
  return added;
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
