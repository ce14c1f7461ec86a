/**
 * `workstation live STRATEGY.ts --venue V --env live|testnet|demo|validate --symbol S --timeframe TF
 * [--params JSON] [--approve] [--json]`: the approval gate and pre-flight of a live deployment. It
 * holds the account's lock while it runs (refused while core or another `workstation live` trades it). An
 * environment the venue lacks is refused naming the ones it has. The first deployment of a strategy
 * version (source + params, venue, environment, symbol, timeframe) prints a summary with the risk
 * limits and the diff against the last approved version and exits 3 until run with `--approve`.
 * Approved, it takes the key from the OS keychain, checks the clock against the venue's, loads
 * the venue's filters and reconciles the account (open orders, external orders, balances), then runs
 * the strategy on the venue's market feed with its orders going to the venue until SIGINT/SIGTERM;
 * then its open orders are cancelled (or left working with `--on-stop leave`) and a summary is
 * printed (`--json`: the summary as one JSON object).
 */
import fs from "node:fs";
import path from "node:path";
import { escapeControls } from "../../common/text/escape.ts";
import { openAppDb } from "../store/app-db.ts";
import { approvalSummary, approve, isApproved, strategyVersion, type Deployment } from "../trading/live/approval.ts";
import { checkEnv, LIVE_ENVS } from "../trading/live/environments.ts";
import { openLiveBroker } from "../trading/live/open.ts";
import { startLiveSession, type LiveSummary } from "../trading/live/live-session.ts";
import type { LiveBroker } from "../trading/live/live-broker.ts";
import type { TradingStore } from "../trading/store.ts";
import { createFeedManager } from "../feeds/index.ts";
import { silentLogger } from "../log.ts";
import { numberOption } from "../strategy/cli-options.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import type { StrategyParams } from "../../common/strategy/api.ts";
import { DEFAULT_RISK_LIMITS } from "../trading/risk.ts";
import { SqliteTradingStore } from "../trading/store.ts";
import { failedOrdersPolicy } from "../trading/failed-orders.ts";
import type { Timeframe } from "../../common/market/bars.ts";
import { AccountLockedError, acquireAccountLock } from "../trading/live/account-lock.ts";
import { timeframeOption, UsageError, type CliCommand, type CliIo, type ParsedArgs } from "./command.ts";

/** Exit code of a deployment that needs approval. */
export const NEEDS_APPROVAL = 3;

