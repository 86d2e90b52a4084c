import { betaSample, exponentialSample, gammaSample, type Rng } from "../random";

/** BG/NBD: purchase rate λ ~ Gamma(r, rate alpha); dropout probability p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Gamma-Gamma: spend per transaction z ~ Gamma(shape p, rate ν); ν ~ Gamma(shape q, rate v) (v is Fader–Hardie's γ). */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/**
 * Simulates one customer's history from the BG/NBD and Gamma-Gamma generative stories.
 * times are measured from the first purchase (times[0] = 0) in the params' time unit and are all ≤ T.
 * As in the BG/NBD likelihood, the customer can only drop out right after a *repeat* purchase,
 * so someone with no repeat purchases is alive throughout (0, T].
 */
export function simulateCustomer(
  rng: () => number,
  bgnbd: BgNbdParams,
  gg: GammaGammaParams,
  T: number,
): { times: number[]; amounts: number[] } {
  const random: Rng = rng;
  const lambda = gammaSample(random, bgnbd.r, 1 / bgnbd.alpha);
  const dropout = betaSample(random, bgnbd.a, bgnbd.b);
  const nu = gammaSample(random, gg.q, 1 / gg.v);

  const times = [0];
  let t = 0;
  // λ can underflow to 0 for small r: such a customer simply never comes back.
  while (lambda > 0) {
    t += exponentialSample(random, lambda);
    if (!(t <= T)) break;
    times.push(t);
    if (random() < dropout) break;
  }
  const amounts = times.map(() => gammaSample(random, gg.p, 1 / nu));
  return { times, amounts };
}
