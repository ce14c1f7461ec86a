/**
 * `workstation paper STRATEGY.ts --venue V --symbol S --timeframe TF [...]`: runs a strategy on
 * paper. With `--replay FILE.jsonl` it runs a recorded session through the live path (feed handler,
 * bar clock, sandboxed session, order layer, paper broker), in process, deterministically, and
 * prints a summary, or with `--json` exactly the backtest's `{"bars","trades","finalEquity","cash",
 * "metrics"}` plus `"orders"` and `"fills"`. Without `--replay` the strategy is started on the live
 * market in the running core (`workstation serve`) with the fill options given (core's defaults for
 * the rest: book, 0.1% fees), stored with the session, where the Trading panel and commands see it.
 */
import fs from "node:fs";
import path from "node:path";
import { TIMEFRAMES } from "../../common/market/bars.ts";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import { silentLogger } from "../log.ts";
import { numberOption, paramsOption, readStrategyFile } from "../strategy/cli-options.ts";
import { prepareStrategy, resolveLimits } from "../strategy/runner.ts";
import { prepareStrategyCached } from "../strategy/strategy-cache.ts";
import { TradingEngine } from "../trading/engine.ts";
import { FILL_MODELS, type FillModel } from "../trading/paper-broker.ts";
import { instrumentFromRecording, runPaperReplay, type PaperJson } from "../trading/replay.ts";
import { REPLAY_RISK_LIMITS } from "../trading/risk.ts";
import { WorkerSessionHost } from "../trading/session-host.ts";
import { MemoryTradingStore } from "../trading/store.ts";
import { isVenueId, VENUES } from "../venues/index.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { escapeControls } from "../../common/text/escape.ts";
import { reportStrategyFailure } from "./backtest.ts";
import { UsageError, type CliCommand, type CliIo, type ParsedArgs } from "./command.ts";
import { connectToRunningCore } from "./core-client.ts";
import { ApiError } from "../../common/api/index.ts";
import { fillLabel, type PaperFillView } from "../../common/api/trading.ts";

/** The parsed options of a paper run. */
export interface PaperArgs {
  file: string;
  source: string;
  venue: (typeof VENUES)[number];
  symbol: string;
  tfMs: number;
  fillModel: FillModel;
  cash: number;
  commission: number;
  /** Maker and taker fee rates (each `--commission` unless given). */
  makerFee: number;
  takerFee: number;
  slippageBps: number;
  latencyMs: number;
  /** The fill options given on the command line (a session in core takes core's defaults for the rest). */
  givenFill: Partial<PaperFillView>;
  params: Record<string, number | boolean | string> | undefined;
  replay: string | undefined;
}

/** Reads and checks the options. */
export function paperArgs(args: ParsedArgs): PaperArgs {
  const { file, source } = readStrategyFile(args.positionals);
  const v = args.values;
  const venue = v.venue;
  if (typeof venue !== "string" || !isVenueId(venue)) throw new UsageError(`--venue must be one of ${VENUES.join(", ")}`);
  const symbol = typeof v.symbol === "string" ? v.symbol.toUpperCase() : "";
  if (!/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/.test(symbol)) throw new UsageError("--symbol BASE/QUOTE is required, e.g. BTC/USD");
  const tf = v.timeframe;
  if (typeof tf !== "string" || !Object.hasOwn(TIMEFRAMES, tf)) throw new UsageError(`--timeframe must be one of ${Object.keys(TIMEFRAMES).join(", ")}`);
  const fillModel = v["fill-model"] ?? "next-trade";
  if (typeof fillModel !== "string" || !(FILL_MODELS as readonly string[]).includes(fillModel)) throw new UsageError("--fill-model must be book or next-trade");
  const replay = typeof v.replay === "string" ? v.replay : undefined;
  if (replay !== undefined && !fs.existsSync(replay)) throw new UsageError(`replay file not found: ${replay}`);
  const commission = numberOption(v, "commission", 0, 0, 0.5);
  const givenFill = givenFillOptions(v, commission);
  return {
    file,
    source,
    venue,
    symbol,
    tfMs: TIMEFRAMES[tf as keyof typeof TIMEFRAMES],
    fillModel: fillModel as FillModel,
    cash: numberOption(v, "cash", 100_000, 1e-9, 1e15),
    commission,
    makerFee: givenFill.makerFee ?? commission,
    takerFee: givenFill.takerFee ?? commission,
    givenFill,
    slippageBps: numberOption(v, "slippage-bps", 0, 0, 10_000),
    latencyMs: numberOption(v, "latency-ms", 0, 0, 60_000),
    params: paramsOption(v),
    replay,
  };
}

