import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../../../app/retention/clv/cli";
import { parseSummaryCsv, parseTransactionLog } from "../../../../app/retention/clv/csv-input";
import { dayNumber, dayString } from "../../../../app/retention/time";
import { cdnowFile, HAS_CDNOW, PUBLISHED, REPO_ROOT } from "../../../support/shared-data";

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, "app/retention/clv/cli.ts");

/** The command run in this process (its output captured), as `npm run clv` runs it. */
async function clv(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

/** The command as its own process: exit code and streams. */
async function clvProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const scratch = mkdtempSync(path.join(tmpdir(), "kinship-clv-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const writeScratch = (name: string, text: string): string => {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
};

describe("clv fit (command)", () => {
  it.runIf(HAS_CDNOW)("prints the documented JSON shape with the published CDNOW values", async () => {
    const { code, stdout } = await clv("fit", cdnowFile("cdnow_customers_summary_with_transactions.csv"));
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.customers).toBe(2357);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(["customers", "bgnbd", "gammaGamma", "backtest"]));
    expect(Object.keys(out.bgnbd)).toEqual(expect.arrayContaining(["r", "alpha", "a", "b", "logLikelihood", "converged"]));
    expect(out.bgnbd.converged).toBe(true);
    expect(Math.abs(out.bgnbd.r / PUBLISHED.bgnbd.r - 1)).toBeLessThan(0.01);
    expect(Math.abs(out.bgnbd.logLikelihood - PUBLISHED.bgnbd.logLikelihood)).toBeLessThan(0.1);
    expect(Math.abs(out.gammaGamma.p / PUBLISHED.gammaGamma.p - 1)).toBeLessThan(0.01);
    expect(Math.abs(out.gammaGamma.q / PUBLISHED.gammaGamma.q - 1)).toBeLessThan(0.01);
    expect(Math.abs(out.gammaGamma.v / PUBLISHED.gammaGamma.v - 1)).toBeLessThan(0.01);
    expect(out.backtest).toBeNull();
  });

  it.runIf(HAS_CDNOW)("gives gammaGamma null for a summary without monetary values", async () => {
    const { code, stdout } = await clv("fit", cdnowFile("cdnow_customers_summary.csv"));
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.gammaGamma).toBeNull();
    expect(Math.abs(out.bgnbd.b / PUBLISHED.bgnbd.b - 1)).toBeLessThan(0.01);
  });

  it.runIf(HAS_CDNOW)("backtests the raw CDNOW log in transactions mode", async () => {
    const { code, stdout } = await clv(
      "fit",
      cdnowFile("CDNOW_sample.txt"),
      "--transactions",
      "--calibration-end",
      "1997-09-30",
      "--holdout-end",
      "1998-06-30",
      "--unit",
      "weeks",
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.customers).toBe(2357);
    expect(Math.abs(out.bgnbd.a / PUBLISHED.bgnbd.a - 1)).toBeLessThan(0.01);
    expect(Math.abs(out.gammaGamma.p / PUBLISHED.gammaGamma.p - 1)).toBeLessThan(0.01);
    expect(out.backtest.holdoutActual).toBe(1882);
    expect(out.backtest.holdoutPredicted).toBeGreaterThan(1500);
    expect(out.backtest.holdoutPredicted).toBeLessThan(1900);
    expect(out.backtest.mae).toBeLessThan(out.backtest.naiveMae);
    // Issue 19 "model choice": the three candidates on weeks 27–39 of the calibration period, BG/NBD kept, and each
    // model refitted on the 39 calibration weeks and scored on the holdout.
    expect(out.modelChoice).toMatchObject({ chosen: "bgnbd", reason: "bgnbd-best", actual: 711, margin: 0.05 });
    expect(out.modelChoice.candidates.map((c: { model: string; status: string }) => `${c.model}:${c.status}`)).toEqual([
      "bgnbd:scored",
      "pareto-nbd:scored",
      "mbg-nbd:scored",
    ]);
    expect(out.modelChoice.holdout.actual).toBe(1882);
    expect(out.modelChoice.holdout.candidates[0].predicted).toBeCloseTo(out.backtest.holdoutPredicted, 6);
  });

  it("names the line of a bad row and exits non-zero", async () => {
    const file = writeScratch("bad.csv", "ID,frequency,recency,T\n1,2,30.43,38.86\n2,1,abc,38.86\n");
    const { code, stdout, stderr } = await clv("fit", file);
    expect(code).not.toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/line 3: recency is not a number: "abc"/);
  });

  it("reports a missing column, an unreadable file and a bad transaction date", async () => {
    const noT = await clv("fit", writeScratch("no-t.csv", "frequency,recency\n1,2\n"));
    expect(noT.code).not.toBe(0);
    expect(noT.stderr).toMatch(/line 1: .*missing T/);
    const missing = await clv("fit", path.join(scratch, "nope.csv"));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot read/);
    const badDate = await clv(
      "fit",
      writeScratch("log.csv", "customer_id,date,amount\nA,2024-01-05,10\nA,2024-13-01,5\n"),
      "--transactions",
    );
    expect(badDate.code).not.toBe(0);
    expect(badDate.stderr).toMatch(/line 3: /);
  });

  it("explains usage errors", async () => {
    const { code, stderr } = await clv("fit");
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing <file>/);
  });

  it("runs as its own process: the JSON on stdout and exit 0, a usage error on stderr and exit 2", async () => {
    const fitted = await clvProcess("fit", writeScratch("ok.csv", "frequency,recency,T\n2,30,40\n0,0,40\n1,10,38\n"));
    expect(fitted.stderr).toBe("");
    expect(fitted.code).toBe(0);
    expect(JSON.parse(fitted.stdout).customers).toBe(3);
    const usage = await clvProcess("fit");
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe("");
    expect(usage.stderr).toMatch(/missing <file>/);
  });
});

