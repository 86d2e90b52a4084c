import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { action as ruleAction } from "../../../app/routes/app.rules.$id";
import { action as rulesAction } from "../../../app/routes/app.rules";
import { action as settingsAction } from "../../../app/routes/app.settings";
import { action as segmentsAction } from "../../../app/routes/app.segments";
import { action as dashboardAction } from "../../../app/routes/app._index";
import { createFeedbackAction } from "../../../app/routes/api.feedback";
import { createFeedbackRateLimiter } from "../../../app/models/rate-limit.server";
import { resetDatabase } from "../../support/fixtures";
import { appRequest, call, installShop } from "../../support/admin-routes";
import { call as callFeedback, customerToken, feedbackRequest, answer, seedShop, type RouteHandler } from "../../support/feedback";

/**
 * Field names an attacker would use to reach Object.prototype through a form or JSON body, posted to
 * every action that accepts structured fields. After each: the prototype is clean, the answer is 4xx
 * (or the fields are ignored), and the database holds exactly what it should.
 */
const SHOP = "pollution.myshopify.com";
const POLLUTING = [
  "__proto__.polluted",
  "constructor.prototype.polluted",
  "prototype.polluted",
  "reward.__proto__.polluted",
  "tiers.__proto__.polluted",
  "tiers.0.constructor.prototype.polluted",
  "budget.constructor.polluted",
];
const pollutingFields = Object.fromEntries(POLLUTING.map((name) => [name, "yes"]));

function expectCleanPrototype() {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(typeof ({} as Record<string, unknown>).constructor).toBe("function");
}
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  // A failing test must not poison the ones after it.
  for (const key of Object.getOwnPropertyNames(Object.prototype)) {
    if (!PROTOTYPE_KEYS.includes(key)) delete (Object.prototype as Record<string, unknown>)[key];
  }
});

const winback = {
  intent: "save",
  kind: "winback",
  name: "We miss you",
  enabled: "true",
  "reward.type": "percentage",
  "reward.percentage": "15",
  validityDays: "14",
  cooldownDays: "90",
  holdoutShare: "0",
  "budget.maxCount": "",
  "budget.maxAmount": "",
};

beforeEach(async () => {
  await resetDatabase();
  await installShop(SHOP);
});

async function rulesSnapshot() {
  return db.discountRule.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });
}

