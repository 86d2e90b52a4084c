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

/** The columns of many customers that historic CLV reads (a summary's fields, one array each). */
export type HistoricColumns = { readonly [K in keyof HistoricInputs]: ArrayLike<number> };

function historicColumns(customers: readonly HistoricInputs[]): HistoricColumns {
  return {
    frequency: customers.map((c) => c.frequency),
    recency: customers.map((c) => c.recency),
    T: customers.map((c) => c.T),
    orderCount: customers.map((c) => c.orderCount),
    totalSpend: customers.map((c) => c.totalSpend),
  };
}

/**
 * Lifespan from the setting (clamped to 1–3 years) or, by default, from the shop's own data: the mean span
 * between first and last order of customers who came back, clamped to 1–3 years. One-time buyers are left out
 * of the mean because their observed span is 0 by construction, not because they left on day one.
 */
export function resolveLifespan(customers: readonly HistoricInputs[], unitDays: number, setting?: number | null): Lifespan {
  return resolveLifespanOfColumns(historicColumns(customers), unitDays, setting);
}

function resolveLifespanOfColumns(
  columns: Pick<HistoricColumns, "frequency" | "recency">,
  unitDays: number,
  setting?: number | null,
): Lifespan {
  let repeaters = 0;
  let spans = 0;
  for (let i = 0; i < columns.frequency.length; i++) {
    if (columns.frequency[i] > 0) {
      repeaters += 1;
      spans += columns.recency[i];
    }
  }
  const observedYears = repeaters > 0 ? spans / repeaters / (DAYS_PER_YEAR / unitDays) : null;
  if (setting !== undefined && setting !== null && Number.isFinite(setting)) {
    return { years: clampLifespan(setting), source: "setting", observedYears };
  }
  return { years: clampLifespan(observedYears ?? MIN_LIFESPAN_YEARS), source: "shop-data", observedYears };
}

/** A customer's own average order value (0 before the first order). */
export function averageOrderValue(orderCount: number, totalSpend: number): number {
  return orderCount > 0 ? totalSpend / orderCount : 0;
}

/** Orders per year since the first order, dividing by at least a year. */
export function ordersPerYear(orderCount: number, T: number, unitDays: number): number {
  const tenureYears = (T * unitDays) / DAYS_PER_YEAR;
  return orderCount / Math.max(tenureYears, 1);
}

/**
 * One customer: their own AOV × their orders per year × lifespan. Orders per year divide by the time since
 * their first order but never by less than a year, so a customer who bought twice last week is not projected
 * to buy a hundred times a year.
 */
export function customerHistoricClv(c: HistoricInputs, lifespanYears: number, unitDays: number): HistoricClv {
  const aov = averageOrderValue(c.orderCount, c.totalSpend);
  const purchaseFrequencyPerYear = ordersPerYear(c.orderCount, c.T, unitDays);
  return {
    clv: aov * purchaseFrequencyPerYear * lifespanYears,
    averageOrderValue: aov,
    purchaseFrequencyPerYear,
    lifespanYears,
  };
}

/** The shop: revenue / orders × (orders / customers per year observed) × lifespan. */
export function shopHistoricClv(
  customers: readonly HistoricInputs[],
  options: { unitDays: number; lifespanYears?: number | null },
): ShopHistoricClv {
  return shopHistoricClvOfColumns(historicColumns(customers), options);
}

/** shopHistoricClv on columns (large shops: no object per customer). */
export function shopHistoricClvOfColumns(
  columns: HistoricColumns,
  options: { unitDays: number; lifespanYears?: number | null },
): ShopHistoricClv {
  const lifespan = resolveLifespanOfColumns(columns, options.unitDays, options.lifespanYears);
  const n = columns.orderCount.length;
  let orders = 0;
  let revenue = 0;
  let longestT = 0;
  for (let i = 0; i < n; i++) {
    orders += columns.orderCount[i];
    revenue += columns.totalSpend[i];
    longestT = Math.max(longestT, columns.T[i]);
  }
  const yearsObserved = Math.max((longestT * options.unitDays) / DAYS_PER_YEAR, 1);
  const averageOrderValue = orders > 0 ? revenue / orders : 0;
  const purchaseFrequencyPerYear = n > 0 ? orders / n / yearsObserved : 0;
  return {
    clv: averageOrderValue * purchaseFrequencyPerYear * lifespan.years,
    averageOrderValue,
    purchaseFrequencyPerYear,
    lifespanYears: lifespan.years,
    lifespan,
    customers: n,
    orders,
    revenue,
    yearsObserved,
  };
}
