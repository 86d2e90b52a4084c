/**
 * A rule's results from its ledger and the customers' orders, measured as an intention-to-treat
 * experiment: every customer the rule assigned to the treated arm counts, whatever then happened to
 * their code (refused by Shopify, withheld for want of a channel, cancelled, never redeemed), because
 * the holdout was drawn before any of that and dropping them would compare unlike groups. Only
 * customers whose whole measurement window is over are measured, so a recent decision never counts
 * as "did not buy" just because its window is still open.
 */
import {
  addMoment,
  experimentState,
  meanDifference,
  NO_MOMENTS,
  rateDifference,
  type Estimate,
  type ExperimentState,
  type Moments,
} from "./experiment-stats";
import { ruleMoney, type CustomerMoney, type RuleMoney } from "./experiment-money";
import { armsOverTime, type ArmsPoint, type MeasuredCustomer } from "./experiment-timeline";

/** Repeat purchase: any order within this many days of the decision. */
export const REPEAT_WINDOW_DAYS = 90;
/** The measurement window of a reward without an end date (store credit): this many days from its start. */
export const OPEN_ENDED_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export interface LedgerRowForResults {
  ruleId: string;
  customerId: string;
  /** issue | holdout | remind */
  kind: string;
  /** Created in Shopify (issues) or delivered (reminders): the operational count, not the experiment's arm. */
  issued: boolean;
  decidedAt: Date;
  startsAt: Date | null;
  endsAt: Date | null;
  redeemedAt: Date | null;
  redeemedRevenue: number | null;
  /** The redeeming order's total discount: what the code cost (null: not redeemed, or synced before discounts were). */
  redeemedDiscount?: number | null;
  /** A/B rules: the offer the customer was drawn for (null: offer A, or no A/B test). */
  arm?: string | null;
}

/** One order of a customer: when (ms) and its net value. */
export interface OrderForResults {
  at: number;
  netTotal: number;
}

export interface ArmResult {
  /** Customers assigned to the arm (intention to treat). */
  customers: number;
  /** Of them, those whose code's window (held out: the window it would have had) is over: the measured ones. */
  complete: number;
  /** Complete customers who ordered in their window. */
  purchasers: number;
  /** purchasers / complete. */
  windowPurchaseRate: number | null;
  /** Net order value in the window per complete customer (non-buyers count as 0). */
  revenuePerCustomer: number | null;
  /** Share who ordered within REPEAT_WINDOW_DAYS of the decision, of those whose 90 days are over. */
  repeatRate: number | null;
}

export interface RuleExperiment {
  state: ExperimentState;
  /** Treated minus held-out purchase rate in the window, Newcombe's 95% interval. */
  purchaseRate: Estimate | null;
  /** Treated minus held-out net revenue per eligible customer in the window, Welch's 95% interval. */
  revenuePerCustomer: Estimate | null;
  /** Incremental revenue, cost of redeemed discounts and incremental profit per 100 eligible customers. */
  money: RuleMoney;
  /** Each arm's purchase rate over the customers measured so far, week by week. */
  timeline: ArmsPoint[];
}

export interface RuleResult {
  ruleId: string;
  issued: number;
  redeemed: number;
  redemptionRate: number | null;
  revenue: number;
  /** What the redeemed codes cost: the redeeming orders' total discounts. */
  discountCost: number;
  reminders: number;
  treated: ArmResult;
  heldOut: ArmResult;
  /** Treated minus held-out, in rate points (0.05 = five percentage points); null without both arms. */
  uplift: { windowPurchaseRate: number | null; repeatRate: number | null };
  /** The holdout experiment; null while nobody was held out. */
  experiment: RuleExperiment | null;
  /** A/B rules (someone was drawn for offer B): each offer's arm and the three comparisons; null otherwise. */
  offers: OfferComparison | null;
}

/** Two offers and a holdout, measured with the same statistics as treated vs held out. */
export interface OfferComparison {
  a: ArmResult;
  b: ArmResult;
  /** Offer B minus offer A. */
  bVersusA: RuleExperiment;
  /** Each offer minus the holdout; null while nobody was held out. */
  aVersusHoldout: RuleExperiment | null;
  bVersusHoldout: RuleExperiment | null;
}

const rate = (n: number, d: number) => (d === 0 ? null : n / d);
const round4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : round4(a - b));

