import { isRecord, requestApp, type AppRequestDeps } from "../../shared/app-request";
import { isThreshold, type AppConfig, type FeedbackPayload, type FieldErrors, type Reward } from "./survey-logic";

export type SubmitOutcome = { kind: "ok"; reward: Reward | null } | { kind: "rejected"; fieldErrors: FieldErrors } | { kind: "failed" };

export type SubmitDeps = AppRequestDeps;

/**
 * POSTs the answer to `${appUrl}/api/feedback` with the checkout session token. Never throws: any
 * network, token or server trouble becomes `failed`, which the survey answers by hiding itself.
 */
export async function submitFeedback(payload: FeedbackPayload, deps: SubmitDeps): Promise<SubmitOutcome> {
  const answer = await requestApp("/api/feedback", deps, { method: "POST", json: payload });
  return answer ? interpretResponse(answer.status, answer.body) : { kind: "failed" };
}

/**
 * GETs `${appUrl}/api/feedback` with the session token: the shop's one low-score threshold, set in
 * Kinship's Settings and used by its follow-up queue too. Null on any trouble (the survey then hides:
 * a backend it cannot read would not take the answer either).
 */
export async function fetchSurveyConfig(deps: SubmitDeps): Promise<AppConfig | null> {
  const answer = await requestApp("/api/feedback", deps, { method: "GET" });
  return answer?.status === 200 ? readSurveyConfig(answer.body) : null;
}

/** `{ ok: true, config: { lowScoreThreshold } }` with an integer 0..9, or null. */
export function readSurveyConfig(body: unknown): AppConfig | null {
  if (!isRecord(body) || body.ok !== true || !isRecord(body.config)) return null;
  const threshold = body.config.lowScoreThreshold;
  return isThreshold(threshold) ? { lowScoreThreshold: threshold } : null;
}

/** Only a well-formed answer counts; anything unexpected is treated like an outage. */
export function interpretResponse(status: number, body: unknown): SubmitOutcome {
  if (!isRecord(body)) return { kind: "failed" };
  if (status >= 200 && status < 300 && body.ok === true) return { kind: "ok", reward: readReward(body.reward) };
  if ((status === 400 || status === 422) && body.ok === false && isRecord(body.fieldErrors)) {
    const fieldErrors = readFieldErrors(body.fieldErrors);
    if (Object.keys(fieldErrors).length > 0) return { kind: "rejected", fieldErrors };
  }
  return { kind: "failed" };
}

const KNOWN_FIELDS = ["score", "reasons", "comment", "birthday", "birthdayConsent"] as const;

function readFieldErrors(raw: Record<string, unknown>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [key, value] of Object.entries(raw)) {
    const codes = Array.isArray(value) ? value.filter((code): code is string => typeof code === "string") : [];
    if (codes.length === 0) continue;
    // Errors on fields the buyer cannot fix (locale, orderId) become one form-level message.
    const field = (KNOWN_FIELDS as readonly string[]).includes(key) ? (key as (typeof KNOWN_FIELDS)[number]) : "form";
    errors[field] = [...(errors[field] ?? []), ...codes];
  }
  return errors;
}

function readReward(raw: unknown): Reward | null {
  if (!isRecord(raw) || typeof raw.code !== "string" || raw.code.trim() === "") return null;
  const endsAt = typeof raw.endsAt === "string" && !Number.isNaN(Date.parse(raw.endsAt)) ? raw.endsAt : null;
  return { code: raw.code, endsAt };
}
