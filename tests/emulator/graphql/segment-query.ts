/**
 * A subset of Shopify's segment query language (shopify.dev/api/shopifyql/segment-query-language-reference):
 * conditions `attribute OPERATOR value`, joined by AND / OR (AND binds tighter), NOT, parentheses. Every
 * attribute Shopify knows is accepted by segmentCreate; the ones below can also be evaluated (segment members).
 * An unknown attribute or a malformed condition is an error, worded like Shopify's.
 */
export interface SegmentFacts {
  tags: string[];
  numberOfOrders: number;
  amountSpent: number;
  emailSubscriptionStatus: string;
  /** Instants (ms), null when none. */
  customerAddedAt: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  emailDomain: string | null;
  /** The customer's metafield value (as stored, a string), or null when it has none. */
  metafield?: (namespace: string, key: string) => string | null;
}

/**
 * How a customer metafield filter may be used: only metafields with a customer definition of a date, number,
 * text or true/false type are filters ("Metafield-based customer segment filters", Shopify Help Center).
 */
export type MetafieldFilterType = "number" | "text" | "date" | "boolean";
export interface SegmentQueryOptions {
  /** The filter type of `metafields.<namespace>.<key>`, null when the shop has no such customer definition. */
  metafieldType?: (namespace: string, key: string) => MetafieldFilterType | null;
}

export const KNOWN_ATTRIBUTES = new Set([
  "amount_spent",
  "number_of_orders",
  "last_order_date",
  "first_order_date",
  "customer_added_date",
  "customer_tags",
  "email_subscription_status",
  "sms_subscription_status",
  "rfm_group",
  "predicted_spend_tier",
  "customer_email_domain",
  "customer_cities",
  "customer_countries",
  "customer_regions",
  "customer_language",
  "customer_account_status",
  "companies",
  "abandoned_checkout_date",
  "email_domain",
  "customer_within_distance",
  "store_credit_accounts",
  "anniversary",
  "products_purchased",
  "orders_placed",
  "shopify_email",
]);

type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "CONTAINS" | "NOT CONTAINS" | "BETWEEN" | "IS NULL" | "IS NOT NULL";
type Value = string | number;
type Node =
  | { kind: "and" | "or"; left: Node; right: Node }
  | { kind: "not"; operand: Node }
  | { kind: "condition"; attribute: string; operator: Operator; value: Value; upper?: Value; column: number };

/** Operators each metafield filter type takes (same Help Center page; date and true/false as listed there). */
const METAFIELD_OPERATORS: Record<MetafieldFilterType, readonly Operator[]> = {
  number: ["=", "!=", ">", ">=", "<", "<=", "BETWEEN", "IS NULL", "IS NOT NULL"],
  text: ["=", "!=", "IS NULL", "IS NOT NULL"],
  date: ["=", ">", ">=", "<", "<=", "BETWEEN", "IS NULL", "IS NOT NULL"],
  boolean: ["=", "!=", "IS NULL", "IS NOT NULL"],
};

const METAFIELD_ATTRIBUTE = /^metafields\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

export class SegmentQueryError extends Error {}

const TOKEN = /\s*(?:(\()|(\))|('(?:[^'\\]|\\.)*')|(-?\d+(?:\.\d+)?d?)|(>=|<=|!=|=|>|<)|([A-Za-z_][\w.]*))/y;

interface Token {
  type: "(" | ")" | "string" | "number" | "op" | "word";
  text: string;
  column: number;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < query.length) {
    if (!query.slice(TOKEN.lastIndex).trim()) break;
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(query);
    if (!m) {
      const at = start + (query.slice(start).length - query.slice(start).trimStart().length);
      const rest = query.slice(at);
      throw new SegmentQueryError(
        rest.startsWith("'") ? "Query Line 1: unterminated string literal." : `Query Line 1 Column ${at}: '${rest[0]}' is unexpected.`,
      );
    }
    const column = start + (m[0].length - m[0].trimStart().length);
    if (m[1]) tokens.push({ type: "(", text: "(", column });
    else if (m[2]) tokens.push({ type: ")", text: ")", column });
    else if (m[3]) tokens.push({ type: "string", text: m[3].slice(1, -1).replace(/\\(.)/g, "$1"), column });
    else if (m[4]) tokens.push({ type: "number", text: m[4], column });
    else if (m[5]) tokens.push({ type: "op", text: m[5], column });
    else tokens.push({ type: "word", text: m[6], column });
  }
  return tokens;
}

