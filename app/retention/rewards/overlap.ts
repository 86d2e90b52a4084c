/**
 * Rules that stack: two rules of one kind granting the same customers codes for the same reason (two
 * loyalty programmes, two win-back offers, two campaigns on the same days for the same audience).
 * The shop keeps one; the second is refused at the field the overlap is about.
 */
import { rewardKind, TIER_KINDS } from "./kinds";
import { msg } from "./rule-fields";
import type { FieldErrors, Rule, RuleDraft } from "./rule-schema";
import { FORM_ERROR_KEY } from "./rule-schema";

/** Errors for `draft` against the shop's other rules (exclude the rule being edited); empty when it overlaps none. */
export function overlapErrors(draft: RuleDraft, others: readonly Rule[]): FieldErrors {
  const kind = rewardKind(draft.kind);
  const other = others.find((o) => o.kind === draft.kind && (kind.overlaps ? kind.overlaps(draft, o) : true));
  if (!other) return {};
  const key = TIER_KINDS.includes(draft.kind) ? "rules.error.oneTierProgramme" : "rules.error.overlapsRule";
  return { [kind.overlapField ?? FORM_ERROR_KEY]: [msg(key, { name: other.name })] };
}
