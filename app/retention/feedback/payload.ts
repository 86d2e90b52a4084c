/**
 * Validation of what the checkout extension POSTs to /api/feedback. The endpoint answers 400 with
 * `{ ok: false, fieldErrors }` when this fails. Error values are stable codes (not sentences): the
 * extension translates them into the buyer's language.
 *
 * Text is kept as text: a comment containing `<script>` is accepted and stored verbatim; it is the
 * renderers' job (React text nodes, never innerHTML) to show it inertly.
 */
import { z } from "zod";

import { dayNumber, dayString } from "../time";
import { MAX_COMMENT_LENGTH, MAX_SCORE, MIN_SCORE, REASON_CODES, type ReasonCode } from "./reasons";

export const MIN_BIRTH_YEAR = 1900;

export const FEEDBACK_FIELDS = [
  "score",
  "reasons",
  "comment",
  "birthday",
  "birthdayConsent",
  "consentTextVersion",
  "locale",
  "orderId",
] as const;
export type FeedbackField = (typeof FEEDBACK_FIELDS)[number];
/** Codes per field; `body` when the payload is not a JSON object at all. */
export type FeedbackFieldErrors = Partial<Record<FeedbackField | "body", string[]>>;

export interface FeedbackInput {
  score: number;
  reasons: ReasonCode[];
  /** Trimmed, control characters removed; null when empty. */
  comment: string | null;
  /** "YYYY-MM-DD", only ever present together with consent. */
  birthday: string | null;
  birthdayConsent: boolean;
  /** The consent wording's version the survey sent with the birthday (null from older survey builds). */
  consentTextVersion: string | null;
  locale: string;
  /** Always `gid://shopify/Order/<n>` (the thank-you page sends `OrderIdentity` GIDs with the same n). */
  orderId: string;
}

export type ParseResult = { ok: true; data: FeedbackInput } | { ok: false; fieldErrors: FeedbackFieldErrors };

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ORDER_ID = /^(?:gid:\/\/shopify\/(?:Order|OrderIdentity)\/)?([1-9]\d{0,19})$/;
// BCP 47-ish: "en", "uk", "pt-BR", "zh-Hant-TW".
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/;
// C0 controls except tab/newline/carriage return, and DEL. NUL in particular cannot be stored in PostgreSQL text.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const typeErrors = { invalid_type_error: "invalid_type", required_error: "required" };

function cleanComment(raw: string): string {
  return raw.replace(/\r\n?/g, "\n").replace(CONTROL_CHARS, "").trim();
}

/** Why a birthday is unacceptable, or null. `today` is the server's UTC day. */
export function birthdayProblem(birthday: string, today: string): string | null {
  if (!ISO_DAY.test(birthday)) return "invalid_date";
  // Checked first: dayNumber (Date.UTC) reads years 0–99 as 1900–1999.
  if (Number(birthday.slice(0, 4)) < MIN_BIRTH_YEAR) return "implausible_year";
  let day: number;
  try {
    day = dayNumber(birthday);
  } catch {
    return "invalid_date";
  }
  // One day of slack: the buyer's "today" can be ahead of UTC.
  if (day > dayNumber(today) + 1) return "future_date";
  return null;
}

function schema(today: string) {
  return z
    .object({
      score: z
        .number(typeErrors)
        .int({ message: "not_integer" })
        .min(MIN_SCORE, { message: "out_of_range" })
        .max(MAX_SCORE, { message: "out_of_range" }),
      reasons: z
        .array(
          z.enum(REASON_CODES, {
            errorMap: (issue, ctx) =>
              issue.code === "invalid_type" && ctx.data !== undefined && typeof ctx.data !== "string"
                ? { message: "invalid_type" }
                : { message: "unknown_reason" },
          }),
          typeErrors,
        )
        .max(REASON_CODES.length * 2, { message: "too_many" })
        .nullish()
        .transform((reasons) => REASON_CODES.filter((code) => reasons?.includes(code))),
      comment: z
        .string(typeErrors)
        .max(MAX_COMMENT_LENGTH * 4, { message: "too_long" }) // cheap cut-off before cleaning huge input
        .transform(cleanComment)
        .pipe(z.string().max(MAX_COMMENT_LENGTH, { message: "too_long" }))
        .nullish()
        .transform((comment) => (comment ? comment : null)),
      birthday: z
        .string(typeErrors)
        .superRefine((value, ctx) => {
          const problem = birthdayProblem(value, today);
          if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
        })
        .nullish()
        .transform((birthday) => birthday ?? null),
      birthdayConsent: z.boolean(typeErrors).nullish(),
      consentTextVersion: z
        .string(typeErrors)
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, { message: "invalid_text_version" })
        .nullish(),
      locale: z.string(typeErrors).regex(LOCALE, { message: "invalid_locale" }),
      orderId: z
        .string(typeErrors)
        .regex(ORDER_ID, { message: "invalid_order_id" })
        .transform((id) => `gid://shopify/Order/${ORDER_ID.exec(id)?.[1]}`),
    })
    .superRefine((value, ctx) => {
      if (value.birthday !== null && value.birthdayConsent !== true) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["birthdayConsent"], message: "consent_required" });
      }
    })
    .transform((value): FeedbackInput => ({
      score: value.score,
      reasons: value.reasons,
      comment: value.comment,
      birthday: value.birthday,
      birthdayConsent: value.birthday !== null,
      consentTextVersion: value.birthday !== null ? (value.consentTextVersion ?? null) : null,
      locale: value.locale,
      orderId: value.orderId,
    }));
}

/**
 * Validates an untrusted payload. `today` (UTC "YYYY-MM-DD", default: now) bounds birthdays.
 * Unknown extra keys are ignored so an older backend accepts a newer extension's payload.
 */
export function parseFeedbackPayload(input: unknown, options: { today?: string } = {}): ParseResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, fieldErrors: { body: ["invalid_type"] } };
  }
  const today = options.today ?? dayString(Math.floor(Date.now() / 86_400_000));
  const result = schema(today).safeParse(input);
  if (result.success) return { ok: true, data: result.data };

  const fieldErrors: FeedbackFieldErrors = {};
  for (const issue of result.error.issues) {
    const head = issue.path[0];
    const field = (FEEDBACK_FIELDS as readonly unknown[]).includes(head) ? (head as FeedbackField) : "body";
    const codes = fieldErrors[field] ?? (fieldErrors[field] = []);
    if (!codes.includes(issue.message)) codes.push(issue.message);
  }
  return { ok: false, fieldErrors };
}
