/**
 * The rules area's words: each reward kind's texts and the offer text customers read (in the shop's
 * language) in their metafields and Flow messages. Validation messages: `ruleErrorsText` in form-errors.
 */
import { kindLabelKeys, kindOfReason, type KindLabelKey, type Reward, type RewardReason, type RuleKind } from "../retention/rewards";
import { messagesFor, translate, type Locale, type MessageKey } from "./index";

export { ruleErrorsText } from "./form-errors";

// Compile-time check: every kind in the registry has its label texts in the English catalog.
type MissingKindTexts = Exclude<KindLabelKey, MessageKey>;
const everyKindHasTexts: [MissingKindTexts] extends [never] ? true : MissingKindTexts = true;
void everyKindHasTexts;

/** A text of a kind: its name, "add" button, default rule name, or one of its form's words. */
export function kindText(locale: Locale, kind: RuleKind, text: string): string {
  const labels = kindLabelKeys(kind) as Record<string, string>;
  return translate(locale, (labels[text] ?? `rules.kind.${kind}.${text}`) as MessageKey);
}

/**
 * Why a customer got a code, in `locale` (the customer's, for the My rewards page): the shopper-facing
 * label of the kind whose Flow reason code `reason` is (a compensation's is the feedback thank-you's).
 */
export function reasonLabel(locale: Locale, reason: RewardReason): string {
  return translate(locale, kindLabelKeys(kindOfReason(reason)).reasonLabel);
}

/** What the rules pages send to the browser. */
export function rulesMessages(locale: Locale) {
  return messagesFor(locale, ["common", "form", "rules", "issued"]);
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
    case "storeCredit":
      return translate(locale, "rules.offer.storeCredit", { amount: `${reward.amount.toFixed(2)} ${currencyCode}` });
  }
}
