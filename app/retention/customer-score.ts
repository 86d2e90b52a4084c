/**
 * The one per-customer scoring kernel: historic and predicted value, P(alive) and the lifecycle group
 * of customers under a shop's model. The shop-wide run (score.ts) and the single-customer re-score
 * after a webhook (jobs/recompute) both call scoreCustomerColumns, so the two can never disagree.
 *
 * It reads and writes columns (one typed array per field) and allocates nothing per customer: a shop of
 * 2,000,000 customers as objects took 2.5 GB, and building them cost more time than the predictions.
 * Reason objects and sentences are built only for a row that is written (customerValueAt).
 */
import { probabilityAliveAt, type BgNbdParams } from "./clv/bgnbd";
import { expectedAverageSpendAt, type GammaGammaParams } from "./clv/gamma-gamma";
import { averageOrderValue, ordersPerYear, type HistoricClv } from "./clv/historic";
import { bgnbdPredictor, PREDICTION, PREDICTION_SIZE, unitsPerMonth, type PurchasePredictor } from "./clv/predictive";
import type { CustomerSummary } from "./clv/summary";
import type { Score } from "./segments/rfm";
import {
  describeLifecycleReason,
  lifecycleReason,
  lifecycleRule,
  RULE_GROUP,
  usualInterval,
  type LifecycleAssignment,
  type LifecycleRule,
  type LifecycleSettings,
  type ShopCadence,
} from "./segments/lifecycle";

/** What scoring one customer needs from the shop: the fitted (or stored) model and the settings. */
export interface ScoringModel {
  bgnbd: BgNbdParams | null;
  /** The spend model when usable; null: each customer's own average order value. */
  gammaGamma: GammaGammaParams | null;
  cadence: ShopCadence;
  lifespanYears: number;
  horizonMonths: number;
  monthlyDiscountRate: number;
  lifecycle: LifecycleSettings;
}

/** Customers' summaries (in days) as columns; index k is one customer throughout. */
export interface CustomerColumns {
  readonly length: number;
  readonly customerId: ArrayLike<string>;
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly monetaryValue: Float64Array;
  readonly orderCount: Float64Array;
  readonly totalSpend: Float64Array;
}

export function customerColumns(customers: readonly CustomerSummary[]): CustomerColumns {
  const n = customers.length;
  const columns = {
    length: n,
    customerId: customers.map((c) => c.customerId),
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetaryValue: new Float64Array(n),
    orderCount: new Float64Array(n),
    totalSpend: new Float64Array(n),
  };
  for (let k = 0; k < n; k++) {
    const c = customers[k];
    columns.frequency[k] = c.frequency;
    columns.recency[k] = c.recency;
    columns.T[k] = c.T;
    columns.monetaryValue[k] = c.monetaryValue;
    columns.orderCount[k] = c.orderCount;
    columns.totalSpend[k] = c.totalSpend;
  }
  return columns;
}

/** The shop's purchase model as a function of (x, t_x, T), over the model's horizon in days; null without one. */
export function purchasePredictor(model: Pick<ScoringModel, "bgnbd" | "horizonMonths" | "monthlyDiscountRate">): PurchasePredictor | null {
  return model.bgnbd
    ? bgnbdPredictor(model.bgnbd, {
        unitsPerMonth: unitsPerMonth("days"),
        horizonMonths: model.horizonMonths,
        monthlyDiscountRate: model.monthlyDiscountRate,
      })
    : null;
}

/**
 * Predictions depend only on (x, t_x, T), and real shops repeat triples a lot (every one-time buyer whose first
 * order fell on the same day). A direct-mapped cache of the last triple per hash slot: bounded memory, one hash
 * and one comparison per customer, and a miss costs only the prediction it would have made anyway.
 */
export function cachedPredictor(inner: PurchasePredictor, slotBits = 14): PurchasePredictor {
  // Per slot the key (x, t_x, T) and the prediction side by side, so a lookup touches one or two cache lines.
  const stride = 3 + PREDICTION_SIZE;
  const table = new Float64Array(stride << slotBits).fill(Number.NaN); // NaN equals nothing: an empty slot never hits
  const bits = new Float64Array(3);
  const words = new Uint32Array(bits.buffer);
  return {
    pAlive: (x, tx, T) => inner.pAlive(x, tx, T),
    predict(x, tx, T, out, at = 0) {
      bits[0] = x;
      bits[1] = tx;
      bits[2] = T;
      let h = 0x811c9dc5;
      for (let w = 0; w < 6; w++) h = Math.imul(h ^ words[w], 0x01000193);
      h ^= h >>> 16;
      const slot = stride * (Math.imul(h, 0x85ebca6b) >>> (32 - slotBits));
      if (table[slot] !== x || table[slot + 1] !== tx || table[slot + 2] !== T) {
        inner.predict(x, tx, T, table, slot + 3);
        table[slot] = x;
        table[slot + 1] = tx;
        table[slot + 2] = T;
      }
      for (let i = 0; i < PREDICTION_SIZE; i++) out[at + i] = table[slot + 3 + i];
    },
  };
}