describe("clv fit --transactions: size, formats and the amount rules", () => {
  it("streams a 160,000-row log (Math.max(...dates) overflowed the stack above ~125,000 and was reported as a bad file)", async () => {
    // 1,600 customers buying on 100 days each: many rows, few customers, so the fit stays quick.
    const lines = ["customer_id,date,amount"];
    for (let i = 0; i < 160_000; i++)
      lines.push(`c${i % 1_600},${dayString(dayNumber("2023-01-01") + Math.floor(i / 1_600) * 3 + (i % 3))},${10 + (i % 9)}`);
    const { code, stdout, stderr } = await clv("fit", writeScratch("big.csv", `${lines.join("\n")}\n`), "--transactions");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.lines).toBe(160_000);
    expect(out.customers).toBe(1_600);
    expect(out.repeatBuyers).toBe(1_600);
  });

  it("reads named columns in any order, chosen by flags, with date-times", async () => {
    const byDefault = writeScratch(
      "named.csv",
      "amount,created_at,note,customer_id\n10,2024-01-05 09:15:00,x,A\n20,2024-01-09 23:59:59,y,A\n5,2024-01-07 00:00:01,z,B\n",
    );
    const a = JSON.parse((await clv("fit", byDefault, "--transactions", "--min-repeat-buyers", "1")).stdout);
    expect(a.customers).toBe(2);
    expect(a.repeatBuyers).toBe(1);
    expect(a.calibrationEnd).toBe("2024-01-09");
    const flagged = writeScratch("flags.csv", "paid;when;buyer\n".replace(/;/g, ",") + "10,2024-01-05,A\n20,2024-01-09,A\n");
    const b = await clv(
      "fit",
      flagged,
      "--transactions",
      "--customer-column",
      "buyer",
      "--date-column",
      "when",
      "--amount-column",
      "paid",
      "--min-repeat-buyers",
      "1",
    );
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout).repeatBuyers).toBe(1);
    const wrong = await clv("fit", flagged, "--transactions", "--customer-column", "client");
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/line 1: no column named "client"/);
  });

  it.runIf(HAS_CDNOW)("reads the CDNOW master layout (id, YYYYMMDD, quantity, amount) like the sample", async () => {
    const master = readFileSync(cdnowFile("CDNOW_sample.txt"), "utf8")
      .trim()
      .split(/\r?\n/)
      .map((line) => line.trim().split(/\s+/))
      .map(([id, , date, cds, dollars]) => ` ${id}   ${date}  ${cds}  ${dollars}`)
      .join("\n");
    const { code, stdout } = await clv(
      "fit",
      writeScratch("master.txt", master),
      "--transactions",
      "--calibration-end",
      "1997-09-30",
      "--unit",
      "weeks",
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.customers).toBe(2357);
    expect(Math.abs(out.bgnbd.r / PUBLISHED.bgnbd.r - 1)).toBeLessThan(0.01);
  });

  it("nets refunds per day, does not count refund days as purchases, caps an extreme order, and says so", async () => {
    // 60 customers buy twice (day 1 and day 40); 30 of them get a refund on a later day; one order is 1e9.
    const lines = ["customer_id,date,amount"];
    for (let i = 0; i < 60; i++) {
      lines.push(`c${i},2024-01-01,${20 + (i % 7)}`, `c${i},2024-02-09,${i === 0 ? 1e9 : 25 + (i % 5)}`);
      if (i % 2 === 0) lines.push(`c${i},2024-03-0${1 + (i % 9)},-${10 + (i % 3)}`);
    }
    for (let i = 0; i < 40; i++) lines.push(`n${i},2024-0${1 + (i % 3)}-15,30`);
    lines.push("z0,2024-02-20,-15");
    const { code, stdout } = await clv(
      "fit",
      writeScratch("refunds.csv", lines.join("\n")),
      "--transactions",
      "--calibration-end",
      "2024-03-31",
      "--min-repeat-buyers",
      "10",
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.repeatBuyers).toBe(60);
    expect(out.customers).toBe(100);
    expect(out.rules.nonPositiveLines).toBe(31);
    expect(out.rules.nonPurchaseDays).toBe(31);
    expect(out.rules.customersWithoutPurchase).toBe(1);
    expect(out.rules.cappedDays).toBe(1);
    expect(out.rules.cappedCustomers).toEqual(["c0"]);
    expect(out.rules.spendCap).toBeLessThan(1e5);
    expect(out.gammaGamma === null || out.gammaGamma.meanSpend < 1e5).toBe(true);
    expect(out.warnings.join(" ")).toMatch(/not counted as purchases/);
  });

  it("keeps the default calibration end at the last real day when a row is dated in the future, and warns", async () => {
    const file = writeScratch(
      "future.csv",
      "customer_id,date,amount\nA,2024-01-05,10\nA,2024-02-05,10\nB,2024-01-20,10\nB,2099-06-01,10\n",
    );
    const { code, stdout } = await clv("fit", file, "--transactions", "--min-repeat-buyers", "1");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.calibrationEnd).toBe("2024-02-05");
    expect(out.rules.futureDatedLines).toBe(1);
    expect(out.rules.latestFutureDate).toBe("2099-06-01");
    expect(out.warnings.join(" ")).toMatch(/dated after today/);
  });
});

