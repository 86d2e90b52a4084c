/**
 * Parsing of the analyst inputs of the `clv` command: customer summary CSVs and transaction logs.
 * Pure (text in, rows out) so the command and the tests share it; every error names its line.
 */
import { dayNumber } from "../time";
import type { Transaction } from "./cleaning";
import type { FrequencyRecency } from "./summary";

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
  // Most lines of a large log have no quotes: a plain split is several times faster than the loop below.
  if (!line.includes('"')) return line.split(",").map((f) => f.trim());
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

export type TransactionFormat = "csv" | "cdnow" | "cdnow-master";

/** Header names looked for when no column flag is given (case-insensitive). */
export const TRANSACTION_COLUMN_DEFAULTS = {
  customer: ["customer_id", "customer", "cust", "id", "customerid"],
  date: ["date", "order_date", "created_at", "processed_at", "timestamp"],
  amount: ["amount", "value", "total", "net_total", "sales", "price"],
} as const;

export interface TransactionLogOptions {
  format?: TransactionFormat;
  /** Header names of the three CSV columns (defaults: TRANSACTION_COLUMN_DEFAULTS). */
  customerColumn?: string;
  dateColumn?: string;
  amountColumn?: string;
}

/**
 * Transaction log, one line at a time (so a file of any size can be streamed through it). Layouts:
 * - "csv": with a header, columns found by name in any order (extra columns ignored); without one,
 *   `customer_id,date[,amount]`. Dates `YYYY-MM-DD`, `YYYYMMDD`, or with a time (`YYYY-MM-DD HH:MM:SS`, ISO `T`).
 * - "cdnow": CDNOW_sample.txt (master id, sample id, YYYYMMDD, CDs, dollars; whitespace separated).
 * - "cdnow-master": the CDNOW master log as published (id, YYYYMMDD, CDs, dollars; whitespace separated).
 * With no format, the first line decides: no comma and 5 fields → cdnow, 4 → cdnow-master, else csv.
 */
export class TransactionLineParser {
  private format: TransactionFormat | undefined;
  private columns: { customer: number; date: number; amount: number; width: number } | null = null;
  private seenFirst = false;

  constructor(private readonly options: TransactionLogOptions = {}) {
    this.format = options.format;
  }

  /** The transaction on this line, or null for a blank or header line; throws InputError naming the line. */
  parse(raw: string, line: number): Transaction | null {
    const text = (this.seenFirst ? raw : raw.replace(/^\uFEFF/, "")).trim();
    if (text === "") return null;
    const first = !this.seenFirst;
    this.seenFirst = true;
    if (this.format === undefined) {
      const fields = text.includes(",") ? [] : text.split(/\s+/);
      this.format = fields.length === 5 ? "cdnow" : fields.length === 4 ? "cdnow-master" : "csv";
    }
    let customerId: string;
    let date: string;
    let amountText: string | undefined;
    if (this.format === "cdnow" || this.format === "cdnow-master") {
      const fields = text.split(/\s+/);
      const width = this.format === "cdnow" ? 5 : 4;
      if (fields.length !== width) {
        throw new InputError(`expected ${width} whitespace-separated fields (${this.format} layout), found ${fields.length}`, line);
      }
      // In the sample the second field (1..2357) is the ID of the published summaries.
      [customerId, date, , amountText] = this.format === "cdnow" ? fields.slice(1) : fields;
    } else {
      const fields = splitCsvLine(text);
      if (first && this.isHeader(fields)) {
        this.columns = this.headerColumns(fields, line);
        return null;
      }
      if (this.columns) {
        if (fields.length !== this.columns.width) {
          throw new InputError(`expected ${this.columns.width} fields like the header, found ${fields.length}`, line);
        }
        customerId = fields[this.columns.customer];
        date = fields[this.columns.date];
        amountText = this.columns.amount >= 0 ? fields[this.columns.amount] : undefined;
      } else {
        if (fields.length < 2 || fields.length > 3) {
          throw new InputError(`expected customer_id,date[,amount], found ${fields.length} fields`, line);
        }
        [customerId, date, amountText] = fields;
      }
    }
    if (customerId === "") throw new InputError("customer id is empty", line);
    try {
      dayNumber(date);
    } catch (error) {
      throw new InputError((error as Error).message, line);
    }
    const amount = amountText === undefined || amountText === "" ? undefined : parseNumber(amountText, "amount", line);
    // A time of day after the date ("YYYY-MM-DD HH:MM:SS", ISO "T") is kept only to recognise re-exported rows.
    const time = date.length > 10 ? date.slice(11).trim() : "";
    return time === "" ? { customerId, date: date.slice(0, 10), amount } : { customerId, date: date.slice(0, 10), amount, time };
  }

  /** A first line is a header when no field looks like a date, or a column flag names one of its fields. */
  private isHeader(fields: string[]): boolean {
    const named = [this.options.customerColumn, this.options.dateColumn, this.options.amountColumn];
    const lower = fields.map((f) => f.toLowerCase());
    if (named.some((n) => n !== undefined && lower.includes(n.toLowerCase()))) return true;
    return !fields.some((f) => looksLikeDate(f));
  }

  private headerColumns(fields: string[], line: number) {
    const lower = fields.map((f) => f.toLowerCase());
    const find = (flag: string | undefined, defaults: readonly string[], what: string, required: boolean): number => {
      if (flag !== undefined) {
        const i = lower.indexOf(flag.toLowerCase());
        if (i < 0) throw new InputError(`no column named "${flag}" for the ${what} in the header "${fields.join(",")}"`, line);
        return i;
      }
      const i = lower.findIndex((h) => defaults.includes(h));
      if (i < 0 && required) {
        throw new InputError(
          `the header "${fields.join(",")}" has no ${what} column (looked for ${defaults.join(", ")}; name it with --${what}-column)`,
          line,
        );
      }
      return i;
    };
    return {
      customer: find(this.options.customerColumn, TRANSACTION_COLUMN_DEFAULTS.customer, "customer", true),
      date: find(this.options.dateColumn, TRANSACTION_COLUMN_DEFAULTS.date, "date", true),
      amount: find(this.options.amountColumn, TRANSACTION_COLUMN_DEFAULTS.amount, "amount", false),
      width: fields.length,
    };
  }
}

/** A whole transaction log in memory (tests, small files); the command streams lines through TransactionLineParser. */
export function parseTransactionLog(text: string, format?: TransactionFormat | TransactionLogOptions): Transaction[] {
  const parser = new TransactionLineParser(typeof format === "string" ? { format } : format);
  const transactions: Transaction[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = parser.parse(raw, i + 1);
    if (t) transactions.push(t);
  });
  if (transactions.length === 0) throw new InputError(text.trim() === "" ? "the file is empty" : "no transactions after the header", null);
  return transactions;
}

function looksLikeDate(value: string | undefined): boolean {
  return value !== undefined && /^\d{4}-?\d{2}-?\d{2}/.test(value);
}
