import { renderToString } from "react-dom/server";
import type { RouteObject } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import { describe, expect, it } from "vitest";
import RulePage, { formToRuleInput } from "../../../app/routes/app.rules.$id";
import RulesPage from "../../../app/routes/app.rules";
import { kindText, rulesMessages } from "../../../app/i18n/rule-texts";
import { BULK_DELIVERY_MIN_CODES, REWARD_KINDS, rewardKind, RULE_KINDS, validateRuleInput } from "../../../app/retention/rewards";

/** Server-renders a route component the way Remix would, with the given loader (and action) data. */
async function render(
  path: string,
  routes: Array<{ path: string; loader: () => object; action?: () => object; Component: () => JSX.Element }>,
  method: "GET" | "POST" = "GET",
) {
  const handler = createStaticHandler(
    routes.map((r, i): RouteObject => ({ id: `r${i}`, path: r.path, loader: r.loader, action: r.action, Component: r.Component })),
  );
  const context = await handler.query(
    new Request(`http://app.test${path}`, { method, ...(method === "POST" ? { body: new URLSearchParams() } : {}) }),
  );
  if (context instanceof Response) throw new Error(`Unexpected response ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  // React separates adjacent text parts with empty comments; drop them so the text reads as shown.
  return renderToString(
    <AppProvider i18n={polarisEn}>
      <StaticRouterProvider router={router} context={context} hydrate={false} />
    </AppProvider>,
  ).replaceAll("<!-- -->", "");
}

// What the loaders send with every page: the admin's locale and the rules area's messages.
const texts = { locale: "en", messages: rulesMessages("en") };

const ruleData = {
  ...texts,
  isNew: false,
  id: "rule-1",
  kind: "birthday",
  values: {
    kind: "birthday",
    name: "Birthday gift",
    enabled: "true",
    "reward.type": "percentage",
    "reward.percentage": "-5",
    windowDaysBefore: "7",
    windowDaysAfter: "3",
    reminders: "-7, -3, 0",
    holdoutShare: "10",
  },
  today: "2026-05-14",
  currencyCode: "EUR",
  knownTiers: ["Gold"],
  segments: [],
  pausedReason:
    "Paused: the monthly cap of 10 codes is reached (10 issued in 2026-05); 3 customers who were due a code did not get one. The rule resumes on 2026-06-01.",
  preview: {
    recipients: ["a", "b"],
    count: 2,
    maxCost: 24.5,
    maxCostText: "€24.50",
    heldOut: 1,
    reminders: 0,
    pausedReason: null,
    withheldByBudget: 0,
    today: "2026-05-14",
    day: "2026-05-14",
  },
  results: {
    ruleId: "rule-1",
    issued: 40,
    redeemed: 10,
    redemptionRate: 0.25,
    revenue: 812.4,
    revenueText: "€812.40",
    reminders: 80,
    treated: { customers: 40, windowPurchaseRate: 0.3, repeatRate: 0.45 },
    heldOut: { customers: 5, windowPurchaseRate: 0.2, repeatRate: 0.4 },
    uplift: { windowPurchaseRate: 0.1, repeatRate: 0.05 },
    experiment: { state: "noDetectableEffect", purchaseRate: null, revenuePerCustomer: null },
  },
  experiment: {
    state: "noDetectableEffect",
    rate: { difference: "+10.0", lower: "-14.2", upper: "+27.9" },
    revenue: { difference: "€3.10", lower: "-€2.00", upper: "€8.20" },
    treated: "40",
    heldOut: "5",
  },
  planning: { baseRate: 0.1, baseRateSource: "shop", eligiblePerMonth: 1000 },
  recent: [],
};

describe("rule page", () => {
  it("shows the stored values, the pause, today's preview and the results", async () => {
    const html = await render("/app/rules/rule-1", [{ path: "/app/rules/:id", loader: () => ruleData, Component: RulePage }]);
    expect(html).toContain('value="Birthday gift"');
    expect(html).toContain("This rule is paused");
    expect(html).toContain("2 customers would get this today");
    // Money as the loader formatted it (the one formatter), never "812.40 EUR".
    expect(html).toContain("€812.40");
    expect(html).toContain("€24.50");
    expect(html).toContain("Bought while the code was valid: 30.0% vs 20.0%");
    expect(html).toContain("No detectable effect yet");
    expect(html).toContain("Purchase rate: +10.0 points (95% interval -14.2 to +27.9)");
    expect(html).toContain("Revenue per eligible customer: €3.10 (95% interval -€2.00 to €8.20)");
  });

  it("before a holdout is set, shows what one would detect with the rule's volume, in the admin's language", async () => {
    const withHoldout = { ...ruleData, values: { ...ruleData.values, holdoutShare: "10" } };
    const html = await render("/app/rules/rule-1", [{ path: "/app/rules/:id", loader: () => withHoldout, Component: RulePage }]);
    expect(html).toContain("About 1,000 eligible customers a month; they buy at 10.0% (the shop&#x27;s buyers over the last 30 days).");
    // 3,000 customers at a 10% holdout and a 10% base rate detect about +5.2 points (7.85 × (0.152·0.848/0.9 + 0.09/0.1) / 0.052² ≈ 3,000); +3 points need 8,945 (9 months of 1,000).
    expect(html).toContain("after 3 months the smallest lift you could detect is 5.2 points");
    expect(html).toContain("Months needed to detect +3 points: 9.");
    const uk = await render("/app/rules/rule-1?locale=uk", [
      { path: "/app/rules/:id", loader: () => ({ ...withHoldout, locale: "uk", messages: rulesMessages("uk") }), Component: RulePage },
    ]);
    expect(uk).toContain("Місяців, щоб помітити +3 п. п.: 9.");
  });

  it("names the campaign's first day when the preview is for a later day", async () => {
    const campaign = { ...ruleData, preview: { ...ruleData.preview, day: "2026-06-01" } };
    const html = await render("/app/rules/rule-1", [{ path: "/app/rules/:id", loader: () => campaign, Component: RulePage }]);
    expect(html).toContain("On the campaign&#x27;s first day (Jun 1, 2026)");
    expect(html).toContain("2 customers would get this that day");
    expect(html).not.toContain("would get this today");
  });

  it("a draft says it is off and offers Turn on… (the confirmation), never a plain On switch", async () => {
    const draft = { ...ruleData, enabled: false, confirmation: null, pausedReason: null };
    const html = await render("/app/rules/rule-1", [{ path: "/app/rules/:id", loader: () => draft, Component: RulePage }]);
    expect(html).toContain("Draft: off. Nothing is issued until you turn it on.");
    expect(html).toMatch(/href="[^"]*\/app\/rules\/rule-1\?[^"]*turnOn=1/);
    const on = await render("/app/rules/rule-1", [
      { path: "/app/rules/:id", loader: () => ({ ...draft, enabled: true }), Component: RulePage },
    ]);
    expect(on).toContain("On: codes go out with the daily run.");
    expect(on).not.toContain("turnOn=1");
  });

  it("shows each server error next to its field", async () => {
    const html = await render(
      "/app/rules/rule-1",
      [
        {
          path: "/app/rules/:id",
          loader: () => ruleData,
          action: () => ({ ok: false, fieldErrors: { "reward.percentage": ["A percentage can't be negative."] }, preview: null }),
          Component: RulePage,
        },
      ],
      "POST",
    );
    expect(html).toContain("Some fields need attention");
    // Polaris ties the message to the field it belongs to.
    const field = /<input[^>]*\sid="([^"]+)"[^>]*value="-5"/.exec(html);
    expect(field).not.toBeNull();
    expect(html).toMatch(new RegExp(`id="${field![1]}Error"[^>]*>[\\s\\S]*?A percentage can&#x27;t be negative\\.`));
  });
});

