/**
 * Scoring entry point for one shop: fits (or reuses) the CLV models, then gives every customer historic
 * and predicted value, P(alive), RFM and a lifecycle group with its reason. Plain data in, plain data out;
 * the sync/DB layer calls this after a backfill, nightly, or with `model` set to re-score without refitting.
 */
import { dayNumber, dayString } from "./time";
import { fitBgNbd, type BgNbdFit, type BgNbdParams } from "./clv/bgnbd";
import { fitGammaGamma, type GammaGammaFit, type GammaGammaParams } from "./clv/gamma-gamma";
import { shopHistoricClvOfColumns, type ShopHistoricClv } from "./clv/historic";
import { DEFAULT_HORIZON_MONTHS, DEFAULT_MONTHLY_DISCOUNT_RATE } from "./clv/predictive";
import {
  cachedPredictor,
  customerColumns,
  customerValueAt,
  CustomerValueColumns,
  LIFECYCLE_RULES,
  purchasePredictor,
  scoreCustomerColumns,
  type CustomerColumns,
  type CustomerValue,
  type ScoringModel,
} from "./customer-score";
import type { CustomerSummary } from "./clv/summary";
import { computeShopInsightsOfColumns, type PredictedRevenue, type ShopInsights } from "./insights/shop-insights";
import {
  DEFAULT_LIFECYCLE_SETTINGS,
  RULE_GROUP,
  shopCadenceOfColumns,
  type LifecycleSettings,
  type ShopCadence,
} from "./segments/lifecycle";
import { rfmScoreColumns, rfmSegment, type RfmScore, type RfmSegment, type Score } from "./segments/rfm";

export interface ScoringSettings {
  /** Historic CLV lifespan in years (clamped to 1–3); null derives it from the shop's data. */
  lifespanYears: number | null;
  horizonMonths: number;
  monthlyDiscountRate: number;
  /** Repeat buyers needed before BG/NBD is fitted (see MIN_REPEAT_BUYERS). */
  minRepeatBuyers?: number;
  lifecycle: LifecycleSettings;
  /** Percentage points for the retention ROI what-if. */
  retentionLiftPoints: number;
}

export const DEFAULT_SCORING_SETTINGS: ScoringSettings = {
  lifespanYears: null,
  horizonMonths: DEFAULT_HORIZON_MONTHS,
  monthlyDiscountRate: DEFAULT_MONTHLY_DISCOUNT_RATE,
  lifecycle: DEFAULT_LIFECYCLE_SETTINGS,
  retentionLiftPoints: 10,
};

/** Fitted models of one shop; summaries and parameters are in days. */
export interface ShopModel {
  bgnbd: BgNbdFit;
  gammaGamma: GammaGammaFit;
}

export type ModelStatus =
  | {
      status: "fitted";
      bgnbd: BgNbdParams & { logLikelihood: number; converged: boolean };
      gammaGamma: GammaGammaParams | null;
      spendModelNote: string | null;
      frequencySpendCorrelation: number | null;
    }
  | {
      status: "insufficient";
      /** Why the predictive model is not used, in words. */
      reason: string;
      repeatBuyers: number;
      repeatBuyersNeeded: number;
      /**
       * Why: too few repeat buyers, or a fit that is not trustworthy — the optimizer did not converge, or
       * parameters ended at the search limits (e.g. r = 22,026 on a subscription-like shop). Absent in older states.
       */
      cause?: ModelFallbackCause;
      /** Predictions fall back to historic CLV and RFM, whose uncertainty is wider and not quantified. */
      fallback: "historic";
    };

export type ModelFallbackCause = "few-repeat-buyers" | "not-converged" | "at-bounds";

export interface CustomerScore extends Omit<CustomerValue, "nextYearPurchases"> {
  customerId: string;
  lastOrderDate: string;
  rfm: RfmScore;
  rfmSegment: RfmSegment;
}

export interface ShopScore {
  asOf: string;
  model: ModelStatus;
  historic: ShopHistoricClv;
  cadence: ShopCadence;
  insights: ShopInsights;
  customers: CustomerScore[];
}

export interface ScoreShopInput {
  /** Summaries in days as of `asOf` (see summarizeTransactions with unit "days"). */
  customers: readonly CustomerSummary[];
  asOf: string;
  settings?: Partial<ScoringSettings>;
  /** Reuse earlier fits instead of fitting (e.g. after a single order webhook). */
  model?: ShopModel;
}

export function fitShopModel(customers: readonly CustomerSummary[], settings: Partial<ScoringSettings> = {}): ShopModel {
  return {
    bgnbd: fitBgNbd(customers, { minRepeatBuyers: settings.minRepeatBuyers }),
    gammaGamma: fitGammaGamma(customers),
  };
}

