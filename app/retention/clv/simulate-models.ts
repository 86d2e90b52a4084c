/**
 * Purchase histories from each purchase model's generative story, as transaction logs (one line per purchase
 * day), for the model-choice tests, the command's examples and the bench: shops whose right model is known.
 */
import { betaSample, exponentialSample, gammaSample, type Rng } from "../random";
import { dayNumber, dayString } from "../time";
import type { Transaction } from "./cleaning";
import type { PurchaseParams } from "./purchase-model";

/** Purchase times in (0, T] after a first purchase at 0, in the parameters' time unit. */
export function simulateRepeatTimes(rng: Rng, params: PurchaseParams, T: number): number[] {
  const lambda = gammaSample(rng, params.r, 1 / params.alpha);
  const times: number[] = [];
  if (!(lambda > 0)) return times;
  if (params.model === "pareto-nbd") {
    // Alive for an exponential lifetime of rate μ ~ Gamma(s, β), buying at rate λ meanwhile.
    const mu = gammaSample(rng, params.s, 1 / params.beta);
    const end = Math.min(T, mu > 0 ? exponentialSample(rng, mu) : Infinity);
    for (let t = exponentialSample(rng, lambda); t <= end; t += exponentialSample(rng, lambda)) times.push(t);
    return times;
  }
  // BG/NBD: dropout p after each repeat purchase; MBG/NBD also right after the first one.
  const p = betaSample(rng, params.a, params.b);
  if (params.model === "mbg-nbd" && rng() < p) return times;
  for (let t = exponentialSample(rng, lambda); t <= T; t += exponentialSample(rng, lambda)) {
    times.push(t);
    if (rng() < p) break;
  }
  return times;
}

export interface SimulatedShopOptions {
  customers: number;
  /** Parameters in days. */
  params: PurchaseParams;
  /** First day of the shop; customers' first purchases are spread uniformly over `acquisitionDays`. */
  startDay: string;
  acquisitionDays: number;
  /** The log ends on this day (inclusive). */
  endDay: string;
}

/** A shop's transaction log (amount 10 a day) from the given model, customers "s1", "s2", … */
export function simulateShopTransactions(rng: Rng, options: SimulatedShopOptions): Transaction[] {
  const start = dayNumber(options.startDay);
  const end = dayNumber(options.endDay);
  const lines: Transaction[] = [];
  for (let i = 0; i < options.customers; i++) {
    const first = start + Math.floor(rng() * options.acquisitionDays);
    const customerId = `s${i + 1}`;
    lines.push({ customerId, date: dayString(first), amount: 10 });
    let last = first;
    for (const t of simulateRepeatTimes(rng, options.params, end - first + 1)) {
      const day = first + Math.floor(t);
      if (day > end) break;
      if (day === last) continue;
      lines.push({ customerId, date: dayString(day), amount: 10 });
      last = day;
    }
  }
  return lines;
}
