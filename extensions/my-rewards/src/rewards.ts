/**
 * The "My rewards" page as plain data: the backend's answer parsed at the edge (GET/POST /api/my-rewards,
 * docs: README.md), the birthday form's checks and the calls. No Preact, no `shopify` global. Every number
 * shown comes from the backend; this module only checks shapes, the page only formats.
 */
import { isRecord, requestApp, type AppRequestDeps } from "../../shared/app-request";
import { birthdayProblem } from "../../shared/birthday";
import { REASON_CODES, isOneOf, type ReasonCode } from "../../shared/vocabulary";

export const ROUTE = "/api/my-rewards";

export interface Money {
  /** Decimal string as the backend sends it ("1200.00"); only ever formatted, never added up here. */
  amount: string;
  currencyCode: string;
}

export type Offer = { type: "percentage"; percent: number } | { type: "fixed_amount"; amount: Money } | { type: "free_shipping" };

export interface LiveCode {
  code: string;
  offer: Offer;
  /**
   * Why the shopper got it, already in their language: the backend words each kind's reason (the app's
   * kinds.json), so a new kind needs nothing here. Empty when the backend sent none (then nothing is shown).
   */
  reasonLabel: string;
  expiresAt: string | null;
  minimumSubtotal: Money | null;
}

export interface Tier {
  current: { name: string } | null;
  /**
   * The tier above. Spend programs say the money left (`remaining`), order-count programs the orders left
   * (`remainingOrders`), predicted-value programs neither (only `progress`).
   */
  next: { name: string; remaining: Money | null; remainingOrders: number | null } | null;
  progress: number;
  spend: Money;
  window: "lifetime" | "rolling_12_months";
  /** What the program counts; an unknown one reads as progress only. */
  metric: "netSpend" | "orderCount" | "predictedClv" | null;
  /** Orders counted over the window (order-count programs). */
  orders: number | null;
}

export interface PastAnswer {
  answeredAt: string;
  score: number;
  reasons: ReasonCode[];
  comment: string | null;
}

export interface MyRewards {
  shop: { currencyCode: string; ianaTimezone: string };
  tier: Tier | null;
  codes: LiveCode[];
  storeCredit: { balance: Money; expiresAt: string | null } | null;
  birthday: { date: string | null; consented: boolean; editable: boolean };
  feedback: PastAnswer[];
}

export type LoadOutcome = { kind: "ok"; rewards: MyRewards } | { kind: "failed"; status: number | null };
export type SaveOutcome = { kind: "ok"; rewards: MyRewards } | { kind: "rejected"; fieldErrors: BirthdayErrors } | { kind: "failed" };

export type BirthdayField = "birthday" | "consent";
export type BirthdayErrors = Partial<Record<BirthdayField, string>>;

/** The error codes the page translates; anything else reads as the generic message. */
export const BIRTHDAY_ERROR_CODES = ["required", "invalid_date", "future_date", "implausible_year", "consent_required"] as const;

const MAX_CODES = 20;
const MAX_ANSWERS = 10;
const MAX_LABEL = 200;

/** The route with the shopper's language (`shopify.localization.language`), in which the backend words the codes' reasons. */
export function routeIn(locale: string): string {
  return `${ROUTE}?locale=${encodeURIComponent(locale)}`;
}

export async function loadRewards(deps: AppRequestDeps, locale: string): Promise<LoadOutcome> {
  const answer = await requestApp(routeIn(locale), deps, { method: "GET" });
  const rewards = answer?.status === 200 ? readRewards(answer.body) : null;
  return rewards ? { kind: "ok", rewards } : { kind: "failed", status: answer?.status ?? null };
}

/**
 * The version of the birthday consent line ("birthday.consent" in locales/*.json), stored with each consent
 * so the record names the text the shopper agreed to. Change it whenever that wording changes in any language.
 */
export const BIRTHDAY_CONSENT_TEXT_VERSION = "my-rewards-birthday-1";

/** `birthday: null` with `consent: false` removes the birthday; a date needs consent (checked first here). */
export async function saveBirthday(
  input: { birthday: string | null; consent: boolean },
  deps: AppRequestDeps,
  locale: string,
): Promise<SaveOutcome> {
  const json = input.birthday === null ? input : { ...input, consentTextVersion: BIRTHDAY_CONSENT_TEXT_VERSION };
  const answer = await requestApp(routeIn(locale), deps, { method: "POST", json });
  if (!answer) return { kind: "failed" };
  if (answer.status === 200) {
    const rewards = readRewards(answer.body);
    return rewards ? { kind: "ok", rewards } : { kind: "failed" };
  }
  if (answer.status === 400 && isRecord(answer.body) && isRecord(answer.body.fieldErrors)) {
    const fieldErrors: BirthdayErrors = {};
    for (const field of ["birthday", "consent"] as const) {
      const raw = answer.body.fieldErrors[field];
      const code = Array.isArray(raw) ? raw.find((c) => typeof c === "string") : raw;
      if (typeof code === "string") fieldErrors[field] = code;
    }
    if (Object.keys(fieldErrors).length > 0) return { kind: "rejected", fieldErrors };
  }
  return { kind: "failed" };
}

/** The birthday form's checks before sending: a real past date, and consent to keep it. */
export function checkBirthdayForm(birthday: string, consent: boolean, today: string): BirthdayErrors {
  if (birthday === "") return { birthday: "required" };
  const problem = birthdayProblem(birthday, today);
  if (problem) return { birthday: problem };
  return consent ? {} : { consent: "consent_required" };
}