/** Parses a segment query; throws SegmentQueryError with Shopify-like wording. */
export function parseSegmentQuery(query: string, options: SegmentQueryOptions = {}): Node {
  if (!query.trim()) throw new SegmentQueryError("Query can't be blank");
  const tokens = tokenize(query);
  let k = 0;
  const peek = () => tokens[k];
  const isWord = (word: string) => peek()?.type === "word" && peek()!.text.toUpperCase() === word;
  const fail = (token: Token | undefined, message: string): never => {
    throw new SegmentQueryError(token ? `Query Line 1 Column ${token.column}: ${message}` : `Query Line 1: ${message}`);
  };

  const parseOr = (): Node => {
    let left = parseAnd();
    while (isWord("OR")) {
      k++;
      left = { kind: "or", left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseUnary();
    while (isWord("AND")) {
      k++;
      left = { kind: "and", left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Node => {
    if (isWord("NOT")) {
      k++;
      return { kind: "not", operand: parseUnary() };
    }
    if (peek()?.type === "(") {
      k++;
      const inner = parseOr();
      if (peek()?.type !== ")") fail(peek(), "')' expected.");
      k++;
      return inner;
    }
    return parseCondition();
  };
  const parseCondition = (): Node => {
    const attribute = peek();
    if (!attribute || attribute.type !== "word") return fail(attribute, "a filter is expected.");
    if (!KNOWN_ATTRIBUTES.has(attribute.text) && !attribute.text.startsWith("metafields."))
      fail(attribute, `'${attribute.text}' filter cannot be found.`);
    k++;
    const metafield = METAFIELD_ATTRIBUTE.exec(attribute.text);
    const filterType = metafield && options.metafieldType ? options.metafieldType(metafield[1], metafield[2]) : undefined;
    if (filterType === null) fail(attribute, `'${attribute.text}' filter cannot be found.`);
    let operator: Operator;
    if (isWord("IS")) {
      k++;
      const negated = isWord("NOT");
      if (negated) k++;
      if (!isWord("NULL")) fail(peek(), "NULL is expected after IS.");
      k++;
      operator = negated ? "IS NOT NULL" : "IS NULL";
      if (filterType && !METAFIELD_OPERATORS[filterType].includes(operator))
        fail(attribute, `'${operator}' cannot be used with '${attribute.text}'.`);
      return { kind: "condition", attribute: attribute.text, operator, value: "", column: attribute.column };
    }
    if (isWord("BETWEEN")) operator = "BETWEEN";
    else if (isWord("CONTAINS")) operator = "CONTAINS";
    else if (isWord("NOT") && tokens[k + 1]?.type === "word" && tokens[k + 1].text.toUpperCase() === "CONTAINS") {
      k++;
      operator = "NOT CONTAINS";
    } else if (peek()?.type === "op") operator = peek()!.text as Operator;
    else return fail(peek(), `an operator is expected after '${attribute.text}'.`);
    k++;
    if (filterType && !METAFIELD_OPERATORS[filterType].includes(operator))
      fail(attribute, `'${operator}' cannot be used with '${attribute.text}'.`);
    const readValue = (): Value => {
      const value = peek();
      if (!value || (value.type !== "string" && value.type !== "number")) return fail(value, "a value is expected.");
      // A number filter takes a number, a text filter a quoted text.
      if (filterType === "number" && value.type !== "number") fail(value, `'${attribute.text}' takes a number.`);
      if (filterType === "text" && value.type !== "string") fail(value, `'${attribute.text}' takes a text value in quotes.`);
      k++;
      return value.type === "number" && !value.text.endsWith("d") ? Number(value.text) : value.text;
    };
    const value = readValue();
    let upper: Value | undefined;
    if (operator === "BETWEEN") {
      if (!isWord("AND")) fail(peek(), "AND is expected after BETWEEN's first value.");
      k++;
      upper = readValue();
    }
    return { kind: "condition", attribute: attribute.text, operator, value, upper, column: attribute.column };
  };

  const tree = parseOr();
  if (k < tokens.length) fail(tokens[k], `'${tokens[k].text}' is unexpected.`);
  return tree;
}

/** Shopify's message for an invalid query, or null when it parses. */
export function segmentQueryProblem(query: string, options: SegmentQueryOptions = {}): string | null {
  try {
    parseSegmentQuery(query, options);
    return null;
  } catch (error) {
    if (error instanceof SegmentQueryError) return error.message;
    throw error;
  }
}

const DAY = 86_400_000;

/** A date value: 'YYYY-MM-DD' (UTC day start) or a relative '-30d' from now. */
function dateValue(value: string | number, now: number): number {
  const relative = /^(-?\d+)d$/.exec(String(value));
  if (relative) return now + Number(relative[1]) * DAY;
  const ms = Date.parse(`${String(value)}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new SegmentQueryError(`Query Line 1: '${String(value)}' is not a date.`);
  return ms;
}

function compare(actual: number | string | null, operator: Operator, expected: number | string): boolean {
  if (actual === null) return operator === "!=";
  switch (operator) {
    case "=":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
    default:
      return false;
  }
}

/**
 * A predicate over customers' facts. Attributes Shopify knows but the emulator cannot evaluate throw
 * (the caller turns that into NOT_IMPLEMENTED), rather than silently matching nobody.
 */
export function segmentPredicate(query: string, now: number, options: SegmentQueryOptions = {}): (facts: SegmentFacts) => boolean {
  const tree = parseSegmentQuery(query, options);
  const build = (node: Node): ((facts: SegmentFacts) => boolean) => {
    if (node.kind === "not") {
      const operand = build(node.operand);
      return (f) => !operand(f);
    }
    if (node.kind !== "condition") {
      const left = build(node.left);
      const right = build(node.right);
      return node.kind === "and" ? (f) => left(f) && right(f) : (f) => left(f) || right(f);
    }
    const { attribute, operator, value } = node;
    const metafield = METAFIELD_ATTRIBUTE.exec(attribute);
    const filterType = metafield ? options.metafieldType?.(metafield[1], metafield[2]) : null;
    if (metafield && (filterType === "number" || filterType === "text")) {
      const [, namespace, key] = metafield;
      const read = (f: SegmentFacts): number | string | null => {
        const raw = f.metafield?.(namespace, key) ?? null;
        return raw === null ? null : filterType === "number" ? Number(raw) : raw;
      };
      if (operator === "IS NULL") return (f) => read(f) === null;
      if (operator === "IS NOT NULL") return (f) => read(f) !== null;
      if (operator === "BETWEEN") {
        return (f) => {
          const actual = read(f);
          return actual !== null && actual >= value && actual <= node.upper!;
        };
      }
      return (f) => compare(read(f), operator, value);
    }
    if (attribute === "customer_tags") {
      if (operator !== "CONTAINS" && operator !== "NOT CONTAINS")
        throw new SegmentQueryError(`Query Line 1 Column ${node.column}: customer_tags takes CONTAINS or NOT CONTAINS.`);
      const wanted = String(value).toLowerCase();
      return (f) => f.tags.some((t) => t.toLowerCase() === wanted) === (operator === "CONTAINS");
    }
    if (attribute === "number_of_orders" || attribute === "amount_spent") {
      if (typeof value !== "number") throw new SegmentQueryError(`Query Line 1 Column ${node.column}: ${attribute} takes a number.`);
      return (f) => compare(attribute === "number_of_orders" ? f.numberOfOrders : f.amountSpent, operator, value);
    }
    if (attribute === "email_subscription_status") {
      return (f) => compare(f.emailSubscriptionStatus, operator, String(value));
    }
    if (attribute === "customer_email_domain") {
      return (f) => compare(f.emailDomain, operator, String(value).toLowerCase());
    }
    if (attribute === "customer_added_date" || attribute === "first_order_date" || attribute === "last_order_date") {
      const bound = dateValue(value, now);
      // A day compares as a whole day: `= '2026-05-01'` is any instant that day.
      const day = (ms: number | null) => (ms === null ? null : Math.floor(ms / DAY) * DAY);
      const pick = (f: SegmentFacts) =>
        attribute === "customer_added_date" ? f.customerAddedAt : attribute === "first_order_date" ? f.firstOrderAt : f.lastOrderAt;
      return (f) => compare(day(pick(f)), operator, Math.floor(bound / DAY) * DAY);
    }
    throw new SegmentNotEvaluable(attribute);
  };
  return build(tree);
}

export class SegmentNotEvaluable extends Error {
  constructor(readonly attribute: string) {
    super(`The Kinship emulator cannot evaluate the segment filter '${attribute}'.`);
  }
}
