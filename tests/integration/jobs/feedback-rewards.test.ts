/**
 * Compensation, thank-you codes and birthdays against the local Shopify emulator (tests/emulator):
 * the app's real admin client, ledger and discount edge, with Shopify's side checked in the emulator.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { createRule } from "../../../app/models/rules.server";
import { loadRewardCustomer, loadRewardCustomers } from "../../../app/models/reward-customers.server";
import {
  COMPENSATION_REASON,
  validateRuleInput,
  idempotencyKey,
  localDateAt,
  periods,
  type RuleDraft,
} from "../../../app/retention/rewards";
import { crashFirstMutation } from "../../support/rules";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { createFeedbackAction } from "../../../app/routes/api.feedback";
import { createFeedbackItemAction } from "../../../app/routes/app.feedback.$id";
import { compensationKey, issueCompensation, type RewardDeps } from "../../../app/jobs/feedback-rewards.server";
import { feedbackItemView } from "../../../app/services/feedback-detail.server";
import { createAdminClient, type AdminClient } from "../../../app/shopify/admin-client.server";
import type { Emulator } from "../../emulator/server";
import type { DiscountRecord } from "../../emulator/store/discounts";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { installShop } from "../../support/sync-helpers";
import { answer, call, customerToken, feedbackRequest, type RouteHandler } from "../../support/feedback";

const SHOP = "feedback-rewards.myshopify.com";
let emulator: Emulator;
let accessToken: string;
let customerA: string;
let customerB: string;

beforeAll(async () => {
  emulator = await startEmulatedShopify({ shops: [{ domain: SHOP, size: "tiny", seed: 77 }] });
  process.env.SHOPIFY_ADMIN_ORIGIN = emulator.url;
  const data = emulator.shop(SHOP).data;
  customerA = data.customerGid(0);
  customerB = data.customerGid(1);
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
  await stopEmulatedShopify(emulator);
});

beforeEach(async () => {
  await resetDatabase();
  const state = emulator.shop(SHOP);
  for (const id of [...state.discounts.byId.keys()]) state.discounts.delete(id);
  state.flowTriggers.length = 0;
  await installShop(emulator, SHOP);
  accessToken = (await db.session.findFirstOrThrow({ where: { shop: SHOP } })).accessToken;
  for (const [n, customer] of [customerA, customerB].entries()) {
    await db.customer.create({
      data: { shop: SHOP, shopifyId: customer, email: `buyer${n}@example.com`, orderCount: 1, totalSpent: 120, predictedClv: 300 },
    });
    await db.order.create({
      data: {
        shop: SHOP,
        shopifyId: `gid://shopify/Order/${8800 + n}`,
        customerShopifyId: customer,
        name: `#${8800 + n}`,
        processedAt: new Date(Date.now() - 3 * 86_400_000),
        totalPrice: 120,
        netTotal: 120,
        currencyCode: "EUR",
      },
    });
  }
});

function discountsFor(customer: string): DiscountRecord[] {
  return [...emulator.shop(SHOP).discounts.byId.values()].filter(
    (d) => d.context.type === "customers" && d.context.customerIds.includes(customer),
  );
}

/** The reward trigger's payloads the emulator received for a customer. */
function flowCompensations(customer: string): Record<string, unknown>[] {
  const id = Number(customer.split("/").pop());
  return emulator
    .shop(SHOP)
    .flowTriggers.map((t) => t.payload as Record<string, unknown>)
    .filter((p) => p.customer_id === id);
}

async function rule(raw: Record<string, unknown>): Promise<string> {
  const result = validateRuleInput(raw, { knownTiers: [] });
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return createRule(SHOP, result.rule as RuleDraft);
}

const client = (): AdminClient => createAdminClient({ shop: SHOP, accessToken });
const deps = (overrides: Partial<RewardDeps> = {}): RewardDeps => ({
  client: async () => client(),
  randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
  ...overrides,
});

