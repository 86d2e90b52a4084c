/**
 * Text made storable. JSON's `\uD83D` escapes can carry half of a UTF-16 surrogate pair, which no
 * UTF-8 column can hold: Prisma's engine refuses the whole write ("unexpected end of hex escape") and
 * a buyer's answer was lost with a 500. Form posts cannot carry one (their bytes are decoded as UTF-8,
 * which replaces anything invalid), so JSON bodies are where strings are made well-formed.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Each lone surrogate replaced by U+FFFD, as String.prototype.toWellFormed (ES2024) does. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** JSON.parse whose every string value is well-formed. */
export function parseJsonWellFormed(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => (typeof value === "string" ? wellFormed(value) : value));
}
