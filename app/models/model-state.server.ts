/**
 * Shop.modelState, a JSON column (decision 014): the one module that reads and writes it. The recompute
 * job stores a `StoredModelState`; pages and the single-customer re-score read it back part by part. A part that is missing or has an unexpected shape (an older
 * job version, a shop never scored) is null, and the page explains what will appear there and when,
 * instead of failing.
 */
import { z } from "zod";
import db from "../db.server";
import type { CleaningReport } from "../retention/clv/cleaning";
import type { ModelChoice } from "../retention/clv/model-choice";
import type { ScoringModel } from "../retention/customer-score";
import type { ScoringSettings, ShopScore } from "../retention/score";
import type { ShopRanges } from "../retention/score-ranges";

const finite = z.number().finite();

// The parameters customers are scored with when the model choice kept Pareto/NBD or MBG/NBD (decision 017).
const positive = finite.positive();
const chosenParams = z.discriminatedUnion("model", [
  z.object({ model: z.literal("pareto-nbd"), r: positive, alpha: positive, s: positive, beta: positive }),
  z.object({ model: z.literal("mbg-nbd"), r: positive, alpha: positive, a: positive, b: positive }),
]);

const fittedModel = z.object({
  status: z.literal("fitted"),
  bgnbd: z.object({ r: finite, alpha: finite, a: finite, b: finite, logLikelihood: finite.optional(), converged: z.boolean().optional() }),
  purchase: chosenParams.optional(),
  gammaGamma: z.object({ p: finite, q: finite, v: finite }).nullable().optional(),
  spendModelNote: z.string().nullable().optional(),
  frequencySpendCorrelation: finite.nullable().optional(),
});

const insufficientModel = z.object({
  status: z.literal("insufficient"),
  reason: z.string(),
  repeatBuyers: finite,
  repeatBuyersNeeded: finite,
  cause: z.enum(["few-repeat-buyers", "not-converged", "at-bounds", "none-beats-naive"]).optional(),
});

const modelSchema = z.discriminatedUnion("status", [fittedModel, insufficientModel]);

const insightsSchema = z.object({
  customers: finite,
  returningCustomers: finite,
  repeatPurchaseRate: finite,
  top20RevenueShare: finite,
  averageOrdersOfReturning: finite.nullable(),
  averageOrderValue: finite,
  predictedRevenue12Months: z.object({ value: finite, method: z.enum(["model", "historic"]) }).nullable(),
  retentionRoi: z
    .object({
      liftPoints: finite,
      firstTimeBuyersPerMonth: finite,
      extraOrdersPerReturningCustomer: finite,
      averageOrderValue: finite,
      extraOrdersPerMonth: finite,
      extraRevenuePerMonth: finite,
    })
    .optional(),
});

const backtestSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("insufficient"), reason: z.string(), calibrationEnd: z.string(), holdoutEnd: z.string() }),
  z.object({
    status: z.literal("fitted"),
    calibrationEnd: z.string(),
    holdoutEnd: z.string(),
    holdoutActual: finite,
    holdoutPredicted: finite,
    aggregateRelativeError: finite.nullable(),
    mae: finite,
    naiveMae: finite,
  }),
]);

const historicSchema = z.object({
  clv: finite,
  averageOrderValue: finite,
  purchaseFrequencyPerYear: finite,
  lifespanYears: finite,
  lifespan: z.object({ years: finite, source: z.enum(["setting", "shop-data"]), observedYears: finite.nullable() }).optional(),
  customers: finite.optional(),
  orders: finite.optional(),
  revenue: finite.optional(),
});

const cadenceSchema = z.object({ typicalIntervalDays: finite.nullable(), repeatBuyers: finite });