/** Each customer's first assignment in the rule: the arm they were drawn into and the window measured from it. */
function assignments(rows: readonly LedgerRowForResults[]): LedgerRowForResults[] {
  const first = new Map<string, LedgerRowForResults>();
  for (const r of rows) {
    if (r.kind !== "issue" && r.kind !== "holdout") continue;
    const seen = first.get(r.customerId);
    if (!seen || r.decidedAt.getTime() < seen.decidedAt.getTime()) first.set(r.customerId, r);
  }
  return [...first.values()];
}

interface ArmTally {
  result: ArmResult;
  revenue: Moments;
  measured: (MeasuredCustomer & CustomerMoney)[];
}

function arm(rows: readonly LedgerRowForResults[], ordersByCustomer: ReadonlyMap<string, readonly OrderForResults[]>, now: Date): ArmTally {
  let complete = 0;
  let purchasers = 0;
  let revenue = NO_MOMENTS;
  let repeatBase = 0;
  let repeat = 0;
  const measured: ArmTally["measured"] = [];
  for (const r of rows) {
    const orders = ordersByCustomer.get(r.customerId) ?? [];
    const start = (r.startsAt ?? r.decidedAt).getTime();
    const end = r.endsAt?.getTime() ?? start + OPEN_ENDED_WINDOW_DAYS * DAY_MS;
    if (end <= now.getTime()) {
      complete++;
      const inWindow = orders.filter((o) => o.at >= start && o.at < end);
      if (inWindow.length) purchasers++;
      const net = inWindow.reduce((s, o) => s + o.netTotal, 0);
      revenue = addMoment(revenue, net);
      const redeemedInWindow = r.redeemedAt !== null && r.redeemedAt.getTime() >= start && r.redeemedAt.getTime() < end;
      measured.push({ windowEnd: end, purchased: inWindow.length > 0, net, discount: redeemedInWindow ? (r.redeemedDiscount ?? 0) : 0 });
    }
    const from = r.decidedAt.getTime();
    const until = from + REPEAT_WINDOW_DAYS * DAY_MS;
    if (until <= now.getTime()) {
      repeatBase++;
      if (orders.some((o) => o.at >= from && o.at < until)) repeat++;
    }
  }
  return {
    result: {
      customers: rows.length,
      complete,
      purchasers,
      windowPurchaseRate: round4(rate(purchasers, complete)),
      revenuePerCustomer: complete ? Math.round((revenue.sum / complete) * 100) / 100 : null,
      repeatRate: round4(rate(repeat, repeatBase)),
    },
    revenue,
    measured,
  };
}

/** Per-rule results from ledger rows and each customer's orders (times in ms), as of `now`. */
export function summarizeRuleResults(
  ruleIds: readonly string[],
  rows: readonly LedgerRowForResults[],
  ordersByCustomer: ReadonlyMap<string, readonly OrderForResults[]>,
  now: Date,
  { grossMargin = 1 }: { grossMargin?: number } = {},
): RuleResult[] {
  return ruleIds.map((ruleId) => {
    const mine = rows.filter((r) => r.ruleId === ruleId);
    const created = mine.filter((r) => r.kind === "issue" && r.issued);
    const redeemed = created.filter((r) => r.redeemedAt !== null);
    const assigned = assignments(mine);
    const treated = arm(
      assigned.filter((r) => r.kind === "issue"),
      ordersByCustomer,
      now,
    );
    const heldOut = arm(
      assigned.filter((r) => r.kind === "holdout"),
      ordersByCustomer,
      now,
    );
    const t = treated.result;
    const h = heldOut.result;
    const issues = assigned.filter((r) => r.kind === "issue");
    const drawnB = issues.filter((r) => r.arm === "B");
    return {
      ruleId,
      issued: created.length,
      redeemed: redeemed.length,
      redemptionRate: round4(rate(redeemed.length, created.length)),
      revenue: Math.round(redeemed.reduce((s, r) => s + (r.redeemedRevenue ?? 0), 0) * 100) / 100,
      discountCost: Math.round(redeemed.reduce((s, r) => s + (r.redeemedDiscount ?? 0), 0) * 100) / 100,
      reminders: mine.filter((r) => r.kind === "remind" && r.issued).length,
      treated: t,
      heldOut: h,
      uplift: {
        windowPurchaseRate: h.customers ? diff(t.windowPurchaseRate, h.windowPurchaseRate) : null,
        repeatRate: h.customers ? diff(t.repeatRate, h.repeatRate) : null,
      },
      experiment: h.customers ? compare(treated, heldOut, grossMargin) : null,
      offers: drawnB.length
        ? offerComparison(
            arm(
              issues.filter((r) => r.arm !== "B"),
              ordersByCustomer,
              now,
            ),
            arm(drawnB, ordersByCustomer, now),
            heldOut,
            grossMargin,
          )
        : null,
    };
  });
}