describe("compensation for a follow-up item", () => {
  it("resolving an item with a compensation issues exactly one code, however often it is asked for", async () => {
    const ruleId = await rule({ kind: "winback", name: "Sorry", reward: { type: "percentage", percentage: 15 }, validityDays: 14 });
    const item = await db.feedback.create({
      data: {
        shop: SHOP,
        orderShopifyId: "gid://shopify/Order/8800",
        customerShopifyId: customerA,
        score: 2,
        reasons: "delivery",
        comment: "Never arrived",
      },
    });
    const action = createFeedbackItemAction({ authenticate: async () => ({ session: { shop: SHOP } }) }) as unknown as RouteHandler;
    const post = (fields: Record<string, string>) =>
      call(
        (args) => action({ ...args, params: { id: item.id } }),
        new Request(`https://kinship.test/app/feedback/${item.id}`, { method: "POST", body: new URLSearchParams(fields) }),
      );

    // A double click and a second tab, then the resolution.
    const first = await Promise.all([post({ intent: "compensate", ruleId }), post({ intent: "compensate", ruleId })]);
    const again = await post({ intent: "compensate", ruleId });
    expect([...first, again].map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await post({ intent: "resolve", note: "Refunded shipping and sent a code." })).status).toBe(200);

    const ledger = await db.issuedDiscount.findMany({ where: { shop: SHOP } });
    expect(ledger).toHaveLength(1);
    // Created and delivered within the request that chose it (issue #17), not by the next day's run.
    expect(ledger[0]).toMatchObject({
      idempotencyKey: compensationKey(item.id),
      ruleId,
      customerShopifyId: customerA,
      status: "delivered",
    });
    expect(flowCompensations(customerA)).toEqual([expect.objectContaining({ code: ledger[0].code, reason: COMPENSATION_REASON })]);

    const inShopify = discountsFor(customerA);
    expect(inShopify).toHaveLength(1);
    expect(inShopify[0].codes.map((c) => c.code)).toEqual([ledger[0].code]);
    expect(inShopify[0].value).toEqual({ type: "percentage", percentage: 0.15 });
    expect(inShopify[0].usageLimit).toBe(1);
    expect(inShopify[0].context).toEqual({ type: "customers", customerIds: [customerA] });
    // Valid for 14 shop-local days from today.
    const days = (inShopify[0].endsAt! - inShopify[0].startsAt) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(14 - 1 / 24);
    expect(days).toBeLessThanOrEqual(14 + 1 / 24);

    const stored = await db.feedback.findUniqueOrThrow({ where: { id: item.id } });
    expect(stored).toMatchObject({ status: "resolved", compensationId: ledger[0].id, note: "Refunded shipping and sent a code." });
    expect(stored.firstResponseAt).not.toBeNull();
    expect(stored.resolvedAt).not.toBeNull();

    const view = await feedbackItemView(SHOP, item.id, "en", new Date());
    expect(view?.compensation.issued?.text).toContain(ledger[0].code!);
    expect(view?.compensation.canIssue).toBe(false);
  });

  it("picking another discount after the first one changes nothing", async () => {
    const first = await rule({ kind: "winback", name: "Sorry", reward: { type: "fixedAmount", amount: 10 } });
    const second = await rule({ kind: "feedbackThanks", name: "Thanks", enabled: false, reward: { type: "freeShipping" } });
    const item = await db.feedback.create({
      data: { shop: SHOP, orderShopifyId: "gid://shopify/Order/8800", customerShopifyId: customerA, score: 1 },
    });
    const rules = await import("../../../app/models/rules.server");
    for (const id of [first, second]) {
      const stored = await rules.getRule(SHOP, id);
      if (!stored || stored.rule.kind === "loyaltyTiers") throw new Error("rule missing");
      await issueCompensation(SHOP, { feedbackId: item.id, rule: stored.rule, customerShopifyId: customerA, now: new Date() }, deps());
    }
    expect(discountsFor(customerA)).toHaveLength(1);
    expect(discountsFor(customerA)[0].value).toEqual({ type: "amount", amountCents: 1000, appliesOnEachItem: false });
  });

  it("Shopify unreachable: the code stays recorded, and the retry creates it once", async () => {
    const id = await rule({ kind: "winback", name: "Sorry", reward: { type: "percentage", percentage: 20 } });
    const stored = (await (await import("../../../app/models/rules.server")).getRule(SHOP, id))!.rule;
    if (stored.kind === "loyaltyTiers") throw new Error("unexpected");
    const item = await db.feedback.create({
      data: { shop: SHOP, orderShopifyId: "gid://shopify/Order/8801", customerShopifyId: customerB, score: 0 },
    });
    const request = { feedbackId: item.id, rule: stored, customerShopifyId: customerB, now: new Date() };

    const down = await issueCompensation(
      SHOP,
      request,
      deps({
        client: async () =>
          createAdminClient(
            { shop: SHOP, accessToken },
            {
              fetch: async () => {
                throw new TypeError("fetch failed");
              },
              maxAttempts: 1,
            },
          ),
      }),
    );
    const recorded = await db.issuedDiscount.findUniqueOrThrow({ where: { id: down.issuedDiscountId } });
    expect(recorded.status).toBe("recorded");
    expect(recorded.error).toContain("fetch failed");
    expect(discountsFor(customerB)).toHaveLength(0);

    // Within a minute the failed attempt's claim still stands (its request might be creating the code).
    await issueCompensation(SHOP, request, deps());
    expect(discountsFor(customerB)).toHaveLength(0);
    const retry = { ...request, now: new Date(request.now.getTime() + 61_000) };
    const up = await issueCompensation(SHOP, retry, deps());
    const again = await issueCompensation(SHOP, retry, deps());
    expect(up.issuedDiscountId).toBe(down.issuedDiscountId);
    expect(again.issuedDiscountId).toBe(down.issuedDiscountId);
    expect(discountsFor(customerB).map((d) => d.codes[0].code)).toEqual([recorded.code]);
    expect((await db.issuedDiscount.findUniqueOrThrow({ where: { id: down.issuedDiscountId } })).status).toBe("delivered");
    expect(flowCompensations(customerB)).toHaveLength(1);
  });

  it("Pause all: the code stays queued (Shopify is not asked) until Resume", async () => {
    const { setIssuancePaused } = await import("../../../app/models/shop-settings.server");
    const id = await rule({ kind: "winback", name: "Sorry", reward: { type: "percentage", percentage: 20 } });
    const stored = (await (await import("../../../app/models/rules.server")).getRule(SHOP, id))!.rule;
    if (stored.kind === "loyaltyTiers") throw new Error("unexpected");
    const item = await db.feedback.create({
      data: { shop: SHOP, orderShopifyId: "gid://shopify/Order/8802", customerShopifyId: customerB, score: 0 },
    });
    const request = { feedbackId: item.id, rule: stored, customerShopifyId: customerB, now: new Date() };
    await setIssuancePaused(SHOP, true);
    const paused = await issueCompensation(SHOP, request, deps());
    expect(await db.issuedDiscount.findUniqueOrThrow({ where: { id: paused.issuedDiscountId } })).toMatchObject({
      status: "recorded",
      attemptedAt: null,
    });
    expect(discountsFor(customerB)).toHaveLength(0);

    await setIssuancePaused(SHOP, false);
    const resumed = await issueCompensation(SHOP, request, deps());
    expect(resumed.issuedDiscountId).toBe(paused.issuedDiscountId);
    expect(discountsFor(customerB)).toHaveLength(1);
  });

  it("a retry after the code's validity has ended expires the row instead of creating a dead code", async () => {
    const id = await rule({ kind: "winback", name: "Sorry", reward: { type: "percentage", percentage: 20 }, validityDays: 14 });
    const stored = (await (await import("../../../app/models/rules.server")).getRule(SHOP, id))!.rule;
    if (stored.kind === "loyaltyTiers") throw new Error("unexpected");
    const item = await db.feedback.create({
      data: { shop: SHOP, orderShopifyId: "gid://shopify/Order/8801", customerShopifyId: customerB, score: 0 },
    });
    const unreachable = async () =>
      createAdminClient({ shop: SHOP, accessToken }, { fetch: async () => Promise.reject(new TypeError("fetch failed")), maxAttempts: 1 });
    const now = new Date();
    const down = await issueCompensation(
      SHOP,
      { feedbackId: item.id, rule: stored, customerShopifyId: customerB, now },
      deps({ client: unreachable }),
    );
    expect((await db.issuedDiscount.findUniqueOrThrow({ where: { id: down.issuedDiscountId } })).status).toBe("recorded");

    const later = new Date(now.getTime() + 20 * 86_400_000);
    await issueCompensation(SHOP, { feedbackId: item.id, rule: stored, customerShopifyId: customerB, now: later }, deps());
    expect((await db.issuedDiscount.findUniqueOrThrow({ where: { id: down.issuedDiscountId } })).status).toBe("expired");
    expect(discountsFor(customerB)).toHaveLength(0);
  });

  it("an answer lost after Shopify created the code: the retry adopts it instead of creating a second", async () => {
    const id = await rule({ kind: "winback", name: "Sorry", reward: { type: "percentage", percentage: 20 } });
    const stored = (await (await import("../../../app/models/rules.server")).getRule(SHOP, id))!.rule;
    if (stored.kind === "loyaltyTiers") throw new Error("unexpected");
    const item = await db.feedback.create({
      data: { shop: SHOP, orderShopifyId: "gid://shopify/Order/8801", customerShopifyId: customerB, score: 0 },
    });
    const request = { feedbackId: item.id, rule: stored, customerShopifyId: customerB, now: new Date() };
    const losing: AdminClient = {
      ...client(),
      shop: SHOP,
      lastCost: null,
      request: (document, variables) => client().request(document, variables),
      mutate: async (document, variables, key) => {
        await client().mutate(document, variables, key);
        throw new TypeError("socket hang up");
      },
    };
    await issueCompensation(SHOP, request, deps({ client: async () => losing }));
    expect(discountsFor(customerB)).toHaveLength(1);
    await issueCompensation(SHOP, { ...request, now: new Date(request.now.getTime() + 61_000) }, deps());
    expect(discountsFor(customerB)).toHaveLength(1);
    const row = await db.issuedDiscount.findFirstOrThrow({ where: { shop: SHOP, idempotencyKey: compensationKey(item.id) } });
    expect(row.status).toBe("delivered");
    expect(row.shopifyDiscountId).toBe(`gid://shopify/DiscountCodeNode/${discountsFor(customerB)[0].id}`);
  });
});

