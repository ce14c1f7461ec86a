/**
 * `workstation backtest STRATEGY.ts --data FILE|SYMBOL [...]`: runs a strategy over bars in a
 * sandboxed worker and prints a summary, or with `--json` exactly
 * `{"bars","trades","finalEquity","cash","metrics"}` on stdout. Compile errors and strategy errors
 * go to stderr with the strategy's line:column and exit 1. The run is saved in the data directory
 * (after the output is printed). With a core running on the data directory the whole run is handed
 * to it (`run-via-core.ts`), with the same output.
 */
import path from "node:path";
import { ApiError } from "../../common/api/errors.ts";
import { escapeControls } from "../../common/text/escape.ts";
import type { CompileDiagnostic, StrategyErrorInfo } from "../../common/strategy/errors.ts";
import type { BacktestJson } from "../../common/strategy/results.ts";
import { jsonField } from "../../common/strategy/saved-result.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import { RUN_HELP, RUN_OPTIONS, runInput, type RunInput } from "../strategy/cli-options.ts";
import { StrategyCompileError, formatDiagnostic } from "../strategy/compile.ts";
import { startLocalRun } from "../strategy/local-run.ts";
import { formatSummary } from "../strategy/report.ts";
import { backtestTextOnFile, type BacktestText } from "../strategy/runner.ts";
import { savedResultText, type BacktestRunRecord } from "../strategy/runs.ts";
import type { CliCommand, CliIo } from "./command.ts";
import { discardEarlyPool, takeEarlyPool } from "./early-pool.ts";
import { coreForRun, runParams } from "./run-via-core.ts";
import { openRunSave } from "./save-run.ts";

/** The details of a compile failure as core reports it. */
interface CompileFailure {
  kind: "compile";
  diagnostics: CompileDiagnostic[];
}

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
  const info = err instanceof ApiError ? (err.details as StrategyErrorInfo | CompileFailure | undefined) : undefined;
  if (info && typeof info === "object" && info.kind === "compile" && "diagnostics" in info && Array.isArray(info.diagnostics)) {
    // A compile failure reported by a running core, printed as a local one is.
    for (const d of info.diagnostics) io.err(formatDiagnostic(d));
    return true;
  }
  if (err instanceof ApiError && info && typeof info === "object" && "stack" in info) {
    printLogs(info.logs ?? [], info.logsDropped ?? 0, io);
    io.err(`strategy error: ${escapeControls(err.message)}`);
    const frames = info.stack.split("\n").filter((l) => l.trimStart().startsWith("at "));
    for (const f of frames.slice(0, 10)) io.err(escapeControls(f));
    return true;
  }
  return false;
}

/** The exact `--json` shape. */
export function backtestJson(r: BacktestJson): BacktestJson {
  return { bars: r.bars, trades: r.trades, finalEquity: r.finalEquity, cash: r.cash, metrics: r.metrics };
}

/**
 * The `--json` line of a result whose trades are still the sandbox's JSON text: the same bytes as
 * `JSON.stringify(backtestJson(r))` (`JSON.stringify` of what `JSON.parse` read from its own output
 * is that output again), without parsing and re-serialising a million bars' trades.
 */
export function backtestJsonLine(r: Omit<BacktestJson, "trades">, tradesJson: string): string {
  return `{"bars":${jsonField(r.bars)},"trades":${tradesJson},"finalEquity":${jsonField(r.finalEquity)},"cash":${jsonField(r.cash)},"metrics":${jsonField(r.metrics)}}`;
}

/** What a backtest prints: its log lines on stderr, then the summary (or `--json`) on stdout. */
function printBacktest(r: BacktestJson & { logs: string[]; logsDropped: number; engineMs: number }, json: boolean, cash: number, io: CliIo): void {
  printLogs(r.logs, r.logsDropped, io);
  io.out(json ? JSON.stringify(backtestJson(r)) : formatSummary(r, cash));
}

/** {@link printBacktest} of a result whose trades are still JSON text (parsed only for the summary). */
function printBacktestText(r: Omit<BacktestJson, "trades"> & Pick<BacktestText, "tradesJson" | "logs" | "logsDropped" | "engineMs">, json: boolean, cash: number, io: CliIo): void {
  printLogs(r.logs, r.logsDropped, io);
  io.out(json ? backtestJsonLine(r, r.tradesJson) : formatSummary({ ...r, trades: JSON.parse(r.tradesJson) as BacktestJson["trades"] }, cash));
}

/** The backtest in this process; the run is saved after its output is printed. */
async function runLocally(input: RunInput, io: CliIo): Promise<number> {
  const { pool, strategy, bars } = await startLocalRun({ ...input, workers: 1, pool: takeEarlyPool(1) ?? undefined }, (line) => io.err(line));
  let stopping: Promise<void> | null = null;
  // The app database is opened while the worker runs (once it took the request).
  const saving = input.save ? openRunSave(input.dataDir, pool.warmUp()) : null;
  try {
    const startedAt = Date.now();
    const result = await bars.withFile((ref) => backtestTextOnFile(pool, strategy, ref, input.config, input.limits, { thinCurve: true, savedBody: input.save }));
    printBacktestText(result, input.json, input.config.cash, io);
    // The workers stop while the run is saved.
    stopping = pool.shutdown();
    if (saving === null) return 0;
    const record: BacktestRunRecord = {
      kind: "backtest",
      strategyName: path.basename(input.file).replace(/\.[cm]?[jt]s$/, ""),
      strategySource: input.source,
      strategyHash: strategy.sourceHash,
      engineVersion: ENGINE_VERSION,
      params: result.params,
      data: bars.data,
      config: { ...input.config, limits: input.limits },
      startedAt,
      finishedAt: Date.now(),
      error: null,
      result: savedResultText(result, result.equityCurve!),
    };
    saving.save(record, io);
    return 0;
  } finally {
    saving?.close();
    await (stopping ?? pool.shutdown());
  }
}

/** The backtest command. */
export const backtestCommand: CliCommand = {
  name: "backtest",
  usage: "STRATEGY.ts --data FILE|SYMBOL [options]",
  help: RUN_HELP,
  options: RUN_OPTIONS,
  allowPositionals: true,
  async run(args, io) {
    const input = runInput(args);
    try {
      const client = await coreForRun(args.dataDir, io);
      if (!client) return await runLocally(input, io);
      void discardEarlyPool();
      try {
        // The trades come as the sandbox's JSON text, printed as it is (see printBacktestText).
        const r = await client.call("strategy.backtest", { ...runParams(input), tradesText: true });
        if (r.tradesJson === undefined) printBacktest(r, input.json, input.config.cash, io);
        else printBacktestText({ ...r, tradesJson: r.tradesJson }, input.json, input.config.cash, io);
        return 0;
      } finally {
        client.close();
      }
    } catch (err) {
      if (reportStrategyFailure(err, io)) return 1;
      throw err instanceof ApiError ? new Error(err.message) : err;
    }
  },
};
