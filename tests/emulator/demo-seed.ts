/**
 * What makes the demo worth opening once its history is imported: survey answers as the checkout
 * survey would have collected them over the last weeks (detractors with reasons, promoters, comments
 * in the shop's languages), and one draft of each rule kind to try. Drafts are stored switched off, so
 * opening the demo issues nothing. Writes Kinship's database directly: Shopify keeps no survey answers,
 * and the app's own endpoint stamps every answer "now".
 */
import db from "../../app/db.server";
import { createRule, listRules } from "../../app/models/rules.server";
import { idempotencyKey } from "../../app/retention/rewards/codes";
import { encodeReasons } from "../../app/models/feedback.server";
import { REASON_CODES, type ReasonCode } from "../../app/retention/feedback/reasons";
import { mulberry32, type Rng } from "../../app/retention/random";
import {
  marketOf,
  presetCampaignDates,
  presetsForMarket,
  upcomingCampaigns,
  localDateAt,
  validateRuleInput,
} from "../../app/retention/rewards";
import { kindText } from "../../app/i18n/rule-texts";

const DAY_MS = 86_400_000;

export interface DemoSeedOptions {
  shop: string;
  /** The shop's languages, primary first (comments are written in these). */
  locales: readonly string[];
  timeZone: string;
  now: Date;
  seed?: number;
  /** Weeks of answers before `now`. */
  weeks?: number;
  responses?: number;
}

export interface DemoSeedResult {
  feedback: number;
  rules: number;
}

type Comments = { detractor: Partial<Record<ReasonCode, string[]>>; passive: string[]; promoter: string[] };

// What customers write, per language; a language without comments here gets answers without comments.
const COMMENTS: Record<string, Comments> = {
  en: {
    detractor: {
      delivery: ["The parcel arrived a week late.", "Delivery took longer than promised and nobody told me."],
      product_not_as_described: ["The colour is nothing like the photos.", "Smaller than the description says."],
      price: ["Shipping doubled the price of a small order."],
      service: ["I wrote twice about my order and got no answer."],
      other: ["The box was damaged when it arrived."],
    },
    passive: ["Fine, but delivery could be faster.", "Good product, the website is a bit slow."],
    promoter: [
      "Lovely quality, I'll be back!",
      "Fast delivery and a handwritten note. Thank you!",
      "My second order, as good as the first.",
    ],
  },
  uk: {
    detractor: {
      delivery: ["Посилка прийшла на тиждень пізніше.", "Доставка затрималася, і ніхто не попередив."],
      product_not_as_described: ["Колір зовсім не такий, як на фото.", "Розмір менший, ніж в описі."],
      price: ["Доставка коштувала майже як саме замовлення."],
      service: ["Двічі писала щодо замовлення — жодної відповіді."],
      other: ["Коробка прийшла пошкоджена."],
    },
    passive: ["Загалом добре, але доставка могла б бути швидшою.", "Товар гарний, сайт трохи повільний."],
    promoter: ["Чудова якість, замовлю ще!", "Швидка доставка і записка від руки. Дякую!", "Друге замовлення — так само добре, як перше."],
  },
  ru: {
    detractor: {
      delivery: ["Посылка пришла на неделю позже."],
      product_not_as_described: ["Цвет совсем не как на фото."],
      service: ["Написала дважды — ответа нет."],
    },
    passive: ["Нормально, но доставка долгая."],
    promoter: ["Отличное качество, спасибо!"],
  },
  hr: {
    detractor: {
      delivery: ["Paket je stigao tjedan dana kasnije."],
      product_not_as_described: ["Boja uopće nije kao na slikama."],
      service: ["Dvaput sam pisala, bez odgovora."],
    },
    passive: ["U redu, ali dostava je spora."],
    promoter: ["Odlična kvaliteta, hvala!"],
  },
};

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** An NPS answer: about half promoters, a quarter passives, a quarter detractors. */
function drawScore(rng: Rng): number {
  const r = rng();
  if (r < 0.5) return rng() < 0.6 ? 10 : 9;
  if (r < 0.75) return rng() < 0.5 ? 8 : 7;
  return Math.floor(rng() * 7);
}

function drawReasons(rng: Rng): ReasonCode[] {
  const first = pick(rng, REASON_CODES);
  const second = rng() < 0.3 ? pick(rng, REASON_CODES) : first;
  return [...new Set([first, second])];
}

function commentFor(rng: Rng, locale: string, score: number, reasons: readonly ReasonCode[]): string | null {
  const texts = COMMENTS[locale];
  if (!texts || rng() < 0.25) return null;
  if (score >= 9) return pick(rng, texts.promoter);
  if (score >= 7) return pick(rng, texts.passive);
  const forReason = reasons.map((r) => texts.detractor[r]).find((list) => list?.length);
  return forReason ? pick(rng, forReason) : null;
}

