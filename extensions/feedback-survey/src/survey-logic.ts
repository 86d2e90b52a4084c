/**
 * The survey as plain data: a reducer over user and network events, draft validation, and the payload
 * sent to the app. No Preact, no `shopify` global, no network — the component only wires these up.
 *
 * Reason codes, the comment limit and the default threshold mirror app/retention/feedback/reasons.ts
 * (the extension is bundled on its own, so it cannot import the app); a unit test keeps them equal.
 */

import { birthdayProblem } from "../../shared/birthday";
import { REASON_CODES, type ReasonCode } from "../../shared/vocabulary";

// The birthday checks are shared with the "My rewards" page; re-exported for the survey's own modules.
export { MIN_BIRTH_YEAR, birthdayProblem, localDay } from "../../shared/birthday";

export { REASON_CODES, type ReasonCode };

export const SCORES: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
export const MAX_COMMENT_LENGTH = 2000;
export const DEFAULT_LOW_SCORE_THRESHOLD = 6;

export interface SurveyConfig {
  /** Scores at or below this ask "what went wrong". */
  lowScoreThreshold: number;
  askBirthday: boolean;
}

/** What the app says (GET /api/feedback): the threshold lives in Kinship's Settings, not in the checkout editor,
 * so the survey and the follow-up queue read the same number. */
export interface AppConfig {
  lowScoreThreshold: number;
}

/** 0..9 keeps both branches reachable: 10 would make every answer "low", negative none. */
export function isThreshold(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 9;
}

/**
 * The app's threshold (the default only until it has answered, e.g. in the checkout editor preview)
 * and the merchant's block setting for the birthday (settings arrive untyped, and empty while the block
 * is being placed).
 */
export function resolveConfig(settings: Readonly<Record<string, unknown>> | undefined, app: AppConfig | null = null): SurveyConfig {
  const lowScoreThreshold = app && isThreshold(app.lowScoreThreshold) ? app.lowScoreThreshold : DEFAULT_LOW_SCORE_THRESHOLD;
  const askBirthday = settings?.ask_birthday !== false && settings?.ask_birthday !== "false";
  return { lowScoreThreshold, askBirthday };
}

export function isLowScore(score: number, config: SurveyConfig): boolean {
  return score <= config.lowScoreThreshold;
}

export type Phase = "loading" | "hidden" | "score" | "details" | "submitting" | "thanks";
export type FieldName = "score" | "reasons" | "comment" | "birthday" | "birthdayConsent" | "form";
/** Error codes per field (translated by the component as `errors.<code>`). */
export type FieldErrors = Partial<Record<FieldName, string[]>>;

export interface Reward {
  code: string;
  endsAt: string | null;
}

export interface SurveyState {
  phase: Phase;
  /** The app's configuration, once read (the survey shows nothing before). */
  app: AppConfig | null;
  score: number | null;
  reasons: ReasonCode[];
  comment: string;
  birthday: string;
  birthdayConsent: boolean;
  errors: FieldErrors;
  reward: Reward | null;
}

export const initialState: SurveyState = {
  phase: "loading",
  app: null,
  score: null,
  reasons: [],
  comment: "",
  birthday: "",
  birthdayConsent: false,
  errors: {},
  reward: null,
};

export type SurveyEvent =
  /**
   * Storage and the app's configuration were read; `canSubmit` is false when there is no order id or
   * no backend URL, `app` null when the app could not be asked (the survey hides then).
   */
  | { type: "opened"; alreadyAnswered: boolean; canSubmit: boolean; app: AppConfig | null }
  | { type: "scored"; score: number }
  | { type: "reasonsChanged"; reasons: readonly string[] }
  | { type: "commentChanged"; comment: string }
  | { type: "birthdayChanged"; birthday: string }
  | { type: "consentChanged"; consent: boolean }
  /** `today` is the buyer's calendar day (YYYY-MM-DD), for the "birthday not in the future" check. */
  | { type: "submitRequested"; today: string }
  | { type: "submitSucceeded"; reward: Reward | null }
  | { type: "submitRejected"; fieldErrors: FieldErrors }
  /** Backend down, timed out or refused the token: the survey disappears rather than nag. */
  | { type: "submitFailed" }
  | { type: "dismissed" };

const EDITABLE: readonly Phase[] = ["score", "details"];