describe("compensation now: delivered in the request that chose it, exactly once under crash and retry", () => {
  async function setUpItem() {
    const ruleId = await rule({ kind: "winback", name: "Sorry", reward: { type: "fixedAmount", amount: 10 }, validityDays: 14 });
    const item = await db.feedback.create({
      data: { shop: SHOP, orderShopifyId: "gid://shopify/Order/8800", customerShopifyId: customerA, score: 1, reasons: "service" },
    });
    /** The page's action, its Shopify calls through `adminClient`. */
    const post = (adminClient: AdminClient, fields: Record<string, string>, now = new Date()) => {
      const action = createFeedbackItemAction({
        authenticate: async () => ({ session: { shop: SHOP } }),
        now: () => now,
        issueCompensation: (shop, request) => issueCompensation(shop, request, deps({ client: async () => adminClient })),
      }) as unknown as RouteHandler;
      return call(
        (args) => action({ ...args, params: { id: item.id } }),
        new Request(`https://kinship.test/app/feedback/${item.id}`, { method: "POST", body: new URLSearchParams(fields) }),
      );
    };
    const row = () => db.issuedDiscount.findFirstOrThrow({ where: { shop: SHOP, idempotencyKey: compensationKey(item.id) } });
    return { ruleId, item, post, row };
  }

  const codeOnCustomer = () => emulator.shop(SHOP).metafields.get(customerA, "kinship", "reward_code")?.value ?? null;

  it.each([
    ["the discount create never reached Shopify", "discountCodeBasicCreate", "beforeSend"],
    ["Shopify created the discount but the answer was lost", "discountCodeBasicCreate", "answerLost"],
    ["the code was created but the delivery (customer metafields) failed", "metafieldsSet", "beforeSend"],
    ["the Flow notice never reached Shopify", "flowTriggerReceive", "beforeSend"],
  ] as const)("%s: choosing again finishes the same code", async (_what, mutation, when) => {
    const { ruleId, item, post, row } = await setUpItem();
    const crashing = crashFirstMutation(client(), mutation, when, async () => {});
    expect((await post(crashing, { intent: "compensate", ruleId })).status).toBe(200);
    const stuck = await row();
    expect(["recorded", "created"]).toContain(stuck.status);
    const view = await feedbackItemView(SHOP, item.id, "en", new Date());
    expect(view?.compensation).toMatchObject({ canIssue: true, issued: { tone: "info" } });

    // The merchant clicks again a minute later (a creation claim is another request's for 60 s; a failed
    // delivery is given back at once), another rule picked or none: the same code is finished, nothing more.
    const later = new Date(Date.now() + 61_000);
    await post(client(), { intent: "compensate", ruleId: "" }, later);
    await post(client(), { intent: "compensate", ruleId }, later);
    const done = await row();
    expect(done).toMatchObject({ id: stuck.id, code: stuck.code, status: "delivered" });
    expect(discountsFor(customerA)).toHaveLength(1);
    expect(discountsFor(customerA)[0].codes.map((c) => c.code)).toEqual([stuck.code]);
    expect(codeOnCustomer()).toBe(stuck.code);
    expect(flowCompensations(customerA)).toHaveLength(1);
    expect((await db.feedback.findUniqueOrThrow({ where: { id: item.id } })).compensationId).toBe(stuck.id);
    // The daily run finds nothing left to do for it.
    await runIssuance(SHOP, localDateAt(new Date(), "UTC"), { client: client(), now: () => new Date() });
    expect(discountsFor(customerA)).toHaveLength(1);
    expect(flowCompensations(customerA).length).toBe(1);
  });
});

