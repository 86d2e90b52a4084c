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

type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "CONTAINS" | "NOT CONTAINS";
type Node =
  | { kind: "and" | "or"; left: Node; right: Node }
  | { kind: "not"; operand: Node }
  | { kind: "condition"; attribute: string; operator: Operator; value: string | number; column: number };

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
export function parseSegmentQuery(query: string): Node {
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
    let operator: Operator;
    if (isWord("CONTAINS")) operator = "CONTAINS";
    else if (isWord("NOT") && tokens[k + 1]?.type === "word" && tokens[k + 1].text.toUpperCase() === "CONTAINS") {
      k++;
      operator = "NOT CONTAINS";
    } else if (peek()?.type === "op") operator = peek()!.text as Operator;
    else return fail(peek(), `an operator is expected after '${attribute.text}'.`);
    k++;
    const value = peek();
    if (!value || (value.type !== "string" && value.type !== "number")) return fail(value, "a value is expected.");
    k++;
    return {
      kind: "condition",
      attribute: attribute.text,
      operator,
      value: value.type === "number" && !value.text.endsWith("d") ? Number(value.text) : value.text,
      column: attribute.column,
    };
  };

  const tree = parseOr();
  if (k < tokens.length) fail(tokens[k], `'${tokens[k].text}' is unexpected.`);
  return tree;
}

/** Shopify's message for an invalid query, or null when it parses. */
export function segmentQueryProblem(query: string): string | null {
  try {
    parseSegmentQuery(query);
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
export function segmentPredicate(query: string, now: number): (facts: SegmentFacts) => boolean {
  const tree = parseSegmentQuery(query);
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
