import { describe, expect, it } from "vitest";
import {
  customerAccountPageInUse,
  idempotencyKey,
  ledgerOffer,
  ledgerReason,
  moneyView,
  offerView,
  parseBirthdayUpdate,
  ruleGrantsStoreCredit,
  tierView,
  type TierMetrics,
} from "../../../../app/retention/rewards";
import { rule } from "../../../support/reward-fixtures";

const metrics = (lifetime: number, rolling12m = lifetime, orders = { lifetime: 0, rolling12m: 0 }): TierMetrics => ({
  netSpend: { lifetime, rolling12m },
  orderCount: orders,
});

const club = {
  metric: "netSpend" as const,
  window: "lifetime" as const,
  tiers: [
    { name: "Silver", threshold: 2000 },
    { name: "Gold", threshold: 5000 },
  ],
};

describe("tierView", () => {
  it("says the current tier, the next one and the money left, with the share of the way between thresholds", () => {
    expect(tierView(club, "Silver", metrics(3800), null, "UAH")).toEqual({
      current: { name: "Silver" },
      next: { name: "Gold", remaining: { amount: "1200.00", currencyCode: "UAH" } },
      progress: 0.6,
      spend: { amount: "3800.00", currencyCode: "UAH" },
      window: "lifetime",
      metric: "netSpend",
    });
  });

  it("counts from zero before the first tier, and stops at 1 on the top tier", () => {
    expect(tierView(club, null, metrics(500), null, "EUR")).toMatchObject({
      current: null,
      next: { name: "Silver", remaining: { amount: "1500.00" } },
      progress: 0.25,
    });
    expect(tierView(club, "Gold", metrics(9000), null, "EUR")).toMatchObject({ current: { name: "Gold" }, next: null, progress: 1 });
  });

  it("keeps the stored tier through its grace period (spend below its threshold: progress 0, the full gap to the next)", () => {
    expect(tierView(club, "Silver", metrics(1800), null, "EUR")).toMatchObject({
      current: { name: "Silver" },
      next: { name: "Gold", remaining: { amount: "3200.00" } },
      progress: 0,
    });
  });

  it("shows the tier the numbers reach today when the daily run has not moved the customer up yet; a stored tier no longer in the program is ignored", () => {
    expect(tierView(club, null, metrics(2500), null, "EUR").current).toEqual({ name: "Silver" });
    expect(tierView(club, "Platinum", metrics(100), null, "EUR").current).toBeNull();
  });

  it("reads the rolling window, and for order counts says orders left instead of money", () => {
    const rolling = { ...club, window: "rolling12m" as const };
    expect(tierView(rolling, null, metrics(9000, 1000), null, "EUR")).toMatchObject({
      window: "rolling_12_months",
      spend: { amount: "1000.00" },
      progress: 0.5,
    });
    const orders = {
      metric: "orderCount" as const,
      window: "lifetime" as const,
      tiers: [
        { name: "Regular", threshold: 3 },
        { name: "VIP", threshold: 10 },
      ],
    };
    expect(tierView(orders, null, metrics(400, 400, { lifetime: 4, rolling12m: 1 }), null, "EUR")).toMatchObject({
      current: { name: "Regular" },
      next: { name: "VIP", remaining: null, remainingOrders: 6 },
      orders: 4,
      metric: "orderCount",
    });
  });

  it("for a predicted-value program gives progress but no amount left (spending does not move a forecast one for one)", () => {
    const clv = { metric: "predictedClv" as const, window: "rolling12m" as const, tiers: [{ name: "Star", threshold: 1000 }] };
    expect(tierView(clv, null, metrics(300, 100), 250, "EUR")).toMatchObject({
      next: { name: "Star", remaining: null },
      progress: 0.25,
      window: "lifetime",
      spend: { amount: "300.00" },
    });
    expect(tierView(clv, null, metrics(300), null, "EUR")).toMatchObject({ progress: 0, next: { remaining: null } });
  });
});

