/**
 * Birthday import from a CSV the merchant uploads in Settings: one customer per line,
 * `customer email or id, YYYY-MM-DD`. Every line is checked; a bad line is reported with its number and
 * changes nothing; good lines are handed to the one birthday writer (app/jobs/birthdays.server.ts). Identifiers may be an email, a numeric Shopify
 * customer id or its gid. A header line, quotes, `;` or tab separators and a BOM are tolerated.
 */
import db from "../db.server";

export const MAX_IMPORT_BYTES = 2_000_000;
export const MAX_IMPORT_ROWS = 50_000;
const LOOKUP_BATCH = 500;

export type ImportErrorCode = "columns" | "identifier" | "date" | "future" | "tooOld" | "duplicate" | "notFound" | "ambiguous";

export interface ImportRowError {
  line: number;
  code: ImportErrorCode;
  /** The offending text, shortened for display. */
  value: string;
  /** For "duplicate": the line that already named this customer. */
  firstLine?: number;
}

export interface ParsedBirthdayRow {
  line: number;
  identifier: { kind: "email"; email: string } | { kind: "id"; shopifyId: string };
  birthday: string;
}

export interface BirthdayImportResult {
  /** Lines with data (header and blank lines excluded). */
  rows: number;
  updated: number;
  unchanged: number;
  errors: ImportRowError[];
  /** Set when the whole file was refused (too big, too many lines, empty). */
  fileError: "tooLarge" | "tooManyRows" | "empty" | null;
}

const short = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

function splitLine(line: string): string[] {
  const separator = line.includes(",") ? "," : line.includes(";") ? ";" : "\t";
  return line.split(separator).map((cell) =>
    cell
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .trim(),
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseIdentifier(text: string): ParsedBirthdayRow["identifier"] | null {
  if (EMAIL.test(text) && text.length <= 320) return { kind: "email", email: text.toLowerCase() };
  const numeric = /^\d{1,20}$/.test(text) ? text : /^gid:\/\/shopify\/Customer\/(\d{1,20})$/.exec(text)?.[1];
  return numeric ? { kind: "id", shopifyId: `gid://shopify/Customer/${numeric}` } : null;
}

/** A real calendar date (so 2023-02-29 is refused and 2024-02-29 accepted), not in the future. */
export function checkBirthday(text: string, today: string): "ok" | "date" | "future" | "tooOld" {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return "date";
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return "date";
  if (year < 1900) return "tooOld";
  return text > today ? "future" : "ok";
}

// A first line naming the columns (in any of the admin's languages) is a header, not a bad row.
const HEADER_WORDS = /e-?mail|\bid\b|customer|birth|date|пошта|почта|клієнт|клиент|дата|народж|рожд|kupac|rođen|datum/i;
const looksLikeHeader = (cells: string[]) => cells.length >= 2 && !/\d/.test(cells.join("")) && HEADER_WORDS.test(cells.join(" "));

/** Pure parsing: rows to import and per-line errors (no database). */
export function parseBirthdayCsv(text: string, today: string): { rows: ParsedBirthdayRow[]; errors: ImportRowError[]; dataLines: number } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const rows: ParsedBirthdayRow[] = [];
  const errors: ImportRowError[] = [];
  const seen = new Map<string, number>();
  let dataLines = 0;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    const cells = splitLine(raw);
    if (dataLines === 0 && rows.length === 0 && errors.length === 0 && looksLikeHeader(cells)) return;
    dataLines++;
    if (cells.length !== 2 || !cells[0] || !cells[1]) {
      errors.push({ line, code: "columns", value: short(raw.trim()) });
      return;
    }
    const identifier = parseIdentifier(cells[0]);
    if (!identifier) {
      errors.push({ line, code: "identifier", value: short(cells[0]) });
      return;
    }
    const check = checkBirthday(cells[1], today);
    if (check !== "ok") {
      errors.push({ line, code: check, value: short(cells[1]) });
      return;
    }
    const key = identifier.kind === "email" ? `e:${identifier.email}` : `i:${identifier.shopifyId}`;
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      errors.push({ line, code: "duplicate", value: short(cells[0]), firstLine });
      return;
    }
    seen.set(key, line);
    rows.push({ line, identifier, birthday: cells[1] });
  });
  return { rows, errors, dataLines };
}