/** Rules as stored in a byte column (index into this list). */
export const LIFECYCLE_RULES: readonly LifecycleRule[] = ["p-alive-low", "overdue", "single-purchase", "cadence", "returned"];

/** The kernel's output for a run of customers; nulls are NaN (the kernel never stores a NaN prediction). */
export class CustomerValueColumns {
  readonly historicClv: Float64Array;
  readonly averageOrderValue: Float64Array;
  readonly purchaseFrequencyPerYear: Float64Array;
  readonly predictedClv: Float64Array;
  readonly pAlive: Float64Array;
  readonly expectedPurchases: Float64Array;
  /** Expected purchases in the next 12 months (the shop's revenue forecast), NaN without a prediction. */
  readonly nextYearPurchases: Float64Array;
  readonly expectedSpend: Float64Array;
  /** 1: expectedSpend is Gamma-Gamma's; 0: the customer's own average order value. */
  readonly spendFromModel: Uint8Array;
  /** Index into LIFECYCLE_RULES. */
  readonly lifecycleRule: Uint8Array;
  readonly usualIntervalDays: Float64Array;
  readonly lapsedDaysAgo: Float64Array;

  constructor(readonly length: number) {
    this.historicClv = new Float64Array(length);
    this.averageOrderValue = new Float64Array(length);
    this.purchaseFrequencyPerYear = new Float64Array(length);
    this.predictedClv = new Float64Array(length);
    this.pAlive = new Float64Array(length);
    this.expectedPurchases = new Float64Array(length);
    this.nextYearPurchases = new Float64Array(length);
    this.expectedSpend = new Float64Array(length);
    this.spendFromModel = new Uint8Array(length);
    this.lifecycleRule = new Uint8Array(length);
    this.usualIntervalDays = new Float64Array(length);
    this.lapsedDaysAgo = new Float64Array(length);
  }
}

/**
 * Scores customers from..to−1 of `customers` into out[0 .. to−from−1]. `frequencyScore[k]` is customer k's RFM
 * frequency score (the shop run's quintiles, or the last stored one for a single re-score). `predictor` is the
 * shop's purchase model (default: BG/NBD from `model`); any model's per-(x, t_x, T) function fits here.
 */
export function scoreCustomerColumns(
  customers: CustomerColumns,
  from: number,
  to: number,
  model: ScoringModel,
  frequencyScore: ArrayLike<number>,
  out: CustomerValueColumns,
  predictor: PurchasePredictor | null = purchasePredictor(model),
): void {
  const { frequency, recency, T: Ts, monetaryValue, orderCount, totalSpend } = customers;
  const { gammaGamma, cadence, lifecycle: settings, lifespanYears } = model;
  const prediction = new Float64Array(PREDICTION_SIZE);
  const pAliveAt = predictor ? (x: number, tx: number, T: number) => predictor.pAlive(x, tx, T) : null;
  for (let k = from, j = 0; k < to; k++, j++) {
    const x = frequency[k];
    const tx = recency[k];
    const T = Ts[k];
    const orders = orderCount[k];
    const ownAverage = averageOrderValue(orders, totalSpend[k]);
    const modelSpend = gammaGamma ? expectedAverageSpendAt(gammaGamma, x, monetaryValue[k]) : Number.NaN;
    const spendFromModel = Number.isFinite(modelSpend);
    const expectedSpend = spendFromModel ? modelSpend : ownAverage;
    let pAlive: number | null = null;
    if (predictor) {
      predictor.predict(x, tx, T, prediction);
      // NaN or Infinity must never be stored: a customer the model cannot give finite numbers is scored as
      // in a shop without a model (historic value, interval rule) rather than with nonsense.
      if (
        Number.isFinite(prediction[PREDICTION.expectedPurchases]) &&
        Number.isFinite(prediction[PREDICTION.discountedPurchases]) &&
        Number.isFinite(prediction[PREDICTION.pAlive])
      ) {
        pAlive = prediction[PREDICTION.pAlive];
      }
    }
    const usual = usualInterval(x + 1, tx, cadence, settings);
    const rule = lifecycleRule(x + 1, T - tx, pAlive, frequencyScore[k] as Score, usual, cadence, settings);
    const purchaseFrequencyPerYear = ordersPerYear(orders, T, 1);
    out.historicClv[j] = ownAverage * purchaseFrequencyPerYear * lifespanYears;
    out.averageOrderValue[j] = ownAverage;
    out.purchaseFrequencyPerYear[j] = purchaseFrequencyPerYear;
    out.pAlive[j] = pAlive ?? Number.NaN;
    out.predictedClv[j] = pAlive === null ? Number.NaN : prediction[PREDICTION.discountedPurchases] * expectedSpend;
    out.expectedPurchases[j] = pAlive === null ? Number.NaN : prediction[PREDICTION.expectedPurchases];
    out.nextYearPurchases[j] = pAlive === null ? Number.NaN : prediction[PREDICTION.nextYear];
    out.expectedSpend[j] = expectedSpend;
    out.spendFromModel[j] = spendFromModel ? 1 : 0;
    out.lifecycleRule[j] = LIFECYCLE_RULES.indexOf(rule);
    out.usualIntervalDays[j] = usual;
    out.lapsedDaysAgo[j] = lapsedDaysAgoAt(x, tx, T, rule, usual, settings, pAlive === null ? null : pAliveAt) ?? Number.NaN;
  }
}