/** What the data rules of retention/clv/cleaning.ts did on the last full run (counts; the spend cap). */
const dataRulesSchema = z.object({
  nonPositiveLines: finite,
  nonPurchaseDays: finite,
  customersWithoutPurchase: finite,
  duplicateLines: finite,
  identicalDateOnlyLines: finite,
  futureDatedLines: finite,
  latestFutureDate: z.string().nullable(),
  isolatedLateLines: finite,
  linesAfterEnd: finite,
  spendCap: finite.nullable(),
  cappedDays: finite,
  cappedCustomers: z.array(z.string()),
}) satisfies z.ZodType<CleaningReport>;
// Issue 19 "how sure": the parameters' sampling distributions and the shop's revenue range (score-ranges.ts).
const logNormalSchema = z.object({
  names: z.array(z.string()),
  logMean: z.array(finite),
  covariance: z.array(z.array(finite)),
  lower: z.array(finite).optional(),
  upper: z.array(finite).optional(),
});
const rangesSchema: z.ZodType<ShopRanges> = z.object({
  method: z.literal("parametric-bootstrap"),
  model: z.literal("bgnbd"),
  level: finite,
  draws: z.number().int().min(10).max(1000),
  seed: z.number().int(),
  purchase: logNormalSchema,
  spend: logNormalSchema.nullable(),
  revenue12Months: z.object({ low: finite, high: finite }).nullable(),
  horizonMonths: finite,
  monthlyDiscountRate: finite,
});

// Issue 19 "model choice": the candidates' validation errors, the chosen model and why (retention/clv/model-choice.ts).
const modelName = z.enum(["bgnbd", "pareto-nbd", "mbg-nbd"]);
const validationErrors = { mae: finite, relativeMae: finite, aggregateBias: finite, criterion: finite, predicted: finite };
const modelChoiceSchema = z.object({
  chosen: z.union([modelName, z.literal("historic")]),
  reason: z.enum(["bgnbd-best", "beats-bgnbd", "none-beats-naive", "not-validated"]),
  margin: finite,
  window: z.object({ fitEnd: z.string(), calibrationEnd: z.string(), lengthUnits: finite, unit: z.enum(["days", "weeks"]) }).nullable(),
  customers: finite,
  actual: finite,
  naive: z.object({ mae: finite, aggregateBias: finite, criterion: finite, predicted: finite }).nullable(),
  candidates: z.array(
    z.discriminatedUnion("status", [
      z.object({ model: modelName, status: z.literal("scored"), ...validationErrors }),
      z.object({ model: modelName, status: z.literal("refused"), problem: z.enum(["insufficient", "not-converged", "at-bounds"]) }),
    ]),
  ),
}) satisfies z.ZodType<ModelChoice>;

// Issue 23 item 3: shop-wide thresholds counted once by the recompute, so pages and the segment sync read them
// instead of counting the scored customers on each load. `share` says which percentile the value is.
const valueThresholdsSchema = z.object({
  highValue: z.object({ share: finite, predictedClv: finite.nullable() }),
});

export type ModelView = z.infer<typeof modelSchema>;
export type ModelChoiceView = ModelChoice;
export type InsightsView = z.infer<typeof insightsSchema>;
export type BacktestView = z.infer<typeof backtestSchema>;
export type HistoricView = z.infer<typeof historicSchema>;
export type DataRulesView = z.infer<typeof dataRulesSchema>;

export interface ModelStateView {
  /** Shop-local day the scores are as of. */
  asOf: string | null;
  model: ModelView | null;
  insights: InsightsView | null;
  backtest: BacktestView | null;
  historic: HistoricView | null;
  cadence: z.infer<typeof cadenceSchema> | null;
  customersScored: number | null;
  /** Null for states stored before the data rules were recorded. */
  dataRules: DataRulesView | null;
  /** Ranges of the forecasts; null without a fitted model or before the first run that stored them. */
  ranges: ShopRanges | null;
  /** The model choice of the last run; null before the first run that made one. */
  modelChoice: ModelChoiceView | null;
  /** Thresholds the last run counted over its scores; null before the first run that stored them. */
  valueThresholds: ValueThresholds | null;
}