interface Match {
  id: string;
  shopifyId: string;
  birthday: string | null;
}

async function resolveCustomers(shop: string, rows: ParsedBirthdayRow[]) {
  const byEmail = new Map<string, Match[]>();
  const byShopifyId = new Map<string, Match>();
  const emails = [...new Set(rows.flatMap((r) => (r.identifier.kind === "email" ? [r.identifier.email] : [])))];
  const ids = [...new Set(rows.flatMap((r) => (r.identifier.kind === "id" ? [r.identifier.shopifyId] : [])))];
  for (let i = 0; i < emails.length; i += LOOKUP_BATCH) {
    const batch = emails.slice(i, i + LOOKUP_BATCH);
    // Stored emails usually are lower case already; the upper-cased variant catches shops that are not.
    const found = await db.customer.findMany({
      where: { shop, email: { in: [...batch, ...batch.map((e) => e.toUpperCase())] } },
      select: { id: true, shopifyId: true, email: true, birthday: true },
    });
    for (const c of found) {
      const key = (c.email ?? "").toLowerCase();
      byEmail.set(key, [...(byEmail.get(key) ?? []), { id: c.id, shopifyId: c.shopifyId, birthday: c.birthday }]);
    }
  }
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
    const found = await db.customer.findMany({
      where: { shop, shopifyId: { in: ids.slice(i, i + LOOKUP_BATCH) } },
      select: { id: true, shopifyId: true, birthday: true },
    });
    for (const c of found) byShopifyId.set(c.shopifyId, { id: c.id, shopifyId: c.shopifyId, birthday: c.birthday });
  }
  return { byEmail, byShopifyId };
}

export interface PlannedBirthdayWrite {
  shopifyId: string;
  birthday: string;
}

/** Checks a CSV against the shop's customers: the result to show and the birthdays to write. */
export async function planBirthdayImport(
  shop: string,
  text: string,
  today: string,
): Promise<{ result: BirthdayImportResult; writes: PlannedBirthdayWrite[] }> {
  const empty = { rows: 0, updated: 0, unchanged: 0, errors: [] as ImportRowError[] };
  if (Buffer.byteLength(text, "utf8") > MAX_IMPORT_BYTES) return { result: { ...empty, fileError: "tooLarge" }, writes: [] };
  const parsed = parseBirthdayCsv(text, today);
  if (parsed.dataLines === 0) return { result: { ...empty, fileError: "empty" }, writes: [] };
  if (parsed.dataLines > MAX_IMPORT_ROWS) return { result: { ...empty, rows: parsed.dataLines, fileError: "tooManyRows" }, writes: [] };

  const { byEmail, byShopifyId } = await resolveCustomers(shop, parsed.rows);
  const errors = [...parsed.errors];
  const writes: PlannedBirthdayWrite[] = [];
  const claimed = new Map<string, number>();
  let unchanged = 0;
  for (const row of parsed.rows) {
    let match: Match | undefined;
    const shown = row.identifier.kind === "email" ? row.identifier.email : row.identifier.shopifyId.replace("gid://shopify/Customer/", "");
    if (row.identifier.kind === "email") {
      const matches = byEmail.get(row.identifier.email) ?? [];
      if (matches.length > 1) {
        errors.push({ line: row.line, code: "ambiguous", value: shown });
        continue;
      }
      match = matches[0];
    } else {
      match = byShopifyId.get(row.identifier.shopifyId);
    }
    if (!match) {
      errors.push({ line: row.line, code: "notFound", value: shown });
      continue;
    }
    // The same customer named once by email and once by id.
    const earlier = claimed.get(match.id);
    if (earlier !== undefined) {
      errors.push({ line: row.line, code: "duplicate", value: shown, firstLine: earlier });
      continue;
    }
    claimed.set(match.id, row.line);
    if (match.birthday === row.birthday) unchanged++;
    // Unchanged lines are written too: a birthday an older version kept only locally reaches Shopify.
    writes.push({ shopifyId: match.shopifyId, birthday: row.birthday });
  }
  errors.sort((a, b) => a.line - b.line);
  return { result: { rows: parsed.dataLines, updated: writes.length - unchanged, unchanged, errors, fileError: null }, writes };
}
