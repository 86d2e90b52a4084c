import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  APP_PROXY,
  ASK_TRIGGER,
  buildAskPayload,
  isAskDue,
  parseSurveyLinkParams,
  renderAskTriggerToml,
} from "../../../../app/retention/feedback/ask-after-delivery";
import { triggerPayloadProblems } from "../../../../app/retention/flow-trigger";

describe("the ask-for-feedback trigger extension", () => {
  it("is exactly what renderAskTriggerToml() generates (regenerate it when the fields change)", () => {
    expect(readFileSync("extensions/kinship-ask-for-feedback/shopify.extension.toml", "utf8")).toBe(renderAskTriggerToml());
  });

  it("has a handle Shopify accepts (≤ 30 characters, letters, digits and hyphens)", () => {
    expect(ASK_TRIGGER.handle).toMatch(/^[a-z0-9-]{1,30}$/);
  });

  it("sends a payload the trigger declares", () => {
    const payload = buildAskPayload(
      "gid://shopify/Order/42",
      "https://s.myshopify.com/apps/kinship/survey?x=1",
      new Date("2026-12-01T00:00:00Z"),
    );
    expect(payload).toEqual({
      order_id: 42,
      surveyUrl: "https://s.myshopify.com/apps/kinship/survey?x=1",
      expiresAt: "2026-12-01T00:00:00.000Z",
    });
    expect(triggerPayloadProblems(ASK_TRIGGER, payload)).toEqual([]);
  });
});

describe("shopify.app.toml's [app_proxy]", () => {
  it("is the one the survey links and the route use", () => {
    const toml = readFileSync("shopify.app.toml", "utf8");
    const section = /\[app_proxy\]\n([\s\S]*?)\n\n/.exec(toml)?.[1] ?? "";
    expect(section).toMatch(new RegExp(`^url = "https://[^"]+${APP_PROXY.appPath}"$`, "m"));
    expect(section).toMatch(new RegExp(`^subpath = "${APP_PROXY.subpath}"$`, "m"));
    expect(section).toMatch(new RegExp(`^prefix = "${APP_PROXY.prefix}"$`, "m"));
    expect(readFileSync("app/routes/proxy.survey.tsx", "utf8")).toContain("authenticate.public.appProxy");
  });
});

describe("isAskDue", () => {
  const today = "2026-12-10";
  it("asks a delivered order at once, tracked or not", () => {
    expect(isAskDue({ deliveredAt: new Date(), fulfilledOn: "2026-12-09", tracked: true }, today, 7)).toBe(true);
  });
  it("asks an untracked fulfilment N shop-local days after it, not before", () => {
    expect(isAskDue({ deliveredAt: null, fulfilledOn: "2026-12-04", tracked: false }, today, 7)).toBe(false);
    expect(isAskDue({ deliveredAt: null, fulfilledOn: "2026-12-03", tracked: false }, today, 7)).toBe(true);
  });
  it("waits for the carrier when the fulfilment is tracked", () => {
    expect(isAskDue({ deliveredAt: null, fulfilledOn: "2026-11-01", tracked: true }, today, 7)).toBe(false);
  });
});

describe("parseSurveyLinkParams", () => {
  const token = "a".repeat(43);
  it("takes well-formed parameters only", () => {
    expect(parseSurveyLinkParams(new URLSearchParams(`order=42&expires=1800000000&token=${token}`))).toEqual({
      orderLegacyId: 42,
      expiresAtSeconds: 1_800_000_000,
      token,
    });
    for (const bad of [
      `order=0&expires=1&token=${token}`,
      `order=42&expires=-1&token=${token}`,
      `order=42&expires=1&token=short`,
      "order=42",
    ]) {
      expect(parseSurveyLinkParams(new URLSearchParams(bad))).toBeNull();
    }
  });
});
