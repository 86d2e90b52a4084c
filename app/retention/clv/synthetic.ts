/** Synthetic customer bases from the generative models, for recovery tests and benchmarks. */
import type { Rng } from "../random";
import { simulateCustomer, type BgNbdParams, type GammaGammaParams } from "./simulate";
import type { CustomerSummary } from "./summary";

export interface SyntheticShopOptions {
  customers: number;
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** Customers' observation lengths T are drawn uniformly from [minT, maxT] (model units). */
  minT: number;
  maxT: number;
  /** Round times to whole units and merge same-unit purchases, as real order dates do (default false). */
  wholeUnits?: boolean;
}

/** Simulates customers and summarises them exactly as summarizeTransactions would. */
export function syntheticSummaries(rng: Rng, options: SyntheticShopOptions): CustomerSummary[] {
  const summaries: CustomerSummary[] = [];
  for (let i = 0; i < options.customers; i++) {
    const T0 = options.minT + rng() * (options.maxT - options.minT);
    const T = options.wholeUnits ? Math.round(T0) : T0;
    const { times, amounts } = simulateCustomer(rng, options.bgnbd, options.gammaGamma, T);
    const days: number[] = [];
    const values: number[] = [];
    times.forEach((t, k) => {
      const time = options.wholeUnits ? Math.floor(t) : t;
      if (days.length > 0 && days[days.length - 1] === time) values[values.length - 1] += amounts[k];
      else {
        days.push(time);
        values.push(amounts[k]);
      }
    });
    const frequency = days.length - 1;
    const repeatSpend = values.slice(1).reduce((sum, v) => sum + v, 0);
    summaries.push({
      customerId: `c${i + 1}`,
      frequency,
      recency: days[days.length - 1],
      T,
      monetaryValue: frequency > 0 ? repeatSpend / frequency : 0,
      orderCount: times.length,
      totalSpend: values.reduce((sum, v) => sum + v, 0),
    });
  }
  return summaries;
}