/** The fill options given: `--maker-fee`/`--taker-fee`, else `--commission` for both, when given. */
function givenFillOptions(v: ParsedArgs["values"], commission: number): Partial<PaperFillView> {
  const given: Partial<PaperFillView> = {};
  const fee = (name: string) => (v[name] !== undefined ? numberOption(v, name, 0, 0, 0.5) : v.commission !== undefined ? commission : undefined);
  const makerFee = fee("maker-fee");
  const takerFee = fee("taker-fee");
  if (v["fill-model"] !== undefined) given.fillModel = v["fill-model"] as FillModel;
  if (makerFee !== undefined) given.makerFee = makerFee;
  if (takerFee !== undefined) given.takerFee = takerFee;
  if (v["slippage-bps"] !== undefined) given.slippageBps = numberOption(v, "slippage-bps", 0, 0, 10_000);
  if (v["latency-ms"] !== undefined) given.latencyMs = numberOption(v, "latency-ms", 0, 0, 60_000);
  return given;
}

/**
 * Runs a replay in this process (a one-worker pool for the sandbox); with `cache`, through its
 * data directory's type-check cache (a warning about an unusable entry goes to `cache.warn`).
 */
export async function paperReplay(
  a: PaperArgs & { replay: string },
  log: (line: string) => void,
  typecheck = true,
  cache?: { dataDir: string; warn: (line: string) => void },
): Promise<{ json: PaperJson; trades: number }> {
  const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  try {
    const filename = path.basename(a.file);
    const strategy = cache ? await prepareStrategyCached(cache.dataDir, a.source, filename, { typecheck }, cache.warn) : await prepareStrategy(a.source, filename, { typecheck });
    const instrument = await instrumentFromRecording(a.replay, a.venue, a.symbol);
    const engine = new TradingEngine({
      store: new MemoryTradingStore(),
      limits: REPLAY_RISK_LIMITS,
      fillModel: a.fillModel,
      pricing: new Pricing({ commission: a.commission, makerFee: a.makerFee, takerFee: a.takerFee, slippageBps: a.slippageBps, ...(instrument ? { instrument } : {}) }),
      latencyMs: a.latencyMs,
      idPrefix: "paper",
    });
    const host = new WorkerSessionHost(pool, {
      id: "replay",
      strategy: { code: strategy.code, sourceMap: strategy.sourceMap, filename: strategy.filename },
      symbol: a.symbol,
      cash: a.cash,
      params: a.params ?? {},
      limits: resolveLimits({ timeoutMs: 60_000 }),
    });
    const { json, trades } = await runPaperReplay({ file: a.replay, venue: a.venue, symbol: a.symbol, tfMs: a.tfMs, cash: a.cash, engine, host, ledger: "strategy", log });
    return { json, trades };
  } finally {
    await pool.shutdown();
  }
}

function summary(json: PaperJson, cash: number, trades: number): string {
  const rows: [string, string][] = [
    ["market trades", String(trades)],
    ["bars", String(json.bars)],
    ["orders", String(json.orders.length)],
    ["fills", String(json.fills.length)],
    ["trades", String(json.trades.length)],
    ["start cash", String(cash)],
    ["final equity", String(Math.round(json.finalEquity * 100) / 100)],
    ["final cash", String(Math.round(json.cash * 100) / 100)],
  ];
  return rows.map(([k, v]) => `${k.padEnd(16)} ${v}`).join("\n");
}