/**
 * Answers for orders of the last `weeks` weeks, each arriving a few hours to two days after its order.
 * Most detractors older than ten days have been followed up and resolved, so the response-time
 * figures have something to show; the rest wait in the queue.
 */
export async function seedDemoFeedback(options: DemoSeedOptions): Promise<number> {
  const { shop, now } = options;
  const rng = mulberry32(options.seed ?? 2026);
  const weeks = options.weeks ?? 8;
  const since = new Date(now.getTime() - weeks * 7 * DAY_MS);
  const orders = await db.order.findMany({
    where: { shop, processedAt: { gte: since, lte: new Date(now.getTime() - 2 * DAY_MS) }, cancelledAt: null, test: false },
    orderBy: { processedAt: "asc" },
    select: { shopifyId: true, customerShopifyId: true, processedAt: true },
  });
  if (!orders.length) return 0;
  const wanted = Math.min(options.responses ?? 160, orders.length);
  // Evenly through the period, so every week has answers.
  const chosen = Array.from({ length: wanted }, (_, i) => orders[Math.floor((i * orders.length) / wanted)]!);
  const locales = options.locales.length ? options.locales : ["en"];
  const rows = chosen.map((order) => {
    const score = drawScore(rng);
    const reasons = score <= 6 ? drawReasons(rng) : [];
    // Most answers come in the shop's primary language.
    const locale = rng() < 0.7 ? locales[0]! : pick(rng, locales);
    const createdAt = new Date(order.processedAt.getTime() + (2 + rng() * 46) * 3_600_000);
    const resolved = score <= 6 && now.getTime() - createdAt.getTime() > 10 * DAY_MS && rng() < 0.6;
    const firstResponseAt = resolved ? new Date(createdAt.getTime() + (1 + rng() * 30) * 3_600_000) : null;
    return {
      shop,
      orderShopifyId: order.shopifyId,
      customerShopifyId: order.customerShopifyId,
      score,
      reasons: encodeReasons(reasons),
      comment: commentFor(rng, locale, score, reasons),
      locale,
      status: resolved ? "resolved" : "open",
      firstResponseAt,
      resolvedAt: firstResponseAt ? new Date(firstResponseAt.getTime() + rng() * 2 * DAY_MS) : null,
      createdAt,
    };
  });
  const { count } = await db.feedback.createMany({ data: rows });
  return count;
}

/** Spend at the given share of customers (by net spend), rounded to a round figure of the shop's scale. */
function spendAt(sorted: readonly number[], share: number): number {
  const value = sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(value, 1))) - 1);
  return Math.max(step, Math.round(value / step) * step);
}

/** One draft of each kind, switched off: thresholds from the shop's own spend, a campaign for the next holiday. */
export async function seedDemoRules(options: Pick<DemoSeedOptions, "shop" | "timeZone" | "now">): Promise<number> {
  const { shop, now } = options;
  const today = localDateAt(now, options.timeZone);
  const spend = (await db.customer.findMany({ where: { shop, orderCount: { gte: 1 } }, select: { totalSpent: true } }))
    .map((c) => c.totalSpent)
    .sort((a, b) => a - b);
  const country = (await db.shop.findUnique({ where: { shop }, select: { countryCode: true } }))?.countryCode;
  const nextHoliday = upcomingCampaigns(
    presetsForMarket(marketOf(country, null)).map((p) => ({ ...p, ...presetCampaignDates(p.id, today) })),
    today,
    366,
  )[0];
  const drafts: Record<string, unknown>[] = [
    {
      kind: "winback",
      name: "Win back lapsed customers",
      reward: { type: "percentage", percentage: 15 },
      validityDays: 14,
      cooldownDays: 90,
    },
    {
      kind: "birthday",
      name: "Birthday gift",
      reward: { type: "percentage", percentage: 15 },
      windowDaysBefore: 7,
      windowDaysAfter: 3,
      reminders: [-7, -3, 0],
    },
    {
      kind: "loyaltyTiers",
      name: "Loyalty tiers",
      metric: "netSpend",
      window: "lifetime",
      tiers: [
        // Half the buyers reach the first tier at once: recognition only, so turning the draft on does not
        // send every second customer a code.
        { name: "Silver", threshold: spendAt(spend, 0.5), reward: null },
        { name: "Gold", threshold: spendAt(spend, 0.8), reward: { type: "percentage", percentage: 10 } },
        { name: "Platinum", threshold: spendAt(spend, 0.95), reward: { type: "percentage", percentage: 15 } },
      ],
    },
    { kind: "feedbackThanks", name: "Thank you for your feedback", reward: { type: "freeShipping" }, validityDays: 30 },
    {
      kind: "secondOrder",
      name: "Your second order",
      reward: { type: "percentage", percentage: 10 },
      timing: "afterFirstOrder",
      daysAfterFirstOrder: 21,
      validityDays: 14,
      holdoutShare: 0.1,
    },
    {
      kind: "firstOrderAnniversary",
      name: "Happy anniversary",
      reward: { type: "freeShipping" },
      windowDaysBefore: 7,
      windowDaysAfter: 3,
      reminders: [-7, 0],
    },
  ];
  if (nextHoliday) {
    drafts.push({
      kind: "holidayCampaign",
      name: kindText("en", "holidayCampaign", `preset.${nextHoliday.id}`),
      presetId: nextHoliday.id,
      holidayDate: nextHoliday.holidayDate,
      startsAt: nextHoliday.startsAt,
      endsAt: nextHoliday.endsAt,
      audience: { type: "everyoneWithConsent" },
      reward: { type: "percentage", percentage: 10 },
    });
  }
  let created = 0;
  for (const input of drafts) {
    const result = validateRuleInput({ ...input, enabled: false }, { knownTiers: [], today });
    if (!result.ok) throw new Error(`Demo draft ${String(input.kind)} is invalid: ${JSON.stringify(result.fieldErrors)}`);
    await createRule(shop, result.rule);
    created++;
  }
  return created;
}

