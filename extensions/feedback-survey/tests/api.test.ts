import { describe, expect, it, vi } from "vitest";

import { interpretResponse, submitFeedback } from "../src/api";
import { normalizeAppUrl } from "../../shared/app-url";
import type { FeedbackPayload } from "../src/survey-logic";

const payload: FeedbackPayload = {
  score: 3,
  reasons: ["delivery"],
  locale: "en",
  orderId: "gid://shopify/Order/1",
};

describe("submitFeedback", () => {
  it("POSTs JSON with a fresh bearer token to /api/feedback", async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ ok: true }), { status: 200 }));
    const getToken = vi.fn(async () => "tok");
    const outcome = await submitFeedback(payload, { appUrl: "https://app.test", getToken, fetch });
    expect(outcome).toEqual({ kind: "ok", reward: null });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("https://app.test/api/feedback");
    expect(init).toMatchObject({
      method: "POST",
      headers: { Authorization: "Bearer tok", "Content-Type": "application/json" },
    });
    expect(JSON.parse(String(init.body))).toEqual(payload);
  });

  it('turns a network error or an aborted request into "failed" instead of throwing', async () => {
    const getToken = async () => "tok";
    const down = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(await submitFeedback(payload, { appUrl: "https://app.test", getToken, fetch: down })).toEqual({
      kind: "failed",
    });
    // A backend that never answers: the timeout aborts the request through its signal.
    const hanging = vi.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted")))),
    );
    expect(await submitFeedback(payload, { appUrl: "https://app.test", getToken, fetch: hanging, timeoutMs: 1 })).toEqual({
      kind: "failed",
    });
  });
});

describe("interpretResponse", () => {
  it("reads the reward when present and well-formed", () => {
    expect(interpretResponse(200, { ok: true, reward: { code: "THX", endsAt: "2026-04-01T00:00:00Z" } })).toEqual({
      kind: "ok",
      reward: { code: "THX", endsAt: "2026-04-01T00:00:00Z" },
    });
    expect(interpretResponse(201, { ok: true, reward: { code: "THX", endsAt: "soon" } })).toEqual({
      kind: "ok",
      reward: { code: "THX", endsAt: null },
    });
    expect(interpretResponse(200, { ok: true, reward: { code: "" } })).toEqual({ kind: "ok", reward: null });
  });

  it("maps field errors; errors on fields the buyer cannot edit become a form error", () => {
    expect(
      interpretResponse(400, {
        ok: false,
        fieldErrors: { score: ["out_of_range"], orderId: ["invalid"], locale: ["invalid"], comment: [42] },
      }),
    ).toEqual({ kind: "rejected", fieldErrors: { score: ["out_of_range"], form: ["invalid", "invalid"] } });
  });

  it.each([
    [200, { ok: false }],
    [200, null],
    [200, [1, 2]],
    [400, { ok: false, fieldErrors: {} }],
    [401, { ok: false, fieldErrors: { score: ["x"] } }],
    [500, { ok: true }],
    [429, { ok: false }],
  ])("status %s with %j is a failure", (status, body) => {
    expect(interpretResponse(status, body)).toEqual({ kind: "failed" });
  });
});

describe("normalizeAppUrl", () => {
  it("accepts https origins (and http on localhost), dropping a trailing slash", () => {
    expect(normalizeAppUrl("https://kinship.example.com/")).toBe("https://kinship.example.com");
    expect(normalizeAppUrl(" https://example.com/kinship/ ")).toBe("https://example.com/kinship");
    expect(normalizeAppUrl("http://localhost:3000")).toBe("http://localhost:3000");
  });

  it("rejects missing, relative and plain-http URLs", () => {
    for (const raw of [undefined, null, "", "/api", "kinship.example.com", "http://kinship.example.com", "ftp://x"]) {
      expect(normalizeAppUrl(raw)).toBeNull();
    }
  });
});
