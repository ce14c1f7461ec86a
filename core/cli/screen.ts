/**
 * `workstation screen (--columns LIST | --sql "SQL" | --strategy FILE.ts|NAME) --universe NAME|LIST
 * --timeframe TF [--from --to] [--holdout F] [--metric KEY] [--filter EXPR] [--sort KEY[:asc|desc]]
 * [--json]`: ranks a universe's symbols. Through the running core when there is one, in process
 * otherwise (strategy screens then start their own worker pool); same output either way. `--json`
 * prints `{"rows":[{"venue","symbol",...columns}]}` in rank order; a failed symbol is a row with
 * "error"; notes (too few bars) are printed on stderr in table mode. With `--queue redis://…` a
 * strategy screen's backtests run on `workstation worker`s, one queue job per symbol, coordinated by
 * the running core when there is one (it holds the store), else by this process.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ParamsIn, Progress } from "../../common/api/index.ts";
import { screenParams, type ScreenResult } from "../../common/api/screener.ts";
import type { ScreenRow } from "../../common/screener/rank.ts";
import { escapeControls } from "../../common/text/escape.ts";
import { silentLogger } from "../log.ts";
import { APP_DB_FILE, openAppDb } from "../store/app-db.ts";
import type { Store } from "../store/index.ts";
import { optionalString, parseTime, requiredString, stderrProgress, viaCoreOrStore } from "../store/access.ts";
import { storeScreenDeps } from "../screener/deps.ts";
import { runScreen } from "../screener/screen.ts";
import { numberOption, paramsOption } from "../strategy/cli-options.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { UsageError, intOption, timeframeOption, type CliCommand, type ParsedArgs } from "./command.ts";
import { formatTable } from "./query.ts";
import { QUEUE_HELP, QUEUE_OPTIONS, openCoordinator, queueArgs, type QueueArgs } from "./queue-options.ts";
import type { QueueCoordinator } from "../compute/coordinator.ts";
import { runMemberViaQueue } from "../compute/sweep-queue.ts";

/** A saved strategy's latest source by name, from the app database. */
function savedStrategy(dataDir: string, name: string): string | null {
  if (!fs.existsSync(path.join(dataDir, APP_DB_FILE))) return null;
  const app = openAppDb(dataDir);
  try {
    const row = app.db
      .prepare<[string], { source: string }>("SELECT v.source FROM strategies s JOIN strategy_versions v ON v.strategy_id = s.id WHERE s.name = ? ORDER BY v.version DESC LIMIT 1")
      .get(name);
    return row?.source ?? null;
  } finally {
    app.close();
  }
}

/** Reads `--strategy FILE.ts|NAME`: a file, else a saved strategy of that name. */
function strategyOption(values: ParsedArgs["values"], dataDir: string): { source: string; filename: string } | undefined {
  const arg = optionalString(values, "strategy");
  if (arg === undefined) return undefined;
  if (fs.existsSync(arg)) return { source: fs.readFileSync(arg, "utf8"), filename: path.basename(arg) };
  const saved = savedStrategy(dataDir, arg);
  if (saved === null) throw new UsageError(`--strategy: no file or saved strategy named "${arg}"`);
  return { source: saved, filename: `${arg.replace(/[^\w.-]/g, "_")}.ts` };
}

/** The API request from the command line. */
export function screenRequest(args: ParsedArgs): ParamsIn<"screen.run"> {
  const v = args.values;
  const timeframe = timeframeOption(v);
  if (!timeframe) throw new UsageError("--timeframe is required (1s 1m 5m 15m 1h 4h 1d)");
  const strategy = strategyOption(v, args.dataDir);
  const params = paramsOption(v);
  const req: ParamsIn<"screen.run"> = {
    universe: requiredString(v, "universe"),
    timeframe,
    holdout: numberOption(v, "holdout", 0, 0, 0.9),
    ...(strategy ? { strategy } : {}),
    ...(params ? { params } : {}),
  };
  for (const key of ["columns", "sql", "filter", "sort", "metric"] as const) {
    const value = optionalString(v, key);
    if (value !== undefined) req[key] = value;
  }
  const from = parseTime("from", optionalString(v, "from"));
  const to = parseTime("to", optionalString(v, "to"));
  if (from !== undefined) req.from = from;
  if (to !== undefined) req.to = to;
  return req;
}

function cellText(v: unknown): unknown {
  if (typeof v !== "number") return v ?? null;
  return Math.abs(v) >= 1e6 || Number.isInteger(v) ? v : Number(v.toPrecision(6));
}

/** The result as text lines: an aligned table (rank, venue, symbol, columns, error). */
export function screenTable(result: ScreenResult): string[] {
  const hasError = result.rows.some((r) => r.error !== undefined);
  const names = ["#", "venue", "symbol", ...result.columns, ...(hasError ? ["error"] : [])];
  const rows = result.rows.map((r, i) => [i + 1, r.venue, r.symbol, ...result.columns.map((c) => cellText(r[c])), ...(hasError ? [r.error ?? ""] : [])]);
  return formatTable({ columns: names.map((name) => ({ name, type: "" })), rows, truncated: false, elapsedMs: 0 });
}