/** Seeds once: a shop that already has answers or rules (a restarted demo) is left as it is. */
export async function seedDemo(options: DemoSeedOptions): Promise<DemoSeedResult> {
  const [answers, rules] = await Promise.all([
    db.feedback.count({ where: { shop: options.shop } }),
    db.discountRule.count({ where: { shop: options.shop } }),
  ]);
  return {
    feedback: answers ? 0 : await seedDemoFeedback(options),
    rules: rules ? 0 : await seedDemoRules(options),
  };
}

/** A customer the emulated admin's "My rewards" preview lists, with what the demo gave them. */
export interface DemoRewardsCustomer {
  id: string;
  name: string;
  note: string;
}

export interface DemoMyRewardsOptions extends Pick<DemoSeedOptions, "shop" | "timeZone" | "now"> {
  /** The shop's languages, primary first (the customers' own survey comments are in the first). */
  locales?: readonly string[];
  /** Credits the customer's Shopify store credit (the emulator's Admin API); the demo passes it, tests may leave it out. */
  creditStoreCredit?: (customerId: string, amount: number, expiresAt: string) => Promise<void>;
}

export const DEMO_TIER_PROGRAM = "Loyalty tiers (recognition)";
export const DEMO_STORE_CREDIT_RULE = "Store credit thank-you";

/**
 * What the customer-account "My rewards" page shows in the demo (issue #16): a recognition-only tier
 * program switched on (no tier has a reward, so it issues nothing), a store-credit draft, and three
 * customers: one on the way to Gold and one on the way to Platinum with live codes in the ledger as the
 * daily run records them, Shopify store credit and their own survey answers, and one just below Silver
 * with nothing yet. Runs once: a shop that already
 * has the program is left as it is, and the same customers are returned.
 */
