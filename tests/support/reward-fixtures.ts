import { validateRuleInput, type Rule, type RuleValidationContext } from "../../app/retention/rewards/rule-schema";
import type { CustomerSnapshot, ScheduleInput } from "../../app/retention/rewards/schedule";

const ctx: RuleValidationContext = { knownTiers: ["Bronze", "Silver", "Gold"], knownSegments: ["seg-vip"] };

/** Builds a rule through the real validator, so tests use exactly what a merchant could save. */
export function rule(id: string, raw: Record<string, unknown>): Rule {
  const result = validateRuleInput({ name: id, ...raw }, ctx);
  if (!result.ok) throw new Error(`fixture rule ${id} invalid: ${JSON.stringify(result.fieldErrors)}`);
  return { ...result.rule, id } as Rule;
}

export function customer(id: string, overrides: Partial<CustomerSnapshot> = {}): CustomerSnapshot {
  return {
    id,
    lifecycleGroup: "active",
    lapsedSince: null,
    tierMetrics: { netSpend: { lifetime: 0, rolling12m: 0 }, orderCount: { lifetime: 0, rolling12m: 0 } },
    predictedClv: null,
    birthday: null,
    marketingConsent: true,
    ...overrides,
  };
}

export function scheduleInput(overrides: Partial<ScheduleInput> = {}): ScheduleInput {
  return {
    today: "2026-03-05",
    timeZone: "Europe/Berlin",
    rules: [],
    customers: [],
    issued: [],
    costAssumptions: { averageOrderValue: 80, averageShippingCost: 6 },
    currencyCode: "EUR",
    ...overrides,
  };
}

/** Deterministic byte stream (xorshift32) standing in for crypto randomness in tests. */
export function seededBytes(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x >>> 24;
    }
    return out;
  };
}