function modelStatus(model: ShopModel): ModelStatus {
  const { bgnbd, gammaGamma } = model;
  if (bgnbd.status === "insufficient") {
    return {
      status: "insufficient",
      reason: `${bgnbd.reason} Until then Kinship shows historic CLV and RFM, which are rougher guides.`,
      repeatBuyers: bgnbd.repeatBuyers,
      repeatBuyersNeeded: bgnbd.repeatBuyersNeeded,
      cause: "few-repeat-buyers",
      fallback: "historic",
    };
  }
  // A degenerate fit scores customers with numbers the data do not support; historic CLV is the honest answer.
  if (!bgnbd.converged || bgnbd.parametersAtLimit.length > 0) {
    const atBounds = bgnbd.parametersAtLimit.length > 0;
    return {
      status: "insufficient",
      reason: atBounds
        ? `The purchase model's fit ended at the limits of its search (${bgnbd.parametersAtLimit.join(", ")}): this shop's ` +
          "history does not pin down how often customers return and when they stop. Kinship shows historic CLV and RFM instead."
        : "The purchase model's fit did not converge. Kinship shows historic CLV and RFM instead.",
      repeatBuyers: bgnbd.repeatBuyers,
      repeatBuyersNeeded: 0,
      cause: atBounds ? "at-bounds" : "not-converged",
      fallback: "historic",
    };
  }
  const spendUsable = gammaGamma.status === "fitted" && gammaGamma.q > 1;
  return {
    status: "fitted",
    bgnbd: { r: bgnbd.r, alpha: bgnbd.alpha, a: bgnbd.a, b: bgnbd.b, logLikelihood: bgnbd.logLikelihood, converged: bgnbd.converged },
    gammaGamma: spendUsable ? { p: gammaGamma.p, q: gammaGamma.q, v: gammaGamma.v } : null,
    spendModelNote:
      gammaGamma.status === "insufficient"
        ? `${gammaGamma.reason} Each customer's own average order value is used instead.`
        : spendUsable
          ? null
          : "Order values vary too much for the spend model (q ≤ 1); each customer's own average order value is used.",
    frequencySpendCorrelation: gammaGamma.frequencySpendCorrelation,
  };
}

/**
 * The small-shop message's numbers. `repeatBuyersNeeded` is already the shortfall (minimum − have), so the
 * minimum is have + shortfall; subtracting again gave "needs 30, has 20, 10 more to go" for a minimum of 50.
 */
export function repeatBuyerProgress(status: { repeatBuyers: number; repeatBuyersNeeded: number }): {
  have: number;
  needed: number;
  more: number;
} {
  const more = Math.max(0, status.repeatBuyersNeeded);
  return { have: status.repeatBuyers, needed: status.repeatBuyers + more, more };
}

/** Everything of a shop's score but the per-customer rows. */
export type ShopScoreSummary = Omit<ShopScore, "customers"> & { customersScored: number };

/** The whole shop at once (tests, small shops, the CLI); large shops should stream with scoreShopChunks. */
export function scoreShop(input: ScoreShopInput): ShopScore {
  const customers: CustomerScore[] = [];
  const run = scoreShopIncrementally(input);
  for (let step = run.next(); ; step = run.next()) {
    if (step.done) {
      const { customersScored: _, ...summary } = step.value;
      return { ...summary, customers };
    }
    customers.push(step.value);
  }
}

/** scoreShopChunks one row at a time, fitting the model first when none is given. */
export function* scoreShopIncrementally(input: ScoreShopInput): Generator<CustomerScore, ShopScoreSummary, undefined> {
  const run = scoreShopChunks({
    customers: customerColumns(input.customers),
    asOf: input.asOf,
    settings: input.settings,
    model: input.model ?? fitShopModel(input.customers, input.settings),
  });
  for (let step = run.next(); ; step = run.next()) {
    if (step.done) return step.value;
    for (let j = 0; j < step.value.length; j++) yield step.value.row(j);
  }
}

export interface ScoreColumnsInput {
  customers: CustomerColumns;
  asOf: string;
  settings?: Partial<ScoringSettings>;
  /** The fitted models (fitShopModel); scoring never fits. */
  model: ShopModel;
  /** Customers per chunk (default 16,384). */
  chunkSize?: number;
}

/** What every chunk of one run shares. */
interface ShopRun {
  customers: CustomerColumns;
  scoring: ScoringModel;
  rfm: { r: Uint8Array; f: Uint8Array; m: Uint8Array };
  asOfDay: number;
}

/**
 * Scored customers start .. start+length−1 as columns (`values[j]` is customer start + j); `row(j)` builds one
 * customer's row with its reason and sentence, for a caller that writes it. Chunks are not reused.
 */