export async function seedDemoMyRewards(options: DemoMyRewardsOptions): Promise<DemoRewardsCustomer[]> {
  const { shop, now } = options;
  const today = localDateAt(now, options.timeZone);
  const { rules } = await listRules(shop);
  const draftTiers = rules.find((r) => r.rule.kind === "loyaltyTiers")?.rule as
    { tiers: Array<{ name: string; threshold: number }> } | undefined;
  const birthdayRule = rules.find((r) => r.rule.kind === "birthday")?.rule;
  const thanksRule = rules.find((r) => r.rule.kind === "feedbackThanks")?.rule;
  if (!draftTiers || !birthdayRule || !thanksRule) return [];
  const [silver, gold, platinum] = draftTiers.tiers;
  if (!silver || !gold || !platinum) return [];

  const existing = rules.find((r) => r.rule.name === DEMO_TIER_PROGRAM);
  let creditRuleId = rules.find((r) => r.rule.name === DEMO_STORE_CREDIT_RULE)?.rule.id;
  if (!existing) {
    const programs: Record<string, unknown>[] = [
      {
        kind: "loyaltyTiers",
        name: DEMO_TIER_PROGRAM,
        metric: "netSpend",
        window: "lifetime",
        enabled: true,
        tiers: draftTiers.tiers.map((t) => ({ name: t.name, threshold: t.threshold, reward: null })),
      },
      {
        kind: "feedbackThanks",
        name: DEMO_STORE_CREDIT_RULE,
        enabled: false,
        reward: { type: "storeCredit", amount: 150 },
        validityDays: 60,
      },
    ];
    for (const input of programs) {
      const result = validateRuleInput(input, { knownTiers: [], today });
      if (!result.ok) throw new Error(`Demo rule ${String(input.name)} is invalid: ${JSON.stringify(result.fieldErrors)}`);
      const created = await createRule(shop, result.rule);
      if (input.kind === "feedbackThanks") creditRuleId = created;
    }
  }

  // One customer per step of the ladder, each a few hundred short of the next tier.
  const pickBetween = (low: number, high: number) =>
    db.customer.findFirst({
      where: { shop, redactedAt: null, totalSpent: { gte: low, lt: high }, firstName: { not: null } },
      orderBy: [{ totalSpent: "desc" }, { shopifyId: "asc" }],
      select: { shopifyId: true, firstName: true, lastName: true },
    });
  // The one with most to show first: the preview opens on it.
  const picked = [
    { customer: await pickBetween(silver.threshold, gold.threshold), codes: 2, note: `${silver.name}, 2 codes, store credit` },
    { customer: await pickBetween(gold.threshold, platinum.threshold), codes: 1, note: `${gold.name}, 1 code, store credit` },
    { customer: await pickBetween(0, silver.threshold), codes: 0, note: `below ${silver.name}` },
  ].filter((p): p is { customer: NonNullable<typeof p.customer>; codes: number; note: string } => p.customer !== null);

  const endsIn = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const ledger = (ruleId: string, customerId: string, period: string, code: string, rewardType: string, days: number) => ({
    shop,
    ruleId,
    customerShopifyId: customerId,
    idempotencyKey: idempotencyKey(ruleId, customerId, period),
    code,
    kind: "issue",
    status: "delivered",
    rewardType,
    startsAt: now,
    endsAt: endsIn(days),
  });
  for (const { customer, codes } of picked) {
    if (codes === 0 || existing) continue;
    const suffix = customer.shopifyId.replace(/\D/g, "").slice(-4).padStart(4, "0");
    const rows = [ledger(birthdayRule.id, customer.shopifyId, String(today.slice(0, 4)), `BDAY-${suffix}`, "percentage", 10)];
    if (codes > 1) rows.push(ledger(thanksRule.id, customer.shopifyId, `demo:${today}`, `THANKS-${suffix}`, "freeShipping", 30));
    if (creditRuleId) rows.push(ledger(creditRuleId, customer.shopifyId, `demo:${today}`, `CREDIT-${suffix}`, "storeCredit", 60));
    await db.issuedDiscount.createMany({ data: rows });
    await options.creditStoreCredit?.(customer.shopifyId, codes > 1 ? 150 : 300, endsIn(60).toISOString());
    await seedOwnAnswers(shop, customer.shopifyId, options.locales?.[0] ?? "en", codes);
  }
  return picked.map(({ customer, note }) => ({
    id: customer.shopifyId,
    name: [customer.firstName, customer.lastName].filter(Boolean).join(" "),
    note,
  }));
}

/** The customer's own survey answers on their latest orders not yet answered: a promoter, then an unhappy one. */
async function seedOwnAnswers(shop: string, customerId: string, locale: string, count: number): Promise<void> {
  const orders = await db.order.findMany({
    where: { shop, customerShopifyId: customerId, cancelledAt: null },
    orderBy: { processedAt: "desc" },
    take: 10,
    select: { shopifyId: true, processedAt: true },
  });
  const answered = new Set(
    (
      await db.feedback.findMany({
        where: { shop, orderShopifyId: { in: orders.map((o) => o.shopifyId) } },
        select: { orderShopifyId: true },
      })
    ).map((f) => f.orderShopifyId),
  );
  const texts = COMMENTS[locale] ?? COMMENTS.en!;
  const answers = [
    { score: 9, reasons: [] as ReasonCode[], comment: texts.promoter[0] ?? null },
    { score: 5, reasons: ["delivery"] as ReasonCode[], comment: texts.detractor.delivery?.[0] ?? null },
  ];
  const open = orders.filter((o) => !answered.has(o.shopifyId)).slice(0, count);
  await db.feedback.createMany({
    data: open.map((order, i) => ({
      shop,
      orderShopifyId: order.shopifyId,
      customerShopifyId: customerId,
      score: answers[i]!.score,
      reasons: encodeReasons(answers[i]!.reasons),
      comment: answers[i]!.comment,
      locale,
      createdAt: new Date(order.processedAt.getTime() + 26 * 3_600_000),
    })),
  });
}
