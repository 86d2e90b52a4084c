/**
 * The CLV model's accuracy on the CDNOW sample, through the analysts' command (`npm run clv -- fit …`,
 * the same code as the app): parameters against the published values in EXPECTED.md, and the
 * 39-week calibration / 39-week holdout backtest against the naive baseline.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fitParetoNbd } from "../../app/retention/clv/pareto-nbd";
import { sharedDir } from "../emulator/config";
import { REPO_ROOT } from "./harness";

export interface CdnowResult {
  parameters: Record<string, { fitted: number; published: number; relativeError: number }>;
  maxParameterError: number;
  logLikelihood: { fitted: number; published: number; absoluteError: number };
  backtest: {
    holdoutActual: number;
    holdoutPredicted: number;
    aggregateRelativeError: number;
    mae: number;
    naiveMae: number;
    naivePredicted: number;
  };
  seconds: number;
  /** Pareto/NBD on cdnow_customers_summary.csv against Fader & Hardie's published r 0.553, α 10.58, s 0.606, β 11.67. */
  paretoNbd: {
    parameters: Record<string, { fitted: number; published: number; relativeError: number }>;
    logLikelihood: number;
    ms: number;
  };
  /** The command's model choice: the model kept and every model's holdout errors (decision 017). */
  modelChoice: CliOutput["modelChoice"];
}

/** Published in Fader & Hardie (2005), "A note on deriving the Pareto/NBD model and related expressions". */
const PARETO_PUBLISHED = { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 };

function paretoOnSummary(dir: string): CdnowResult["paretoNbd"] {
  const [header, ...rows] = readFileSync(path.join(dir, "cdnow_customers_summary.csv"), "utf8").trim().split(/\r?\n/);
  const names = header.split(",");
  const column = (name: string) => names.indexOf(name);
  const customers = rows.map((row) => {
    const v = row.split(",").map(Number);
    return { frequency: v[column("frequency")], recency: v[column("recency")], T: v[column("T")] };
  });
  const started = performance.now();
  const fit = fitParetoNbd(customers);
  const ms = performance.now() - started;
  if (fit.status !== "fitted") throw new Error("Pareto/NBD was not fitted on CDNOW");
  const parameters: CdnowResult["paretoNbd"]["parameters"] = {};
  for (const [name, published] of Object.entries(PARETO_PUBLISHED)) {
    const fitted = fit.params[name as keyof typeof PARETO_PUBLISHED];
    parameters[name] = { fitted, published, relativeError: Math.abs(fitted / published - 1) };
  }
  return { parameters, logLikelihood: fit.logLikelihood, ms };
}

interface ModelErrors {
  model: string;
  status: string;
  mae?: number;
  relativeMae?: number;
  aggregateBias?: number;
  criterion?: number;
}

interface CliOutput {
  modelChoice: {
    chosen: string;
    reason: string;
    candidates: ModelErrors[];
    holdout: { actual: number; candidates: ModelErrors[] } | null;
  };
  bgnbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number } | null;
  gammaGamma: { p: number; q: number; v: number } | null;
  backtest: CdnowResult["backtest"] | null;
}

/** "| r | 0.243 | ±1% relative |" rows of EXPECTED.md (its minus sign is U+2212). */
export function publishedValues(markdown: string): Record<string, number> {
  const names: Record<string, string> = {
    r: "r",
    alpha: "alpha",
    a: "a",
    b: "b",
    "log-likelihood": "logLikelihood",
    p: "p",
    q: "q",
    "gamma (often written v)": "v",
  };
  const values: Record<string, number> = {};
  for (const line of markdown.split("\n")) {
    const m = /^\|\s*([^|]+?)\s*\|\s*((?:−|-)?[0-9.]+)\s*\|/.exec(line);
    if (m && names[m[1]]) values[names[m[1]]] = Number(m[2].replace("−", "-"));
  }
  return values;
}

function runCli(args: string[]): Promise<{ stdout: string; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "app/retention/clv/cli.ts"), ...args], {
      cwd: REPO_ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, code, stderr }));
  });
}

export async function cdnowBacktest(): Promise<CdnowResult> {
  const dir = path.join(sharedDir(), "datasets/cdnow");
  const published = publishedValues(readFileSync(path.join(dir, "EXPECTED.md"), "utf8"));
  const started = performance.now();
  // The README's periods: calibration 1997-01-01..1997-09-30, holdout to 1998-06-30, in weeks.
  const { stdout, code, stderr } = await runCli([
    "fit",
    path.join(dir, "CDNOW_sample.txt"),
    "--transactions",
    "--calibration-end",
    "1997-09-30",
    "--holdout-end",
    "1998-06-30",
    "--unit",
    "weeks",
  ]);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`clv fit exited ${code}: ${stderr.trim().slice(-500)}`);
  const out = JSON.parse(stdout) as CliOutput;
  if (!out.bgnbd || !out.gammaGamma || !out.backtest) throw new Error("clv fit did not fit both models and the backtest");
  const fitted: Record<string, number> = { ...out.bgnbd, ...out.gammaGamma };
  const parameters: CdnowResult["parameters"] = {};
  for (const name of ["r", "alpha", "a", "b", "p", "q", "v"]) {
    if (published[name] === undefined) throw new Error(`EXPECTED.md has no published value for ${name}`);
    parameters[name] = { fitted: fitted[name], published: published[name], relativeError: Math.abs(fitted[name] / published[name] - 1) };
  }
  return {
    parameters,
    maxParameterError: Math.max(...Object.values(parameters).map((p) => p.relativeError)),
    logLikelihood: {
      fitted: out.bgnbd.logLikelihood,
      published: published.logLikelihood,
      absoluteError: Math.abs(out.bgnbd.logLikelihood - published.logLikelihood),
    },
    backtest: out.backtest,
    seconds,
    paretoNbd: paretoOnSummary(dir),
    modelChoice: out.modelChoice,
  };
}
