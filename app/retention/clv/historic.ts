/**
 * Historic CLV as merchants are taught it: average order value × purchase frequency (orders per customer
 * per year) × expected customer lifespan (years). Every input is returned so the UI can show the arithmetic.
 */
import { DAYS_PER_YEAR } from "../time";
import type { CustomerSummary } from "./summary";

export const MIN_LIFESPAN_YEARS = 1;
export const MAX_LIFESPAN_YEARS = 3;

export type HistoricInputs = Pick<CustomerSummary, "frequency" | "recency" | "T" | "orderCount" | "totalSpend">;

export interface Lifespan {
  years: number;
  source: "setting" | "shop-data";
  /** Mean first-to-last-order span of repeat buyers, in years, before clamping (null without repeat buyers). */
  observedYears: number | null;
}

export interface HistoricClv {
  clv: number;
  averageOrderValue: number;
  /** Orders per customer per year. */
  purchaseFrequencyPerYear: number;
  lifespanYears: number;
}

export interface ShopHistoricClv extends HistoricClv {
  lifespan: Lifespan;
  customers: number;
  orders: number;
  revenue: number;
  /** The period the frequency is annualised over: the shop's history, but at least one year. */
  yearsObserved: number;
}

function clampLifespan(years: number): number {
  return Math.min(MAX_LIFESPAN_YEARS, Math.max(MIN_LIFESPAN_YEARS, years));
}

/**
 * Lifespan from the setting (clamped to 1–3 years) or, by default, from the shop's own data: the mean span
 * between first and last order of customers who came back, clamped to 1–3 years. One-time buyers are left out
 * of the mean because their observed span is 0 by construction, not because they left on day one.
 */
export function resolveLifespan(customers: readonly HistoricInputs[], unitDays: number, setting?: number | null): Lifespan {
  const repeaters = customers.filter((c) => c.frequency > 0);
  const observedYears =
    repeaters.length > 0 ? repeaters.reduce((sum, c) => sum + c.recency, 0) / repeaters.length / (DAYS_PER_YEAR / unitDays) : null;
  if (setting !== undefined && setting !== null && Number.isFinite(setting)) {
    return { years: clampLifespan(setting), source: "setting", observedYears };
  }
  return { years: clampLifespan(observedYears ?? MIN_LIFESPAN_YEARS), source: "shop-data", observedYears };
}

/**
 * One customer: their own AOV × their orders per year × lifespan. Orders per year divide by the time since
 * their first order but never by less than a year, so a customer who bought twice last week is not projected
 * to buy a hundred times a year.
 */
export function customerHistoricClv(c: HistoricInputs, lifespanYears: number, unitDays: number): HistoricClv {
  const averageOrderValue = c.orderCount > 0 ? c.totalSpend / c.orderCount : 0;
  const tenureYears = (c.T * unitDays) / DAYS_PER_YEAR;
  const purchaseFrequencyPerYear = c.orderCount / Math.max(tenureYears, 1);
  return {
    clv: averageOrderValue * purchaseFrequencyPerYear * lifespanYears,
    averageOrderValue,
    purchaseFrequencyPerYear,
    lifespanYears,
  };
}

/** The shop: revenue / orders × (orders / customers per year observed) × lifespan. */
export function shopHistoricClv(
  customers: readonly HistoricInputs[],
  options: { unitDays: number; lifespanYears?: number | null },
): ShopHistoricClv {
  const lifespan = resolveLifespan(customers, options.unitDays, options.lifespanYears);
  let orders = 0;
  let revenue = 0;
  let longestT = 0;
  for (const c of customers) {
    orders += c.orderCount;
    revenue += c.totalSpend;
    longestT = Math.max(longestT, c.T);
  }
  const yearsObserved = Math.max((longestT * options.unitDays) / DAYS_PER_YEAR, 1);
  const averageOrderValue = orders > 0 ? revenue / orders : 0;
  const purchaseFrequencyPerYear = customers.length > 0 ? orders / customers.length / yearsObserved : 0;
  return {
    clv: averageOrderValue * purchaseFrequencyPerYear * lifespan.years,
    averageOrderValue,
    purchaseFrequencyPerYear,
    lifespanYears: lifespan.years,
    lifespan,
    customers: customers.length,
    orders,
    revenue,
    yearsObserved,
  };
}