function parseParams(raw: unknown): Record<string, unknown> {
  if (raw === undefined) return {};
  try {
    const v = JSON.parse(String(raw)) as unknown;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError("--params must be a JSON object");
}

function deployment(args: ParsedArgs): Deployment {
  const [file, ...extra] = args.positionals;
  if (!file || extra.length > 0) throw new UsageError("usage: workstation live STRATEGY.ts --venue V --env ENV --symbol S --timeframe TF");
  const { venue, env, symbol } = args.values;
  if (typeof venue !== "string" || typeof symbol !== "string" || typeof env !== "string") throw new UsageError(`--venue, --symbol and --env (${LIVE_ENVS.join("|")}) are required`);
  const timeframe = timeframeOption(args.values);
  if (!timeframe) throw new UsageError("--timeframe is required");
  try {
    checkEnv(venue, env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`${file}: cannot read the strategy file`);
  }
  return { strategy: path.resolve(file), source, params: parseParams(args.values.params), venue, env, account: `live:${venue}`, symbol: symbol.toUpperCase(), timeframe, limits: DEFAULT_RISK_LIMITS };
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(sig);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

function summaryText(s: LiveSummary): string {
  const rows: [string, string][] = [
    ["account", `${s.account} (strategy ledger ${s.ledger}) ${s.symbol}`],
    ["status", s.error ? `${s.status}: ${s.error}` : s.status],
    ["bars", String(s.bars)],
    ["orders", `${s.orders.total} (${s.orders.filled} filled, ${s.orders.open} open, ${s.orders.canceled} cancelled, ${s.orders.rejected} rejected, ${s.orders.unknown} unknown)`],
    ["fills", String(s.fills)],
    ["position", `${s.position.size} @ ${s.position.avgPrice}, fees ${s.position.fees}`],
    ["reconciliations", String(s.reconciliations)],
    ["at stop", s.leftOpen.length > 0 ? `left open: ${s.leftOpen.join(", ")}` : `${s.cancelledAtStop} open orders cancelled`],
  ];
  return rows.map(([k, v]) => `${k.padEnd(16)} ${v}`).join("\n");
}

/** Takes the account for this process (one live broker per account across processes), or a one-line refusal naming the holder. */
function takeAccount(dataDir: string, d: Deployment): () => void {
  try {
    return acquireAccountLock(dataDir, d.account, "cli");
  } catch (err) {
    if (err instanceof AccountLockedError) throw new UsageError(err.message);
    throw err;
  }
}

/** Runs the approved deployment on the reconciled broker until a signal; the summary. */
async function runStrategy(d: Deployment, args: ParsedArgs, io: CliIo, broker: LiveBroker, store: TradingStore): Promise<LiveSummary> {
  const onStop = args.values["on-stop"] ?? "cancel";
  if (onStop !== "cancel" && onStop !== "leave") throw new UsageError("--on-stop must be cancel or leave");
  const quote = d.symbol.split("/")[1] ?? "";
  const cash = numberOption(args.values, "cash", broker.balances[quote]?.free ?? 100_000, 1e-9, 1e15);
  const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  const feeds = createFeedManager(args.dataDir, io.env, silentLogger());
  try {
    const name = path.basename(d.strategy).replace(/\.[cm]?[jt]s$/, "");
    const log = (line: string) => io.err(`log: ${escapeControls(line)}`);
    const spec = { id: `live-${name}`, source: d.source, filename: path.basename(d.strategy), venue: d.venue, symbol: d.symbol, timeframe: d.timeframe as Timeframe, params: d.params as StrategyParams, ledger: name, cash };
    const signal = untilSignal();
    const session = await startLiveSession(spec, { broker, store, feeds, pool, log, onError: (err) => io.err(`live: the strategy stopped with an error: ${err.message}`), leaveOrdersOnError: () => failedOrdersPolicy(store) === "leave" });
    io.err(`live: running ${name} on ${d.account} (${d.env}) ${d.symbol} ${d.timeframe}; stop with Ctrl-C`);
    await signal;
    return await session.stop(onStop);
  } finally {
    broker.stop();
    await feeds.stop();
    await pool.shutdown();
  }
}

/** The live command. */
export const liveCommand: CliCommand = {
  name: "live",
  usage: "STRATEGY.ts --venue V --env live|testnet|demo|validate --symbol S --timeframe TF [--params JSON] [--approve] [--on-stop cancel|leave] [--preflight] [--json]",
  help: [
    "--venue V          binance, kraken or coinbase",
    "--env ENV          live, testnet, demo (Binance) or validate (Kraken); others are refused",
    "--symbol S, --timeframe TF  what the strategy trades",
    "--params JSON      strategy parameters (part of the approved version)",
    "--approve          approve this version after reading the summary (needed on first deployment and after any change)",
    "--cash N           the strategy's cash in the quote asset (default: the account's free quote balance)",
    "--on-stop M        at Ctrl-C: cancel (default) or leave the strategy's open orders",
    "--preflight        only the pre-flight (key, clock, filters, reconciliation), printed; nothing runs or is sent",
    "--json             the final summary (or the pre-flight) as JSON",
  ],
  options: { venue: { type: "string" }, env: { type: "string" }, symbol: { type: "string" }, timeframe: { type: "string" }, params: { type: "string" }, approve: { type: "boolean" }, cash: { type: "string" }, "on-stop": { type: "string" }, preflight: { type: "boolean" }, json: { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    const d = deployment(args);
    fs.mkdirSync(args.dataDir, { recursive: true, mode: 0o700 });
    const release = args.values.preflight === true ? () => undefined : takeAccount(args.dataDir, d);
    const app = openAppDb(args.dataDir);
    try {
      const store = new SqliteTradingStore(app.db);
      if (!isApproved(store, d)) {
        for (const line of approvalSummary(store, d)) io.out(escapeControls(line));
        if (args.values.approve !== true) {
          io.err("live: this deployment is not approved; read the summary above and run again with --approve");
          return NEEDS_APPROVAL;
        }
        approve(store, d, Date.now());
        io.err(`live: approved version ${strategyVersion(d.source, d.params)}`);
      }
      const broker = await openLiveBroker({ venue: d.venue, env: checkEnv(d.venue, d.env), store, limits: d.limits, symbols: [d.symbol], processEnv: io.env, log: (l) => io.err(l) });
      const open = broker.allOrders().filter((o) => o.status !== "filled" && o.status !== "canceled" && o.status !== "rejected" && o.status !== "expired");
      io.err(escapeControls(`live: pre-flight ok: ${d.account} (${d.env}) reconciled, ${open.length} open orders of ours, ${broker.external.size} external`));
      if (args.values.preflight === true) {
        broker.stop();
        const preflight = { venue: d.venue, env: d.env, account: d.account, version: strategyVersion(d.source, d.params), openOrders: open.length, externalOrders: [...broker.external.keys()], balances: broker.balances };
        io.out(args.values.json === true ? JSON.stringify(preflight) : "pre-flight ok; nothing was sent");
        return 0;
      }
      const summary = await runStrategy(d, args, io, broker, store);
      io.out(args.values.json === true ? JSON.stringify(summary) : escapeControls(summaryText(summary)));
      return summary.status === "failed" ? 1 : 0;
    } finally {
      app.close();
      release();
    }
  },
};
