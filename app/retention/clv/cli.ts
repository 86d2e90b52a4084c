/**
 * `npm run -s clv -- fit <file.csv> [options]` — fits the app's own CLV models on a file and prints JSON.
 * The only file under app/retention allowed to touch the file system and the process.
 */
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { dayNumber, dayString, type TimeUnit } from "../time";
import { backtest } from "./backtest";
import { fitBgNbd, type BgNbdFit } from "./bgnbd";
import { InputError, parseSummaryCsv, TransactionLineParser, type TransactionFormat } from "./csv-input";
import { fitGammaGamma, type GammaGammaFit } from "./gamma-gamma";
import { emptyCleaningReport, PurchaseLedger, rulesThatFired, type CleaningReport } from "./cleaning";
import { chooseModel, compareModels } from "./model-choice";
import { summarizeTransactions } from "./summary";

const USAGE = `usage: clv fit <file> [options]
  <file>                    customer summary CSV: header with frequency,recency,T[,monetary_value]
                            (lifetimes/CDNOW names x,t_x,zbar also accepted), any single time unit
  --transactions            <file> is a transaction log instead: CSV with a header naming the customer, date
                            and amount columns in any order, or customer_id,date[,amount] without one;
                            dates YYYY-MM-DD, YYYYMMDD or YYYY-MM-DD HH:MM:SS; streamed, any size
  --format csv|cdnow|cdnow-master
                            transaction log layout (default: detected; cdnow = CDNOW_sample.txt,
                            cdnow-master = id, YYYYMMDD, quantity, amount, whitespace separated)
  --customer-column NAME    CSV header of the customer column (default: customer_id, customer, id, ...)
  --date-column NAME        CSV header of the date column (default: date, order_date, created_at, ...)
  --amount-column NAME      CSV header of the amount column (default: amount, value, total, ...)
  --calibration-end DATE    last day of the calibration period (default: last date in the log not after
                            today; later rows are reported as future-dated)
  --holdout-end DATE        last day of the holdout (default: as --calibration-end); enables the backtest
Data rules (app/retention/clv/cleaning.ts, the same in the app): lines of one customer-day are netted; a day with
net < 0, or 0 after a refund, is not a purchase; a line repeating an earlier one to the second is dropped; lines
after today, or after a > 90-day gap holding < 0.1% of the log, do not move the default calibration end; day values
above a robust cap are winsorised for the spend model. "rules" and "warnings" in the output say what fired.
Model choice (docs/decisions/017): BG/NBD, Pareto/NBD and MBG/NBD are fitted on the calibration period less its last
third and scored on that third; "modelChoice" gives each one's errors, the model kept and why, and with a holdout
("modelChoice.holdout") each model refitted on the whole calibration period and scored on the holdout.
  --unit days|weeks         time unit for transaction logs (default days)
  --min-repeat-buyers N     repeat buyers needed before BG/NBD is fitted (default 50)`;

class UsageError extends Error {}

interface Options {
  file: string;
  transactions: boolean;
  format?: TransactionFormat;
  customerColumn?: string;
  dateColumn?: string;
  amountColumn?: string;
  calibrationEnd?: string;
  holdoutEnd?: string;
  unit: TimeUnit;
  minRepeatBuyers?: number;
}