describe("polluting field names", () => {
  it.each(["save", "preview"])("the rule form (new rule, intent %s): 400 naming the fields, nothing created", async (intent) => {
    const { status, body } = await call<{ ok: boolean; fieldErrors: Record<string, string[]> }>(
      ruleAction,
      await appRequest(SHOP, "/app/rules/new?locale=en", { form: { ...winback, ...pollutingFields, intent } }),
      { id: "new" },
    );
    expectCleanPrototype();
    expect(status).toBe(400);
    expect(body.ok).toBe(false);
    expect(body.fieldErrors.form[0]).toContain("__proto__.polluted");
    expect(await db.discountRule.count()).toBe(0);
  });

  it("the rule form (existing rule): 400, the stored rule unchanged, and a clean post still saves", async () => {
    const created = await call(ruleAction, await appRequest(SHOP, "/app/rules/new", { form: winback }), { id: "new" });
    expect(created.status).toBe(302);
    const [rule] = await rulesSnapshot();
    const before = await rulesSnapshot();
    const polluted = await call(
      ruleAction,
      await appRequest(SHOP, `/app/rules/${rule.id}`, { form: { ...winback, name: "Changed", ...pollutingFields } }),
      { id: rule.id },
    );
    expectCleanPrototype();
    expect(polluted.status).toBe(400);
    expect(await rulesSnapshot()).toEqual(before);

    // Each name alone, too: no single one gets through.
    for (const name of POLLUTING) {
      const one = await call(
        ruleAction,
        await appRequest(SHOP, `/app/rules/${rule.id}`, { form: { ...winback, name: "Changed", [name]: "yes" } }),
        { id: rule.id },
      );
      expectCleanPrototype();
      expect({ name, status: one.status }).toEqual({ name, status: 400 });
    }
    expect(await rulesSnapshot()).toEqual(before);

    // The shop's other pages keep working (sessions still load after the attack).
    const clean = await call(ruleAction, await appRequest(SHOP, `/app/rules/${rule.id}`, { form: { ...winback, name: "Changed" } }), {
      id: rule.id,
    });
    expect(clean.status).toBe(302);
    expect(JSON.parse((await rulesSnapshot())[0].config)).toMatchObject({
      name: "Changed",
      reward: { type: "percentage", percentage: 15 },
    });
  });

  it("a loyalty-tier form with polluting tier paths: 400 and nothing stored", async () => {
    const form = {
      intent: "save",
      kind: "loyaltyTiers",
      name: "Club",
      enabled: "true",
      metric: "netSpend",
      window: "lifetime",
      graceDays: "30",
      validityDays: "30",
      oncePerCustomer: "true",
      holdoutShare: "0",
      "tiers.0.name": "Bronze",
      "tiers.0.threshold": "100",
      "tiers.0.reward.type": "percentage",
      "tiers.0.reward.percentage": "5",
      "tiers.0.__proto__.polluted": "yes",
      "tiers.99999.name": "Far away",
    };
    const { status, body } = await call<{ fieldErrors: Record<string, string[]> }>(
      ruleAction,
      await appRequest(SHOP, "/app/rules/new", { form }),
      { id: "new" },
    );
    expectCleanPrototype();
    expect(status).toBe(400);
    expect(body.fieldErrors.form[0]).toContain("tiers.0.__proto__.polluted");
    expect(await db.discountRule.count()).toBe(0);
  });

  it("the rules list (toggle and delete): ids and flags are looked up, never used as paths", async () => {
    await call(ruleAction, await appRequest(SHOP, "/app/rules/new", { form: { ...winback, enabled: "false" } }), { id: "new" });
    const before = await rulesSnapshot();
    for (const intent of ["toggle", "delete"]) {
      const { status } = await call(
        rulesAction,
        await appRequest(SHOP, "/app/rules", { form: { intent, id: "__proto__", enabled: "true", ...pollutingFields } }),
      );
      expectCleanPrototype();
      expect(status).toBeLessThan(500);
    }
    expect(await rulesSnapshot()).toEqual(before);
  });

  it("settings and segments forms: the declared fields are saved exactly, polluting names are ignored", async () => {
    const lifecycle = {
      pAliveThreshold: "30",
      intervalMultiple: "2",
      defaultIntervalDays: "90",
      regularMinOrders: "4",
      regularMinFrequencyScore: "4",
    };
    for (const [fn, path] of [
      [settingsAction, "/app/settings"],
      [segmentsAction, "/app/segments"],
    ] as const) {
      const { status } = await call(
        fn,
        await appRequest(SHOP, path, {
          form: { intent: "lifecycle", ...lifecycle, ...pollutingFields, "scoring.__proto__.polluted": "yes" },
        }),
      );
      expectCleanPrototype();
      expect(status).toBe(200);
    }
    const forms: Array<Record<string, string>> = [
      { intent: "lifespan", lifespanMode: "fixed", lifespanYears: "3" },
      { intent: "consent", promotionalRequiresMarketingConsent: "on" },
      { intent: "customerCaps", perDay: "1", per30Days: "3" },
      { intent: "__proto__" },
      { intent: "constructor" },
    ];
    for (const form of forms) {
      const { status } = await call(settingsAction, await appRequest(SHOP, "/app/settings", { form: { ...form, ...pollutingFields } }));
      expectCleanPrototype();
      expect(status).toBeLessThan(500);
    }
    const { status } = await call(dashboardAction, await appRequest(SHOP, "/app", { form: { intent: "__proto__", ...pollutingFields } }));
    expectCleanPrototype();
    expect(status).toBe(400);
    const settings = JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).settings ?? "{}");
    expect(settings).toEqual({
      scoring: {
        lifecycle: { pAliveThreshold: 0.3, intervalMultiple: 2, defaultIntervalDays: 90, regularMinOrders: 4, regularMinFrequencyScore: 4 },
        lifespanYears: 3,
      },
      consent: { promotionalRequiresMarketingConsent: true },
      issuance: { customerCaps: { perDay: 1, per30Days: 3 } },
    });
  });

  it("the birthday CSV: header cells are never keys, and the data lines still import", async () => {
    await db.customer.create({ data: { shop: SHOP, shopifyId: "gid://shopify/Customer/1", email: "one@example.com" } });
    const csv = ["__proto__,constructor", "one@example.com,1990-01-02", "__proto__,1990-01-02", "constructor,prototype"].join("\n");
    const { status } = await call(
      settingsAction,
      await appRequest(SHOP, "/app/settings?locale=en", { form: { intent: "birthdays", csv } }),
    );
    expectCleanPrototype();
    expect(status).toBe(200);
    expect((await db.customer.findMany({ where: { shop: SHOP }, select: { birthday: true } })).map((c) => c.birthday)).toEqual([
      "1990-01-02",
    ]);
  });

  it("the checkout survey's JSON: __proto__ and constructor keys are refused or ignored, and a valid answer is stored as sent", async () => {
    const shop = "pollution-feedback.myshopify.com";
    const { customer } = await seedShop(shop, 7070);
    const token = await customerToken(shop, customer);
    const roomy = { limit: 1000, windowMs: 60_000 };
    const endpoint = createFeedbackAction({
      limiter: createFeedbackRateLimiter({ shopAttempts: roomy, customerAttempts: roomy, shopWrites: roomy, customerWrites: roomy }),
      thankYouReward: async () => null,
      setBirthdayMetafields: async () => ({ written: 0, refused: [] }),
      log: () => {},
    }) as unknown as RouteHandler;
    const body = JSON.stringify(answer(7070)).replace(
      /^\{/,
      '{"__proto__":{"polluted":"yes","score":10},"constructor":{"prototype":{"polluted":"yes"}},',
    );
    const posted = await callFeedback(endpoint, feedbackRequest(null, token, { raw: body }));
    expectCleanPrototype();
    expect(posted.status).toBeLessThan(500);
    const stored = await db.feedback.findMany({ where: { shop } });
    expect(stored.map((f) => ({ score: f.score, comment: f.comment }))).toEqual(
      posted.status === 200 ? [{ score: 3, comment: "Arrived late" }] : [],
    );
  });
});
