/**
 * The one birthday writer. Every birthday Kinship collects (CSV import, the checkout survey, any
 * settings path) goes through `writeBirthdays`: the local row first, so a Shopify outage never loses
 * what the customer gave, then Shopify's standard `facts.birth_date`, 25 per metafieldsSet call.
 * Shopify's copy is what makes the birthday durable: the backfill and the nightly refresh read it back.
 */
import { planBirthdayImport, type BirthdayImportResult } from "../models/birthday-import.server";
import { clearLocalBirthday, saveLocalBirthdays } from "../models/customers.server";
import { appendConsents } from "../models/consent-records.server";
import { isLocalDate } from "../retention/rewards";
import type { AdminClient } from "../shopify/admin-client.server";
import { deleteBirthdayMetafield, setBirthdayMetafields } from "../shopify/customer-metafields.server";

export class InvalidBirthdayError extends Error {
  constructor(value: string) {
    super(`Not a birthday: ${value} (expected a past date as YYYY-MM-DD)`);
    this.name = "InvalidBirthdayError";
  }
}

export interface BirthdayWrite {
  customerId: string;
  birthDate: string;
}

export interface BirthdayWriteResult {
  /** Customers Kinship has a row for (their local copy is current). */
  savedLocally: number;
  /** Written to Shopify's facts.birth_date. */
  writtenToShopify: number;
  /** Customers Shopify refused (e.g. deleted since), with its message. */
  refused: { customerId: string; message: string }[];
}

/** Shopify's `date` type needs a full date; a birthday can't be in the future or implausibly old. */
function checked(birthDate: string, now: Date): string {
  const value = birthDate.trim();
  if (!isLocalDate(value) || value > now.toISOString().slice(0, 10) || value < "1900-01-01") throw new InvalidBirthdayError(birthDate);
  return value;
}

export interface BirthdayWriterOptions {
  now?: Date;
  /** Shopify's half (a seam for tests of callers); default: facts.birth_date through metafieldsSet. */
  setMetafields?: typeof setBirthdayMetafields;
}

/**
 * `client` may be a function: it is called only after the local rows are saved, so a shop whose
 * session cannot be loaded still keeps the birthday locally.
 */
export async function writeBirthdays(
  shop: string,
  client: AdminClient | (() => Promise<AdminClient>),
  writes: readonly BirthdayWrite[],
  options: BirthdayWriterOptions = {},
): Promise<BirthdayWriteResult> {
  const now = options.now ?? new Date();
  const valid = writes.map((w) => ({ customerId: w.customerId, birthDate: checked(w.birthDate, now) }));
  const savedLocally = await saveLocalBirthdays(
    shop,
    valid.map((w) => ({ shopifyId: w.customerId, birthday: w.birthDate })),
    now,
  );
  const admin = typeof client === "function" ? await client() : client;
  if (admin.shop !== shop) throw new Error(`Admin client is for ${admin.shop}, not ${shop}`);
  const { written, refused } = await (options.setMetafields ?? setBirthdayMetafields)(admin, valid);
  return { savedLocally, writtenToShopify: written, refused };
}

/** One birthday (the checkout survey's, given with consent). */
export async function saveCustomerBirthday(
  shop: string,
  customerId: string,
  birthDate: string,
  client: AdminClient | (() => Promise<AdminClient>),
  options: BirthdayWriterOptions = {},
): Promise<BirthdayWriteResult> {
  return writeBirthdays(shop, client, [{ customerId, birthDate }], options);
}

/**
 * The customer takes their birthday back (the customer account page): the local row first, then
 * Shopify's `facts.birth_date`, so the nightly refresh does not bring it back.
 */
export async function removeCustomerBirthday(
  shop: string,
  customerId: string,
  client: AdminClient | (() => Promise<AdminClient>),
  options: { now?: Date; deleteMetafield?: typeof deleteBirthdayMetafield } = {},
): Promise<{ clearedLocally: boolean; deletedInShopify: boolean }> {
  const clearedLocally = await clearLocalBirthday(shop, customerId, options.now ?? new Date());
  const admin = typeof client === "function" ? await client() : client;
  if (admin.shop !== shop) throw new Error(`Admin client is for ${admin.shop}, not ${shop}`);
  const deletedInShopify = await (options.deleteMetafield ?? deleteBirthdayMetafield)(admin, customerId);
  return { clearedLocally, deletedInShopify };
}

/**
 * The Settings CSV import: every line checked, then the good ones written through `writeBirthdays`.
 * Shopify failing does not undo the local rows: the result says so, and importing the file again
 * finishes Shopify's copy.
 */
export async function importBirthdays(
  shop: string,
  client: AdminClient | (() => Promise<AdminClient>),
  text: string,
  today: string,
  now: Date = new Date(),
): Promise<BirthdayImportResult & { refused: BirthdayWriteResult["refused"]; shopifyError: string | null }> {
  const { result, writes } = await planBirthdayImport(shop, text, today);
  if (result.fileError || writes.length === 0) return { ...result, refused: [], shopifyError: null };
  // The merchant's file stands for the customers' birthday consent: recorded as given by CSV, now.
  await appendConsents(
    shop,
    writes.map((w) => ({
      customerShopifyId: w.shopifyId,
      purpose: "birthday",
      granted: true,
      source: "csvImport",
      textVersion: null,
      givenAt: now,
    })),
  );
  try {
    const written = await writeBirthdays(
      shop,
      client,
      writes.map((w) => ({ customerId: w.shopifyId, birthDate: w.birthday })),
      { now },
    );
    return { ...result, refused: written.refused, shopifyError: null };
  } catch (error) {
    if (error instanceof InvalidBirthdayError) throw error;
    return { ...result, refused: [], shopifyError: error instanceof Error ? error.message : String(error) };
  }
}