function parseArgs(argv: readonly string[]): Options {
  const [command, ...rest] = argv;
  if (command !== "fit") throw new UsageError(command ? `unknown command "${command}"` : "missing command");
  const options: Partial<Options> & { unit: TimeUnit; transactions: boolean } = { unit: "days", transactions: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === "--transactions") options.transactions = true;
    else if (arg === "--format") {
      const v = value();
      if (v !== "csv" && v !== "cdnow" && v !== "cdnow-master") {
        throw new UsageError(`--format must be csv, cdnow or cdnow-master, got "${v}"`);
      }
      options.format = v;
    } else if (arg === "--customer-column") options.customerColumn = value();
    else if (arg === "--date-column") options.dateColumn = value();
    else if (arg === "--amount-column") options.amountColumn = value();
    else if (arg === "--calibration-end") options.calibrationEnd = value();
    else if (arg === "--holdout-end") options.holdoutEnd = value();
    else if (arg === "--unit") {
      const v = value();
      if (v !== "days" && v !== "weeks") throw new UsageError(`--unit must be days or weeks, got "${v}"`);
      options.unit = v;
    } else if (arg === "--min-repeat-buyers") {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new UsageError("--min-repeat-buyers must be a positive whole number");
      options.minRepeatBuyers = n;
    } else if (arg.startsWith("--")) throw new UsageError(`unknown option ${arg}`);
    else if (options.file === undefined) options.file = arg;
    else throw new UsageError(`unexpected argument "${arg}"`);
  }
  if (options.file === undefined) throw new UsageError("missing <file>");
  const logOnly = [
    options.calibrationEnd,
    options.holdoutEnd,
    options.format,
    options.customerColumn,
    options.dateColumn,
    options.amountColumn,
  ];
  if (!options.transactions && logOnly.some((v) => v !== undefined)) {
    throw new UsageError("--calibration-end, --holdout-end, --format and the --*-column options need --transactions");
  }
  for (const date of [options.calibrationEnd, options.holdoutEnd]) {
    if (date !== undefined) {
      try {
        dayNumber(date);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
  }
  if (
    options.calibrationEnd !== undefined &&
    options.holdoutEnd !== undefined &&
    !(dayNumber(options.holdoutEnd) > dayNumber(options.calibrationEnd))
  ) {
    throw new UsageError(`--holdout-end ${options.holdoutEnd} must be after --calibration-end ${options.calibrationEnd}`);
  }
  return options as Options;
}

function bgnbdJson(fit: BgNbdFit) {
  if (fit.status === "insufficient") return null;
  const { r, alpha, a, b, logLikelihood, converged, gradientMax, iterations } = fit;
  return { r, alpha, a, b, logLikelihood, converged, gradientMax, iterations };
}

function gammaGammaJson(fit: GammaGammaFit | null) {
  if (fit === null || fit.status === "insufficient") return null;
  const { p, q, v, logLikelihood, converged, customers, frequencySpendCorrelation, meanSpend } = fit;
  return { p, q, v, logLikelihood, converged, customers, frequencySpendCorrelation, meanSpend };
}

function modelStatus(bgnbd: BgNbdFit, gg: GammaGammaFit | null) {
  return {
    bgnbd:
      bgnbd.status === "insufficient"
        ? { status: bgnbd.status, reason: bgnbd.reason, repeatBuyersNeeded: bgnbd.repeatBuyersNeeded }
        : { status: "fitted" },
    gammaGamma:
      gg === null
        ? { status: "no monetary values" }
        : gg.status === "insufficient"
          ? { status: gg.status, reason: gg.reason }
          : { status: "fitted" },
  };
}

async function run(options: Options, today: number): Promise<unknown> {
  const minRepeatBuyers = options.minRepeatBuyers;
  if (!options.transactions) {
    const rows = parseSummaryCsv(readFileSync(options.file, "utf8"));
    const bgnbd = fitBgNbd(rows, { minRepeatBuyers });
    const hasMonetary = rows.length > 0 && rows.every((row) => row.monetaryValue !== null);
    const gg = hasMonetary ? fitGammaGamma(rows.map((row) => ({ frequency: row.frequency, monetaryValue: row.monetaryValue ?? 0 }))) : null;
    return {
      customers: rows.length,
      repeatBuyers: bgnbd.repeatBuyers,
      bgnbd: bgnbdJson(bgnbd),
      gammaGamma: gammaGammaJson(gg),
      backtest: null,
      status: modelStatus(bgnbd, gg),
    };
  }

  const { ledger, lines, emptyFile } = await readTransactionLog(options, today);
  const rules = emptyCleaningReport();
  const robustEnd = ledger.defaultEnd();
  if (robustEnd === null) {
    throw new InputError(
      emptyFile
        ? "the file is empty"
        : ledger.droppedRows > 0
          ? "every line is dated after today or repeats an earlier one"
          : "no transactions after the header",
      null,
    );
  }
  if (options.calibrationEnd === undefined) rules.isolatedLateLines = robustEnd.isolatedLateLines;
  const calibrationEnd = options.calibrationEnd ?? dayString(robustEnd.end);
  const holdoutEnd = options.holdoutEnd ?? calibrationEnd;
  const withHoldout = dayNumber(holdoutEnd) > dayNumber(calibrationEnd);
  if (options.holdoutEnd !== undefined && !withHoldout) {
    throw new InputError(`--holdout-end ${holdoutEnd} is not after the calibration end ${calibrationEnd}`, null);
  }
  const summaries = summarizeTransactions(ledger, {
    asOf: calibrationEnd,
    unit: options.unit,
    spendCap: ledger.hasAmounts ? "robust" : undefined,
    report: rules,
  });
  // The backtest re-reads the ledger's purchase days (one per customer-day), not the file.
  const result = withHoldout
    ? backtest(ledger.purchaseTransactions(), { calibrationEnd, holdoutEnd, unit: options.unit, minRepeatBuyers, summaries })
    : null;
  const bgnbd = result?.fit ?? fitBgNbd(summaries, { minRepeatBuyers });
  const gg = ledger.hasAmounts ? fitGammaGamma(summaries) : null;
  // Issue 19 "model choice" (decision 017): the same choice as the app's recompute, on the calibration period; with a
  // holdout, every model refitted on the whole calibration period and scored on it too, so the choice can be checked.
  let longestT = 0;
  for (const c of summaries) longestT = Math.max(longestT, c.T);
  const firstDay = dayString(dayNumber(calibrationEnd) - Math.round(longestT * (options.unit === "weeks" ? 7 : 1)));
  const modelChoice = {
    ...chooseModel(ledger, { calibrationEnd, firstDay, unit: options.unit, minRepeatBuyers }),
    holdout: withHoldout ? compareModels(ledger, { fitEnd: calibrationEnd, end: holdoutEnd, unit: options.unit, minRepeatBuyers }) : null,
  };
  return {
    customers: summaries.length,
    repeatBuyers: bgnbd.repeatBuyers,
    lines,
    unit: options.unit,
    calibrationEnd,
    holdoutEnd: withHoldout ? holdoutEnd : null,
    bgnbd: bgnbdJson(bgnbd),
    gammaGamma: gammaGammaJson(gg),
    backtest:
      result?.status === "fitted"
        ? {
            holdoutActual: result.holdoutActual,
            holdoutPredicted: result.holdoutPredicted,
            mae: result.mae,
            naiveMae: result.naiveMae,
            naivePredicted: result.naivePredicted,
            aggregateRelativeError: result.aggregateRelativeError,
            holdoutLength: result.holdoutLength,
          }
        : null,
    status: modelStatus(bgnbd, gg),
    modelChoice,
    rules,
    warnings: ruleWarnings(rules, calibrationEnd),
  };
}

/** One sentence per rule that fired, for the person reading the JSON. */
function ruleWarnings(rules: CleaningReport, calibrationEnd: string): string[] {
  const text: Record<ReturnType<typeof rulesThatFired>[number]["rule"], (n: number) => string> = {
    nonPurchaseDays: (n) => `${n} customer-day(s) with a net amount <= 0 (refunds, zero values) are not counted as purchases.`,
    customersWithoutPurchase: (n) => `${n} customer(s) have no day with a positive net amount and are left out.`,
    duplicateLines: (n) => `${n} line(s) repeat an earlier line exactly (customer, date and time, amount) and were dropped as re-exports.`,
    identicalDateOnlyLines: (n) =>
      `${n} line(s) equal an earlier line of the same customer and day (no time given); kept as separate orders.`,
    futureDatedLines: (n) =>
      `${n} line(s) are dated after today (latest ${rules.latestFutureDate}); they are not counted and do not move the ` +
      "default calibration end. Pass --calibration-end to include them.",
    isolatedLateLines: (n) =>
      `${n} line(s) lie more than 90 days after the rest of the log; the default calibration end stays at ${calibrationEnd}.`,
    cappedDays: (n) => `${n} customer-day(s) above ${rules.spendCap?.toFixed(2)} were winsorised for the spend model.`,
    spendCap: () => "",
    nonPositiveLines: () => "",
    latestFutureDate: () => "",
    linesAfterEnd: () => "",
    cappedCustomers: () => "",
  };
  return rulesThatFired(rules).map(({ rule, count }) => text[rule](count));
}

/**
 * Streams the log line by line into a PurchaseLedger (memory grows with customer-days, not lines; nothing is
 * spread onto the stack). Lines dated after `today` are set aside as future-dated unless an explicit
 * --calibration-end/--holdout-end reaches them.
 */
async function readTransactionLog(options: Options, today: number) {
  const parser = new TransactionLineParser(options);
  let keepUntil = today;
  for (const end of [options.calibrationEnd, options.holdoutEnd]) if (end !== undefined) keepUntil = Math.max(keepUntil, dayNumber(end));
  const ledger = new PurchaseLedger({ keepUntil });
  let line = 0;
  const input = createInterface({ input: createReadStream(options.file, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const raw of input) {
    line += 1;
    const t = parser.parse(raw, line);
    if (t) ledger.add(t);
  }
  return { ledger, lines: ledger.rows + ledger.droppedRows, emptyFile: line === 0 };
}

/** Where the command writes: the process's streams, or a test's buffers. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs the command and returns its exit code (0 fitted, 1 bad file, 2 usage, 70 internal error). */
export async function main(argv: readonly string[], output: CommandOutput = processOutput): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      output.stderr(`clv: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  try {
    // Today (UTC) only bounds the default calibration end: rows after it are future-dated.
    const today = Math.floor(Date.now() / 86_400_000);
    output.stdout(`${JSON.stringify(await run(options, today), null, 2)}\n`);
    return 0;
  } catch (error) {
    // Only InputError means a bad file; anything else is a fault of this program and says so (the stack
    // overflow of a spread over a large log was once reported as a bad file).
    if (error instanceof InputError) {
      output.stderr(`clv: ${options.file}: ${error.message}\n`);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") {
      output.stderr(`clv: cannot read ${options.file} (${code})\n`);
      return 1;
    }
    output.stderr(`clv: internal error, not a problem with ${options.file}: ${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
}

// Run as the command (npm run clv), not when a test imports main.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main(process.argv.slice(2));
