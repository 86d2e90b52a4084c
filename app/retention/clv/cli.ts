/**
 * `npm run -s clv -- fit <file.csv> [options]` — fits the app's own CLV models on a file and prints JSON.
 * The only file under app/retention allowed to touch the file system and the process.
 */
import { readFileSync } from "node:fs";
import { dayNumber, dayString, type TimeUnit } from "../time";
import { backtest } from "./backtest";
import { fitBgNbd, type BgNbdFit } from "./bgnbd";
import { InputError, parseSummaryCsv, parseTransactionLog, type TransactionFormat } from "./csv-input";
import { fitGammaGamma, type GammaGammaFit } from "./gamma-gamma";
import { summarizeTransactions } from "./summary";

const USAGE = `usage: clv fit <file> [options]
  <file>                    customer summary CSV: header with frequency,recency,T[,monetary_value]
                            (lifetimes/CDNOW names x,t_x,zbar also accepted), any single time unit
  --transactions            <file> is a transaction log customer_id,date[,amount] instead
  --format csv|cdnow        transaction log layout (default: detected; cdnow = CDNOW_sample.txt)
  --calibration-end DATE    last day of the calibration period (default: last date in the log)
  --holdout-end DATE        last day of the holdout (default: last date in the log); enables the backtest
  --unit days|weeks         time unit for transaction logs (default days)
  --min-repeat-buyers N     repeat buyers needed before BG/NBD is fitted (default 50)`;

class UsageError extends Error {}

interface Options {
  file: string;
  transactions: boolean;
  format?: TransactionFormat;
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
      if (v !== "csv" && v !== "cdnow") throw new UsageError(`--format must be csv or cdnow, got "${v}"`);
      options.format = v;
    } else if (arg === "--calibration-end") options.calibrationEnd = value();
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
  if (!options.transactions && (options.calibrationEnd || options.holdoutEnd || options.format)) {
    throw new UsageError("--calibration-end, --holdout-end and --format need --transactions");
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
    bgnbd: bgnbd.status === "insufficient" ? { status: bgnbd.status, reason: bgnbd.reason, repeatBuyersNeeded: bgnbd.repeatBuyersNeeded } : { status: "fitted" },
    gammaGamma: gg === null ? { status: "no monetary values" } : gg.status === "insufficient" ? { status: gg.status, reason: gg.reason } : { status: "fitted" },
  };
}

function run(options: Options): unknown {
  const text = readFileSync(options.file, "utf8");
  const minRepeatBuyers = options.minRepeatBuyers;
  if (!options.transactions) {
    const rows = parseSummaryCsv(text);
    const bgnbd = fitBgNbd(rows, { minRepeatBuyers });
    const hasMonetary = rows.length > 0 && rows.every((row) => row.monetaryValue !== null);
    const gg = hasMonetary
      ? fitGammaGamma(rows.map((row) => ({ frequency: row.frequency, monetaryValue: row.monetaryValue ?? 0 })))
      : null;
    return {
      customers: rows.length,
      repeatBuyers: bgnbd.repeatBuyers,
      bgnbd: bgnbdJson(bgnbd),
      gammaGamma: gammaGammaJson(gg),
      backtest: null,
      status: modelStatus(bgnbd, gg),
    };
  }

  const transactions = parseTransactionLog(text, options.format);
  const lastDay = dayString(Math.max(...transactions.map((t) => dayNumber(t.date))));
  const calibrationEnd = options.calibrationEnd ?? lastDay;
  const holdoutEnd = options.holdoutEnd ?? lastDay;
  const hasAmounts = transactions.some((t) => t.amount !== undefined);
  const withHoldout = dayNumber(holdoutEnd) > dayNumber(calibrationEnd);
  const result = withHoldout
    ? backtest(transactions, { calibrationEnd, holdoutEnd, unit: options.unit, minRepeatBuyers })
    : null;
  const summaries = result?.summaries ?? summarizeTransactions(transactions, { asOf: calibrationEnd, unit: options.unit });
  const bgnbd = result?.fit ?? fitBgNbd(summaries, { minRepeatBuyers });
  const gg = hasAmounts ? fitGammaGamma(summaries) : null;
  return {
    customers: summaries.length,
    repeatBuyers: bgnbd.repeatBuyers,
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
  };
}

function main(argv: readonly string[]): number {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`clv: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  try {
    process.stdout.write(`${JSON.stringify(run(options), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof InputError || error instanceof RangeError) {
      process.stderr.write(`clv: ${options.file}: ${error.message}\n`);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") {
      process.stderr.write(`clv: cannot read ${options.file} (${code})\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
