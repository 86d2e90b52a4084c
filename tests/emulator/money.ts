/**
 * Money is kept in integer minor units (cents) and only formatted at the edge.
 * GraphQL `Decimal`/`Money` strings drop trailing zeros but keep one decimal ("30.0", "29.9", "29.99"), as Shopify
 * serialises them; REST webhook payloads use two decimals ("30.00").
 */
export function decimalString(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const units = Math.floor(abs / 100);
  const minor = abs % 100;
  let fraction = minor.toString().padStart(2, "0");
  if (fraction.endsWith("0")) fraction = fraction.slice(0, 1);
  return `${negative ? "-" : ""}${units}.${fraction}`;
}

export function restMoneyString(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.round(cents));
  return `${negative ? "-" : ""}${Math.floor(abs / 100)}.${(abs % 100).toString().padStart(2, "0")}`;
}

/** Parses "12", "12.5", "12.50" into cents; NaN for anything else. */
export function parseDecimalToCents(value: string | number): number {
  const text = typeof value === "number" ? String(value) : value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return Number.NaN;
  return Math.round(Number(text) * 100);
}

export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

export interface MoneyBag {
  shopMoney: MoneyV2;
  presentmentMoney: MoneyV2;
}

export function moneyV2(cents: number, currencyCode: string): MoneyV2 {
  return { amount: decimalString(cents), currencyCode };
}

export function moneyBag(cents: number, currencyCode: string): MoneyBag {
  const money = moneyV2(cents, currencyCode);
  return { shopMoney: money, presentmentMoney: { ...money } };
}
