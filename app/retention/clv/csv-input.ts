/**
 * Parsing of the analyst inputs of the `clv` command: customer summary CSVs and transaction logs.
 * Pure (text in, rows out) so the command and the tests share it; every error names its line.
 */
import { dayNumber } from "../time";
import type { FrequencyRecency, Transaction } from "./summary";

export class InputError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = "InputError";
  }
}

export interface SummaryRow extends FrequencyRecency {
  customerId: string;
  monetaryValue: number | null;
}

/** Header aliases: lifetimes/CDNOW names and the BTYD letters. */
const COLUMN_ALIASES = {
  id: ["id", "customer_id", "cust", "customer"],
  frequency: ["frequency", "x"],
  recency: ["recency", "t_x"],
  T: ["t"],
  monetary: ["monetary_value", "monetary", "zbar", "m"],
} as const;

/** Splits one CSV line; handles double-quoted fields with "" escapes (no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ",") {
      fields.push(field.trim());
      field = "";
    } else {
      field += ch;
    }
  }
  fields.push(field.trim());
  return fields;
}

/** Non-empty lines with their 1-based line numbers (CRLF and a UTF-8 BOM tolerated). */
function numberedLines(text: string): { line: number; text: string }[] {
  return text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== "");
}

function parseNumber(raw: string | undefined, column: string, line: number): number {
  const value = raw === undefined || raw === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) throw new InputError(`${column} is not a number: "${raw ?? ""}"`, line);
  return value;
}

/** Customer summary CSV: header with frequency/x, recency/t_x, T and optionally monetary_value/zbar and an id. */
export function parseSummaryCsv(text: string): SummaryRow[] {
  const lines = numberedLines(text);
  if (lines.length === 0) throw new InputError("the file is empty", null);
  const header = splitCsvLine(lines[0].text).map((h) => h.toLowerCase());
  const find = (aliases: readonly string[]): number => header.findIndex((h) => aliases.includes(h));
  const columns = {
    id: find(COLUMN_ALIASES.id),
    frequency: find(COLUMN_ALIASES.frequency),
    recency: find(COLUMN_ALIASES.recency),
    T: find(COLUMN_ALIASES.T),
    monetary: find(COLUMN_ALIASES.monetary),
  };
  const missing = (["frequency", "recency", "T"] as const).filter((k) => columns[k] < 0);
  if (missing.length > 0) {
    throw new InputError(
      `header must name the columns frequency (or x), recency (or t_x) and T; missing ${missing.join(", ")} in "${lines[0].text}"`,
      lines[0].line,
    );
  }
  return lines.slice(1).map(({ line, text: raw }) => {
    const fields = splitCsvLine(raw);
    if (fields.length !== header.length) {
      throw new InputError(`expected ${header.length} fields like the header, found ${fields.length}`, line);
    }
    const frequency = parseNumber(fields[columns.frequency], "frequency", line);
    const recency = parseNumber(fields[columns.recency], "recency", line);
    const T = parseNumber(fields[columns.T], "T", line);
    if (!Number.isInteger(frequency) || frequency < 0) {
      throw new InputError(`frequency must be a whole number ≥ 0, got ${frequency}`, line);
    }
    if (recency < 0 || recency > T) throw new InputError(`need 0 ≤ recency ≤ T, got recency ${recency}, T ${T}`, line);
    if (frequency === 0 && recency !== 0) throw new InputError(`recency must be 0 when frequency is 0, got ${recency}`, line);
    const monetaryValue = columns.monetary >= 0 ? parseNumber(fields[columns.monetary], "monetary_value", line) : null;
    if (monetaryValue !== null && monetaryValue < 0) throw new InputError(`monetary_value must be ≥ 0, got ${monetaryValue}`, line);
    return { customerId: columns.id >= 0 ? fields[columns.id] : String(line), frequency, recency, T, monetaryValue };
  });
}

export type TransactionFormat = "csv" | "cdnow";

/**
 * Transaction log. "csv": `customer_id,date[,amount]` with an optional header line. "cdnow": the
 * whitespace-separated CDNOW_sample.txt layout (master id, sample id, YYYYMMDD, CDs, dollars; no header).
 * With format undefined, a first line without commas that has 5 whitespace-separated fields means "cdnow".
 */
export function parseTransactionLog(text: string, format?: TransactionFormat): Transaction[] {
  const lines = numberedLines(text);
  if (lines.length === 0) throw new InputError("the file is empty", null);
  const detected: TransactionFormat =
    format ?? (!lines[0].text.includes(",") && lines[0].text.split(/\s+/).length === 5 ? "cdnow" : "csv");
  const transactions: Transaction[] = [];
  lines.forEach(({ line, text: raw }, index) => {
    let customerId: string;
    let date: string;
    let amountText: string | undefined;
    if (detected === "cdnow") {
      const fields = raw.split(/\s+/);
      if (fields.length !== 5) throw new InputError(`expected 5 whitespace-separated fields (CDNOW layout), found ${fields.length}`, line);
      // The sample id (1..2357) is the ID of the published summaries; the master id identifies the same person.
      [, customerId, date, , amountText] = fields;
    } else {
      const fields = splitCsvLine(raw);
      if (fields.length < 2 || fields.length > 3) {
        throw new InputError(`expected customer_id,date[,amount], found ${fields.length} fields`, line);
      }
      [customerId, date, amountText] = fields;
      if (index === 0 && !looksLikeDate(date)) return; // header line
    }
    if (customerId === "") throw new InputError("customer id is empty", line);
    try {
      dayNumber(date);
    } catch (error) {
      throw new InputError((error as Error).message, line);
    }
    const amount = amountText === undefined || amountText === "" ? undefined : parseNumber(amountText, "amount", line);
    transactions.push({ customerId, date, amount });
  });
  if (transactions.length === 0) throw new InputError("no transactions after the header", null);
  return transactions;
}

function looksLikeDate(value: string | undefined): boolean {
  return value !== undefined && /^\d{4}-?\d{2}-?\d{2}/.test(value);
}
