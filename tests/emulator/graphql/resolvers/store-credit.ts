/**
 * Store credit (2026-04): `storeCreditAccountCredit` accepts a customer id (opening the customer's
 * account in the credit's currency when there is none) or an account id; `Customer.storeCreditAccounts`
 * and `StoreCreditAccount.transactions` read them back. Scopes as Shopify documents them:
 * write_store_credit_account_transactions to credit, read_store_credit_accounts for accounts,
 * read_store_credit_account_transactions for their transactions.
 */
import { gid, parseGid } from "../../ids";
import { moneyV2, parseDecimalToCents } from "../../money";
import type { StoreCreditAccountRecord, StoreCreditTransactionRecord } from "../../store/store-credit";
import { isoUtc, nullableIsoUtc } from "../../time";
import { paginateList } from "../connection";
import type { RequestContext } from "../context";
import { requireScope } from "../errors";
import { defineResolvers, typed, type Args } from "../registry";
import { compileSearch, type SearchSpec } from "../search-query";
import { connectionArgs } from "./common";
import { findCustomer } from "./customers";
import type { CustomerRecord } from "../../store/records";

type UserError = { field: string[] | null; message: string; code: string };

interface TransactionSource {
  account: StoreCreditAccountRecord;
  transaction: StoreCreditTransactionRecord;
}

const TRANSACTION_TYPES: Record<StoreCreditTransactionRecord["type"], string> = {
  credit: "StoreCreditAccountCreditTransaction",
  debit: "StoreCreditAccountDebitTransaction",
  debit_revert: "StoreCreditAccountDebitRevertTransaction",
  expiration: "StoreCreditAccountExpirationTransaction",
};

function settled(ctx: RequestContext, account: StoreCreditAccountRecord): StoreCreditAccountRecord {
  ctx.shop.storeCredit.settleExpiries(account, ctx.now, () => ctx.shop.nextId());
  return account;
}

const transactionSearch: SearchSpec<StoreCreditTransactionRecord> = {
  fields: {
    type: { kind: "string", get: (t) => t.type },
    id: { kind: "number", get: (t) => (t.type === "expiration" ? null : t.id) },
    // Only credits expire; every other transaction is treated as having no expiry.
    expires_at: { kind: "date", get: (t) => t.expiresAt },
  },
};

/** The owner's accounts, as `Customer.storeCreditAccounts` lists them (none while store credit is disabled). */
export function storeCreditAccountsConnection(ctx: RequestContext, customer: CustomerRecord, args: Args) {
  requireScope(ctx, "read_store_credit_accounts", "storeCreditAccounts");
  const store = ctx.shop.storeCredit;
  const search = compileSearch<StoreCreditAccountRecord>(
    args.query as string | null | undefined,
    { fields: { currency_code: { kind: "string", get: (a) => a.currency }, id: { kind: "number", get: (a) => a.id } } },
    ctx.shop.timeZone,
  );
  const accounts = store.enabled
    ? store
        .accountsOf(customer.id)
        .filter((a) => search.test(a))
        .map((a) => settled(ctx, a))
    : [];
  return paginateList(ctx, accounts, (a) => a.id, connectionArgs(args));
}

defineResolvers<StoreCreditAccountRecord>("StoreCreditAccount", {
  id: (a) => gid("StoreCreditAccount", a.id),
  balance: (a, _args, ctx) => moneyV2(settled(ctx, a).balanceCents, a.currency),
  owner: (a, _args, ctx) => {
    const customer = findCustomer(ctx, a.customerId);
    return customer ? typed("Customer", customer) : null;
  },
  transactions: (a, args, ctx) => {
    requireScope(ctx, "read_store_credit_account_transactions", "transactions");
    const search = compileSearch(args.query as string | null | undefined, transactionSearch, ctx.shop.timeZone);
    const byExpiry = args.sortKey === "EXPIRES_AT";
    const items = settled(ctx, a)
      .transactions.filter((t) => search.test(t))
      .map((t): TransactionSource => typed(TRANSACTION_TYPES[t.type], { account: a, transaction: t }));
    return paginateList(
      ctx,
      items,
      (s) => s.transaction.id,
      connectionArgs(args),
      (s) => (byExpiry ? s.transaction.expiresAt : s.transaction.createdAt),
    );
  },
});

const transactionFields = {
  account: (s: TransactionSource) => s.account,
  amount: (s: TransactionSource) => moneyV2(s.transaction.amountCents, s.account.currency),
  balanceAfterTransaction: (s: TransactionSource) => moneyV2(s.transaction.balanceAfterCents, s.account.currency),
  createdAt: (s: TransactionSource) => isoUtc(s.transaction.createdAt),
  // Credits made through the Admin API are adjustments; no order caused them.
  event: () => "ADJUSTMENT",
  origin: () => null,
};