/** The whole answer, or null when its frame is wrong; a malformed code or answer alone is left out. */
export function readRewards(body: unknown): MyRewards | null {
  if (!isRecord(body) || body.ok !== true || !isRecord(body.shop) || !isRecord(body.birthday)) return null;
  const { currencyCode, ianaTimezone } = body.shop;
  if (typeof currencyCode !== "string" || typeof ianaTimezone !== "string") return null;
  const tier = body.tier === null || body.tier === undefined ? null : readTier(body.tier);
  if (tier === undefined) return null;
  const storeCredit = body.storeCredit == null ? null : readCredit(body.storeCredit);
  if (storeCredit === undefined) return null;
  const birthdayDate = body.birthday.date;
  if (birthdayDate !== null && (typeof birthdayDate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(birthdayDate))) return null;
  return {
    shop: { currencyCode, ianaTimezone },
    tier,
    codes: list(body.codes, readCode).slice(0, MAX_CODES),
    storeCredit,
    birthday: { date: birthdayDate, consented: body.birthday.consented === true, editable: body.birthday.editable === true },
    feedback: list(body.feedback, readAnswer).slice(0, MAX_ANSWERS),
  };
}

function list<T>(raw: unknown, read: (item: unknown) => T | undefined): T[] {
  return Array.isArray(raw) ? raw.map(read).filter((item): item is T => item !== undefined) : [];
}

function readMoney(raw: unknown): Money | undefined {
  if (!isRecord(raw) || typeof raw.amount !== "string" || typeof raw.currencyCode !== "string") return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(raw.amount) || !/^[A-Z]{3}$/.test(raw.currencyCode)) return undefined;
  return { amount: raw.amount, currencyCode: raw.currencyCode };
}

function readInstant(raw: unknown): string | null | undefined {
  if (raw === null || raw === undefined) return null;
  return typeof raw === "string" && !Number.isNaN(Date.parse(raw)) ? raw : undefined;
}

function readTier(raw: unknown): Tier | undefined {
  if (!isRecord(raw)) return undefined;
  const spend = readMoney(raw.spend);
  const progress = raw.progress;
  if (!spend || typeof progress !== "number" || !Number.isFinite(progress)) return undefined;
  const current = isRecord(raw.current) && typeof raw.current.name === "string" ? { name: raw.current.name } : null;
  let next: Tier["next"] = null;
  if (isRecord(raw.next)) {
    if (typeof raw.next.name !== "string") return undefined;
    const remaining = raw.next.remaining == null ? null : readMoney(raw.next.remaining);
    if (remaining === undefined) return undefined;
    next = { name: raw.next.name, remaining, remainingOrders: count(raw.next.remainingOrders) };
  }
  const window = raw.window === "rolling_12_months" ? "rolling_12_months" : "lifetime";
  const metric = isOneOf(["netSpend", "orderCount", "predictedClv"] as const, raw.metric)
    ? raw.metric
    : raw.metric === undefined
      ? "netSpend"
      : null;
  return { current, next, progress: Math.min(1, Math.max(0, progress)), spend, window, metric, orders: count(raw.orders) };
}

function count(raw: unknown): number | null {
  return typeof raw === "number" && Number.isInteger(raw) && raw >= 0 ? raw : null;
}

function readCredit(raw: unknown): MyRewards["storeCredit"] | undefined {
  if (!isRecord(raw)) return undefined;
  const balance = readMoney(raw.balance);
  const expiresAt = readInstant(raw.expiresAt);
  return balance && expiresAt !== undefined ? { balance, expiresAt } : undefined;
}

function readOffer(raw: unknown): Offer | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.type === "percentage" && typeof raw.percent === "number" && raw.percent > 0 && raw.percent <= 100) {
    return { type: "percentage", percent: raw.percent };
  }
  if (raw.type === "fixed_amount") {
    const amount = readMoney(raw.amount);
    return amount ? { type: "fixed_amount", amount } : undefined;
  }
  if (raw.type === "free_shipping") return { type: "free_shipping" };
  return undefined;
}

function readCode(raw: unknown): LiveCode | undefined {
  if (!isRecord(raw) || typeof raw.code !== "string" || raw.code.trim() === "") return undefined;
  const offer = readOffer(raw.offer);
  const expiresAt = readInstant(raw.expiresAt);
  const minimumSubtotal = raw.minimumSubtotal == null ? null : (readMoney(raw.minimumSubtotal) ?? undefined);
  if (!offer || expiresAt === undefined || minimumSubtotal === undefined) return undefined;
  const reasonLabel = typeof raw.reasonLabel === "string" ? raw.reasonLabel.trim().slice(0, MAX_LABEL) : "";
  return { code: raw.code, offer, reasonLabel, expiresAt, minimumSubtotal };
}

function readAnswer(raw: unknown): PastAnswer | undefined {
  if (!isRecord(raw)) return undefined;
  const answeredAt = readInstant(raw.answeredAt);
  const score = raw.score;
  if (!answeredAt || typeof score !== "number" || !Number.isInteger(score) || score < 0 || score > 10) return undefined;
  const reasons = Array.isArray(raw.reasons) ? raw.reasons.filter((r): r is ReasonCode => isOneOf(REASON_CODES, r)) : [];
  const comment = typeof raw.comment === "string" && raw.comment.trim() !== "" ? raw.comment : null;
  return { answeredAt, score, reasons, comment };
}