/** Notes of the rows, one line each (`venue:symbol: note`). */
export function screenNotes(rows: readonly ScreenRow[]): string[] {
  return rows.flatMap((r) => (Array.isArray(r.notes) ? r.notes.map((n) => escapeControls(`${r.venue}:${r.symbol}: ${n}`)) : []));
}

/** The `queue` of a `screen.run` request handed to a running core (none without `--queue`). */
function queueRequest(args: ParsedArgs, queue: QueueArgs | null): { queue?: NonNullable<ParamsIn<"screen.run">["queue"]> } {
  if (queue === null) return {};
  const serveData = args.values["serve-data"];
  return { queue: { url: queue.url, ...(typeof serveData === "string" ? { serveData } : {}), ...(queue.advertise ? { advertise: queue.advertise } : {}), ...(queue.chunksDir ? { chunksDir: queue.chunksDir } : {}) } };
}

/** Runs the screen in this process (no core runs). */
async function runLocally(args: ParsedArgs, req: ParamsIn<"screen.run">, store: Store, onProgress: (p: Progress) => void, queue: QueueCoordinator | null): Promise<ScreenResult> {
  const parsed = screenParams.parse(req);
  const workers = queue ? 16 : intOption(args.values, "workers", os.availableParallelism(), 1, 64);
  const runMember = queue ? { runMember: runMemberViaQueue.bind(null, queue) } : {};
  const pool = parsed.strategy ? new WorkerPool({ size: workers, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() }) : undefined;
  const ctrl = new AbortController();
  const onSigint = () => ctrl.abort();
  process.once("SIGINT", onSigint);
  try {
    const progress = (done: number, total: number): void => onProgress({ done, total, message: `${done}/${total} symbols` });
    return await runScreen(parsed, storeScreenDeps(store, { live: false, ...(pool ? { pool } : {}), concurrency: workers, signal: ctrl.signal, onProgress: progress, ...runMember }));
  } finally {
    process.off("SIGINT", onSigint);
    await pool?.shutdown();
  }
}

/** The screen command. */
export const screenCommand: CliCommand = {
  name: "screen",
  usage: "(--columns LIST | --sql \"SQL\" | --strategy FILE.ts|NAME) --universe NAME|LIST --timeframe TF [options]",
  help: [
    "--columns LIST      column ids: last, change_pct_N, atr_pct_N, rvol_N, sma_dist_pct_N, rsi_N, volume_N, rating, rating_ma, rating_osc",
    "--sql \"SQL\"         one SELECT over the store; sees universe(venue, symbol), bars; $timeframe (ms), $from, $to; returns venue, symbol",
    "--strategy FILE.ts|NAME  backtest a strategy file or saved strategy on each symbol (on the worker pool)",
    "--universe NAME|LIST  a saved universe, or VENUE:SYMBOL,... (e.g. binance:BTC/USDT,local:ORCL) (required)",
    "--timeframe TF      bar length: 1s 1m 5m 15m 1h 4h 1d (required)",
    "--from, --to DATE   range: ISO date/time (UTC) or UTC ms; --to is exclusive",
    "--filter EXPR       e.g. 'rsi_14 < 30 and change_pct_24 > 5' (comparisons joined by and/or)",
    "--sort KEY[:asc|desc]  rank by a column (default: the first column, or the metric, descending)",
    "--metric KEY        strategy screens: totalReturn (default), sharpe, sortino, cagr, maxDrawdown, winRate, profitFactor, trades",
    "--holdout F         strategy screens: rank by the last fraction F of the bars (out of sample)",
    "--params JSON       strategy screens: overrides of the strategy's params",
    "--workers N         strategy screens without a core: worker processes (default: one per core)",
    "--json              print {\"rows\":[{\"venue\",\"symbol\",...columns}]} in rank order",
    ...QUEUE_HELP.map((line) => `${line} (strategy screens)`),
  ],
  options: {
    columns: { type: "string" },
    sql: { type: "string" },
    strategy: { type: "string" },
    universe: { type: "string" },
    timeframe: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    filter: { type: "string" },
    sort: { type: "string" },
    metric: { type: "string" },
    holdout: { type: "string" },
    params: { type: "string" },
    workers: { type: "string" },
    json: { type: "boolean" },
    ...QUEUE_OPTIONS,
  },
  async run(args, io) {
    const queueSettings = queueArgs(args.values);
    const req = screenRequest(args);
    const bar = stderrProgress();
    const result = await viaCoreOrStore(
      args.dataDir,
      { readOnly: true },
      // A running core coordinates the queue itself (it holds the store the members' bars come from).
      (client) => client.call("screen.run", { ...req, ...queueRequest(args, queueSettings) }, { onProgress: (p) => bar.update(p) }),
      async (store) => {
        const queue = await openCoordinator(queueSettings, io);
        return runLocally(args, req, store, (p) => bar.update(p), queue).finally(() => queue?.close());
      },
    ).finally(() => bar.done());
    if (args.values.json === true) io.out(JSON.stringify({ rows: result.rows }));
    else {
      for (const line of screenTable(result)) io.out(line);
      for (const line of screenNotes(result.rows)) io.err(line);
    }
    if (result.failed > 0) io.err(`${result.failed} of ${result.rows.length} symbols failed (see the error column)`);
    return 0;
  },
};
