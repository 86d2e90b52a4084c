/**
 * Zod issues as messages a merchant can act on, in their language, keyed by form field so each message
 * shows next to the field it is about.
 */
import type { ZodError, ZodIssue } from "zod";
import { translate, type Locale } from "./index";

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
      errors[field] = issue.code === "invalid_type" && issue.expected === "integer" ? translate(locale, "form.integer") : issueMessage(issue, locale);
    }
  }
  return errors;
}