export class ScoreChunk {
  constructor(
    readonly start: number,
    readonly length: number,
    readonly values: CustomerValueColumns,
    private readonly run: ShopRun,
  ) {}

  row(j: number): CustomerScore {
    const k = this.start + j;
    const { customers, rfm, scoring, asOfDay } = this.run;
    const value = customerValueAt(this.values, j, customers, k, scoring);
    const r = rfm.r[k] as Score;
    const f = rfm.f[k] as Score;
    return {
      customerId: customers.customerId[k],
      lastOrderDate: dayString(asOfDay - Math.round(customers.T[k] - customers.recency[k])),
      historicClv: value.historicClv,
      predictedClv: value.predictedClv,
      pAlive: value.pAlive,
      expectedPurchases: value.expectedPurchases,
      expectedSpend: value.expectedSpend,
      spendSource: value.spendSource,
      lifecycle: value.lifecycle,
      lapsedDaysAgo: value.lapsedDaysAgo,
      rfm: { r, f, m: rfm.m[k] as Score },
      rfmSegment: rfmSegment(r, f),
    };
  }
}

/**
 * Scores the shop in chunks of columns through the one kernel (scoreCustomerColumns), yielding each chunk as
 * soon as it is ready and returning the shop-level summary at the end: no object per customer, and a caller
 * that writes chunks as they come never holds every customer's result (2,000,000 rows as objects took 2.5 GB).
 */
export function* scoreShopChunks(input: ScoreColumnsInput): Generator<ScoreChunk, ShopScoreSummary, undefined> {
  const settings: ScoringSettings = {
    ...DEFAULT_SCORING_SETTINGS,
    ...input.settings,
    lifecycle: { ...DEFAULT_LIFECYCLE_SETTINGS, ...input.settings?.lifecycle },
  };
  const { customers, model } = input;
  const n = customers.length;
  const status = modelStatus(model);
  const bgnbd = status.status === "fitted" && model.bgnbd.status === "fitted" ? model.bgnbd : null;
  const spendParams = status.status === "fitted" ? status.gammaGamma : null;

  const historic = shopHistoricClvOfColumns(customers, { unitDays: 1, lifespanYears: settings.lifespanYears });
  const daysSinceLastOrder = new Float64Array(n);
  for (let k = 0; k < n; k++) daysSinceLastOrder[k] = customers.T[k] - customers.recency[k];
  const rfm = rfmScoreColumns(daysSinceLastOrder, customers.orderCount, customers.totalSpend);
  const cadence = shopCadenceOfColumns(customers.frequency, customers.recency);
  const scoring: ScoringModel = {
    bgnbd: bgnbd && { r: bgnbd.r, alpha: bgnbd.alpha, a: bgnbd.a, b: bgnbd.b },
    gammaGamma: spendParams,
    cadence,
    lifespanYears: historic.lifespanYears,
    horizonMonths: settings.horizonMonths,
    monthlyDiscountRate: settings.monthlyDiscountRate,
    lifecycle: settings.lifecycle,
  };
  const predictor = purchasePredictor(scoring);
  const cached = predictor && cachedPredictor(predictor);
  const run: ShopRun = { customers, scoring, rfm, asOfDay: dayNumber(input.asOf) };
  const chunkSize = input.chunkSize ?? 16_384;

  let modelRevenue = 0;
  let historicRevenue = 0;
  for (let start = 0; start < n; start += chunkSize) {
    const length = Math.min(chunkSize, n - start);
    const values = new CustomerValueColumns(length);
    scoreCustomerColumns(customers, start, start + length, scoring, rfm.f, values, cached);
    for (let j = 0; j < length; j++) {
      if (!Number.isNaN(values.pAlive[j])) modelRevenue += values.nextYearPurchases[j] * values.expectedSpend[j];
      if (RULE_GROUP[LIFECYCLE_RULES[values.lifecycleRule[j]]] !== "lapsed") {
        historicRevenue += values.purchaseFrequencyPerYear[j] * values.averageOrderValue[j];
      }
    }
    yield new ScoreChunk(start, length, values, run);
  }

  const predictedRevenue: PredictedRevenue = bgnbd
    ? { value: modelRevenue, method: "model" }
    : { value: historicRevenue, method: "historic" };
  const insights = computeShopInsightsOfColumns(
    { orderCount: customers.orderCount, totalSpend: customers.totalSpend, daysSinceFirstOrder: customers.T },
    { predictedRevenue12Months: predictedRevenue, retentionLiftPoints: settings.retentionLiftPoints },
  );
  return { asOf: input.asOf, model: status, historic, cadence, insights, customersScored: n };
}
