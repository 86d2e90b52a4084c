import { parseSearchDate } from "../time";

/**
 * Shopify's search syntax for `query:` arguments: `field:value`, comparators (`updated_at:>2024-01-01`,
 * `:>=`, `:<`, `:<=`), quoted values, `AND`/`OR`/`NOT`, a leading `-` for negation, parentheses, free text.
 */
export type SearchNode =
  | { kind: "and"; items: SearchNode[] }
  | { kind: "or"; items: SearchNode[] }
  | { kind: "not"; item: SearchNode }
  | { kind: "term"; field: string | null; op: Comparator; value: string };

export type Comparator = ":" | ">" | ">=" | "<" | "<=";

type Token = { type: "open" } | { type: "close" } | { type: "word"; text: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i];
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === "(") {
      tokens.push({ type: "open" });
      i += 1;
    } else if (ch === ")") {
      tokens.push({ type: "close" });
      i += 1;
    } else {
      let text = "";
      while (i < query.length && !/\s/.test(query[i]) && query[i] !== ")" && !(query[i] === "(" && text === "")) {
        const c = query[i];
        if (c === "'" || c === '"') {
          const end = query.indexOf(c, i + 1);
          const stop = end === -1 ? query.length : end;
          text += query.slice(i, stop + 1);
          i = stop + 1;
        } else {
          text += c;
          i += 1;
        }
      }
      tokens.push({ type: "word", text });
    }
  }
  return tokens;
}

const unquote = (value: string): string => value.replace(/^(['"])(.*)\1$/s, "$2");

function parseTerm(text: string): SearchNode {
  const match = /^([A-Za-z_][\w.]*):(>=|<=|>|<|=)?(.*)$/s.exec(text);
  if (!match) return { kind: "term", field: null, op: ":", value: unquote(text) };
  const op = (match[2] === "=" || !match[2] ? ":" : match[2]) as Comparator;
  return { kind: "term", field: match[1].toLowerCase(), op, value: unquote(match[3]) };
}

export function parseSearchQuery(query: string | null | undefined): SearchNode | null {
  if (!query || !query.trim()) return null;
  const tokens = tokenize(query);
  let pos = 0;

  const parseOr = (): SearchNode => {
    const items = [parseAnd()];
    while (pos < tokens.length) {
      const token = tokens[pos];
      if (token.type === "word" && token.text === "OR") {
        pos += 1;
        items.push(parseAnd());
      } else break;
    }
    return items.length === 1 ? items[0] : { kind: "or", items };
  };

  const parseAnd = (): SearchNode => {
    const items: SearchNode[] = [];
    while (pos < tokens.length) {
      const token = tokens[pos];
      if (token.type === "close") break;
      if (token.type === "word" && token.text === "OR") break;
      if (token.type === "word" && token.text === "AND") {
        pos += 1;
        continue;
      }
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0] : { kind: "and", items };
  };

  const parseUnary = (): SearchNode => {
    const token = tokens[pos];
    if (token.type === "open") {
      pos += 1;
      const inner = parseOr();
      if (tokens[pos]?.type === "close") pos += 1;
      return inner;
    }
    if (token.type === "word" && token.text === "NOT") {
      pos += 1;
      return { kind: "not", item: pos < tokens.length ? parseUnary() : { kind: "and", items: [] } };
    }
    pos += 1;
    if (token.type === "word" && token.text.startsWith("-") && token.text.length > 1) {
      return { kind: "not", item: parseTerm(token.text.slice(1)) };
    }
    return parseTerm(token.type === "word" ? token.text : "");
  };

  const node = parseOr();
  return node.kind === "and" && node.items.length === 0 ? null : node;
}

export type FieldSpec<T> =
  | { kind: "date"; get: (item: T) => number | null }
  | { kind: "number"; get: (item: T) => number | null }
  | { kind: "string"; get: (item: T) => string | readonly string[] | null }
  | { kind: "boolean"; get: (item: T) => boolean }
  | { kind: "custom"; test: (item: T, op: Comparator, value: string) => boolean };

export interface SearchSpec<T> {
  fields: Record<string, FieldSpec<T>>;
  /** Free text (no field) matches these strings. */
  text?: (item: T) => readonly (string | null)[];
}

export interface CompiledSearch<T> {
  test: (item: T) => boolean;
  /** Fields Shopify would ignore with a warning; the emulator ignores them too. */
  unknownFields: string[];
}

function compare(a: number, op: Comparator, b: number): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return a === b;
  }
}

function stringMatches(candidate: string, value: string): boolean {
  const c = candidate.toLowerCase();
  const v = value.toLowerCase();
  if (v.endsWith("*")) return c.startsWith(v.slice(0, -1));
  if (v.startsWith("*")) return c.endsWith(v.slice(1));
  return c === v;
}

export function compileSearch<T>(query: string | null | undefined, spec: SearchSpec<T>, timeZone: string): CompiledSearch<T> {
  const unknownFields: string[] = [];
  const build = (node: SearchNode): ((item: T) => boolean) => {
    switch (node.kind) {
      case "and": {
        const parts = node.items.map(build);
        return (item) => parts.every((part) => part(item));
      }
      case "or": {
        const parts = node.items.map(build);
        return (item) => parts.some((part) => part(item));
      }
      case "not": {
        const inner = build(node.item);
        return (item) => !inner(item);
      }
      case "term":
        return buildTerm(node);
    }
  };
  const buildTerm = (term: Extract<SearchNode, { kind: "term" }>): ((item: T) => boolean) => {
    if (term.field === null) {
      const text = spec.text;
      if (!text) return () => true;
      const needle = term.value.toLowerCase().replace(/\*$/, "");
      return (item) => text(item).some((candidate) => candidate?.toLowerCase().includes(needle) ?? false);
    }
    const field = spec.fields[term.field];
    if (!field) {
      unknownFields.push(term.field);
      return () => true;
    }
    switch (field.kind) {
      case "date": {
        const bound = parseSearchDate(term.value, timeZone);
        if (Number.isNaN(bound)) return () => false;
        const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(term.value.trim());
        return (item) => {
          const value = field.get(item);
          if (value === null) return false;
          // A bare date with ":" means "on that day" in the shop's zone.
          if (term.op === ":" && dateOnly) return value >= bound && value < bound + 86_400_000;
          return compare(value, term.op, bound);
        };
      }
      case "number": {
        const digits = /(\d+(?:\.\d+)?)$/.exec(term.value);
        const bound = digits ? Number(digits[1]) : Number.NaN;
        return (item) => {
          const value = field.get(item);
          return value !== null && !Number.isNaN(bound) && compare(value, term.op, bound);
        };
      }
      case "boolean": {
        const wanted = term.value.toLowerCase() === "true";
        return (item) => field.get(item) === wanted;
      }
      case "string":
        return (item) => {
          const value = field.get(item);
          if (value === null) return false;
          const values = typeof value === "string" ? [value] : value;
          return values.some((candidate) => stringMatches(candidate, term.value));
        };
      case "custom":
        return (item) => field.test(item, term.op, term.value);
    }
  };
  const root = parseSearchQuery(query);
  return { test: root ? build(root) : () => true, unknownFields };
}
