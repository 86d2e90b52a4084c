import type { BenchRow } from "./harness";

function formatNumber(value: number | null): string {
  if (value === null) return "—";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 4;
  return value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** The results as a plain-text table (one row per measurement) with numbered notes under it. */
export function renderTable(rows: readonly BenchRow[], cores: number): string {
  const header = ["#", "Measurement", "Size", "DB", "Median", "Unit", "Runs", "Target", "Met", "Cores"];
  const body = rows.map((row, i) => [
    String(i + 1),
    row.name,
    row.size,
    row.db,
    row.status === "ok" ? formatNumber(row.median) : row.status,
    row.unit,
    String(row.runs),
    row.target || "—",
    row.meetsTarget === null ? "" : row.meetsTarget ? "yes" : "NO",
    String(cores),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  const rightAligned = new Set([0, 4, 6, 9]);
  const line = (cells: string[]) =>
    cells.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(" │ ");
  const rule = widths.map((w) => "─".repeat(w)).join("─┼─");
  const notes = rows.map((row, i) => (row.note ? `[${i + 1}] ${row.note}` : null)).filter((n): n is string => n !== null);
  return [line(header), rule, ...body.map(line), "", ...notes, ""].join("\n");
}
