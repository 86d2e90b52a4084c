/**
 * Store credit accounts (Admin API 2026-04): one account per owner and currency, opened by the first
 * credit; credits may expire, and an expired credit's remainder leaves the balance through an
 * expiration transaction (created when the clock passes `expiresAt`). Amounts in cents.
 */

export type StoreCreditTransactionType = "credit" | "debit" | "debit_revert" | "expiration";

export interface StoreCreditTransactionRecord {
  /** Expiration transactions have no id in the API (the type is not a Node); kept here for ordering. */
  id: number;
  type: StoreCreditTransactionType;
  amountCents: number;
  balanceAfterCents: number;
  createdAt: number;
  /** Credits only. */
  expiresAt: number | null;
  /** Credits only: what is left to spend (or what remained when it expired). */
  remainingCents: number;
  /** Expirations: the credit that expired. */
  creditId: number | null;
}

export interface StoreCreditAccountRecord {
  id: number;
  customerId: number;
  currency: string;
  balanceCents: number;
  transactions: StoreCreditTransactionRecord[];
}

/** An email Shopify sent because a credit was made with `notify: true`. */
export interface StoreCreditNotification {
  customerId: number;
  transactionId: number;
  at: number;
}

export class StoreCreditStore {
  readonly accounts = new Map<number, StoreCreditAccountRecord>();
  readonly notifications: StoreCreditNotification[] = [];
  /** Whether the shop lets customers use store credit at checkout; accounts are hidden from owners' lists when it doesn't. */
  enabled = true;

  accountFor(customerId: number, currency: string): StoreCreditAccountRecord | undefined {
    return [...this.accounts.values()].find((a) => a.customerId === customerId && a.currency === currency);
  }

  accountsOf(customerId: number): StoreCreditAccountRecord[] {
    return [...this.accounts.values()].filter((a) => a.customerId === customerId);
  }

  /** Books the expiration of every credit whose expiry has passed by `now`, oldest first. */
  settleExpiries(account: StoreCreditAccountRecord, now: number, nextId: () => number): void {
    const due = account.transactions
      .filter((t) => t.type === "credit" && t.expiresAt !== null && t.expiresAt <= now && t.remainingCents > 0)
      .filter((t) => !account.transactions.some((x) => x.type === "expiration" && x.creditId === t.id))
      .sort((a, b) => a.expiresAt! - b.expiresAt!);
    for (const credit of due) {
      account.balanceCents -= credit.remainingCents;
      account.transactions.push({
        id: nextId(),
        type: "expiration",
        amountCents: -credit.remainingCents,
        balanceAfterCents: account.balanceCents,
        createdAt: credit.expiresAt!,
        expiresAt: null,
        remainingCents: 0,
        creditId: credit.id,
      });
    }
  }

  clear(): void {
    this.accounts.clear();
    this.notifications.length = 0;
    this.enabled = true;
  }
}
