/**
 * `workstation backtest STRATEGY.ts --data FILE|SYMBOL [...]`: runs a strategy over bars in a
 * sandboxed worker and prints a summary, or with `--json` exactly
 * `{"bars","trades","finalEquity","cash","metrics"}` on stdout. Compile errors and strategy errors
 * go to stderr with the strategy's line:column and exit 1. The run is saved in the data directory.
 */
import path from "node:path";
import { ApiError } from "../../common/api/index.ts";
import { escapeControls } from "../../common/text/escape.ts";
import type { StrategyErrorInfo } from "../../common/strategy/errors.ts";
import type { BacktestJson, BacktestResult } from "../../common/strategy/results.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import { silentLogger } from "../log.ts";
import { RUN_HELP, RUN_OPTIONS, configFromArgs, limitsFromArgs, loadRunBars, readStrategyFile } from "../strategy/cli-options.ts";
import { StrategyCompileError, formatDiagnostic } from "../strategy/compile.ts";
import { dataFacts } from "../strategy/data.ts";
import { formatSummary } from "../strategy/report.ts";
import { backtestOnPool, prepareStrategy } from "../strategy/runner.ts";
import type { BacktestRunRecord } from "../strategy/runs.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import type { CliCommand, CliIo } from "./command.ts";
import { saveRunFromCli } from "./save-run.ts";
import { thinEquityCurve } from "../../common/strategy/equity-curve.ts";
import { longestBar } from "../../common/market/timeframes.ts";

/** Prints a run's log lines on stderr. */
function printLogs(lines: string[], dropped: number, io: CliIo): void {
  // A log line is one line: its own line breaks and control characters are shown escaped.
  for (const line of lines) io.err(`log: ${escapeControls(line)}`);
  if (dropped > 0) io.err(`log: (${dropped} more lines dropped)`);
}

/** Prints a strategy failure (compile or run) on stderr, after the log lines it wrote first; true when it was one. */
export function reportStrategyFailure(err: unknown, io: CliIo): boolean {
  if (err instanceof StrategyCompileError) {
    for (const d of err.diagnostics) io.err(formatDiagnostic(d));
    return true;
  }
  const info = err instanceof ApiError ? (err.details as StrategyErrorInfo | undefined) : undefined;
  if (err instanceof ApiError && info && typeof info === "object" && "kind" in info) {
    printLogs(info.logs ?? [], info.logsDropped ?? 0, io);
    io.err(`strategy error: ${escapeControls(err.message)}`);
    const frames = info.stack.split("\n").filter((l) => l.trimStart().startsWith("at "));
    for (const f of frames.slice(0, 10)) io.err(escapeControls(f));
    return true;
  }
  return false;
}

/** The exact `--json` shape. */
export function backtestJson(r: BacktestResult): BacktestJson {
  return { bars: r.bars, trades: r.trades, finalEquity: r.finalEquity, cash: r.cash, metrics: r.metrics };
}

/** The backtest command. */
export const backtestCommand: CliCommand = {
  name: "backtest",
  usage: "STRATEGY.ts --data FILE|SYMBOL [options]",
  help: RUN_HELP,
  options: RUN_OPTIONS,
  allowPositionals: true,
  async run(args, io) {
    const { file, source } = readStrategyFile(args.positionals);
    const config = configFromArgs(args.values);
    const limits = limitsFromArgs(args.values);
    const { bars, source: dataSource, timeframe } = await loadRunBars(args.values, args.dataDir);
    const startedAt = Date.now();
    const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    let result: BacktestResult;
    try {
      const strategy = await prepareStrategy(source, path.basename(file), { typecheck: args.values["skip-typecheck"] !== true });
      result = await backtestOnPool(pool, strategy, bars, config, limits);
      if (args.values["no-save"] !== true) {
        const record: BacktestRunRecord = {
          kind: "backtest",
          strategyName: path.basename(file).replace(/\.[cm]?[jt]s$/, ""),
          strategySource: source,
          strategyHash: strategy.sourceHash,
          engineVersion: ENGINE_VERSION,
          params: result.params,
          data: { source: dataSource, symbol: bars.symbol, timeframe: timeframe ?? null, facts: dataFacts(bars, timeframe ? longestBar(timeframe) : undefined) },
          config: { ...config, limits },
          startedAt,
          finishedAt: Date.now(),
          error: null,
          result: { finalEquity: result.finalEquity, cash: result.cash, metrics: result.metrics, trades: result.trades, orders: result.orders, equityCurve: thinEquityCurve(bars.time, result.equity) },
        };
        saveRunFromCli(args.dataDir, record, io);
      }
    } catch (err) {
      if (reportStrategyFailure(err, io)) return 1;
      throw err;
    } finally {
      await pool.shutdown();
    }
    printLogs(result.logs, result.logsDropped, io);
    io.out(args.values.json === true ? JSON.stringify(backtestJson(result)) : formatSummary(result, config.cash));
    return 0;
  },
};
