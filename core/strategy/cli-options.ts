/**
 * Options shared by `workstation backtest` and `workstation sweep`: parsing the run config and
 * sandbox limits from the command line, what `--data` names (a CSV/Parquet file, or a symbol from
 * the store) and loading a symbol's bars, and reading the strategy file.
 */
import { parseUtcTime } from "../../common/time.ts";
import fs from "node:fs";
import path from "node:path";
import type { BarColumns, Timeframe } from "../../common/market/bars.ts";
import type { FillOn, StrategyParams } from "../../common/strategy/api.ts";
import type { BacktestConfig, SandboxLimits } from "../../common/strategy/results.ts";
import { UsageError, timeframeOption, type OptionSpec, type ParsedArgs } from "../cli/command.ts";
import { checkBars } from "./data.ts";
import { resolveLimits } from "./runner.ts";

/** The option specs both commands accept. */
export const RUN_OPTIONS: OptionSpec = {
  data: { type: "string" },
  timeframe: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  cash: { type: "string" },
  commission: { type: "string" },
  "maker-fee": { type: "string" },
  "taker-fee": { type: "string" },
  "slippage-bps": { type: "string" },
  "slippage-ticks": { type: "string" },
  "tick-size": { type: "string" },
  "lot-size": { type: "string" },
  "fill-on": { type: "string" },
  params: { type: "string" },
  seed: { type: "string" },
  "memory-mb": { type: "string" },
  "timeout-ms": { type: "string" },
  "skip-typecheck": { type: "boolean" },
  "no-save": { type: "boolean" },
  json: { type: "boolean" },
};

/** --help lines of {@link RUN_OPTIONS}. */
export const RUN_HELP = [
  "--data FILE|SYMBOL  bars: a CSV/Parquet file, or a symbol from the store (required)",
  "--timeframe TF      bar length for trades files and store symbols (1s 1m 5m 15m 1h 4h 1d; default 1m)",
  "--from, --to DATE   range: ISO date/time (UTC) or UTC ms; --to is exclusive",
  "--cash N            starting cash (default 100000)",
  "--commission F      fraction of traded notional per fill, e.g. 0.001 (default 0)",
  "--maker-fee F, --taker-fee F   rates for limit / market and stop fills (override --commission)",
  "--slippage-bps N    adverse slippage of market and stop fills in basis points (default 0)",
  "--slippage-ticks N  adverse slippage in ticks (needs --tick-size)",
  "--tick-size X, --lot-size X    round fill prices to the tick and sizes to the lot",
  "--fill-on open|close  market orders fill at the next open (default) or this bar's close",
  "--params JSON       overrides of the strategy's params",
  "--seed N            seed of Math.random inside the sandbox (default 1)",
  "--memory-mb N       sandbox heap limit (default 256); --timeout-ms N  time limit (default 60000)",
  "--skip-typecheck    run even when the strategy has type errors",
  "--no-save           do not save the run in the data directory",
  "--json              machine-readable output on stdout",
];

/** A number option within bounds. */
export function numberOption(values: ParsedArgs["values"], name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number`);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}`);
  return n;
}

function optionalNumber(values: ParsedArgs["values"], name: string, min: number, max: number): number | undefined {
  return values[name] === undefined ? undefined : numberOption(values, name, 0, min, max);
}

/** A date option: ISO date/time (UTC unless it says otherwise) or UTC ms. */
export function timeOption(values: ParsedArgs["values"], name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string") throw new UsageError(`--${name} needs a value`);
  const ms = /^\d{9,}$/.test(raw) ? Number(raw) : parseUtcTime(raw);
  if (ms === null || !Number.isFinite(ms)) throw new UsageError(`--${name} must be an ISO date/time or UTC ms (got "${raw}")`);
  return ms;
}

/** `--params` as an object of numbers, booleans and strings. */
export function paramsOption(values: ParsedArgs["values"]): StrategyParams | undefined {
  const raw = values.params;
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    throw new UsageError("--params must be a JSON object, e.g. '{\"fast\":5}'");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError("--params must be a JSON object");
  for (const [k, v] of Object.entries(parsed)) {
    if (!["number", "boolean", "string"].includes(typeof v)) throw new UsageError(`--params: "${k}" must be a number, boolean or string`);
  }
  return parsed as StrategyParams;
}

/** The run config from the options. */
export function configFromArgs(values: ParsedArgs["values"]): BacktestConfig {
  const fillOn = values["fill-on"];
  if (fillOn !== undefined && fillOn !== "open" && fillOn !== "close") throw new UsageError('--fill-on must be "open" or "close"');
  const tickSize = optionalNumber(values, "tick-size", 1e-12, 1e12);
  const lotSize = optionalNumber(values, "lot-size", 1e-12, 1e12);
  const slippageTicks = optionalNumber(values, "slippage-ticks", 0, 1e6);
  if (slippageTicks && !tickSize) throw new UsageError("--slippage-ticks needs --tick-size");
  const config: BacktestConfig = {
    cash: numberOption(values, "cash", 100_000, 1e-9, 1e15),
    commission: numberOption(values, "commission", 0, 0, 0.5),
    slippageBps: numberOption(values, "slippage-bps", 0, 0, 10_000),
    seed: numberOption(values, "seed", 1, 0, 2 ** 32 - 1),
  };
  const maker = optionalNumber(values, "maker-fee", -0.01, 0.5);
  const taker = optionalNumber(values, "taker-fee", 0, 0.5);
  if (maker !== undefined) config.makerFee = maker;
  if (taker !== undefined) config.takerFee = taker;
  if (slippageTicks !== undefined) config.slippageTicks = slippageTicks;
  if (fillOn !== undefined) config.fillOn = fillOn as FillOn;
  if (tickSize !== undefined || lotSize !== undefined) config.instrument = { ...(tickSize ? { tickSize } : {}), ...(lotSize ? { lotSize } : {}) };
  const params = paramsOption(values);
  if (params) config.params = params;
  return config;
}