describe("the customer as a feedback reward sees them", () => {
  it("has rolling-12-month tier metrics from the last 12 months only, like the daily run's", async () => {
    await db.order.create({
      data: {
        shop: SHOP,
        shopifyId: "gid://shopify/Order/8900",
        customerShopifyId: customerA,
        name: "#8900",
        processedAt: new Date(Date.now() - 400 * 86_400_000),
        totalPrice: 80,
        netTotal: 80,
        currencyCode: "EUR",
      },
    });
    await db.customer.update({ where: { shop_shopifyId: { shop: SHOP, shopifyId: customerA } }, data: { orderCount: 2, totalSpent: 200 } });
    const now = new Date();
    const one = await loadRewardCustomer(SHOP, "UTC", now, customerA);
    expect(one.tierMetrics).toEqual({ netSpend: { lifetime: 200, rolling12m: 120 }, orderCount: { lifetime: 2, rolling12m: 1 } });
    // The same builder as the daily run: the one customer equals their row in the shop-wide load.
    expect((await loadRewardCustomers(SHOP, "UTC", now)).find((c) => c.id === customerA)).toEqual(one);
    // The latest order's day is the shop's (order milestones count only recent ones): late on 1 March UTC is 2 March in Berlin.
    await db.customer.update({
      where: { shop_shopifyId: { shop: SHOP, shopifyId: customerA } },
      data: { lastOrderAt: new Date("2026-03-01T23:30:00Z") },
    });
    expect((await loadRewardCustomer(SHOP, "UTC", now, customerA)).lastOrderOn).toBe("2026-03-01");
    expect((await loadRewardCustomer(SHOP, "Europe/Berlin", now, customerA)).lastOrderOn).toBe("2026-03-02");
    // Not synced yet: nothing known, nothing promised.
    expect(await loadRewardCustomer(SHOP, "UTC", now, "gid://shopify/Customer/424242")).toMatchObject({
      tierMetrics: { netSpend: { lifetime: 0, rolling12m: 0 }, orderCount: { lifetime: 0, rolling12m: 0 } },
      marketingConsent: false,
      averageOrderValue: null,
    });
  });
});