describe("every kind's rule form", () => {
  const scale = { tierThresholds: [500, 1_000, 2_000] as [number, number, number], thankYouAmount: 5 };
  // As the new-rule page fills them: the kind's defaults, its name and other words in the admin's language.
  const defaults = (kind: (typeof RULE_KINDS)[number]) => {
    const values: Record<string, string> = {
      kind,
      name: kindText("uk", kind, "defaultName"),
      enabled: "false",
      holdoutShare: "0",
      ...rewardKind(kind).formDefaults("2026-05-14", { scale }),
    };
    for (const [path, text] of Object.entries(rewardKind(kind).formTexts?.(values) ?? {})) values[path] = kindText("uk", kind, text);
    return values;
  };

  it.each(RULE_KINDS)("%s: its defaults save as they are", (kind) => {
    const { input, undeclared } = formToRuleInput(Object.entries(defaults(kind)));
    expect(undeclared).toEqual([]);
    const result = validateRuleInput(input, { knownTiers: [], today: "2026-05-14" });
    expect(result.ok ? [] : result.fieldErrors).toEqual([]);
  });

  // Decision 024: an audience kind's large runs reach customers through kinship.reward_code, not a Flow trigger.
  it.each(RULE_KINDS)("%s: says how its codes are issued, and for audience kinds how large runs are delivered", async (kind) => {
    const messages = rulesMessages("uk");
    const data = { ...ruleData, locale: "uk", messages, kind, values: defaults(kind), results: null, experiment: null };
    const html = await render("/app/rules/rule-1", [{ path: "/app/rules/:id", loader: () => data, Component: RulePage }]);
    const { issuedAs } = REWARD_KINDS[kind];
    const bulk = escape(messages["rules.issuedAs.audienceBulkDelivery"]!.replace("{bulkMinimum}", String(BULK_DELIVERY_MIN_CODES)));
    expect(bulk).toContain("kinship.reward_code");
    expect(html.includes(escape(messages[`rules.issuedAs.${issuedAs}`]!.split("{minimum}")[0]!))).toBe(true);
    expect(html.includes(bulk)).toBe(issuedAs === "audience");
  });

  it.each(["secondOrder", "firstOrderAnniversary", "orderMilestones"] as const)(
    "%s: renders its own fields in the admin's language",
    async (kind) => {
      const data = {
        ...ruleData,
        locale: "uk",
        messages: rulesMessages("uk"),
        kind,
        values: defaults(kind),
        results: null,
        experiment: null,
      };
      const html = await render("/app/rules/rule-1", [{ path: "/app/rules/:id", loader: () => data, Component: RulePage }]);
      expect(html).toContain(kindText("uk", kind, "defaultName"));
      const own =
        kind === "secondOrder"
          ? ["rules.kind.secondOrder.timing", "rules.kind.secondOrder.daysAfterFirstOrder", "rules.kind.secondOrder.once"]
          : kind === "firstOrderAnniversary"
            ? ["rules.kind.firstOrderAnniversary.windowDaysBefore", "rules.kind.firstOrderAnniversary.remindersHelp"]
            : ["rules.kind.orderMilestones.milestones"];
      for (const key of own) expect(html).toContain(escape(rulesMessages("uk")[key]!));
      if (kind === "orderMilestones") {
        // Five milestone fields, the first two filled with the defaults.
        for (const n of [1, 5])
          expect(html).toContain(escape(rulesMessages("uk")["rules.kind.orderMilestones.milestone"]!.replace("{n}", String(n))));
        const second = escape(rulesMessages("uk")["rules.kind.orderMilestones.milestone"]!.replace("{n}", "2"));
        expect(html.slice(html.indexOf(second))).toMatch(/^[^]*?<input [^>]*value="10"/);
      }
    },
  );

  it("orderMilestones: the form's blank milestone fields are no milestones, and a bad one is reported at its field", () => {
    const posted = { ...defaults("orderMilestones"), "milestones.1": "", "milestones.2": "12", "milestones.3": "", "milestones.4": "" };
    const ok = validateRuleInput(formToRuleInput(Object.entries(posted)).input, { knownTiers: [] });
    expect(ok.ok && ok.rule).toMatchObject({ milestones: [5, 12] });
    const bad = validateRuleInput(formToRuleInput(Object.entries({ ...posted, "milestones.2": "4" })).input, { knownTiers: [] });
    expect(bad.ok ? {} : Object.keys(bad.fieldErrors)).toEqual(["milestones.2"]);
  });
});

