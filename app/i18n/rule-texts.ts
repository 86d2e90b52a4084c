/**
 * The rules area's words: each reward kind's texts, validation messages in the admin's language, and
 * the offer text customers read (in the shop's language) in their metafields and Flow messages.
 */
import { kindLabelKeys, type FieldErrors, type KindLabelKey, type Reward, type RuleKind } from "../retention/rewards";
import { messagesFor, translate, type Locale, type MessageKey } from "./index";

// Compile-time check: every kind in the registry has its label texts in the English catalog.
type MissingKindTexts = Exclude<KindLabelKey, MessageKey>;
const everyKindHasTexts: [MissingKindTexts] extends [never] ? true : MissingKindTexts = true;
void everyKindHasTexts;

/** A text of a kind: its name, "add" button, default rule name, or one of its form's words. */
export function kindText(locale: Locale, kind: RuleKind, text: string): string {
  const labels = kindLabelKeys(kind) as Record<string, string>;
  return translate(locale, (labels[text] ?? `rules.kind.${kind}.${text}`) as MessageKey);
}

/** What the rules pages send to the browser. */
export function rulesMessages(locale: Locale) {
  return messagesFor(locale, ["common", "form", "rules"]);
}

/**
 * A validation message in the admin's language. The rules core writes each message as a catalog key,
 * with values after a `|` as JSON (`rules.error.daysMax|{"max":31}`); anything else is shown as it is.
 */
export function ruleErrorText(message: string, locale: Locale): string {
  const bar = message.indexOf("|");
  const key = bar === -1 ? message : message.slice(0, bar);
  if (!key.startsWith("rules.")) return message;
  let values: Record<string, string | number> = {};
  if (bar !== -1) {
    try {
      values = JSON.parse(message.slice(bar + 1)) as Record<string, string | number>;
    } catch {
      values = {};
    }
  }
  // A value that is itself a key (a field's name inside a message) is translated too.
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string" && value.startsWith("rules.")) values[name] = translate(locale, value as MessageKey);
  }
  return translate(locale, key as MessageKey, values);
}

export function ruleErrorsText(errors: FieldErrors, locale: Locale): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([field, messages]) => [field, messages.map((m) => ruleErrorText(m, locale))]));
}

/** "15% off", "10.00 EUR off", "Free shipping" in `locale` (the shop's, for text customers read). */
export function offerText(reward: Reward, currencyCode: string, locale: Locale): string {
  switch (reward.type) {
    case "percentage":
      return translate(locale, "rules.offer.percentage", { percentage: reward.percentage });
    case "fixedAmount":
      return translate(locale, "rules.offer.fixedAmount", { amount: `${reward.amount.toFixed(2)} ${currencyCode}` });
    case "freeShipping":
      return translate(locale, "rules.offer.freeShipping");
  }
}
