/**
 * The part of translation that runs in the browser too: interpolation and plural selection over a flat
 * message dictionary. It imports no catalog, so a page ships only the messages its loader picked.
 */
export type Messages = Record<string, string>;

const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

/** `{count}` in plural messages is written the locale's way (1 234 / 1.234 / 1,234). */
export function formatCount(value: number, locale: string): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

/**
 * Fills `{name}` placeholders; unknown names stay visible. Values are inserted as given (callers format
 * money and dates with app/formatting); only plural counts are formatted here.
 */
export function interpolate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

/** The key of the plural form for `count`: "base.few" if the catalog has it, else "base.other". */
export function pluralKey(messages: Messages, base: string, count: number, locale: string): string {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  const exact = `${base}.${rules.select(count)}`;
  return exact in messages ? exact : `${base}.other`;
}

export interface Translator {
  locale: string;
  t(key: string, values?: Record<string, string | number>): string;
  tp(key: string, count: number, values?: Record<string, string | number>): string;
}

export function createTranslator(locale: string, messages: Messages): Translator {
  return {
    locale,
    t: (key, values = {}) => interpolate(messages[key] ?? key, values),
    tp: (key, count, values = {}) =>
      interpolate(messages[pluralKey(messages, key, count, locale)] ?? key, { count: formatCount(count, locale), ...values }),
  };
}
