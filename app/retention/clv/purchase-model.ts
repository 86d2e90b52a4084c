/**
 * The purchase models a shop can be scored with (BG/NBD, Pareto/NBD, MBG/NBD) behind one small interface: the
 * parameters carry the model's name, and P(alive) and expected purchases dispatch on it. Parameters without a
 * name are BG/NBD's, so everything stored or written before the model choice still reads as BG/NBD.
 */
import { expectedPurchases, fitBgNbd, probabilityAlive, type BgNbdInsufficient, type BgNbdParams } from "./bgnbd";
import { fitMbgNbd, mbgNbdExpectedPurchases, mbgNbdProbabilityAlive, type MbgNbdParams } from "./mbg-nbd";
import { fitParetoNbd, paretoNbdExpectedPurchases, paretoNbdProbabilityAlive, type ParetoNbdParams } from "./pareto-nbd";
import type { FrequencyRecency } from "./summary";

export const PURCHASE_MODELS = ["bgnbd", "pareto-nbd", "mbg-nbd"] as const;
export type PurchaseModelName = (typeof PURCHASE_MODELS)[number];

export type PurchaseParams =
  (BgNbdParams & { model?: "bgnbd" }) | (ParetoNbdParams & { model: "pareto-nbd" }) | (MbgNbdParams & { model: "mbg-nbd" });

export function purchaseModelName(p: PurchaseParams): PurchaseModelName {
  return p.model ?? "bgnbd";
}

export function purchaseProbabilityAlive(p: PurchaseParams, c: FrequencyRecency): number {
  if (p.model === "pareto-nbd") return paretoNbdProbabilityAlive(p, c);
  if (p.model === "mbg-nbd") return mbgNbdProbabilityAlive(p, c);
  return probabilityAlive(p, c);
}

/** Expected purchases in (T, T+t]; pass `alive` when already known (it does not depend on t). */
export function purchaseExpected(p: PurchaseParams, c: FrequencyRecency, t: number, alive = purchaseProbabilityAlive(p, c)): number {
  if (p.model === "pareto-nbd") return paretoNbdExpectedPurchases(p, c, t, alive);
  if (p.model === "mbg-nbd") return mbgNbdExpectedPurchases(p, c, t, alive);
  return expectedPurchases(p, c, t, alive);
}

export type PurchaseFit =
  | {
      status: "fitted";
      params: PurchaseParams;
      logLikelihood: number;
      converged: boolean;
      parametersAtLimit: string[];
      customers: number;
      repeatBuyers: number;
    }
  | BgNbdInsufficient;

/** Fits one model by name, with the same verdicts whichever it is. */
export function fitPurchaseModel(
  name: PurchaseModelName,
  customers: readonly FrequencyRecency[],
  options: { minRepeatBuyers?: number } = {},
): PurchaseFit {
  if (name === "bgnbd") {
    const fit = fitBgNbd(customers, options);
    if (fit.status === "insufficient") return fit;
    const { r, alpha, a, b } = fit;
    return { ...fit, params: { r, alpha, a, b }, parametersAtLimit: [...fit.parametersAtLimit] };
  }
  const fit = name === "pareto-nbd" ? fitParetoNbd(customers, options) : fitMbgNbd(customers, options);
  if (fit.status === "insufficient") return fit;
  const params = (name === "pareto-nbd" ? { ...fit.params, model: name } : { ...fit.params, model: name }) as PurchaseParams;
  return {
    status: "fitted",
    params,
    logLikelihood: fit.logLikelihood,
    converged: fit.converged,
    parametersAtLimit: fit.parametersAtLimit.map(String),
    customers: fit.customers,
    repeatBuyers: fit.repeatBuyers,
  };
}

/** Why a fitted model is not trusted (the rule score.ts applies to BG/NBD): null when it is usable. */
export function fitProblem(fit: PurchaseFit): "insufficient" | "not-converged" | "at-bounds" | null {
  if (fit.status === "insufficient") return "insufficient";
  if (fit.parametersAtLimit.length > 0) return "at-bounds";
  if (!fit.converged) return "not-converged";
  return null;
}
