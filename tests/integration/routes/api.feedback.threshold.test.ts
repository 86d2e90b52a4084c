/**
 * One threshold (issue #17): the survey's "what went wrong" and the follow-up queue read the same
 * number, the one the Settings page writes. The extension's own client code (fetchSurveyConfig,
 * the survey's reducer and payload, submitFeedback) talks to the app's real /api/feedback handlers.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { action as settingsAction } from "../../../app/routes/app.settings";
import { createFeedbackAction, createFeedbackLoader } from "../../../app/routes/api.feedback";
import { feedbackOverview, parseOverviewParams } from "../../../app/services/feedback-overview.server";
import { getShopSettings } from "../../../app/models/shop-settings.server";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { fetchSurveyConfig, submitFeedback, type SubmitDeps } from "../../../extensions/feedback-survey/src/api";
import {
  buildPayload,
  initialState,
  reduce,
  resolveConfig,
  type SurveyEvent,
  type SurveyState,
} from "../../../extensions/feedback-survey/src/survey-logic";
import { resetDatabase } from "../../support/fixtures";
import { appRequest, call as callAdmin, installShop } from "../../support/admin-routes";
import { CHECKOUT_ORIGIN, checkoutToken, seedShop } from "../../support/feedback";
import { TEST_APP_URL } from "../../support/test-env";

const SHOP = "threshold-alpha.myshopify.com";
const TODAY = "2026-12-03";

/** The extension's fetch, served by the app's route functions (the thank-you page's origin, as Shopify sends it). */
function appFetch(deps: Partial<Parameters<typeof createFeedbackAction>[0]> = {}): typeof fetch {
  const loader = createFeedbackLoader();
  const action = createFeedbackAction({
    adminClient: async (shop) => ({ shop }) as unknown as AdminClient,
    thankYouReward: async () => null,
    log: () => {},
    ...deps,
  });
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set("Origin", CHECKOUT_ORIGIN);
    const request = new Request(String(input), { ...init, headers });
    const handler = request.method === "GET" ? loader : action;
    try {
      return await handler({ request, params: {}, context: {} });
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  }) as typeof fetch;
}

async function saveFeedbackSettings(form: Record<string, string>) {
  return callAdmin<{ ok: boolean; errors?: Record<string, string> }>(
    settingsAction,
    await appRequest(SHOP, "/app/settings?locale=en", { form: { intent: "feedback", ...form } }),
  );
}

/** What the buyer does in the survey: open it, score, tick a reason, send. */
function answerInSurvey(app: NonNullable<SurveyState["app"]>, score: number): SurveyState {
  const events: SurveyEvent[] = [
    { type: "opened", alreadyAnswered: false, canSubmit: true, app },
    { type: "scored", score },
    { type: "reasonsChanged", reasons: ["delivery"] },
    { type: "commentChanged", comment: "Two weeks late" },
    { type: "submitRequested", today: TODAY },
  ];
  return events.reduce(reduce, initialState);
}

let order: string;

beforeEach(async () => {
  await resetDatabase();
  ({ order } = await seedShop(SHOP, 301, { predictedClv: 250 }));
  await installShop(SHOP);
});

describe("one low-score threshold for the survey and the queue", () => {
  it("a 7 with the threshold at 8 is asked what went wrong and reaches the follow-up queue", async () => {
    const saved = await saveFeedbackSettings({ lowScoreThreshold: "8", firstResponseTargetHours: "12", askAfterDays: "5" });
    expect(saved.body.ok).toBe(true);
    expect((await getShopSettings(SHOP)).feedback).toEqual({
      lowScoreThreshold: 8,
      firstResponseTargetMs: 12 * 3_600_000,
      askAfterDays: 5,
    });

    const token = await checkoutToken(SHOP);
    const deps: SubmitDeps = { appUrl: TEST_APP_URL, getToken: async () => token, fetch: appFetch() };
    const app = await fetchSurveyConfig(deps);
    expect(app).toEqual({ lowScoreThreshold: 8 });

    const state = answerInSurvey(app!, 7);
    expect(state.phase).toBe("submitting");
    const payload = buildPayload(state, resolveConfig({}, state.app), { orderId: order, locale: "en" });
    // Asked why: the reasons and the comment travel with the 7.
    expect(payload).toMatchObject({ score: 7, reasons: ["delivery"], comment: "Two weeks late" });
    expect(await submitFeedback(payload, deps)).toEqual({ kind: "ok", reward: null });

    const overview = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams()), "en", new Date());
    expect(overview.threshold).toBe(8);
    expect(overview.queue).toHaveLength(1);
    expect(overview.queue[0]).toMatchObject({ score: 7, reasons: "Delivery" });

    // Lowered again in Settings: the survey stops asking a 7 why, and the queue no longer takes one.
    await saveFeedbackSettings({ lowScoreThreshold: "6", firstResponseTargetHours: "12", askAfterDays: "5" });
    const lowered = await fetchSurveyConfig(deps);
    expect(lowered).toEqual({ lowScoreThreshold: 6 });
    const again = answerInSurvey(lowered!, 7);
    expect(buildPayload(again, resolveConfig({}, again.app), { orderId: order, locale: "en" }).reasons).toEqual([]);
    const after = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams()), "en", new Date());
    expect(after.queue).toHaveLength(0);
  });

  it("refuses an out-of-range threshold or target with a 400 at the field and keeps the stored values", async () => {
    for (const form of [
      { lowScoreThreshold: "10", firstResponseTargetHours: "24", askAfterDays: "7" },
      { lowScoreThreshold: "6.5", firstResponseTargetHours: "24", askAfterDays: "7" },
      { lowScoreThreshold: "6", firstResponseTargetHours: "0", askAfterDays: "7" },
      { lowScoreThreshold: "__proto__", firstResponseTargetHours: "24", askAfterDays: "7" },
      // The after-delivery delay: whole days from 1 to 60.
      { lowScoreThreshold: "6", firstResponseTargetHours: "24", askAfterDays: "0" },
      { lowScoreThreshold: "6", firstResponseTargetHours: "24", askAfterDays: "61" },
      { lowScoreThreshold: "6", firstResponseTargetHours: "24", askAfterDays: "2.5" },
      { lowScoreThreshold: "6", firstResponseTargetHours: "24", askAfterDays: "" },
    ]) {
      const res = await saveFeedbackSettings(form);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors ?? {})).toHaveLength(1);
    }
    expect((await getShopSettings(SHOP)).feedback).toEqual({
      lowScoreThreshold: 6,
      firstResponseTargetMs: 24 * 3_600_000,
      askAfterDays: 7,
    });
  });

  it("tells the threshold only to a token Shopify signed for this app and an installed shop", async () => {
    const forged = await checkoutToken(SHOP, { secret: "not-the-app-secret" });
    const fetchSpy = vi.fn(appFetch());
    expect(await fetchSurveyConfig({ appUrl: TEST_APP_URL, getToken: async () => forged, fetch: fetchSpy })).toBeNull();
    const response = await appFetch()(`${TEST_APP_URL}/api/feedback`, {
      method: "GET",
      headers: { Authorization: `Bearer ${await checkoutToken("not-installed.myshopify.com")}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});
