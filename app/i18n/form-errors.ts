/**
 * Zod issues as messages a merchant can act on, in their language, keyed by form field so each message
 * shows next to the field it is about.
 */
import type { ZodError, ZodIssue } from "zod";
import { translate, type Locale, type MessageKey } from "./index";

function numberText(value: number | bigint, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

export function issueMessage(issue: ZodIssue, locale: Locale): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.received === "undefined" || issue.received === "null") return translate(locale, "form.required");
      return issue.expected === "number" ? translate(locale, "form.number") : translate(locale, "form.invalid");
    case "too_small":
      if (issue.type === "number") return translate(locale, "form.min", { min: numberText(issue.minimum, locale) });
      if (issue.type === "string") return translate(locale, "form.required");
      return translate(locale, "form.invalid");
    case "too_big":
      if (issue.type === "number") return translate(locale, "form.max", { max: numberText(issue.maximum, locale) });
      if (issue.type === "string") return translate(locale, "form.tooLong", { max: numberText(issue.maximum, locale) });
      return translate(locale, "form.invalid");
    case "not_finite":
      return translate(locale, "form.number");
    case "invalid_enum_value":
    case "invalid_literal":
    case "invalid_union_discriminator":
      return translate(locale, "form.choose");
    default:
      return translate(locale, "form.invalid");
  }
}

/** First message per top-level field (a field shows one error at a time). */
export function fieldErrors(error: ZodError, locale: Locale): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    if (!(field in errors)) {
      // Zod reports a non-integer as invalid_type with expected "integer".
      errors[field] =
        issue.code === "invalid_type" && issue.expected === "integer" ? translate(locale, "form.integer") : issueMessage(issue, locale);
    }
  }
  return errors;
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

/** Every field's messages (a rule's `FieldErrors`) in the admin's language. */
export function ruleErrorsText(errors: Record<string, string[]>, locale: Locale): Record<string, string[]> {
  return Object.fromEntries(Object.entries(errors).map(([field, messages]) => [field, messages.map((m) => ruleErrorText(m, locale))]));
}