export type ValueThresholds = z.infer<typeof valueThresholdsSchema>;

const EMPTY: ModelStateView = {
  asOf: null,
  model: null,
  insights: null,
  backtest: null,
  historic: null,
  cadence: null,
  customersScored: null,
  dataRules: null,
  ranges: null,
  modelChoice: null,
  valueThresholds: null,
};

function part<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function readModelState(text: string | null | undefined): ModelStateView {
  if (!text) return EMPTY;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return EMPTY;
  }
  if (typeof raw !== "object" || raw === null) return EMPTY;
  const state = raw as Record<string, unknown>;
  return {
    asOf: part(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), state.asOf),
    model: part(modelSchema, state.model),
    insights: part(insightsSchema, state.insights),
    backtest: part(backtestSchema, state.backtest),
    historic: part(historicSchema, state.historic),
    cadence: part(cadenceSchema, state.cadence),
    customersScored: part(finite, state.customersScored),
    dataRules: part(dataRulesSchema, state.dataRules),
    ranges: part(rangesSchema, state.ranges),
    modelChoice: part(modelChoiceSchema, state.modelChoice),
    valueThresholds: part(valueThresholdsSchema, state.valueThresholds),
  };
}

export interface StoredModelState {
  asOf: string;
  /** The settings the model was scored with; single-customer re-scoring reuses them. */
  settings: ScoringSettings;
  model: ShopScore["model"];
  historic: ShopScore["historic"];
  cadence: ShopScore["cadence"];
  insights: ShopScore["insights"];
  backtest: BacktestView | null;
  customersScored: number;
  dataRules: CleaningReport;
  ranges?: ShopRanges | null;
  modelChoice?: ModelChoice | null;
  valueThresholds?: ValueThresholds | null;
}

export async function saveShopModelState(shop: string, state: StoredModelState, fittedAt = new Date()) {
  await db.shop.updateMany({ where: { shop }, data: { modelState: JSON.stringify(state), modelFittedAt: fittedAt } });
}

/**
 * The predicted CLV at `share` of the scored customers as the last full run counted it (value-thresholds.server.ts),
 * or undefined when no run stored it for that share (never scored, an older job version, another percentile).
 */
export function readHighValueThreshold(text: string | null | undefined, share: number): { predictedClv: number | null } | undefined {
  const stored = readModelState(text).valueThresholds?.highValue;
  return stored && stored.share === share ? { predictedClv: stored.predictedClv } : undefined;
}

/** The last full run's data rules (its spend cap is reused when single customers are re-scored). */
export function readDataRules(text: string | null | undefined): DataRulesView | null {
  return readModelState(text).dataRules;
}

const storedScoringSettings = z.object({
  horizonMonths: finite,
  monthlyDiscountRate: finite,
  lifecycle: z.object({
    pAliveThreshold: finite,
    intervalMultiple: finite,
    defaultIntervalDays: finite,
    regularMinOrders: finite,
    regularMinFrequencyScore: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  }),
});

/** What the last full run scored with, for re-scoring single customers; null until a complete state is stored. */
export function readScoringModel(text: string | null | undefined): ScoringModel | null {
  const view = readModelState(text);
  let settings: z.infer<typeof storedScoringSettings> | null = null;
  try {
    settings = part(storedScoringSettings, object(JSON.parse(text ?? "null")).settings);
  } catch {
    return null;
  }
  if (!view.model || !view.cadence || !view.historic || !settings) return null;
  const fitted = view.model.status === "fitted" ? view.model : null;
  return {
    purchase: fitted ? (fitted.purchase ?? fitted.bgnbd) : null,
    gammaGamma: fitted?.gammaGamma ?? null,
    cadence: view.cadence,
    lifespanYears: view.historic.lifespanYears,
    horizonMonths: settings.horizonMonths,
    monthlyDiscountRate: settings.monthlyDiscountRate,
    lifecycle: settings.lifecycle,
  };
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}
