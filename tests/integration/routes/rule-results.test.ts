import { beforeEach, describe, expect, it } from "vitest";
import { loader, type ResultsState } from "../../../app/routes/app.rules.$id_.results";
import { appRequest, call, installShop } from "../../support/admin-routes";
import { resetDatabase } from "../../support/fixtures";
import { ruleWithArms, type Arm } from "../../support/rule-results";

// Issue #18 item 5: one rule's results page, in each state the experiment can be in.
const SHOP = "rule-results.myshopify.com";
interface Page {
  name: string;
  results: {
    state: ResultsState;
    discountCost: string;
    rate: { difference: string } | null;
    revenuePer100: { difference: string; lower: string; upper: string } | null;
    costPer100: { difference: string } | null;
    profitPer100: { difference: string } | null;
    timeline: { label: string; treated: number | null; heldOut: number | null }[];
  };
}

async function page(id: string) {
  return call<Page>(loader, await appRequest(SHOP, `/app/rules/${id}/results?locale=en`), { id });
}

beforeEach(async () => {
  await resetDatabase();
  await installShop(SHOP, { currencyCode: "EUR", ianaTimezone: "Europe/Zagreb" });
});

describe("a rule's results page", () => {
  it("works: intervals in points and in money per 100 eligible customers, the discounts' cost, the arms over time", async () => {
    const { status, body } = await page(await ruleWithArms(SHOP, { customers: 30, buyers: 20 }, { customers: 30, buyers: 3 }));
    expect(status).toBe(200);
    expect(body.results.state).toBe("works");
    // 20 of 30 redeemed 5.00 each.
    expect(body.results.discountCost).toBe("€100.00");
    expect(body.results.rate?.difference).toBe("+56.7");
    // Before the discount: 20 × 50 / 30 − 3 × 45 / 30 = 28.83 a customer; cost 20 × 5 / 30 = 3.33; profit 25.50.
    expect(body.results.revenuePer100?.difference).toBe("€2,883.33");
    expect(body.results.costPer100?.difference).toBe("€333.33");
    expect(body.results.profitPer100?.difference).toBe("€2,550.00");
    // One point a decision week; the last holds every measured customer.
    expect(body.results.timeline).toHaveLength(4);
    expect(body.results.timeline.at(-1)).toEqual({ label: expect.any(String), treated: 66.7, heldOut: 10 });
  });

  it("hurts, no detectable effect yet, too early, and not measured without a holdout", async () => {
    const cases: [Arm, Arm | null, ResultsState][] = [
      [{ customers: 30, buyers: 2 }, { customers: 30, buyers: 20 }, "hurts"],
      [{ customers: 30, buyers: 10 }, { customers: 30, buyers: 9 }, "noDetectableEffect"],
      [{ customers: 5, buyers: 5 }, { customers: 5, buyers: 0 }, "tooEarly"],
      [{ customers: 10, buyers: 4 }, null, "noHoldout"],
    ];
    for (const [treated, heldOut, state] of cases) {
      await resetDatabase();
      await installShop(SHOP, { currencyCode: "EUR", ianaTimezone: "Europe/Zagreb" });
      const { status, body } = await page(await ruleWithArms(SHOP, treated, heldOut));
      expect({ status, state: body.results.state }).toEqual({ status: 200, state });
      if (state === "noHoldout") expect(body.results).toMatchObject({ rate: null, revenuePer100: null, timeline: [] });
    }
  });

  it("answers 404 for a rule that does not exist", async () => {
    const { status } = await page("no-such-rule");
    expect(status).toBe(404);
  });
});