/** Sandbox limits from the options. */
export function limitsFromArgs(values: ParsedArgs["values"]): SandboxLimits {
  return resolveLimits({
    memoryMb: numberOption(values, "memory-mb", 256, 16, 8192),
    timeoutMs: numberOption(values, "timeout-ms", 60_000, 10, 86_400_000),
  });
}

/** The strategy file's path and text. */
export function readStrategyFile(positionals: string[]): { file: string; source: string } {
  if (positionals.length !== 1) throw new UsageError("give exactly one strategy file (STRATEGY.ts)");
  const file = positionals[0]!;
  try {
    return { file, source: fs.readFileSync(file, "utf8") };
  } catch (err) {
    throw new UsageError(`cannot read strategy ${file}: ${(err as Error).message}`);
  }
}

/** What `--data` names and over which range: a data file (absolute path) or a store symbol. */
export interface RunDataOption {
  data: string;
  /** `--data` as given (for messages). */
  label: string;
  isFile: boolean;
  timeframe: Timeframe | undefined;
  from: number | undefined;
  to: number | undefined;
}

/** A store symbol with a slash (`BTC/USDT`, `SYN0001/USD`): not a path unless such a file exists. */
const STORE_PAIR = /^[A-Za-z0-9][A-Za-z0-9_-]*\/[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Parses `--data`, `--timeframe`, `--from` and `--to`. */
export function dataOption(values: ParsedArgs["values"]): RunDataOption {
  const data = values.data;
  if (typeof data !== "string" || data === "") throw new UsageError("--data FILE|SYMBOL is required");
  const timeframe = timeframeOption(values);
  const from = timeOption(values, "from");
  const to = timeOption(values, "to");
  const isFile = fs.existsSync(data) || (/[\\/]/.test(data) && !STORE_PAIR.test(data)) || /\.(csv|txt|tsv|parquet|gz)$/i.test(data);
  if (isFile && !fs.existsSync(data)) throw new UsageError(`data file not found: ${data}`);
  return { data: isFile ? path.resolve(data) : data, label: data, isFile, timeframe, from, to };
}

/** Throws when `bars` cannot be run on (none in the range, or unusable). */
export function checkRunBars(bars: BarColumns, opt: Pick<RunDataOption, "label" | "from" | "to">, label = opt.label): void {
  if (bars.time.length === 0) throw new Error(`no bars in ${label}${opt.from !== undefined || opt.to !== undefined ? " in that range" : ""}`);
  const problem = checkBars(bars);
  if (problem) throw new Error(`${label}: ${problem}`);
}

/** Loads the bars of a store symbol named by `--data` (the store opened read-only for the call). */
export async function loadStoreBars(opt: RunDataOption, dataDir: string): Promise<BarColumns> {
  // The store (DuckDB) is loaded only for a symbol: a data file run never needs it.
  const [{ loadBars }, { openMarketDb }] = await Promise.all([import("../store/candles.ts"), import("../store/market-db.ts")]);
  const db = await openMarketDb(dataDir, { readOnly: true });
  let bars: BarColumns;
  try {
    bars = await loadBars(db, { symbol: opt.data, timeframe: opt.timeframe ?? "1m", from: opt.from, to: opt.to });
  } finally {
    db.close();
  }
  checkRunBars(bars, opt);
  return bars;
}

/**
 * Loads the bars named by `--data` into memory (a data file read whole, or a store symbol). For
 * commands that need the columns themselves; `backtest` and `sweep` go through the caches instead
 * (`local-run.ts`).
 */
export async function loadRunBars(values: ParsedArgs["values"], dataDir: string): Promise<{ bars: BarColumns; source: string; timeframe: Timeframe | undefined }> {
  const opt = dataOption(values);
  return { bars: await loadDataBars(opt, dataDir), source: opt.data, timeframe: opt.timeframe };
}

/** Loads the bars a parsed `--data` names into memory (a data file read whole, or a store symbol). */
export async function loadDataBars(opt: RunDataOption, dataDir: string): Promise<BarColumns> {
  if (!opt.isFile) return loadStoreBars(opt, dataDir);
  const { readBarsFromFile } = await import("../datafiles/index.ts");
  const range = { ...(opt.from !== undefined ? { from: opt.from } : {}), ...(opt.to !== undefined ? { to: opt.to } : {}), ...(opt.timeframe ? { timeframe: opt.timeframe } : {}) };
  const bars = await readBarsFromFile(opt.data, range);
  checkRunBars(bars, opt);
  return bars;
}

/** Everything a backtest or sweep command parsed from its command line. */
export interface RunInput {
  file: string;
  source: string;
  data: RunDataOption;
  config: BacktestConfig;
  limits: SandboxLimits;
  typecheck: boolean;
  save: boolean;
  json: boolean;
  dataDir: string;
}

/** Parses the options shared by `backtest` and `sweep` (strategy file first, then the run, then the data). */
export function runInput(args: ParsedArgs): RunInput {
  const { file, source } = readStrategyFile(args.positionals);
  const config = configFromArgs(args.values);
  const limits = limitsFromArgs(args.values);
  const data = dataOption(args.values);
  const flag = (name: string) => args.values[name] === true;
  return { file, source, data, config, limits, typecheck: !flag("skip-typecheck"), save: !flag("no-save"), json: flag("json"), dataDir: args.dataDir };
}
