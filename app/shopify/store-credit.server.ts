/**
 * Store credit as a reward: one credit transaction per ledger row, in the shop's currency, expiring
 * when the row's validity ends, announced to the customer by Shopify (`notify: true`). Store credit
 * is spent at checkout alongside any discount code.
 *
 * Shopify's credit has no reference field and the mutation takes no idempotency key (2026-04), so a
 * row whose answer was lost is recognised by what the row fixes exactly: the customer, the amount and
 * currency, the expiry instant, created no earlier than the row was recorded. The caller excludes
 * transactions another row already holds, so two equal credits are matched to two rows, not one.
 */
import { instantView } from "../retention/rewards";
import { ShopifyUserErrors, type AdminClient } from "./admin-client.server";
import {
  STORE_CREDIT_ACCOUNT_CREDIT,
  STORE_CREDIT_BALANCE,
  STORE_CREDIT_CREDITS,
  type StoreCreditAccountCreditAnswer,
  type StoreCreditBalanceAnswer,
  type StoreCreditCreditsAnswer,
} from "./queries/store-credit";

export interface StoreCreditGrant {
  customerId: string;
  amount: number;
  currencyCode: string;
  /** ISO instant: when the credit lapses (Shopify refuses one in the past). */
  expiresAt: string;
}

const cents = (amount: string | number) => Math.round(Number(amount) * 100);
const wholeSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The mutation's variables for one grant. Pure, so it is unit-tested. */
export function storeCreditInput(grant: StoreCreditGrant) {
  return {
    id: grant.customerId,
    creditInput: {
      creditAmount: { amount: grant.amount.toFixed(2), currencyCode: grant.currencyCode },
      expiresAt: grant.expiresAt,
      notify: true,
    },
  };
}

/** Shopify answered with neither a transaction nor a userError: resending would credit blindly, so it is a refusal. */
export class CreditNotReturnedError extends ShopifyUserErrors {
  constructor() {
    super("storeCreditAccountCredit", [{ field: null, message: "Shopify returned no store credit transaction and gave no reason" }]);
    this.name = "CreditNotReturnedError";
  }
}

/** Credits the customer; returns the transaction's id. */
export async function creditStoreCredit(client: AdminClient, grant: StoreCreditGrant): Promise<string> {
  const data = await client.mutate<StoreCreditAccountCreditAnswer>(
    STORE_CREDIT_ACCOUNT_CREDIT,
    storeCreditInput(grant),
    "storeCreditAccountCredit",
  );
  const id = data.storeCreditAccountCredit?.storeCreditAccountTransaction?.id;
  if (!id) throw new CreditNotReturnedError();
  return id;
}

/**
 * Credit transactions that match the grant, created at or after `since`, newest first. Pages back
 * only as far as `since` (the list is newest first).
 */
export async function findStoreCredits(client: AdminClient, grant: StoreCreditGrant, since: Date): Promise<string[]> {
  const found: string[] = [];
  let after: string | null = null;
  for (;;) {
    const data: StoreCreditCreditsAnswer = await client.request<StoreCreditCreditsAnswer>(STORE_CREDIT_CREDITS, {
      customerId: grant.customerId,
      currencyQuery: `currency_code:${grant.currencyCode}`,
      after,
    });
    const account = data.customer?.storeCreditAccounts.nodes[0];
    if (!account) return found;
    const page = account.transactions;
    let older = false;
    for (const t of page.nodes) {
      if (Date.parse(t.createdAt) < since.getTime()) {
        older = true;
        break;
      }
      if (
        t.id &&
        t.amount &&
        t.amount.currencyCode === grant.currencyCode &&
        cents(t.amount.amount) === cents(grant.amount) &&
        t.expiresAt &&
        wholeSeconds(t.expiresAt) === wholeSeconds(grant.expiresAt)
      ) {
        found.push(t.id);
      }
    }
    if (older || !page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return found;
    after = page.pageInfo.endCursor;
  }
}

export interface StoreCreditBalance {
  balance: { amount: string; currencyCode: string };
  /** When the soonest credit with something left lapses; null when none of it expires. */
  expiresAt: string | null;
}

/** The customer's store credit in the shop's currency; null when they have no account in it. */
export async function readStoreCreditBalance(
  client: AdminClient,
  customerId: string,
  currencyCode: string,
  now: Date,
): Promise<StoreCreditBalance | null> {
  const data = await client.request<StoreCreditBalanceAnswer>(STORE_CREDIT_BALANCE, {
    customerId,
    currencyQuery: `currency_code:${currencyCode}`,
  });
  const account = data.customer?.storeCreditAccounts.nodes[0];
  if (!account) return null;
  const soonest = account.transactions.nodes
    .filter((t) => t.expiresAt && Date.parse(t.expiresAt) > now.getTime() && t.remainingAmount && cents(t.remainingAmount.amount) > 0)
    .map((t) => t.expiresAt as string)
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  return {
    balance: { amount: (cents(account.balance.amount) / 100).toFixed(2), currencyCode: account.balance.currencyCode },
    expiresAt: soonest ? instantView(soonest) : null,
  };
}