/** Without `--replay`: starts the strategy on the live market in the running core (the Trading panel shows it). */
async function startInCore(a: PaperArgs, args: ParsedArgs, io: CliIo): Promise<number> {
  const client = await connectToRunningCore(args.dataDir);
  if (!client) throw new UsageError("live paper sessions run in core: start it with `workstation serve` (or run a recording with --replay FILE.jsonl)");
  try {
    const tf = Object.keys(TIMEFRAMES).find((k) => TIMEFRAMES[k as keyof typeof TIMEFRAMES] === a.tfMs) as keyof typeof TIMEFRAMES;
    const session = await client.call("trading.start", { source: a.source, filename: path.basename(a.file), venue: a.venue, symbol: a.symbol, timeframe: tf, cash: a.cash, ...(a.params ? { params: a.params } : {}), fill: a.givenFill });
    io.out(args.values.json === true ? JSON.stringify(session) : `started ${session.id}: ${session.name} on ${session.venue} ${session.symbol} ${session.timeframe} (${session.status}; ${fillLabel(session.fill)}); stop it in the Trading panel`);
    return 0;
  } catch (err) {
    throw err instanceof ApiError ? new Error(err.message) : err;
  } finally {
    client.close();
  }
}

/** The paper command. */
export const paperCommand: CliCommand = {
  name: "paper",
  usage: "STRATEGY.ts --venue V --symbol S --timeframe TF [options]",
  help: [
    `--venue V            ${VENUES.join(", ")}`,
    "--symbol S           BASE/QUOTE, e.g. BTC/USD",
    `--timeframe TF       bar length (${Object.keys(TIMEFRAMES).join(" ")})`,
    "--fill-model M       next-trade (default; in core: book) or book",
    "--cash N             the strategy's starting cash in the quote asset (default 100000)",
    "--commission F       fee rate per fill (default 0; in core: 0.001); --maker-fee F, --taker-fee F each",
    "                     rate on its own; --slippage-bps N (default 0); --latency-ms N (default 0)",
    "--params JSON        overrides of the strategy's params",
    "--replay FILE.jsonl  run a recorded session (the record/replay format) in process; without it the",
    "                     strategy starts on the live market in the running core (workstation serve)",
    "--skip-typecheck     run even when the strategy has type errors",
    "--json               {bars,trades,finalEquity,cash,metrics,orders,fills} on stdout",
  ],
  options: {
    venue: { type: "string" },
    symbol: { type: "string" },
    timeframe: { type: "string" },
    "fill-model": { type: "string" },
    cash: { type: "string" },
    commission: { type: "string" },
    "maker-fee": { type: "string" },
    "taker-fee": { type: "string" },
    "slippage-bps": { type: "string" },
    "latency-ms": { type: "string" },
    params: { type: "string" },
    replay: { type: "string" },
    "skip-typecheck": { type: "boolean" },
    json: { type: "boolean" },
  },
  allowPositionals: true,
  async run(args, io) {
    const a = paperArgs(args);
    if (a.replay === undefined) return startInCore(a, args, io);
    let out: { json: PaperJson; trades: number };
    try {
      const log = (line: string): void => io.err(`log: ${escapeControls(line)}`);
      out = await paperReplay({ ...a, replay: a.replay }, log, args.values["skip-typecheck"] !== true, { dataDir: args.dataDir, warn: (line) => io.err(line) });
    } catch (err) {
      if (reportStrategyFailure(err, io)) return 1;
      throw err;
    }
    io.out(args.values.json === true ? JSON.stringify(out.json) : summary(out.json, a.cash, out.trades));
    return 0;
  },
};
