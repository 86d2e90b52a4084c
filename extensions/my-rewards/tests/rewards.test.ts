import { describe, expect, it, vi } from "vitest";

import { checkBirthdayForm, loadRewards, readRewards, saveBirthday } from "../src/rewards";
import { silverCustomer, unknownCustomer } from "./stand-in-backend";

const deps = (status: number, body: unknown) => ({
  appUrl: "https://app.test",
  getToken: async () => "tok",
  fetch: vi.fn(async () => new Response(JSON.stringify(body), { status })),
});

describe("readRewards (the backend's answer, parsed at the edge)", () => {
  it("takes the contract's answer as it is", () => {
    const rewards = readRewards(silverCustomer());
    expect(rewards?.tier?.next).toEqual({ name: "Gold", remaining: { amount: "1200.00", currencyCode: "UAH" }, remainingOrders: null });
    expect(rewards?.codes.map((c) => c.reasonLabel)).toEqual(["", "", ""]);
    const worded = silverCustomer();
    worded.codes = worded.codes.map((c, i) => ({ ...c, reasonLabel: i === 0 ? " Birthday gift " : i === 1 ? 42 : "x".repeat(500) }));
    // The backend's words as they are (trimmed, capped); a label that is not text reads as none.
    expect(readRewards(worded)?.codes.map((c) => c.reasonLabel)).toEqual(["Birthday gift", "", "x".repeat(200)]);
    expect(rewards?.storeCredit?.balance.amount).toBe("150.00");
    expect(readRewards(unknownCustomer())).toMatchObject({ tier: null, codes: [], storeCredit: null, feedback: [] });
  });

  it("leaves out a malformed code or answer and keeps the rest", () => {
    const body = silverCustomer() as Record<string, unknown> & ReturnType<typeof silverCustomer>;
    (body.codes as unknown[]).push(
      { code: "", offer: { type: "free_shipping" }, reason: "winback", expiresAt: null, minimumSubtotal: null },
      { code: "X", offer: { type: "percentage", percent: 150 }, reason: "winback", expiresAt: null, minimumSubtotal: null },
      { code: "Y", offer: { type: "fixed_amount", amount: { amount: "1e9", currencyCode: "UAH" } }, reason: "winback", expiresAt: null },
    );
    (body.feedback as unknown[]).push({ answeredAt: "2026-01-01T00:00:00Z", score: 11, reasons: [] });
    (body.feedback[0]!.reasons as string[]).push("__proto__");
    const rewards = readRewards(body);
    expect(rewards?.codes.map((c) => c.code)).toEqual(["KIN-BDAY-1234", "KIN-TIER-5678", "KIN-SHIP-9012"]);
    expect(rewards?.feedback).toHaveLength(2);
    expect(rewards?.feedback[0]?.reasons).toEqual(["delivery", "price"]);
  });

  it("reads the tier's metric, orders left and orders counted; a newer metric reads as progress only", () => {
    const body = silverCustomer();
    const tier = (extra: Record<string, unknown>) => readRewards({ ...body, tier: { ...body.tier, ...extra } })?.tier;
    expect(tier({ metric: "orderCount", orders: 3, next: { name: "Gold", remaining: null, remainingOrders: 2 } })).toMatchObject({
      metric: "orderCount",
      orders: 3,
      next: { name: "Gold", remaining: null, remainingOrders: 2 },
    });
    expect(tier({ metric: "somethingNew" })?.metric).toBeNull();
    expect(tier({ metric: undefined })?.metric).toBe("netSpend");
    expect(tier({ orders: -1 })?.orders).toBeNull();
  });

  it("refuses an answer whose frame is wrong", () => {
    expect(readRewards({ ...silverCustomer(), ok: false })).toBeNull();
    expect(readRewards({ ...silverCustomer(), shop: null })).toBeNull();
    expect(readRewards({ ...silverCustomer(), tier: { progress: "half" } })).toBeNull();
    expect(readRewards({ ...silverCustomer(), birthday: { date: "17.05.1990", consented: true, editable: true } })).toBeNull();
    expect(readRewards("<html>")).toBeNull();
  });
});

describe("calls", () => {
  it("turns anything but a well-formed 200 into a failed load, keeping the status", async () => {
    expect(await loadRewards(deps(200, silverCustomer()), "en")).toMatchObject({ kind: "ok" });
    expect(await loadRewards(deps(429, { ok: false, error: "rate_limited" }), "en")).toEqual({ kind: "failed", status: 429 });
    expect(await loadRewards(deps(200, { ok: true }), "en")).toEqual({ kind: "failed", status: 200 });
  });

  it("asks in the shopper's language, escaped into the query", async () => {
    const load = deps(200, silverCustomer());
    await loadRewards(load, "uk");
    const save = deps(200, silverCustomer());
    await saveBirthday({ birthday: null, consent: false }, save, "pt-BR&x=1");
    const urls = (call: { fetch: { mock: { calls: unknown[][] } } }) => call.fetch.mock.calls.map((args) => args[0]);
    expect(urls(load)).toEqual(["https://app.test/api/my-rewards?locale=uk"]);
    expect(urls(save)).toEqual(["https://app.test/api/my-rewards?locale=pt-BR%26x%3D1"]);
  });

  it("reads the backend's field errors on a refused birthday", async () => {
    expect(
      await saveBirthday(
        { birthday: "1990-05-17", consent: false },
        deps(400, { ok: false, fieldErrors: { consent: "consent_required" } }),
        "en",
      ),
    ).toEqual({
      kind: "rejected",
      fieldErrors: { consent: "consent_required" },
    });
    expect(await saveBirthday({ birthday: "x", consent: true }, deps(413, { ok: false }), "en")).toEqual({ kind: "failed" });
  });
});

describe("checkBirthdayForm", () => {
  const today = "2026-12-04";
  it("asks for a real past date, then for consent", () => {
    expect(checkBirthdayForm("", true, today)).toEqual({ birthday: "required" });
    expect(checkBirthdayForm("1990-02-30", true, today)).toEqual({ birthday: "invalid_date" });
    expect(checkBirthdayForm("2026-12-05", true, today)).toEqual({ birthday: "future_date" });
    expect(checkBirthdayForm("1850-01-01", true, today)).toEqual({ birthday: "implausible_year" });
    expect(checkBirthdayForm("1990-05-17", false, today)).toEqual({ consent: "consent_required" });
    expect(checkBirthdayForm("1990-05-17", true, today)).toEqual({});
  });
});
