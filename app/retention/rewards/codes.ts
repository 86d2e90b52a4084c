/**
 * Discount codes a customer can read aloud and nobody can guess, and the idempotency keys that make
 * issuance happen exactly once per (rule, customer, period).
 */

/** No 0/O, 1/I/L: characters that look alike on receipts and in emails. 31 symbols. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const MIN_CODE_LENGTH = 10;
export const DEFAULT_CODE_LENGTH = 12;
const MAX_PREFIX_LENGTH = 20;

/** Source of cryptographically strong bytes, e.g. `(n) => crypto.getRandomValues(new Uint8Array(n))`. */
export type RandomBytes = (size: number) => Uint8Array;

export interface CodeOptions {
  /** Random characters after the prefix; at least 10. */
  length?: number;
  /** Readable prefix such as "BDAY-"; not counted in `length`, adds no secrecy. */
  prefix?: string;
}

/** Uppercases and keeps letters, digits and dashes, so a prefix is always safe in a code. */
export function normalizePrefix(prefix: string): string {
  const cleaned = prefix.toUpperCase().replace(/[^A-Z0-9-]/g, "");
  if (cleaned.length > MAX_PREFIX_LENGTH) throw new RangeError(`Code prefix longer than ${MAX_PREFIX_LENGTH} characters`);
  return cleaned;
}

// Largest multiple of the alphabet size within a byte: bytes at or above it are dropped so every
// symbol keeps exactly the same probability (plain `byte % 31` would favour the first 8 symbols).
const ACCEPT_BELOW = 256 - (256 % CODE_ALPHABET.length);

export function generateDiscountCode(randomBytes: RandomBytes, options: CodeOptions = {}): string {
  const length = options.length ?? DEFAULT_CODE_LENGTH;
  if (!Number.isInteger(length) || length < MIN_CODE_LENGTH) {
    throw new RangeError(`Codes need at least ${MIN_CODE_LENGTH} random characters`);
  }
  const prefix = options.prefix ? normalizePrefix(options.prefix) : "";
  let out = "";
  let draws = 0;
  while (out.length < length) {
    if (++draws > 64) throw new Error("Random source keeps returning unusable bytes");
    const bytes = randomBytes(length - out.length + 4);
    for (const b of bytes) {
      if (b < ACCEPT_BELOW) out += CODE_ALPHABET[b % CODE_ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return prefix + out;
}

/** True when the part after `prefix` is ≥ 10 characters of the code alphabet. */
export function isWellFormedCode(code: string, prefix = ""): boolean {
  const p = prefix ? normalizePrefix(prefix) : "";
  if (!code.startsWith(p)) return false;
  const body = code.slice(p.length);
  return body.length >= MIN_CODE_LENGTH && [...body].every((c) => CODE_ALPHABET.includes(c));
}

function keyPart(value: string, label: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`idempotencyKey needs a ${label}`);
  // ':' separates the parts; escaping it (and '%') keeps keys unambiguous for GIDs like gid://shopify/Customer/1.
  return value.replace(/%/g, "%25").replace(/:/g, "%3A");
}

/**
 * Deterministic key for one grant: the same rule, customer and period always give the same key, so a
 * retry finds the earlier record instead of creating a second code.
 */
export function idempotencyKey(ruleId: string, customerId: string, period: string): string {
  if (typeof period !== "string" || period.trim() === "") throw new TypeError("idempotencyKey needs a period");
  // The period comes last, so it may contain ':' itself (e.g. "tier:gold").
  return `${keyPart(ruleId, "rule id")}:${keyPart(customerId, "customer id")}:${period}`;
}

/** Period strings: what "once" means for each kind of grant. */
export const periods = {
  /** Birthday code for the birthday in `year` (a 1 Jan birthday's window can start the December before). */
  birthday: (year: number): string => String(year),
  birthdayReminder: (year: number, offset: number): string => `${year}:remind:${offset >= 0 ? "+" : ""}${offset}`,
  /** `on` is given when the program allows a tier's code more than once per customer. */
  tier: (tierName: string, on?: string): string => (on ? `tier:${tierName}:${on}` : `tier:${tierName}`),
  lapse: (lapsedSince: string): string => `lapse:${lapsedSince}`,
  /** `year`: the holiday's year, for a campaign that comes back every year. */
  campaign: (ruleId: string, year?: number | null): string => (year ? `campaign:${ruleId}:${year}` : `campaign:${ruleId}`),
  /** The last-chance reminder `daysBeforeEnd` days before a campaign run ends (moment -daysBeforeEnd). */
  campaignReminder: (ruleId: string, year: number | null, daysBeforeEnd: number): string =>
    `${year ? `campaign:${ruleId}:${year}` : `campaign:${ruleId}`}:remind:-${daysBeforeEnd}`,
  /** Without a response id: once per customer for the rule. */
  feedback: (responseId?: string): string => (responseId ? `feedback:${responseId}` : "feedback"),
} as const;

/** The lapse date of a `lapse:YYYY-MM-DD` period, or null for other periods. */
export function lapseDateOfPeriod(period: string): string | null {
  return period.startsWith("lapse:") ? period.slice("lapse:".length) : null;
}
