/**
 * The customer account page's read model (issue #16, docs/decisions/026): one customer's tier and
 * progress, live codes, birthday with its consent, and own survey answers, for one shop. Every query
 * is keyed by (shop, customer) on an index; nothing here reads another customer's rows. Store credit
 * lives in Shopify and is added by the service (app/services/my-rewards.server.ts).
 */
import {
  instantView,
  ledgerOffer,
  ledgerReason,
  moneyView,
  offerView,
  ruleGrantsStoreCredit,
  tierView,
  type MoneyView,
  type OfferView,
  type RewardReason,
  type TierView,
} from "../../retention/rewards";
import { latestConsent } from "../consent-records.server";
import { listCustomerAnswers } from "../feedback.server";
import { listLiveCodes, periodOfKey } from "../issued-discounts.server";
import { customerStanding } from "../reward-customers.server";
import { listRules } from "../rules.server";
import { getShop } from "../shop.server";
import { tierStateOf } from "../tier-states.server";

export const MAX_CODES = 20;
export const MAX_ANSWERS = 10;

export interface MyCode {
  code: string;
  offer: OfferView;
  /** The kind's Flow reason code. */
  reason: RewardReason;
  /** Why the customer got it, in the customer's language (the kind's label, kinds.json; added by the service). */
  reasonLabel: string;
  expiresAt: string | null;
  minimumSubtotal: MoneyView | null;
}

export interface MyAnswer {
  answeredAt: string;
  score: number;
  reasons: string[];
  comment: string | null;
}

export interface MyStoreCredit {
  balance: MoneyView;
  expiresAt: string | null;
}

export interface MyRewards {
  ok: true;
  shop: { currencyCode: string; ianaTimezone: string };
  tier: TierView | null;
  codes: MyCode[];
  storeCredit: MyStoreCredit | null;
  birthday: { date: string | null; consented: boolean; editable: boolean };
  feedback: MyAnswer[];
}

/** Whether the shop grants store credit (a rule, on or off, whose reward or offer B is store credit). */
export type MyRewardsRead = Omit<MyRewards, "storeCredit" | "codes"> & {
  codes: Array<Omit<MyCode, "reasonLabel">>;
  shopGrantsStoreCredit: boolean;
};

/** Null when the shop is unknown. A customer Kinship does not know gets empty parts, not an error. */
export async function readMyRewards(shop: string, customerId: string, now: Date): Promise<MyRewardsRead | null> {
  const [shopRow, { rules }] = await Promise.all([getShop(shop), listRules(shop)]);
  if (!shopRow) return null;
  const currencyCode = shopRow.currencyCode;
  const all = rules.map((s) => s.rule);
  // The shop's loyalty program: the first enabled one (the one mirrored onto the customer, as the daily run does).
  const found = all.find((r) => r.enabled && r.kind === "loyaltyTiers");
  const program = found?.kind === "loyaltyTiers" ? found : null;
  const withRolling = program !== null && program.metric !== "predictedClv" && program.window === "rolling12m";

  const [standing, storedTier, liveCodes, consent, answers] = await Promise.all([
    customerStanding(shop, customerId, now, withRolling),
    program ? tierStateOf(shop, program.id, customerId) : Promise.resolve(null),
    listLiveCodes(shop, customerId, now, MAX_CODES),
    latestConsent(shop, customerId, "birthday"),
    listCustomerAnswers(shop, customerId, MAX_ANSWERS),
  ]);

  const tier =
    program && standing ? tierView(program, storedTier?.tier ?? null, standing.tierMetrics, standing.predictedClv, currencyCode) : null;

  const byId = new Map(all.map((r) => [r.id, r]));
  const codes: MyRewardsRead["codes"] = [];
  for (const row of liveCodes) {
    const rule = byId.get(row.ruleId);
    if (!rule || !row.code) continue;
    // The rule says what the code gives (the ledger keeps the key, arm and type, not the offer itself).
    const offer = ledgerOffer(rule, { period: periodOfKey(row.idempotencyKey), arm: row.arm, rewardType: row.rewardType });
    const view = offer ? offerView(offer.reward, currencyCode) : null;
    if (!offer || !view) continue;
    codes.push({
      code: row.code,
      offer: view,
      reason: ledgerReason(rule, row.idempotencyKey),
      expiresAt: row.endsAt ? instantView(row.endsAt) : null,
      minimumSubtotal: offer.minimumSubtotal !== null && offer.minimumSubtotal > 0 ? moneyView(offer.minimumSubtotal, currencyCode) : null,
    });
  }

  const shopGrantsStoreCredit = all.some(ruleGrantsStoreCredit);
  return {
    ok: true,
    shop: { currencyCode, ianaTimezone: shopRow.ianaTimezone },
    tier,
    codes,
    shopGrantsStoreCredit,
    birthday: { date: standing?.birthday ?? null, consented: consent === true, editable: true },
    feedback: answers.map((a) => ({ answeredAt: instantView(a.answeredAt), score: a.score, reasons: a.reasons, comment: a.comment })),
  };
}
