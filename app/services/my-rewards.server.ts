/**
 * "My rewards" for one customer of one shop (issue #16, docs/decisions/026): the read model, plus the
 * store-credit balance Shopify holds (asked only when the shop grants store credit, within a budget),
 * and the birthday the customer gives or takes back through the one birthday writer and the consent
 * record the survey uses. The route has already verified who is asking.
 */
import { removeCustomerBirthday, saveCustomerBirthday } from "../jobs/birthdays.server";
import type { Locale } from "../i18n";
import { reasonLabel } from "../i18n/rule-texts";
import { recordConsents } from "../models/consent-records.server";
import { recordSurfaceLoad } from "../models/surface-use.server";
import { readMyRewards, type MyRewards, type MyStoreCredit } from "../models/views/my-rewards.server";
import type { BirthdayUpdate } from "../retention/rewards";
import type { AdminClient } from "../shopify/admin-client.server";
import { deleteBirthdayMetafield, setBirthdayMetafields } from "../shopify/customer-metafields.server";
import { readStoreCreditBalance } from "../shopify/store-credit.server";
import { withTimeout } from "./extension-requests.server";

export interface MyRewardsDeps {
  adminClient: (shop: string) => Promise<AdminClient>;
  /** Shopify's store credit must answer within this, or the page shows no balance (the rest is never held up). */
  storeCreditBudgetMs: number;
  /** Shopify's half of a birthday change (the local row is written first, whatever happens). */
  shopifyBudgetMs: number;
  setBirthdayMetafields: typeof setBirthdayMetafields;
  deleteBirthdayMetafield: typeof deleteBirthdayMetafield;
  log: (message: string, detail: Record<string, unknown>) => void;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The page's data, each code's reason worded in `locale` (the customer's); null when the shop is unknown.
 * A load by a verified customer counts as the page being in use.
 */
export async function myRewards(
  shop: string,
  customerId: string,
  now: Date,
  locale: Locale,
  deps: MyRewardsDeps,
): Promise<MyRewards | null> {
  const read = await readMyRewards(shop, customerId, now);
  if (!read) return null;
  const { shopGrantsStoreCredit, codes: readCodes, ...rest } = read;
  const codes = readCodes.map((code) => ({ ...code, reasonLabel: reasonLabel(locale, code.reason) }));
  let storeCredit: MyStoreCredit | null = null;
  if (shopGrantsStoreCredit) {
    storeCredit = await withTimeout(
      deps.adminClient(shop).then((client) => readStoreCreditBalance(client, customerId, read.shop.currencyCode, now)),
      deps.storeCreditBudgetMs,
    ).catch((error) => {
      deps.log("store credit not read", { shop, error: errorMessage(error) });
      return null;
    });
  }
  await recordSurfaceLoad(shop, "customerAccountPage", now);
  return { ...rest, codes, storeCredit };
}

/**
 * The customer's birthday change: the local row and the consent record first (they are what the
 * rewards read), then Shopify's `facts.birth_date` within the budget (best effort: a slow Shopify never
 * loses the change; the survey's path does the same).
 */
export async function updateMyBirthday(shop: string, customerId: string, update: BirthdayUpdate, now: Date, deps: MyRewardsDeps) {
  const client = () => deps.adminClient(shop);
  let shopifyWrite: Promise<unknown>;
  if (update.action === "save") {
    await recordConsents(shop, [
      {
        customerShopifyId: customerId,
        purpose: "birthday",
        granted: true,
        source: "customerAccount",
        textVersion: update.consentTextVersion,
        givenAt: now,
      },
    ]);
    shopifyWrite = saveCustomerBirthday(shop, customerId, update.birthday, client, { now, setMetafields: deps.setBirthdayMetafields });
  } else {
    await recordConsents(shop, [
      { customerShopifyId: customerId, purpose: "birthday", granted: false, source: "customerAccount", textVersion: null, givenAt: now },
    ]);
    shopifyWrite = removeCustomerBirthday(shop, customerId, client, { now, deleteMetafield: deps.deleteBirthdayMetafield });
  }
  await withTimeout(shopifyWrite, deps.shopifyBudgetMs).catch((error) =>
    deps.log("birthday not written to Shopify", { shop, action: update.action, error: errorMessage(error) }),
  );
}