describe("offers and money on the wire", () => {
  it("writes money with two decimals and maps each code reward; store credit is not a code", () => {
    expect(moneyView(1200, "UAH")).toEqual({ amount: "1200.00", currencyCode: "UAH" });
    expect(moneyView(0.1 + 0.2, "EUR")).toEqual({ amount: "0.30", currencyCode: "EUR" });
    expect(offerView({ type: "percentage", percentage: 15 }, "UAH")).toEqual({ type: "percentage", percent: 15 });
    expect(offerView({ type: "fixedAmount", amount: 200 }, "UAH")).toEqual({
      type: "fixed_amount",
      amount: { amount: "200.00", currencyCode: "UAH" },
    });
    expect(offerView({ type: "freeShipping" }, "UAH")).toEqual({ type: "free_shipping" });
    expect(offerView({ type: "storeCredit", amount: 50 }, "UAH")).toBeNull();
  });

  it("takes a row's offer from its rule: offer B for the B arm, none when the rule switched between a code and credit", () => {
    const ab = rule("wb", {
      kind: "winback",
      reward: { type: "percentage", percentage: 10 },
      offerB: { reward: { type: "fixedAmount", amount: 5 }, share: 0.5 },
    });
    expect(ledgerOffer(ab, { period: "p", arm: "A", rewardType: "percentage" })?.reward).toEqual({ type: "percentage", percentage: 10 });
    expect(ledgerOffer(ab, { period: "p", arm: "B", rewardType: "fixedAmount" })?.reward).toEqual({ type: "fixedAmount", amount: 5 });
    expect(ledgerOffer(ab, { period: "p", arm: null, rewardType: "storeCredit" })).toBeNull();
  });

  it("names the kind's Flow reason, or the compensation's for a one-off key", () => {
    const wb = rule("wb", { kind: "winback", reward: { type: "percentage", percentage: 10 } });
    expect(ledgerReason(wb, idempotencyKey("wb", "gid://shopify/Customer/1", "2026-05"))).toBe("winback");
    expect(ledgerReason(wb, "feedback-compensation:abc")).toBe("feedbackThanks");
  });

  it("knows which rules grant store credit (the rule's reward, offer B, or a tier's reward)", () => {
    expect(ruleGrantsStoreCredit(rule("a", { kind: "winback", reward: { type: "storeCredit", amount: 5 } }))).toBe(true);
    expect(ruleGrantsStoreCredit(rule("b", { kind: "winback", reward: { type: "percentage", percentage: 5 } }))).toBe(false);
    expect(
      ruleGrantsStoreCredit(
        rule("c", {
          kind: "loyaltyTiers",
          metric: "netSpend",
          tiers: [{ name: "Gold", threshold: 10, reward: { type: "storeCredit", amount: 5 } }],
        }),
      ),
    ).toBe(true);
  });
});

describe("the page as a channel", () => {
  const now = new Date("2026-06-30T12:00:00Z");
  it("counts while loaded within 30 days", () => {
    expect(customerAccountPageInUse(null, now)).toBe(false);
    expect(customerAccountPageInUse({ lastLoadedAt: new Date("2026-05-31T12:00:00Z") }, now)).toBe(true);
    expect(customerAccountPageInUse({ lastLoadedAt: new Date("2026-05-31T11:59:59Z") }, now)).toBe(false);
  });
});

describe("parseBirthdayUpdate", () => {
  const today = "2026-06-30";
  it("accepts a birthday with consent, or taking it back with no birthday and no consent", () => {
    expect(parseBirthdayUpdate({ birthday: "1990-05-17", consent: true }, today)).toEqual({
      ok: true,
      data: { action: "save", birthday: "1990-05-17", consentTextVersion: null },
    });
    expect(parseBirthdayUpdate({ birthday: null, consent: false, customerId: "gid://shopify/Customer/9" }, today)).toEqual({
      ok: true,
      data: { action: "remove" },
    });
  });

  it("answers one code per field", () => {
    expect(parseBirthdayUpdate({ birthday: "1990-05-17", consent: false }, today)).toEqual({
      ok: false,
      fieldErrors: { consent: "consent_required" },
    });
    expect(parseBirthdayUpdate({ birthday: 19900517, consent: "yes" }, today)).toEqual({
      ok: false,
      fieldErrors: { birthday: "invalid_type", consent: "invalid_type" },
    });
    expect(parseBirthdayUpdate({ birthday: "1899-12-31", consent: true }, today)).toEqual({
      ok: false,
      fieldErrors: { birthday: "implausible_year" },
    });
    expect(parseBirthdayUpdate({ birthday: "1990-05-17", consent: true, consentTextVersion: "<script>" }, today)).toEqual({
      ok: false,
      fieldErrors: { body: "invalid_text_version" },
    });
    expect(parseBirthdayUpdate(null, today)).toEqual({ ok: false, fieldErrors: { body: "invalid_type" } });
  });
});
