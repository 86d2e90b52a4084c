import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { sweepExpiredRewards } from "../../../app/jobs/scheduler.server";
import { localDateAt } from "../../../app/retention/rewards";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, ledger, setUpShop, type RewardsShop, crashFirstMutation } from "../../support/rules";

const DOMAIN = "rewards-store-credit.myshopify.com";
const TZ = "Europe/Berlin";
const NOW = Date.parse("2026-05-14T10:00:00Z");
const DAY = 86_400_000;
const clock = fakeClock(NOW);
let emulator: Emulator;
let s: RewardsShop;
let customer: string;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [{ domain: DOMAIN, size: "empty", seed: 7, currency: "EUR", timeZone: TZ }],
  });
});
afterAll(() => stopEmulatedShopify(emulator));

const credit = () => emulator.shop(DOMAIN).storeCredit;
const creditsOf = (gid: string) =>
  credit()
    .accountsOf(Number(gid.split("/").pop()))
    .flatMap((a) => a.transactions.filter((t) => t.type === "credit").map((t) => ({ ...t, currency: a.currency })));
const run = (client: AdminClient = s.client) =>
  runIssuance(s.shop, localDateAt(new Date(clock.now()), TZ), { client, now: () => new Date(clock.now()) });

/** The first credit dies: before the request is sent, or after Shopify credited but before we heard back. */
const crashOnce = (client: AdminClient, when: "beforeSend" | "answerLost", seenRecorded: string[]) =>
  crashFirstMutation(client, "storeCreditAccountCredit", when, async (variables) => {
    const row = await db.issuedDiscount.findFirst({ where: { shop: client.shop, customerShopifyId: variables.id as string } });
    if (row?.status === "recorded") seenRecorded.push(row.id);
  });

beforeEach(async () => {
  clock.set(NOW);
  emulator.shop(DOMAIN).discounts.byId.clear();
  emulator.shop(DOMAIN).flowTriggers.length = 0;
  credit().clear();
  await resetDatabase();
  s = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "EUR" });
  await addRule(s.shop, { kind: "winback", name: "Credit back", reward: { type: "storeCredit", amount: 7.5 }, validityDays: 30 });
  customer = await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-04-01T08:00:00Z") });
});

describe("store credit through the issuance path", () => {
  it("credits the customer once in the shop's currency, expiring with the reward, announced by Shopify and not by a code", async () => {
    const summary = await run();
    expect(summary).toMatchObject({ created: 1, delivered: 1, flowTriggers: 0, failed: 0, retryLater: 0 });
    const [row] = await ledger(s.shop);
    const [made] = creditsOf(customer);
    expect(made).toMatchObject({ amountCents: 750, currency: "EUR", expiresAt: row.endsAt!.getTime() });
    expect(row).toMatchObject({
      status: "delivered",
      rewardType: "storeCredit",
      amount: 7.5,
      shopifyDiscountId: `gid://shopify/StoreCreditAccountCreditTransaction/${made.id}`,
    });
    expect(credit().notifications).toEqual([
      expect.objectContaining({ customerId: Number(customer.split("/").pop()), transactionId: made.id }),
    ]);
    // No discount code, no code in metafields, no Flow trigger: Shopify's own email is the delivery.
    expect(emulator.shop(DOMAIN).discounts.byId.size).toBe(0);
    expect(emulator.shop(DOMAIN).flowTriggers).toHaveLength(0);
    expect(await run()).toMatchObject({ created: 0, adopted: 0, decisions: 0 });
    expect(creditsOf(customer)).toHaveLength(1);
  });

  it.each(["beforeSend", "answerLost"] as const)(
    "a crash between recording and Shopify (%s) credits exactly once on the next run",
    async (when) => {
      const seenRecorded: string[] = [];
      const first = await run(crashOnce(s.client, when, seenRecorded));
      expect(seenRecorded).toHaveLength(1);
      expect(first.retryLater).toBe(1);
      expect(creditsOf(customer)).toHaveLength(when === "answerLost" ? 1 : 0);

      clock.set(NOW + 3_600_000);
      const second = await run();
      expect(second).toMatchObject(
        when === "answerLost" ? { adopted: 1, created: 0, delivered: 1 } : { adopted: 0, created: 1, delivered: 1 },
      );
      const credits = creditsOf(customer);
      expect(credits).toHaveLength(1);
      expect(await db.issuedDiscount.findUniqueOrThrow({ where: { id: seenRecorded[0] } })).toMatchObject({
        status: "delivered",
        shopifyDiscountId: `gid://shopify/StoreCreditAccountCreditTransaction/${credits[0].id}`,
      });
      expect(await run()).toMatchObject({ created: 0, adopted: 0, reconciled: 0, decisions: 0 });
      expect(creditsOf(customer)).toHaveLength(1);
    },
  );

  it("does not take another row's equal credit for its own", async () => {
    // A second rule grants the same amount for the same days: two rows, two equal credits.
    await addRule(s.shop, { kind: "winback", name: "Credit twice", reward: { type: "storeCredit", amount: 7.5 }, validityDays: 30 });
    const seenRecorded: string[] = [];
    const first = await run(crashOnce(s.client, "beforeSend", seenRecorded));
    expect(first).toMatchObject({ created: 1, retryLater: 1 });
    expect(creditsOf(customer)).toHaveLength(1);

    const second = await run();
    expect(second).toMatchObject({ adopted: 0, created: 1 });
    const rows = (await ledger(s.shop)).filter((r) => r.kind === "issue");
    expect(rows.map((r) => r.status)).toEqual(["delivered", "delivered"]);
    expect(new Set(rows.map((r) => r.shopifyDiscountId)).size).toBe(2);
    expect(creditsOf(customer)).toHaveLength(2);
  });

  it("counts the credit against the rule's monthly money cap", async () => {
    await db.discountRule.deleteMany({ where: { shop: s.shop } });
    await addRule(s.shop, {
      kind: "winback",
      name: "Capped credit",
      reward: { type: "storeCredit", amount: 20 },
      budget: { maxAmount: 30 },
    });
    const other = await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-04-02T08:00:00Z") });
    const summary = await run();
    expect(summary.paused).toEqual([expect.objectContaining({ limit: "amount", withheld: 1 })]);
    expect(creditsOf(customer).length + creditsOf(other).length).toBe(1);
  });

  it("leaves an expired credit to Shopify: the sweep deactivates no discount for it", async () => {
    await run();
    clock.set(NOW + 40 * DAY);
    const sweep = await sweepExpiredRewards(s.shop, s.client, new Date(clock.now()));
    expect(sweep).toMatchObject({ deactivated: 0, failed: 0 });
    // Shopify booked the expiry: the unspent credit left the balance.
    const [account] = credit().accountsOf(Number(customer.split("/").pop()));
    const answer = await s.client.request<{ storeCreditAccount: { balance: { amount: string } } }>(
      `query { storeCreditAccount(id: "gid://shopify/StoreCreditAccount/${account.id}") { balance { amount } } }`,
      {},
    );
    expect(answer.storeCreditAccount.balance.amount).toBe("0.0");
  });
});