describe("clv fit --transactions: the data rules", () => {
  it("drops re-exported rows, keeps a mistyped year out of the calibration end, and reports every rule with its count", async () => {
    // 200 customers, 6 timed orders each over 1997–98; two rows exported twice; one row typed as 2019.
    const lines = ["customer,timestamp,value"];
    for (let i = 0; i < 1_200; i++) {
      const date = dayString(dayNumber("1997-01-01") + (i % 200) + Math.floor(i / 200) * 90);
      lines.push(`c${i % 200},${date}T${String(8 + (i % 12)).padStart(2, "0")}:15:00,${(12 + (i % 17)).toFixed(2)}`);
    }
    lines.push(lines[5], lines[700], "c3,2019-05-04T12:00:00,20.00");
    const { code, stdout } = await clv("fit", writeScratch("rules.csv", lines.join("\n")), "--transactions", "--date-column", "timestamp");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.lines).toBe(1_203);
    expect(out.calibrationEnd).toBe(dayString(dayNumber("1997-01-01") + 199 + 5 * 90));
    expect(out.rules).toMatchObject({ duplicateLines: 2, isolatedLateLines: 1, futureDatedLines: 0, nonPurchaseDays: 0 });
    expect(out.warnings.join(" ")).toMatch(/2 line\(s\) repeat an earlier line exactly/);
    expect(out.warnings.join(" ")).toMatch(/1 line\(s\) lie more than 90 days after the rest/);
  });
});

describe("input parsing", () => {
  it("accepts lifetimes/BTYD header names and quoted fields", () => {
    const rows = parseSummaryCsv('ID,x,t_x,T,zbar\r\n"7",2,3.5,10,"12.5"\r\n');
    expect(rows).toEqual([{ customerId: "7", frequency: 2, recency: 3.5, T: 10, monetaryValue: 12.5 }]);
  });

  it("rejects summaries that cannot come from a purchase history", () => {
    expect(() => parseSummaryCsv("frequency,recency,T\n1.5,1,2\n")).toThrow(/line 2: frequency must be a whole number/);
    expect(() => parseSummaryCsv("frequency,recency,T\n1,5,2\n")).toThrow(/line 2: need 0 ≤ recency ≤ T/);
    expect(() => parseSummaryCsv("frequency,recency,T\n0,1,2\n")).toThrow(/line 2: recency must be 0/);
    expect(() => parseSummaryCsv("frequency,recency,T\n1,1\n")).toThrow(/line 2: expected 3 fields/);
  });

  it("reads a log with or without header, amount optional", () => {
    expect(parseTransactionLog("a,2024-01-02\nb,20240103,4.5\n")).toEqual([
      { customerId: "a", date: "2024-01-02", amount: undefined },
      { customerId: "b", date: "20240103", amount: 4.5 },
    ]);
    expect(parseTransactionLog("customer_id,date\na,2024-01-02\n")).toHaveLength(1);
    expect(() => parseTransactionLog("customer_id,date\na,2024-01-02,1,2\n")).toThrow(/line 2: expected 2 fields like the header/);
  });
});
