/**
 * A customer's order history as the daily decision sees it: the shop-local day and net amount of each
 * order that counts for customer value (not a test, not cancelled), oldest first. A kind derives the fact
 * it needs from it (the previous order's day, the spend before a day, the order count at a day) instead
 * of the customer snapshot growing one field per fact (docs/decisions/005-reward-kinds.md).
 *
 * Compact: the whole shop's orders sit in two typed columns (4 + 8 bytes an order, ~12 MB for a million
 * orders) grouped by customer, and each customer's history is a range of them, one small object.
 */
import { dayNumber, dayString, type LocalDate } from "../time";

export interface OrderHistory {
  /** Shop-local days (`dayNumber`: days since 1970-01-01) of the orders, ascending; read [from, to). */
  readonly days: Int32Array;
  /** Net amounts (shop currency) of the same orders. */
  readonly amounts: Float64Array;
  readonly from: number;
  readonly to: number;
}

/** The history of a customer without orders. */
export const NO_ORDERS: OrderHistory = { days: new Int32Array(0), amounts: new Float64Array(0), from: 0, to: 0 };

/**
 * The customer's order history. Loaded only when a rule being decided is of a kind that declares
 * `readsOrderHistory` (reading every order costs the daily run, see the decision record); a kind that
 * reads it without declaring it fails loudly here rather than seeing no orders.
 */
export function historyOf(customer: { id: string; orderHistory?: OrderHistory | null }): OrderHistory {
  if (!customer.orderHistory) {
    throw new Error(`Order history of ${customer.id} was not loaded: the kind reading it must declare readsOrderHistory`);
  }
  return customer.orderHistory;
}

/** A history from a list of orders in any order (tests, previews, one customer). */
export function orderHistoryFrom(orders: readonly { day: LocalDate; amount: number }[]): OrderHistory {
  const sorted = [...orders].sort((a, b) => dayNumber(a.day) - dayNumber(b.day));
  return {
    days: Int32Array.from(sorted, (o) => dayNumber(o.day)),
    amounts: Float64Array.from(sorted, (o) => o.amount),
    from: 0,
    to: sorted.length,
  };
}

/**
 * Collects a shop's orders (customer index, day number, amount) in any order and groups them by customer
 * into shared columns: `build(n)` gives customer i's history at index i, days ascending (orders of one
 * day keep their arrival order).
 */
export class OrderHistoryBuilder {
  private customers = new Int32Array(1024);
  private days = new Int32Array(1024);
  private amounts = new Float64Array(1024);
  private size = 0;

  add(customer: number, day: number, amount: number): void {
    if (this.size === this.days.length) this.grow();
    this.customers[this.size] = customer;
    this.days[this.size] = day;
    this.amounts[this.size] = amount;
    this.size++;
  }

  get orders(): number {
    return this.size;
  }

  build(customerCount: number): OrderHistory[] {
    const n = this.size;
    // Counting sort by customer: stable, so orders read oldest first stay ascending within a customer.
    const starts = new Int32Array(customerCount + 1);
    for (let i = 0; i < n; i++) starts[this.customers[i] + 1]++;
    for (let c = 0; c < customerCount; c++) starts[c + 1] += starts[c];
    const next = starts.slice(0, customerCount);
    const days = new Int32Array(n);
    const amounts = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const at = next[this.customers[i]]++;
      days[at] = this.days[i];
      amounts[at] = this.amounts[i];
    }
    this.customers = this.days = new Int32Array(0);
    this.amounts = new Float64Array(0);
    this.size = 0;
    const histories: OrderHistory[] = new Array(customerCount);
    for (let c = 0; c < customerCount; c++) {
      const from = starts[c];
      const to = starts[c + 1];
      if (from === to) {
        histories[c] = NO_ORDERS;
        continue;
      }
      sortRange(days, amounts, from, to);
      histories[c] = { days, amounts, from, to };
    }
    return histories;
  }

  private grow() {
    const grown = (this.days.length * 2) | 0;
    const customers = new Int32Array(grown);
    customers.set(this.customers);
    const days = new Int32Array(grown);
    days.set(this.days);
    const amounts = new Float64Array(grown);
    amounts.set(this.amounts);
    this.customers = customers;
    this.days = days;
    this.amounts = amounts;
  }
}