/** One arm against another: the purchase-rate and revenue differences with their intervals, and the verdict. */
function compare(treated: ArmTally, control: ArmTally, grossMargin: number): RuleExperiment {
  const t = treated.result;
  const c = control.result;
  const purchaseRate = rateDifference(t.purchasers, t.complete, c.purchasers, c.complete);
  return {
    state: experimentState(t.complete, c.complete, purchaseRate),
    purchaseRate,
    revenuePerCustomer: meanDifference(treated.revenue, control.revenue),
    money: ruleMoney(treated.measured, control.measured, grossMargin),
    timeline: armsOverTime(treated.measured, control.measured),
  };
}

function offerComparison(a: ArmTally, b: ArmTally, heldOut: ArmTally, grossMargin: number): OfferComparison {
  const held = heldOut.result.customers > 0;
  return {
    a: a.result,
    b: b.result,
    bVersusA: compare(b, a, grossMargin),
    aVersusHoldout: held ? compare(a, heldOut, grossMargin) : null,
    bVersusHoldout: held ? compare(b, heldOut, grossMargin) : null,
  };
}

/**
 * The inputs of the holdout planner for a rule: eligible customers (both arms) the rule assigned in
 * the last `days` days, and the purchase rate to plan from.
 */
export function eligibleInLastDays(rows: readonly LedgerRowForResults[], now: Date, days: number): number {
  const since = now.getTime() - days * DAY_MS;
  return assignments(rows).filter((r) => r.decidedAt.getTime() >= since && r.decidedAt.getTime() <= now.getTime()).length;
}

/** An arm's counts, as the rules list shows them: assigned, measured and buying customers. */
export interface ArmCounts {
  customers: number;
  complete: number;
  purchasers: number;
}

/** What the rules list shows of a rule's results: the operational counts, both arms' purchase counts and the verdict. */
export interface RuleSummary {
  ruleId: string;
  issued: number;
  redeemed: number;
  redemptionRate: number | null;
  revenue: number;
  discountCost: number;
  reminders: number;
  treated: ArmCounts & { windowPurchaseRate: number | null };
  heldOut: ArmCounts & { windowPurchaseRate: number | null };
  uplift: { windowPurchaseRate: number | null };
  /** The verdict of treated against held out; null while nobody was held out. */
  experiment: { state: ExperimentState } | null;
}

/** The counts a rule's summary is made of, as an aggregate query returns them (sums unrounded). */
export interface RuleCounts {
  ruleId: string;
  issued: number;
  redeemed: number;
  revenueSum: number;
  discountSum: number;
  reminders: number;
  treated: ArmCounts;
  heldOut: ArmCounts;
}

/**
 * A rule's summary from its counts, with the same arithmetic as `summarizeRuleResults` (whose result,
 * picked to these fields, it equals): the rates rounded to four places, money to cents, the verdict
 * from the treated and held-out purchase counts.
 */
export function summarizeRuleCounts(c: RuleCounts): RuleSummary {
  const withRate = (a: ArmCounts) => ({ ...a, windowPurchaseRate: round4(rate(a.purchasers, a.complete)) });
  const treated = withRate(c.treated);
  const heldOut = withRate(c.heldOut);
  return {
    ruleId: c.ruleId,
    issued: c.issued,
    redeemed: c.redeemed,
    redemptionRate: round4(rate(c.redeemed, c.issued)),
    revenue: Math.round(c.revenueSum * 100) / 100,
    discountCost: Math.round(c.discountSum * 100) / 100,
    reminders: c.reminders,
    treated,
    heldOut,
    uplift: { windowPurchaseRate: heldOut.customers ? diff(treated.windowPurchaseRate, heldOut.windowPurchaseRate) : null },
    experiment: heldOut.customers
      ? {
          state: experimentState(
            treated.complete,
            heldOut.complete,
            rateDifference(treated.purchasers, treated.complete, heldOut.purchasers, heldOut.complete),
          ),
        }
      : null,
  };
}