export function reduce(state: SurveyState, event: SurveyEvent): SurveyState {
  switch (event.type) {
    case "opened":
      if (state.phase !== "loading") return state;
      return { ...state, app: event.app, phase: event.alreadyAnswered || !event.canSubmit || !event.app ? "hidden" : "score" };
    case "scored":
      if (!EDITABLE.includes(state.phase) || !isScore(event.score)) return state;
      return { ...state, phase: "details", score: event.score, errors: withoutField(state.errors, "score") };
    case "reasonsChanged": {
      if (!EDITABLE.includes(state.phase)) return state;
      const reasons = REASON_CODES.filter((code) => event.reasons.includes(code));
      return { ...state, reasons, errors: withoutField(state.errors, "reasons") };
    }
    case "commentChanged":
      if (!EDITABLE.includes(state.phase)) return state;
      return {
        ...state,
        comment: event.comment.slice(0, MAX_COMMENT_LENGTH),
        errors: withoutField(state.errors, "comment"),
      };
    case "birthdayChanged":
      if (!EDITABLE.includes(state.phase)) return state;
      return { ...state, birthday: event.birthday.trim(), errors: withoutField(state.errors, "birthday") };
    case "consentChanged":
      if (!EDITABLE.includes(state.phase)) return state;
      return {
        ...state,
        birthdayConsent: event.consent,
        errors: withoutField(state.errors, "birthdayConsent"),
      };
    case "submitRequested": {
      if (!EDITABLE.includes(state.phase)) return state;
      const errors = validateDraft(state, event.today);
      return hasErrors(errors) ? { ...state, errors } : { ...state, phase: "submitting", errors: {} };
    }
    case "submitSucceeded":
      if (state.phase !== "submitting") return state;
      return { ...state, phase: "thanks", reward: event.reward };
    case "submitRejected":
      if (state.phase !== "submitting") return state;
      return { ...state, phase: "details", errors: event.fieldErrors };
    case "submitFailed":
      return state.phase === "thanks" ? state : { ...state, phase: "hidden" };
    case "dismissed":
      return EDITABLE.includes(state.phase) ? { ...state, phase: "hidden" } : state;
  }
}

function isScore(score: number): boolean {
  return Number.isInteger(score) && score >= 0 && score <= 10;
}

function withoutField(errors: FieldErrors, field: FieldName): FieldErrors {
  if (!(field in errors) && !("form" in errors)) return errors;
  const next = { ...errors };
  delete next[field];
  delete next.form;
  return next;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((codes) => codes !== undefined && codes.length > 0);
}

/** The same rules as the app's payload schema, checked before sending so the buyer sees them at once. */
export function validateDraft(state: SurveyState, today: string): FieldErrors {
  const errors: FieldErrors = {};
  if (state.score === null || !isScore(state.score)) errors.score = ["required"];
  if (state.comment.length > MAX_COMMENT_LENGTH) errors.comment = ["too_long"];
  if (state.birthday !== "") {
    const problem = birthdayProblem(state.birthday, today);
    if (problem) errors.birthday = [problem];
    else if (!state.birthdayConsent) errors.birthdayConsent = ["consent_required"];
  }
  return errors;
}

export interface FeedbackPayload {
  score: number;
  reasons: ReasonCode[];
  comment?: string;
  birthday?: string;
  birthdayConsent?: boolean;
  /** Which wording of the consent line the buyer ticked (kept with the consent on the server). */
  consentTextVersion?: string;
  locale: string;
  orderId: string;
}

/**
 * The version of the birthday consent line ("consent" in locales/*.json). Change it whenever that
 * wording changes in any language, so each stored consent names the text the buyer agreed to.
 */
export const BIRTHDAY_CONSENT_TEXT_VERSION = "survey-birthday-1";

/** What is sent: reasons and comment only for a low score, the birthday only with consent. */
export function buildPayload(state: SurveyState, config: SurveyConfig, context: { orderId: string; locale: string }): FeedbackPayload {
  if (state.score === null) throw new Error("buildPayload needs a score");
  const low = isLowScore(state.score, config);
  const payload: FeedbackPayload = {
    score: state.score,
    reasons: low ? state.reasons : [],
    locale: context.locale,
    orderId: context.orderId,
  };
  const comment = state.comment.trim();
  if (low && comment !== "") payload.comment = comment;
  if (config.askBirthday && state.birthday !== "" && state.birthdayConsent) {
    payload.birthday = state.birthday;
    payload.birthdayConsent = true;
    payload.consentTextVersion = BIRTHDAY_CONSENT_TEXT_VERSION;
  }
  return payload;
}

/**
 * Thank-you pages give `gid://shopify/OrderIdentity/N`, order-status pages `gid://shopify/Order/N`,
 * with the same N for the same order. One form keeps the "once per order" memory and the backend key
 * identical on both pages.
 */
export function normalizeOrderId(id: string | null | undefined): string | null {
  if (!id) return null;
  const match = /^(?:gid:\/\/shopify\/(?:Order|OrderIdentity)\/)?(\d+)$/.exec(id.trim());
  return match ? `gid://shopify/Order/${match[1]}` : null;
}

export function storageKey(orderId: string): string {
  return `kinship-feedback:${orderId.slice(orderId.lastIndexOf("/") + 1)}`;
}

/** What the extension remembers per order so it does not ask twice. */
export interface AnsweredRecord {
  at: string;
  outcome: "submitted" | "dismissed";
}