describe("an A/B rule's form and results", () => {
  it("reads offer B's share as a percentage, and no second offer as no test", () => {
    const base = { kind: "winback", name: "Come back", "reward.type": "percentage", "reward.percentage": "10", holdoutShare: "10" };
    const { input } = formToRuleInput(Object.entries({ ...base, "offerB.reward.type": "freeShipping", "offerB.share": "45" }));
    expect(input.offerB).toEqual({ reward: { type: "freeShipping" }, share: 0.45 });
    const none = formToRuleInput(Object.entries({ ...base, "offerB.reward.type": "none", "offerB.share": "45" }));
    expect(none.input.offerB).toBeNull();
    expect(validateRuleInput(none.input, { knownTiers: [] }).ok).toBe(true);
  });

  it("shows offer B against offer A with its interval, in the admin's language", async () => {
    const offers = {
      a: { customers: 120, complete: 100, purchasers: 10, windowPurchaseRate: 0.1, revenuePerCustomer: 5, repeatRate: null },
      b: { customers: 118, complete: 100, purchasers: 30, windowPurchaseRate: 0.3, revenuePerCustomer: 15, repeatRate: null },
      bVersusA: { state: "works", purchaseRate: null, revenuePerCustomer: null },
      aVersusHoldout: null,
      bVersusHoldout: null,
    };
    const experiment = {
      ...ruleData.experiment,
      offers: { state: "works", rate: { difference: "+20.0", lower: "+8.1", upper: "+31.2" }, revenue: null, a: "100", b: "100" },
    };
    const values = { ...ruleData.values, kind: "winback", "offerB.reward.type": "freeShipping", "offerB.share": "45" };
    const data = { ...ruleData, kind: "winback", values, results: { ...ruleData.results, offers }, experiment };
    const html = await render("/app/rules/rule-1", [{ path: "/app/rules/:id", loader: () => data, Component: RulePage }]);
    expect(html).toContain("Offer B vs offer A");
    expect(html).toContain("Offer B does better");
    expect(html).toContain("Purchase rate: +20.0 points (95% interval +8.1 to +31.2)");
    expect(html).toContain("Bought while the code was valid: 10.0% with offer A vs 30.0% with offer B");
    expect(html).toContain('value="45"');
    const uk = await render("/app/rules/rule-1", [
      { path: "/app/rules/:id", loader: () => ({ ...data, locale: "uk", messages: rulesMessages("uk") }), Component: RulePage },
    ]);
    expect(uk).toContain(escape(rulesMessages("uk")["rules.results.offers.state.works"]!));
    expect(uk).toContain(escape(rulesMessages("uk")["rules.offerB.title"]!));
  });
});