describe("the thank-you code after a submission", () => {
  const endpoint = () => createFeedbackAction({ log: () => {} }) as unknown as RouteHandler;

  it("is issued for a 0 and for a 10 alike, once per customer, and shown again on a second answer", async () => {
    const ruleId = await rule({
      kind: "feedbackThanks",
      name: "Thanks",
      reward: { type: "percentage", percentage: 10 },
      validityDays: 30,
      oncePerCustomer: true,
    });
    const action = endpoint();
    const low = await call(action, feedbackRequest(answer(8800, { score: 0 }), await customerToken(SHOP, customerA)));
    const high = await call(
      action,
      feedbackRequest(answer(8801, { score: 10, reasons: [], comment: null }), await customerToken(SHOP, customerB)),
    );
    const lowReward = (low.body as { reward?: { code: string; endsAt: string } }).reward;
    const highReward = (high.body as { reward?: { code: string; endsAt: string } }).reward;
    expect(lowReward?.code).toMatch(/^[2-9A-HJ-NP-Z]{12}$/);
    expect(highReward?.code).toMatch(/^[2-9A-HJ-NP-Z]{12}$/);
    expect(new Date(lowReward!.endsAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    expect(discountsFor(customerA).map((d) => d.codes[0].code)).toEqual([lowReward!.code]);
    expect(discountsFor(customerB).map((d) => d.codes[0].code)).toEqual([highReward!.code]);
    const key = idempotencyKey(ruleId, customerA, periods.feedback());
    expect((await db.issuedDiscount.findFirstOrThrow({ where: { shop: SHOP, idempotencyKey: key } })).code).toBe(lowReward!.code);

    const again = await call(action, feedbackRequest(answer(8800, { score: 9 }), await customerToken(SHOP, customerA)));
    expect((again.body as { reward?: { code: string } }).reward?.code).toBe(lowReward!.code);
    expect(discountsFor(customerA)).toHaveLength(1);
    expect(await db.issuedDiscount.count({ where: { shop: SHOP } })).toBe(2);

    // The daily run finds both keys recorded: it decides nothing new and only delivers the two codes.
    const today = localDateAt(new Date(), emulator.shop(SHOP).timeZone);
    const summary = await runIssuance(SHOP, today, { client: client() });
    expect(summary.created).toBe(0);
    expect(await db.issuedDiscount.count({ where: { shop: SHOP } })).toBe(2);
    expect(discountsFor(customerA)).toHaveLength(1);
    expect(discountsFor(customerB)).toHaveLength(1);
    expect((await db.issuedDiscount.findMany({ where: { shop: SHOP } })).map((r) => r.status)).toEqual(["delivered", "delivered"]);
  });

  it("is absent without an enabled feedback-thanks rule, and Shopify is not called", async () => {
    await rule({ kind: "feedbackThanks", name: "Thanks", enabled: false, reward: { type: "freeShipping" } });
    const res = await call(endpoint(), feedbackRequest(answer(8800), await customerToken(SHOP, customerA)));
    expect(res.body).toEqual({ ok: true });
    expect(discountsFor(customerA)).toHaveLength(0);
    expect(await db.issuedDiscount.count()).toBe(0);
  });
});

describe("birthdays through the real metafield edge", () => {
  it("writes facts.birth_date in Shopify and the local copy", async () => {
    const res = await call(
      createFeedbackAction({ log: () => {} }) as unknown as RouteHandler,
      feedbackRequest(answer(8800, { birthday: "1991-02-28", birthdayConsent: true }), await customerToken(SHOP, customerA)),
    );
    expect(res.status).toBe(200);
    expect(emulator.shop(SHOP).metafields.get(customerA, "facts", "birth_date")?.value).toBe("1991-02-28");
    expect((await db.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: customerA } })).birthday).toBe("1991-02-28");
  });
});
