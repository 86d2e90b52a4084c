/**
 * Survey statistics on 0–10 "how likely are you to recommend us" answers.
 *
 * - NPS = % promoters (9–10) − % detractors (0–6), from −100 to 100.
 * - CSAT here = % of answers scoring 7–10 ("satisfied": everyone who is not a detractor). The survey
 *   asks one question, so CSAT is read off the same scale rather than asked separately.
 *
 * Values are exact (not rounded); null when there are no answers, so "no data" never reads as 0.
 * Periods use shop-local calendar days ("YYYY-MM-DD"), converted by the caller (see ../time).
 */
import { dayNumber, dayString } from "../time";
import { MAX_SCORE, REASON_CODES, isReasonCode, isScore, type ReasonCode } from "./reasons";

export const PROMOTER_MIN = 9;
export const DETRACTOR_MAX = 6;
export const CSAT_SATISFIED_MIN = 7;

export type ScoreClass = "promoter" | "passive" | "detractor";

export function classifyScore(score: number): ScoreClass {
  assertScore(score);
  if (score >= PROMOTER_MIN) return "promoter";
  return score <= DETRACTOR_MAX ? "detractor" : "passive";
}

export interface ScoreSummary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** % promoters − % detractors (−100..100); null without answers. */
  nps: number | null;
  /** % of answers scoring 7–10; null without answers. */
  csat: number | null;
}

export function summarizeScores(scores: readonly number[]): ScoreSummary {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  let satisfied = 0;
  for (const score of scores) {
    const kind = classifyScore(score);
    if (kind === "promoter") promoters++;
    else if (kind === "passive") passives++;
    else detractors++;
    if (score >= CSAT_SATISFIED_MIN) satisfied++;
  }
  const responses = scores.length;
  return {
    responses,
    promoters,
    passives,
    detractors,
    nps: responses === 0 ? null : ((promoters - detractors) / responses) * 100,
    csat: responses === 0 ? null : (satisfied / responses) * 100,
  };
}

/** Count of answers per score; index = score (0..10). */
export function scoreDistribution(scores: readonly number[]): number[] {
  const counts = new Array<number>(MAX_SCORE + 1).fill(0);
  for (const score of scores) {
    assertScore(score);
    counts[score]++;
  }
  return counts;
}

export interface ReasonCount {
  reason: ReasonCode;
  count: number;
  /** Share (0..1) of answers that named at least one reason; null if none did. */
  share: number | null;
}

/** Every reason code with its count, most frequent first (ties in the survey's order). */
export function reasonCounts(responses: readonly { reasons: readonly string[] }[]): ReasonCount[] {
  const counts = new Map<ReasonCode, number>(REASON_CODES.map((code) => [code, 0]));
  let withReasons = 0;
  for (const response of responses) {
    const named = new Set(response.reasons.filter(isReasonCode));
    if (named.size > 0) withReasons++;
    for (const code of named) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return REASON_CODES.map((reason) => {
    const count = counts.get(reason) ?? 0;
    return { reason, count, share: withReasons === 0 ? null : count / withReasons };
  }).sort((a, b) => b.count - a.count || REASON_CODES.indexOf(a.reason) - REASON_CODES.indexOf(b.reason));
}

export type TrendPeriod = "day" | "week" | "month";

export interface DatedScore {
  /** Shop-local calendar day of the answer, "YYYY-MM-DD". */
  day: string;
  score: number;
}

export interface TrendPoint extends ScoreSummary {
  /** First day of the period: the day, the Monday of an ISO week, or the 1st of a month. */
  period: string;
}

/** First day of the period containing `day`. */
export function periodStart(day: string, period: TrendPeriod): string {
  const n = dayNumber(day);
  if (period === "day") return dayString(n);
  if (period === "week") {
    // 1970-01-01 was a Thursday: (n + 3) mod 7 is 0 on Mondays.
    return dayString(n - ((((n + 3) % 7) + 7) % 7));
  }
  return `${day.slice(0, 7)}-01`;
}

function nextPeriod(start: string, period: TrendPeriod): string {
  if (period === "day") return dayString(dayNumber(start) + 1);
  if (period === "week") return dayString(dayNumber(start) + 7);
  const [year, month] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
}

/**
 * NPS/CSAT per period, oldest first, with empty periods filled in (nps/csat null) so a chart's time
 * axis has no holes. `from`/`to` (days) widen or clip the range; by default it spans the answers.
 */
export function npsTrend(answers: readonly DatedScore[], period: TrendPeriod, range: { from?: string; to?: string } = {}): TrendPoint[] {
  const buckets = new Map<string, number[]>();
  for (const { day, score } of answers) {
    assertScore(score);
    const key = periodStart(day, period);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(score);
    else buckets.set(key, [score]);
  }
  const keys = [...buckets.keys()].sort();
  const first = range.from ? periodStart(range.from, period) : keys[0];
  const last = range.to ? periodStart(range.to, period) : keys[keys.length - 1];
  if (first === undefined || last === undefined) return [];

  const points: TrendPoint[] = [];
  for (let start = first; start <= last; start = nextPeriod(start, period)) {
    points.push({ period: start, ...summarizeScores(buckets.get(start) ?? []) });
  }
  return points;
}

function assertScore(score: number): void {
  if (!isScore(score)) throw new RangeError(`not a 0–10 integer score: ${score}`);
}