/** Sorts one customer's range by day (stable) when it is not ascending already (the loader's never needs it). */
function sortRange(days: Int32Array, amounts: Float64Array, from: number, to: number) {
  let ascending = true;
  for (let i = from + 1; i < to && ascending; i++) ascending = days[i - 1] <= days[i];
  if (ascending) return;
  const order = Array.from({ length: to - from }, (_, i) => from + i).sort((a, b) => days[a] - days[b] || a - b);
  const d = order.map((i) => days[i]);
  const a = order.map((i) => amounts[i]);
  days.set(d, from);
  amounts.set(a, from);
}

/** First index in [from, to) whose day is greater than `day` (or `to`). */
function after(h: OrderHistory, day: number): number {
  let lo = h.from;
  let hi = h.to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (h.days[mid] <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [from, to) whose day is `day` or later (or `to`). */
function onOrAfter(h: OrderHistory, day: number): number {
  return after(h, day - 1);
}

const cents = (x: number) => Math.round(x * 100) / 100;

function sum(h: OrderHistory, from: number, to: number): number {
  let total = 0;
  for (let i = from; i < to; i++) total += h.amounts[i];
  return cents(total);
}

/** All the customer's orders. */
export function orderCount(h: OrderHistory): number {
  return h.to - h.from;
}

/** The customer's order count at the end of `day` (orders on that day included). */
export function ordersThrough(h: OrderHistory, day: LocalDate): number {
  return after(h, dayNumber(day)) - h.from;
}

/** Orders placed before `day` (that day's excluded). */
export function ordersBefore(h: OrderHistory, day: LocalDate): number {
  return onOrAfter(h, dayNumber(day)) - h.from;
}

/** Orders placed from `from` to `to`, both days included. */
export function ordersBetween(h: OrderHistory, from: LocalDate, to: LocalDate): number {
  return Math.max(0, after(h, dayNumber(to)) - onOrAfter(h, dayNumber(from)));
}

/** Net spend of the orders placed before `day` (that day's excluded). */
export function spendBefore(h: OrderHistory, day: LocalDate): number {
  return sum(h, h.from, onOrAfter(h, dayNumber(day)));
}

/** Net spend of the orders placed up to the end of `day`. */
export function spendThrough(h: OrderHistory, day: LocalDate): number {
  return sum(h, h.from, after(h, dayNumber(day)));
}

/** Net spend of the orders placed from `from` to `to`, both days included. */
export function spendBetween(h: OrderHistory, from: LocalDate, to: LocalDate): number {
  const start = onOrAfter(h, dayNumber(from));
  return sum(h, start, Math.max(start, after(h, dayNumber(to))));
}

/** The day of the customer's first order, or null. */
export function firstOrderDay(h: OrderHistory): LocalDate | null {
  return h.to > h.from ? dayString(h.days[h.from]) : null;
}

/** The day of the customer's latest order up to the end of `day` (any day when absent), or null. */
export function latestOrderDay(h: OrderHistory, day?: LocalDate): LocalDate | null {
  const end = day === undefined ? h.to : after(h, dayNumber(day));
  return end > h.from ? dayString(h.days[end - 1]) : null;
}

/** The day of the latest order placed before `day` (that day's orders excluded), or null. */
export function previousOrderDay(h: OrderHistory, day: LocalDate): LocalDate | null {
  const end = onOrAfter(h, dayNumber(day));
  return end > h.from ? dayString(h.days[end - 1]) : null;
}

/** The distinct days the customer ordered on from `from` to `to` (both included), ascending. */
export function orderDaysBetween(h: OrderHistory, from: LocalDate, to: LocalDate): LocalDate[] {
  const days: LocalDate[] = [];
  const end = after(h, dayNumber(to));
  for (let i = onOrAfter(h, dayNumber(from)); i < end; i++) {
    if (i === h.from || h.days[i] !== h.days[i - 1]) days.push(dayString(h.days[i]));
  }
  return days;
}