export interface CustomerValue {
  historicClv: HistoricClv;
  /** Discounted CLV over the horizon; null when the shop's model is not fitted. */
  predictedClv: number | null;
  pAlive: number | null;
  /** Expected purchases over the horizon (undiscounted); null without a fitted model. */
  expectedPurchases: number | null;
  /** Expected purchases in the next 12 months; null without a fitted model. */
  nextYearPurchases: number | null;
  /** Expected value per future purchase; from Gamma-Gamma, or the customer's own AOV when that is unavailable. */
  expectedSpend: number;
  spendSource: "gamma-gamma" | "own-average";
  lifecycle: LifecycleAssignment;
  /** For a Lapsed customer, how many days ago their history crossed the line; null otherwise. */
  lapsedDaysAgo: number | null;
}

const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

/** The kernel's output for one customer as an object (j in `values`, k in `customers`), reason and sentence included. */
export function customerValueAt(
  values: CustomerValueColumns,
  j: number,
  customers: CustomerColumns,
  k: number,
  model: ScoringModel,
): CustomerValue {
  const rule = LIFECYCLE_RULES[values.lifecycleRule[j]];
  const pAlive = orNull(values.pAlive[j]);
  const x = customers.frequency[k];
  const reason = lifecycleReason(
    rule,
    customers.orderCount[k],
    x + 1,
    customers.T[k] - customers.recency[k],
    values.usualIntervalDays[j],
    pAlive,
    model.cadence,
    model.lifecycle,
  );
  return {
    historicClv: {
      clv: values.historicClv[j],
      averageOrderValue: values.averageOrderValue[j],
      purchaseFrequencyPerYear: values.purchaseFrequencyPerYear[j],
      lifespanYears: model.lifespanYears,
    },
    predictedClv: orNull(values.predictedClv[j]),
    pAlive,
    expectedPurchases: orNull(values.expectedPurchases[j]),
    nextYearPurchases: orNull(values.nextYearPurchases[j]),
    expectedSpend: values.expectedSpend[j],
    spendSource: values.spendFromModel[j] ? "gamma-gamma" : "own-average",
    lifecycle: { group: RULE_GROUP[rule], reason, text: describeLifecycleReason(reason) },
    lapsedDaysAgo: orNull(values.lapsedDaysAgo[j]),
  };
}

/** One customer through the kernel (tests, and callers holding a single summary). */
export function scoreCustomer(c: CustomerSummary, model: ScoringModel, frequencyScore: Score): CustomerValue {
  const customers = customerColumns([c]);
  const values = new CustomerValueColumns(1);
  scoreCustomerColumns(customers, 0, 1, model, [frequencyScore], values);
  return customerValueAt(values, 0, customers, 0, model);
}

/**
 * When a Lapsed customer crossed the line, read from their own history under today's rules: the day
 * they became overdue, or the first day without an order on which P(alive) fell below the threshold
 * (P(alive) only falls while no order comes, so a bisection over those days finds it).
 */
export function lapsedDaysAgo(c: CustomerSummary, lifecycle: LifecycleAssignment, bgnbd: BgNbdParams | null): number | null {
  const { reason } = lifecycle;
  return lapsedDaysAgoAt(
    c.frequency,
    c.recency,
    c.T,
    reason.rule,
    reason.usualIntervalDays,
    reason,
    bgnbd ? (x, tx, T) => probabilityAliveAt(bgnbd, x, tx, T) : null,
  );
}

function lapsedDaysAgoAt(
  x: number,
  tx: number,
  T: number,
  rule: LifecycleRule,
  usualIntervalDays: number,
  settings: Pick<LifecycleSettings, "pAliveThreshold" | "intervalMultiple">,
  pAliveAt: ((x: number, tx: number, T: number) => number) | null,
): number | null {
  if (RULE_GROUP[rule] !== "lapsed") return null;
  const quiet = T - tx;
  let crossedAfter: number;
  if (rule === "p-alive-low" && pAliveAt) {
    let lo = 0;
    let hi = Math.max(0, Math.ceil(quiet));
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (pAliveAt(x, tx, tx + mid) < settings.pAliveThreshold) hi = mid;
      else lo = mid + 1;
    }
    crossedAfter = lo;
  } else {
    // Overdue means strictly more quiet days than the allowed interval.
    crossedAfter = Math.floor(settings.intervalMultiple * usualIntervalDays) + 1;
  }
  return Math.max(0, Math.round(quiet - crossedAfter));
}
