/**
 * Discount rules as the merchant configured them. `config` holds the validated draft (JSON); on
 * read it is validated again, so a row edited by hand or written by an older version can never
 * reach the scheduler in a shape the core doesn't expect.
 */
import db from "../db.server";
import {
  isRuleKind,
  rewardKind,
  TIER_KINDS,
  validateRuleInput,
  type FieldErrors,
  type Rule,
  type RuleDraft,
  type RulePause,
} from "../retention/rewards";

export interface StoredRule {
  rule: Rule;
  pausedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface InvalidStoredRule {
  id: string;
  name: string;
  kind: string;
  fieldErrors: FieldErrors;
}

type RuleRow = Awaited<ReturnType<typeof db.discountRule.findFirstOrThrow>>;

function configOf(row: RuleRow): Record<string, unknown> {
  try {
    const parsed = JSON.parse(row.config) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function tierNamesOf(rows: RuleRow[]): string[] {
  return rows.flatMap((row) => (isRuleKind(row.kind) ? (rewardKind(row.kind).tierNames?.(configOf(row)) ?? []) : []));
}

function parseRows(rows: RuleRow[]): { rules: StoredRule[]; invalid: InvalidStoredRule[] } {
  const knownTiers = tierNamesOf(rows);
  const rules: StoredRule[] = [];
  const invalid: InvalidStoredRule[] = [];
  for (const row of rows) {
    // The row's own columns win over the JSON: they are what the list page toggles.
    const result = validateRuleInput({ ...configOf(row), kind: row.kind, name: row.name, enabled: row.enabled }, { knownTiers });
    if (result.ok) {
      rules.push({
        rule: { ...result.rule, id: row.id } as Rule,
        pausedReason: row.pausedReason,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      });
    } else {
      invalid.push({ id: row.id, name: row.name, kind: row.kind, fieldErrors: result.fieldErrors });
    }
  }
  return { rules, invalid };
}

/** Every rule of the shop, oldest first; rules whose stored config no longer validates come back separately. */
export async function listRules(shop: string) {
  const rows = await db.discountRule.findMany({ where: { shop }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return parseRows(rows);
}

export async function getRule(shop: string, id: string): Promise<StoredRule | null> {
  const rows = await db.discountRule.findMany({ where: { shop }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return parseRows(rows).rules.find((r) => r.rule.id === id) ?? null;
}

/** Tier names of the shop's loyalty programs, for validating campaign audiences. */
export async function knownTierNames(shop: string, exceptRuleId?: string): Promise<string[]> {
  const rows = await db.discountRule.findMany({
    where: { shop, kind: { in: TIER_KINDS }, ...(exceptRuleId ? { NOT: { id: exceptRuleId } } : {}) },
  });
  return tierNamesOf(rows);
}

// Campaign dates are shop-local calendar days; the columns hold them at UTC midnight for sorting and filtering.
function campaignColumns(draft: RuleDraft) {
  const range = rewardKind(draft.kind).dateRange?.(draft);
  if (!range) return { startsAt: null, endsAt: null };
  return { startsAt: new Date(`${range.startsAt}T00:00:00Z`), endsAt: new Date(`${range.endsAt}T00:00:00Z`) };
}

function rowData(draft: RuleDraft) {
  return {
    kind: draft.kind,
    name: draft.name,
    enabled: draft.enabled,
    config: JSON.stringify(draft),
    ...campaignColumns(draft),
  };
}

export async function createRule(shop: string, draft: RuleDraft): Promise<string> {
  const row = await db.discountRule.create({ data: { shop, ...rowData(draft) } });
  return row.id;
}

/** Returns false when the rule doesn't exist in this shop. */
export async function updateRule(shop: string, id: string, draft: RuleDraft): Promise<boolean> {
  const { count } = await db.discountRule.updateMany({ where: { shop, id }, data: { ...rowData(draft), pausedReason: null } });
  return count === 1;
}

export async function setRuleEnabled(shop: string, id: string, enabled: boolean): Promise<boolean> {
  const { count } = await db.discountRule.updateMany({ where: { shop, id }, data: { enabled } });
  return count === 1;
}

/** Issued codes stay (they are the record of what customers were given); only the rule goes. */
export async function deleteRule(shop: string, id: string): Promise<boolean> {
  const { count } = await db.discountRule.deleteMany({ where: { shop, id } });
  return count === 1;
}

/** Stores today's budget pauses and clears the pause of every other evaluated rule (only rows that change). */
export async function savePauses(
  shop: string,
  evaluated: ReadonlyArray<Pick<StoredRule, "pausedReason"> & { rule: { id: string } }>,
  paused: readonly RulePause[],
): Promise<void> {
  const byRule = new Map(paused.map((p) => [p.ruleId, p.reason]));
  for (const { rule, pausedReason } of evaluated) {
    const next = byRule.get(rule.id) ?? null;
    if (next !== pausedReason) await db.discountRule.updateMany({ where: { shop, id: rule.id }, data: { pausedReason: next } });
  }
}
