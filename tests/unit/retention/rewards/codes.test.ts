import { CODE_ALPHABET, generateDiscountCode, idempotencyKey, isWellFormedCode, periods } from "../../../../app/retention/rewards/codes";
import { seededBytes } from "../../../support/reward-fixtures";

// Chi-square critical value for 30 degrees of freedom at p = 0.001.
const CHI2_30_P001 = 59.7;

function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe("discount codes", () => {
  it("uses a 31-character alphabet without look-alikes", () => {
    expect(CODE_ALPHABET).toHaveLength(31);
    for (const c of "0O1IL") expect(CODE_ALPHABET).not.toContain(c);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
  });

  it("has at least 10 characters from the alphabet, with an optional prefix", () => {
    const bytes = seededBytes(42);
    const code = generateDiscountCode(bytes);
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/);
    const prefixed = generateDiscountCode(bytes, { prefix: "bday-", length: 10 });
    expect(prefixed).toMatch(/^BDAY-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
    expect(isWellFormedCode(prefixed, "BDAY-")).toBe(true);
    expect(isWellFormedCode("BDAY-ABC0O1IL23", "BDAY-")).toBe(false);
    expect(() => generateDiscountCode(bytes, { length: 9 })).toThrow(/at least 10/);
  });

  it("differs from call to call for the same source", () => {
    const bytes = seededBytes(7);
    const codes = new Set(Array.from({ length: 1000 }, () => generateDiscountCode(bytes)));
    expect(codes.size).toBe(1000);
  });

  it("drops bytes ≥ 248 so every symbol is exactly equally likely", () => {
    let next = 0;
    const everyByteInTurn = (n: number) => Uint8Array.from({ length: n }, () => next++ % 256);
    // Four passes over all 256 byte values keep 4 × 248 bytes: each symbol exactly 32 times.
    const code = generateDiscountCode(everyByteInTurn, { length: 4 * 248 });
    const counts = [...CODE_ALPHABET].map((c) => [...code].filter((x) => x === c).length);
    expect(new Set(counts)).toEqual(new Set([32]));
  });

  it("shows no modulo bias over 300,000 characters from fixed seed bytes", () => {
    const bytes = seededBytes(20260305);
    const counts = new Array(CODE_ALPHABET.length).fill(0);
    for (let i = 0; i < 25_000; i++) {
      for (const c of generateDiscountCode(bytes)) counts[CODE_ALPHABET.indexOf(c)]++;
    }
    expect(chiSquare(counts)).toBeLessThan(CHI2_30_P001);
    // The first 8 symbols are the ones plain `byte % 31` would favour (9/256 instead of 8/256).
    const firstEight = counts.slice(0, 8).reduce((a, b) => a + b, 0) / 8;
    const rest = counts.slice(8).reduce((a, b) => a + b, 0) / 23;
    expect(firstEight / rest).toBeGreaterThan(0.98);
    expect(firstEight / rest).toBeLessThan(1.02);

    // The same check does catch the naive mapping, so it has the power to see bias.
    const naive = new Array(CODE_ALPHABET.length).fill(0);
    for (const b of seededBytes(20260305)(300_000)) naive[b % CODE_ALPHABET.length]++;
    expect(chiSquare(naive)).toBeGreaterThan(CHI2_30_P001);
  });

  it("refuses a random source that never yields usable bytes", () => {
    expect(() => generateDiscountCode((n) => new Uint8Array(n).fill(255))).toThrow(/unusable bytes/);
  });
});

describe("idempotency keys", () => {
  it("are deterministic per rule, customer and period", () => {
    const a = idempotencyKey("rule-1", "gid://shopify/Customer/42", periods.birthday(2026));
    expect(a).toBe(idempotencyKey("rule-1", "gid://shopify/Customer/42", "2026"));
    expect(a).not.toBe(idempotencyKey("rule-1", "gid://shopify/Customer/42", periods.birthday(2027)));
    expect(a).not.toBe(idempotencyKey("rule-2", "gid://shopify/Customer/42", "2026"));
  });

  it("cannot be confused by separators inside ids", () => {
    expect(idempotencyKey("a:b", "c", "p")).not.toBe(idempotencyKey("a", "b:c", "p"));
    expect(idempotencyKey("r", "gid://shopify/Customer/1", "tier:gold")).toBe("r:gid%3A//shopify/Customer/1:tier:gold");
  });

  it("names periods for every kind of grant", () => {
    expect(periods.tier("gold")).toBe("tier:gold");
    expect(periods.lapse("2026-10-03")).toBe("lapse:2026-10-03");
    expect(periods.campaign("c1")).toBe("campaign:c1");
    expect(periods.birthdayReminder(2026, -3)).toBe("2026:remind:-3");
    expect(periods.birthdayReminder(2026, 2)).toBe("2026:remind:+2");
    expect(() => idempotencyKey("", "c", "p")).toThrow();
    expect(() => idempotencyKey("r", "c", " ")).toThrow();
  });
});
