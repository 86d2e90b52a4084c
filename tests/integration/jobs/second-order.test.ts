/**
 * The second-order rule against the emulated shop (issue #18): the daily run, driven day after day as
 * the scheduler does, issues exactly one code per New customer, on the day the rule names counted in
 * the shop's own calendar (Auckland, where the UTC date is often the day before), and never again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { runShopDay } from "../../../app/jobs/scheduler.server";
import { DEFAULT_LIFECYCLE_SETTINGS } from "../../../app/retention/segments/lifecycle";
import { addDays, FLOW_TRIGGER_HANDLE, startOfLocalDay } from "../../../app/retention/rewards";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, ledger, setUpShop, type RewardsShop } from "../../support/rules";

const DOMAIN = "rewards-second-order.myshopify.com";
const TZ = "Pacific/Auckland";
const clock = fakeClock(Date.parse("2026-03-01T00:00:00Z"));
let emulator: Emulator;
let s: RewardsShop;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [{ domain: DOMAIN, size: "empty", seed: 18, currency: "CAD", timeZone: TZ }],
  });
});
afterAll(() => stopEmulatedShopify(emulator));

beforeEach(async () => {
  emulator.shop(DOMAIN).discounts.byId.clear();
  emulator.shop(DOMAIN).flowTriggers.length = 0;
  await resetDatabase();
  s = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "CAD" });
});

const newCustomer = (firstOrderAt: string, extra: Parameters<typeof addCustomer>[2] = {}) =>
  addCustomer(emulator, s.shop, { lifecycle: "new", orderCount: 1, totalSpent: 60, firstOrderAt: new Date(firstOrderAt), ...extra });

/** The customers holding a code in the emulated shop, and each one's codes. */
function codesByCustomer(): Map<string, { startsAt: number; endsAt: number | null }[]> {
  const out = new Map<string, { startsAt: number; endsAt: number | null }[]>();
  for (const d of emulator.shop(DOMAIN).discounts.byId.values()) {
    if (d.context.type !== "customers") continue;
    for (const id of d.context.customerIds) out.set(id, [...(out.get(id) ?? []), { startsAt: d.startsAt, endsAt: d.endsAt }]);
  }
  return out;
}

/**
 * Runs the shop's day at 00:30 Auckland time (11:30 UTC the day before, NZDT) from `from` for `days`
 * days, and says on which shop-local day each customer's first code appeared.
 */
async function runDays(from: string, days: number): Promise<Record<string, string>> {
  const firstSeen: Record<string, string> = {};
  for (let d = 0; d < days; d++) {
    const day = addDays(from, d);
    clock.set(startOfLocalDay(day, TZ).getTime() + 30 * 60_000);
    const outcome = await runShopDay(s.shop, { owner: "test", clientFor: async () => s.client, now: () => new Date(clock.now()) });
    expect(outcome).toMatchObject({ status: "ran", jobKey: `issuance:${day}` });
    for (const customer of codesByCustomer().keys()) firstSeen[customer] ??= day;
  }
  return firstSeen;
}

describe("second order against the emulator", () => {
  it("issues exactly one code per New customer on the 21st day after the first order, in the shop's time zone", async () => {
    await addRule(s.shop, { kind: "secondOrder", name: "Your second order", reward: { type: "percentage", percentage: 10 } });
    // 1 March 01:30 and 23:30 in Auckland (still 28 February / 1 March in UTC): due 22 March.
    const ana = await newCustomer("2026-02-28T12:30:00Z");
    const ben = await newCustomer("2026-03-01T10:30:00Z");
    // 2 March 00:30 in Auckland, though still 1 March in UTC: due 23 March.
    const cleo = await newCustomer("2026-03-01T11:30:00Z");
    // Not a one-time buyer, or not New, or no consent: nothing.
    const dan = await newCustomer("2026-03-01T00:00:00Z", { lifecycle: "loyal", orderCount: 2 });
    const eve = await newCustomer("2026-03-01T00:00:00Z", { lifecycle: "lapsed" });
    const fay = await newCustomer("2026-03-01T00:00:00Z", { subscribed: false });

    const firstSeen = await runDays("2026-03-20", 14);
    expect(firstSeen).toEqual({ [ana]: "2026-03-22", [ben]: "2026-03-22", [cleo]: "2026-03-23" });

    const codes = codesByCustomer();
    for (const [customer, due] of [
      [ana, "2026-03-22"],
      [ben, "2026-03-22"],
      [cleo, "2026-03-23"],
    ] as const) {
      // One code, valid from the start of its shop-local day for the rule's 14 days.
      expect(codes.get(customer)).toEqual([
        { startsAt: startOfLocalDay(due, TZ).getTime(), endsAt: startOfLocalDay(addDays(due, 14), TZ).getTime() },
      ]);
    }
    for (const none of [dan, eve, fay]) expect(codes.has(none)).toBe(false);

    const rows = await ledger(s.shop);
    expect(rows.map((r) => [r.customerShopifyId, r.kind, r.status, r.idempotencyKey.endsWith(":secondOrder")])).toEqual(
      expect.arrayContaining([
        [ana, "issue", "delivered", true],
        [ben, "issue", "delivered", true],
        [cleo, "issue", "delivered", true],
      ]),
    );
    expect(rows).toHaveLength(3);
    // Each code announces itself through Flow, once, with the kind's reason and the offer in words.
    const triggers = emulator.shop(DOMAIN).flowTriggers;
    expect(triggers.map((t) => t.handle)).toEqual([FLOW_TRIGGER_HANDLE, FLOW_TRIGGER_HANDLE, FLOW_TRIGGER_HANDLE]);
    for (const t of triggers) expect(t.payload).toMatchObject({ reason: "secondOrder", moment: "issued", offer: "10% off" });
  });

  it("before the model expects a lapse: the lapse day comes from the shop's last scoring", async () => {
    // The last scoring found a typical repeat interval of 30 days: a one-time buyer is Lapsed after 3 × 30 days.
    await db.shop.update({
      where: { shop: s.shop },
      data: {
        modelState: JSON.stringify({
          asOf: "2026-03-01",
          settings: { horizonMonths: 12, monthlyDiscountRate: 0.01, lifecycle: DEFAULT_LIFECYCLE_SETTINGS },
          model: { status: "insufficient", reason: "few repeat buyers", repeatBuyers: 5, repeatBuyersNeeded: 50 },
          historic: { clv: 100, averageOrderValue: 60, purchaseFrequencyPerYear: 2, lifespanYears: 3 },
          cadence: { typicalIntervalDays: 30, repeatBuyers: 5 },
        }),
      },
    });
    await addRule(s.shop, {
      kind: "secondOrder",
      name: "Before they lapse",
      reward: { type: "freeShipping" },
      timing: "beforeLapse",
      daysBeforeLapse: 14,
    });
    // First order 1 March (Auckland): Lapsed from 31 May (day 91), so the code is due on 17 May.
    const ana = await newCustomer("2026-02-28T12:30:00Z");
    expect(await runDays("2026-05-15", 5)).toEqual({ [ana]: "2026-05-17" });
    expect(codesByCustomer().get(ana)).toHaveLength(1);
  });
});