describe("rules list", () => {
  it("lists rules with their results and offers the holiday presets", async () => {
    const html = await render("/app/rules", [
      {
        path: "/app/rules",
        loader: () => ({
          ...texts,
          rules: [
            {
              id: "rule-1",
              name: "Birthday gift",
              kind: "birthday",
              enabled: true,
              pausedReason: null,
              endsAt: null,
              results: ruleData.results,
              revenue: "€812.40",
            },
          ],
          invalid: [],
          currencyCode: "EUR",
          presets: [{ id: "international-womens-day", name: "International Women's Day (8 March)" }],
        }),
        Component: RulesPage,
      },
    ]);
    expect(html).toContain("Birthday gift");
    expect(html).toContain("+10.0 pts · No detectable effect yet");
    expect(html).toContain("€812.40");
    expect(html).toContain("/app/rules/new?kind=holidayCampaign&amp;preset=international-womens-day");
  });
});

describe("form fields to rule input", () => {
  it("treats empty monthly caps as no cap, as the form's help text promises", () => {
    const { input, undeclared } = formToRuleInput(
      Object.entries({ kind: "winback", "budget.maxCount": "", "budget.maxAmount": " ", "budget.maxCount2": "1" }),
    );
    expect(input.budget).toBeUndefined();
    expect(undeclared).toEqual(["budget.maxCount2"]);
    const none = formToRuleInput(Object.entries({ kind: "winback", "budget.maxCount": "", "budget.maxAmount": "" }));
    expect(none.input.budget).toBeUndefined();
  });

  it("nests dotted names, reads booleans and reminder lists, and turns the holdout percentage into a share", () => {
    const { input, undeclared } = formToRuleInput(
      Object.entries({
        intent: "save",
        kind: "loyaltyTiers",
        enabled: "false",
        holdoutShare: "12.5",
        "tiers.0.name": "Bronze",
        "tiers.0.reward.type": "none",
        "tiers.1.name": "Gold",
        "tiers.1.reward.type": "percentage",
        "tiers.1.reward.percentage": "15",
        reminders: "-7, -3 0",
        presetId: "",
      }),
    );
    expect(input).toEqual({
      kind: "loyaltyTiers",
      enabled: false,
      holdoutShare: 0.125,
      tiers: [
        { name: "Bronze", reward: null },
        { name: "Gold", reward: { type: "percentage", percentage: "15" } },
      ],
      reminders: ["-7", "-3", "0"],
    });
    expect(undeclared).toEqual([]);
  });
});

/** Text as React writes it into HTML. */
function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#x27;");
}