defineResolvers<TransactionSource>("StoreCreditAccountCreditTransaction", {
  ...transactionFields,
  id: (s) => gid("StoreCreditAccountCreditTransaction", s.transaction.id),
  expiresAt: (s) => nullableIsoUtc(s.transaction.expiresAt),
  remainingAmount: (s) => moneyV2(s.transaction.remainingCents, s.account.currency),
});

defineResolvers<TransactionSource>("StoreCreditAccountExpirationTransaction", {
  ...transactionFields,
  creditTransaction: (s) => {
    const credit = s.account.transactions.find((t) => t.id === s.transaction.creditId)!;
    return typed("StoreCreditAccountCreditTransaction", { account: s.account, transaction: credit });
  },
});

export function storeCreditAccount(ctx: RequestContext, args: Args) {
  requireScope(ctx, "read_store_credit_accounts", "storeCreditAccount");
  const parsed = parseGid(args.id);
  const account = parsed?.type === "StoreCreditAccount" ? ctx.shop.storeCredit.accounts.get(parsed.id) : undefined;
  return account ? settled(ctx, account) : null;
}

const refuse = (field: string[] | null, message: string, code: string) => ({
  storeCreditAccountTransaction: null,
  userErrors: [{ field, message, code } satisfies UserError],
});

export function storeCreditAccountCredit(ctx: RequestContext, args: Args) {
  requireScope(ctx, "write_store_credit_account_transactions", "storeCreditAccountCredit");
  const store = ctx.shop.storeCredit;
  const input = (args.creditInput ?? {}) as {
    creditAmount: { amount: string | number; currencyCode: string };
    expiresAt?: string | null;
    notify?: boolean | null;
  };
  const cents = parseDecimalToCents(input.creditAmount.amount);
  const currency = input.creditAmount.currencyCode;
  const target = parseGid(args.id);

  let account: StoreCreditAccountRecord | undefined;
  let customer: CustomerRecord | null = null;
  if (target?.type === "StoreCreditAccount") {
    account = store.accounts.get(target.id);
    if (!account) return refuse(["id"], "Store credit account does not exist", "ACCOUNT_NOT_FOUND");
    customer = findCustomer(ctx, account.customerId);
  } else {
    // Customers (and B2B company locations, which the emulator has none of) own accounts.
    customer = target?.type === "Customer" ? findCustomer(ctx, target.id) : null;
    if (!customer) return refuse(["id"], "Owner does not exist", "OWNER_NOT_FOUND");
  }
  if (!(cents > 0))
    return refuse(
      ["creditInput", "creditAmount", "amount"],
      "A positive amount must be used to credit a store credit account",
      "NEGATIVE_OR_ZERO_AMOUNT",
    );
  if (account && account.currency !== currency) {
    return refuse(
      ["creditInput", "creditAmount", "currencyCode"],
      "The currency provided does not match the currency of the store credit account",
      "MISMATCHING_CURRENCY",
    );
  }
  // The emulated shop sells in one currency only.
  if (currency !== ctx.shop.currency)
    return refuse(
      ["creditInput", "creditAmount", "currencyCode"],
      "The currency provided is not currently supported",
      "UNSUPPORTED_CURRENCY",
    );
  const expiresAt = input.expiresAt ? Date.parse(input.expiresAt) : null;
  if (expiresAt !== null && expiresAt <= ctx.now)
    return refuse(["creditInput", "expiresAt"], "The expiry date must be in the future", "EXPIRES_AT_IN_PAST");

  if (!account) {
    account = store.accountFor(customer!.id, currency);
    if (!account) {
      account = { id: ctx.shop.nextId(), customerId: customer!.id, currency, balanceCents: 0, transactions: [] };
      store.accounts.set(account.id, account);
    }
  }
  settled(ctx, account);
  account.balanceCents += cents;
  const transaction: StoreCreditTransactionRecord = {
    id: ctx.shop.nextId(),
    type: "credit",
    amountCents: cents,
    balanceAfterCents: account.balanceCents,
    createdAt: ctx.now,
    expiresAt,
    remainingCents: cents,
    creditId: null,
  };
  account.transactions.push(transaction);
  if (input.notify === true) store.notifications.push({ customerId: account.customerId, transactionId: transaction.id, at: ctx.now });
  const created: TransactionSource = { account, transaction };
  return { storeCreditAccountTransaction: created, userErrors: [] };
}

defineResolvers<CustomerRecord>("Customer", {
  storeCreditAccounts: (c, args, ctx) => storeCreditAccountsConnection(ctx, c, args),
});
